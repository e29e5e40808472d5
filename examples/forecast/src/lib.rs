//! A forecast tool over an HTTP API (`GET {base}/forecast?city=..&days=..` answering
//! `{"city", "days": [{"date", "high", "low", "summary"}]}`), through one `reqwest::Client` held
//! in state. The upstream's failures are classified for the model:
//!
//! - 404, an unknown city: a tool error the model can act on (ask for another spelling);
//! - 5xx, a timeout, no connection: a tool error saying to try later, with the cause kept for
//!   the log (`Error::with_source`);
//! - anything else (a body that does not parse): internal, via `?`: the client gets a reference
//!   id, the log the details.

use std::time::Duration;

use mcp_sdk::prelude::*;
use reqwest::{StatusCode, Url};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where `main` points without `FORECAST_API_URL`.
pub const DEFAULT_URL: &str = "http://localhost:9000";

/// The HTTP client and where the API is: built once, shared by every call.
pub struct Api {
    http: reqwest::Client,
    base: Url,
}

/// One day of a forecast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Day {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// The highest temperature, °C.
    pub high: f64,
    /// The lowest temperature, °C.
    pub low: f64,
    /// In words, e.g. "light rain".
    pub summary: String,
}

/// A city's forecast, today first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Forecast {
    /// The city, as the API spells it.
    pub city: String,
    /// One entry per day.
    pub days: Vec<Day>,
}

/// The daily forecast for a city: highs, lows and a summary per day, today first.
#[tool(read_only, open_world)]
async fn forecast(
    /// City name, e.g. "Paris".
    city: String,
    /// Number of days, 1 to 7.
    #[default(3)]
    days: u8,
    api: State<Api>,
) -> mcp_sdk::Result<Forecast> {
    ensure!((1..=7).contains(&days), InvalidParams: "days must be 1 to 7, got {days}");
    let mut url = api.base.join("forecast")?;
    url.query_pairs_mut()
        .append_pair("city", &city)
        .append_pair("days", &days.to_string());
    let response = api.http.get(url).send().await;
    let response = match response.and_then(reqwest::Response::error_for_status) {
        Ok(response) => response,
        Err(error) if error.status() == Some(StatusCode::NOT_FOUND) => {
            bail!("no city named {city:?}; ask the user for another spelling")
        }
        Err(error) if error.is_timeout() || error.is_connect() || is_server_error(&error) => {
            let message = "the forecast service is unavailable; try again in a minute";
            return Err(Error::tool(message).with_source(error));
        }
        Err(error) => return Err(error.into()),
    };
    let body = response.text().await?;
    Ok(mcp_sdk::serde_json::from_str(&body)?)
}

fn is_server_error(error: &reqwest::Error) -> bool {
    error
        .status()
        .is_some_and(|status| status.is_server_error())
}

/// The server over the API at `base_url` (plain `http://`).
pub fn server(base_url: &str) -> mcp_sdk::Result<Server> {
    let base = Url::parse(base_url)
        .ok()
        .filter(|url| url.scheme() == "http")
        .ok_or_else(|| {
            Error::invalid_params(format!("the API URL must be http://..., got {base_url:?}"))
        })?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    Ok(Server::new().tool(forecast).state(Api { http, base }))
}
