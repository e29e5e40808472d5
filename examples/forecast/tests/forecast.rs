//! The forecast tool against a local fake of the API, through a real MCP client, in-process:
//! the model reads what it can act on; the upstream's details stay in the server's log.

use std::collections::HashMap;

use axum::{
    Json, Router,
    http::{StatusCode, Uri},
    response::IntoResponse,
    routing::get,
};
use forecast::{Day, Forecast};
use mcp_sdk::{
    serde_json::json,
    testing::{TestClient, result_text},
};

/// Paris has weather, Atlantis does not exist, Overload answers 503, Garbage is not JSON.
async fn fake(uri: Uri) -> axum::response::Response {
    let url = reqwest::Url::parse(&format!("http://fake{uri}")).unwrap();
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let days: usize = query["days"].parse().unwrap();
    match query["city"].as_str() {
        "Paris" => {
            let day =
                json!({"date": "2026-01-02", "high": 9.5, "low": 3.0, "summary": "light rain"});
            Json(json!({"city": "Paris", "days": vec![day; days]})).into_response()
        }
        "Overload" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "Garbage" => "<html>oops</html>".into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A client of the server over the fake API, which serves until the test ends.
async fn client() -> mcp_sdk::Result<TestClient> {
    let listener = mcp_sdk::tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let app = Router::new().route("/forecast", get(fake));
    mcp_sdk::tokio::spawn(async move { axum::serve(listener, app).await });
    TestClient::start(forecast::server(&url)?).await
}

#[mcp_sdk::test]
async fn a_forecast_comes_from_the_api() -> mcp_sdk::Result<()> {
    let client = client().await?;
    let forecast: Forecast = client
        .call_typed("forecast", json!({"city": "Paris", "days": 2}))
        .await?;
    let day = Day {
        date: "2026-01-02".into(),
        high: 9.5,
        low: 3.0,
        summary: "light rain".into(),
    };
    assert_eq!(forecast.days, [day.clone(), day]);
    Ok(())
}

#[mcp_sdk::test]
async fn upstream_failures_tell_the_model_what_to_do_and_keep_details_in_the_log()
-> mcp_sdk::Result<()> {
    let client = client().await?;
    for (city, expected) in [
        (
            "Atlantis",
            "no city named \"Atlantis\"; ask the user for another spelling",
        ),
        (
            "Overload",
            "the forecast service is unavailable; try again in a minute",
        ),
        ("Garbage", "internal error in tool `forecast` (reference "),
    ] {
        let result = client.call("forecast", json!({"city": city})).await?;
        assert_eq!(result.is_error, Some(true));
        let text = result_text(&result);
        assert!(text.starts_with(expected), "{city}: {text}");
        assert!(
            !text.contains("503") && !text.contains("127.0.0.1"),
            "{city}: {text}"
        );
    }
    let result = client
        .call("forecast", json!({"city": "Paris", "days": 9}))
        .await?;
    assert_eq!(result_text(&result), "days must be 1 to 7, got 9");
    Ok(())
}

#[test]
fn only_a_plain_http_url_is_accepted() {
    let error = forecast::server("ftp://example.com").err().unwrap();
    assert!(error.to_string().contains("must be http://"), "{error}");
}
