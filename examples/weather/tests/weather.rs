//! The weather server against a local fake of the Open-Meteo API: the real HTTP requests, parsing
//! and error paths run, through a real MCP client (in-process, and the binary over stdio).

use std::{
    collections::HashMap,
    process::Stdio,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::get,
};
use mcp_sdk::{
    ErrorKind,
    rmcp::model::{CallToolResult, GetPromptResult, Role},
    testing::{TestClient, result_text},
};
use reqwest::Url;
use rmcp::{
    ServiceExt,
    model::CallToolRequestParams,
    transport::{ConfigureCommandExt, TokioChildProcess},
};
use serde_json::{Value, json};
use weather::WeatherApi;

// ---------------------------------------------------------------------------------------------
// The fake API

/// A city the fake geocoding API knows, and what the fake forecast API answers for it.
struct City {
    name: &'static str,
    country: &'static str,
    latitude: f64,
    longitude: f64,
    behaviour: Behaviour,
}

#[derive(Clone, Copy)]
enum Behaviour {
    /// Current conditions: (°C, °F, km/h, mph, WMO code).
    Weather(f64, f64, f64, f64, u8),
    /// HTTP 200 with a body that is not JSON.
    Garbage,
    /// HTTP 503.
    Overloaded,
    /// The geocoding API never answers (so the only request is the one that times out).
    Hangs,
}

const CITIES: &[City] = &[
    City {
        name: "Paris",
        country: "France",
        latitude: 48.85341,
        longitude: 2.3488,
        behaviour: Behaviour::Weather(18.5, 65.3, 11.2, 7.0, 3),
    },
    City {
        name: "New York",
        country: "United States",
        latitude: 40.71427,
        longitude: -74.00597,
        behaviour: Behaviour::Weather(24.0, 75.2, 20.0, 12.4, 61),
    },
    City {
        name: "Glitchville",
        country: "Nowhere",
        latitude: 10.0,
        longitude: 10.0,
        behaviour: Behaviour::Garbage,
    },
    City {
        name: "Stormville",
        country: "Nowhere",
        latitude: 20.0,
        longitude: 20.0,
        behaviour: Behaviour::Overloaded,
    },
    City {
        name: "Slowtown",
        country: "Nowhere",
        latitude: 30.0,
        longitude: 30.0,
        behaviour: Behaviour::Hangs,
    },
];

/// One request the fake received: its path and its decoded query.
#[derive(Clone, Debug)]
struct Recorded {
    path: String,
    query: HashMap<String, String>,
}

#[derive(Clone, Default)]
struct Fake {
    requests: Arc<Mutex<Vec<Recorded>>>,
    /// When set, the forecast API answers 503 to everything.
    down: Arc<AtomicBool>,
}

impl Fake {
    fn record(&self, uri: &Uri) -> HashMap<String, String> {
        let url = Url::parse(&format!("http://fake{uri}")).expect("the request URI parses");
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        self.requests.lock().unwrap().push(Recorded {
            path: url.path().to_owned(),
            query: query.clone(),
        });
        query
    }
}

/// The fake API, serving on 127.0.0.1 until the test's runtime ends.
struct FakeApi {
    url: String,
    fake: Fake,
}

impl FakeApi {
    async fn start() -> Self {
        let fake = Fake::default();
        let router = Router::new()
            .route("/v1/search", get(search))
            .route("/v1/forecast", get(forecast))
            .with_state(fake.clone());
        // Bound before the server task starts: connections are queued from here on.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, fake }
    }

    /// A client of this fake for both APIs.
    fn api(&self) -> WeatherApi {
        WeatherApi::new(&self.url, &self.url).unwrap()
    }

    async fn client(&self) -> TestClient {
        TestClient::start(weather::server(self.api()))
            .await
            .unwrap()
    }

    /// The queries of the requests received at `path`, in order.
    fn queries(&self, path: &str) -> Vec<HashMap<String, String>> {
        let requests = self.fake.requests.lock().unwrap();
        requests
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.query.clone())
            .collect()
    }

    fn request_count(&self) -> usize {
        self.fake.requests.lock().unwrap().len()
    }

    fn set_down(&self, down: bool) {
        self.fake.down.store(down, Ordering::SeqCst);
    }
}

/// Open-Meteo's error answer.
fn bad_request(reason: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": true, "reason": reason})),
    )
        .into_response()
}

async fn search(State(fake): State<Fake>, uri: Uri) -> Response {
    let query = fake.record(&uri);
    let Some(name) = query.get("name") else {
        return bad_request("Parameter 'name' is required".into());
    };
    match CITIES
        .iter()
        .find(|city| city.name.eq_ignore_ascii_case(name))
    {
        Some(City {
            behaviour: Behaviour::Hangs,
            ..
        }) => std::future::pending().await,
        Some(city) => Json(json!({
            "results": [{
                "id": 1, "name": city.name, "latitude": city.latitude, "longitude": city.longitude,
                "country": city.country, "country_code": "XX", "timezone": "Europe/Paris",
            }],
            "generationtime_ms": 0.4,
        }))
        .into_response(),
        // Open-Meteo's answer when nothing matches: no `results` key at all.
        None => Json(json!({"generationtime_ms": 0.3})).into_response(),
    }
}

async fn forecast(State(fake): State<Fake>, uri: Uri) -> Response {
    let query = fake.record(&uri);
    if fake.down.load(Ordering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "upstream is down for maintenance",
        )
            .into_response();
    }
    let coordinate = |name: &str| query.get(name).and_then(|value| value.parse::<f64>().ok());
    let (Some(latitude), Some(longitude)) = (coordinate("latitude"), coordinate("longitude"))
    else {
        return bad_request("Parameters 'latitude' and 'longitude' are required".into());
    };
    let metric_temperature = match query.get("temperature_unit").map(String::as_str) {
        None | Some("celsius") => true,
        Some("fahrenheit") => false,
        Some(other) => return bad_request(format!("Invalid temperature_unit {other}")),
    };
    let metric_wind = match query.get("wind_speed_unit").map(String::as_str) {
        None | Some("kmh") => true,
        Some("mph") => false,
        Some(other) => return bad_request(format!("Invalid wind_speed_unit {other}")),
    };
    let Some(city) = CITIES
        .iter()
        .find(|c| c.latitude == latitude && c.longitude == longitude)
    else {
        return bad_request(format!("the fake has no weather at {latitude},{longitude}"));
    };
    let (celsius, fahrenheit, kmh, mph, code) = match city.behaviour {
        Behaviour::Weather(celsius, fahrenheit, kmh, mph, code) => {
            (celsius, fahrenheit, kmh, mph, code)
        }
        Behaviour::Garbage => return "<html>Welcome to nginx!</html>".into_response(),
        Behaviour::Overloaded => {
            return (StatusCode::SERVICE_UNAVAILABLE, "overloaded").into_response();
        }
        Behaviour::Hangs => unreachable!("the fake never finds a city that hangs"),
    };
    let temperature = if metric_temperature {
        celsius
    } else {
        fahrenheit
    };
    let wind = if metric_wind { kmh } else { mph };
    let mut body =
        json!({"latitude": latitude, "longitude": longitude, "timezone": "Europe/Paris"});
    if let Some(current) = query.get("current") {
        if current != "temperature_2m,wind_speed_10m,weather_code" {
            return bad_request(format!("the fake does not serve current={current}"));
        }
        body["current"] = json!({
            "time": "2026-07-01T12:00", "interval": 900,
            "temperature_2m": temperature, "wind_speed_10m": wind, "weather_code": code,
        });
    }
    if let Some(daily) = query.get("daily") {
        if daily != "weather_code,temperature_2m_max,temperature_2m_min,wind_speed_10m_max" {
            return bad_request(format!("the fake does not serve daily={daily}"));
        }
        let days: usize = match query.get("forecast_days").map(|d| d.parse()) {
            None => 7,
            Some(Ok(days @ 0..=16)) => days,
            Some(_) => {
                return bad_request("Parameter 'forecast_days' must be between 0 and 16".into());
            }
        };
        let series = |offset: f64| {
            (0..days)
                .map(|day| temperature + offset + day as f64)
                .collect::<Vec<_>>()
        };
        body["daily"] = json!({
            "time": (0..days).map(|day| format!("2026-07-{:02}", day + 1)).collect::<Vec<_>>(),
            "weather_code": (0..days).map(|day| [0, 2, 61][day % 3]).collect::<Vec<_>>(),
            "temperature_2m_max": series(3.0),
            "temperature_2m_min": series(-5.0),
            "wind_speed_10m_max": (0..days).map(|day| wind + day as f64).collect::<Vec<_>>(),
        });
    }
    Json(body).into_response()
}

/// A URL on 127.0.0.1 where nothing listens: bound to get a free port, then closed.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// The error text of a failed call; panics (with the result) if the call succeeded.
fn error_text(result: &CallToolResult) -> String {
    assert_eq!(
        result.is_error,
        Some(true),
        "expected an error result, got {result:?}"
    );
    result_text(result)
}

/// The text of a prompt's first message.
fn prompt_text(result: &GetPromptResult) -> &str {
    let text = result
        .messages
        .first()
        .and_then(|message| message.content.as_text());
    &text
        .unwrap_or_else(|| panic!("no text message in {result:?}"))
        .text
}

// ---------------------------------------------------------------------------------------------
// What the server offers

#[tokio::test]
async fn lists_both_tools_with_described_arguments() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    let info = client.server_info().expect("serverInfo");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("weather", env!("CARGO_PKG_VERSION"))
    );
    let instructions = client
        .rmcp()
        .peer_info()
        .and_then(|info| info.instructions.clone());
    assert!(instructions.is_some_and(|text| text.contains("get_forecast")));

    let tools = client.list_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    assert_eq!(names, ["get_forecast", "get_weather"]);
    for tool in &tools {
        let schema = Value::Object((*tool.input_schema).clone());
        assert!(
            tool.description.as_deref().is_some_and(|d| !d.is_empty()),
            "{} has a description",
            tool.name
        );
        for (argument, property) in schema["properties"].as_object().unwrap() {
            assert!(
                property["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{}.{argument}: {schema}",
                tool.name
            );
        }
        assert_eq!(
            schema["required"],
            json!(["city"]),
            "{}: only the city is required",
            tool.name
        );
        // The units' values are inline, so clients that do not resolve `$ref` see them too.
        let units = schema["properties"]["units"].to_string();
        assert!(
            units.contains(r#""metric""#) && units.contains(r#""imperial""#),
            "{}: {schema}",
            tool.name
        );
        assert!(
            !schema.to_string().contains("$ref"),
            "{}: {schema}",
            tool.name
        );
        let annotations = tool.annotations.as_ref().expect("annotations");
        assert_eq!(
            (annotations.read_only_hint, annotations.open_world_hint),
            (Some(true), Some(true))
        );
        assert!(
            tool.output_schema
                .as_ref()
                .is_some_and(|s| s.contains_key("properties")),
            "{} has an output schema",
            tool.name
        );
    }
    let weather = Value::Object((*tools[1].input_schema).clone());
    assert_eq!(
        weather["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["city", "units"]
    );
    let forecast = Value::Object((*tools[0].input_schema).clone());
    assert_eq!(forecast["properties"]["days"]["default"], json!(3));
    assert_eq!(api.request_count(), 0, "listing calls no API");
}

#[tokio::test]
async fn get_weather_sends_the_unit_params_and_returns_the_api_values() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    let metric: Value = client
        .call_typed("get_weather", json!({"city": "Paris", "units": "metric"}))
        .await
        .unwrap();
    assert_eq!(
        metric,
        json!({
            "city": "Paris", "country": "France", "latitude": 48.85341, "longitude": 2.3488,
            "time": "2026-07-01T12:00", "temperature": 18.5, "temperature_unit": "°C",
            "wind_speed": 11.2, "wind_speed_unit": "km/h", "units": "metric",
            "weather_code": 3, "description": "Overcast",
        })
    );
    let imperial: Value = client
        .call_typed("get_weather", json!({"city": "Paris", "units": "imperial"}))
        .await
        .unwrap();
    assert_eq!(
        (
            &imperial["temperature"],
            &imperial["temperature_unit"],
            &imperial["wind_speed"],
            &imperial["wind_speed_unit"]
        ),
        (&json!(65.3), &json!("°F"), &json!(7.0), &json!("mph"))
    );
    assert_eq!(imperial["units"], "imperial");
    let default: Value = client
        .call_typed("get_weather", json!({"city": "Paris"}))
        .await
        .unwrap();
    assert_eq!(default, metric, "units default to metric");

    let searches = api.queries("/v1/search");
    assert_eq!(searches.len(), 3);
    assert_eq!(
        (searches[0]["name"].as_str(), searches[0]["count"].as_str()),
        ("Paris", "1")
    );
    let forecasts = api.queries("/v1/forecast");
    let units: Vec<(&str, &str)> = forecasts
        .iter()
        .map(|q| {
            (
                q["temperature_unit"].as_str(),
                q["wind_speed_unit"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("celsius", "kmh"),
            ("fahrenheit", "mph"),
            ("celsius", "kmh")
        ]
    );
    assert_eq!(
        (
            forecasts[0]["latitude"].as_str(),
            forecasts[0]["longitude"].as_str()
        ),
        ("48.85341", "2.3488")
    );
    assert_eq!(
        forecasts[0]["current"],
        "temperature_2m,wind_speed_10m,weather_code"
    );
    assert!(
        !forecasts[0].contains_key("daily"),
        "current conditions ask for no daily series"
    );
}

#[tokio::test]
async fn city_names_are_url_encoded() {
    let api = FakeApi::start().await;
    let client = api.client().await;
    let weather: Value = client
        .call_typed("get_weather", json!({"city": " New York "}))
        .await
        .unwrap();
    assert_eq!(
        (&weather["city"], &weather["description"]),
        (&json!("New York"), &json!("Slight rain"))
    );
    assert_eq!(api.queries("/v1/search")[0]["name"], "New York");
}

#[tokio::test]
async fn get_forecast_returns_one_entry_per_day_asked_for() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    let forecast: Value = client
        .call_typed("get_forecast", json!({"city": "Paris", "days": 2}))
        .await
        .unwrap();
    assert_eq!(
        forecast,
        json!({
            "city": "Paris", "country": "France", "units": "metric",
            "temperature_unit": "°C", "wind_speed_unit": "km/h",
            "days": [
                {"date": "2026-07-01", "temperature_max": 21.5, "temperature_min": 13.5, "wind_speed_max": 11.2,
                 "weather_code": 0, "description": "Clear sky"},
                {"date": "2026-07-02", "temperature_max": 22.5, "temperature_min": 14.5, "wind_speed_max": 12.2,
                 "weather_code": 2, "description": "Partly cloudy"},
            ],
        })
    );
    let default: Value = client
        .call_typed(
            "get_forecast",
            json!({"city": "Paris", "units": "imperial"}),
        )
        .await
        .unwrap();
    assert_eq!(
        default["days"].as_array().unwrap().len(),
        3,
        "days default to 3"
    );
    assert_eq!(
        default["days"][0]["temperature_max"],
        json!(68.3),
        "{default}"
    );

    let sent: Vec<(String, String)> = api
        .queries("/v1/forecast")
        .iter()
        .map(|q| (q["forecast_days"].clone(), q["temperature_unit"].clone()))
        .collect();
    assert_eq!(
        sent,
        [
            ("2".into(), "celsius".into()),
            ("3".into(), "fahrenheit".into())
        ]
    );
}

#[tokio::test]
async fn get_forecast_refuses_days_out_of_range_before_calling_the_api() {
    let api = FakeApi::start().await;
    let client = api.client().await;
    for days in [0, 17] {
        let result = client
            .call("get_forecast", json!({"city": "Paris", "days": days}))
            .await
            .unwrap();
        assert_eq!(
            error_text(&result),
            format!("days must be 1 to 16, got {days}")
        );
    }
    let result = client
        .call("get_forecast", json!({"city": "Paris", "days": 300}))
        .await
        .unwrap();
    assert!(
        error_text(&result).contains("invalid argument `days`"),
        "{result:?}"
    );
    assert_eq!(api.request_count(), 0);
}

#[tokio::test]
async fn the_current_weather_resource_is_json_for_the_city_in_the_uri() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    let templates = client.list_resource_templates().await.unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!(templates[0].uri_template, "weather://{city}/current");
    assert_eq!(templates[0].mime_type.as_deref(), Some("application/json"));

    let paris: Value = serde_json::from_str(
        &client
            .read_resource_text("weather://Paris/current")
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (&paris["city"], &paris["temperature"], &paris["units"]),
        (&json!("Paris"), &json!(18.5), &json!("metric"))
    );
    let new_york = client
        .read_resource_text("weather://New%20York/current")
        .await
        .unwrap();
    let new_york: Value = serde_json::from_str(&new_york).unwrap();
    assert_eq!(
        (&new_york["city"], &new_york["temperature"]),
        (&json!("New York"), &json!(24.0))
    );

    let missing = client
        .read_resource("weather://Atlantis/current")
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound, "{missing}");
    assert!(missing.message().contains("Atlantis"), "{missing}");
}

#[tokio::test]
async fn the_weather_report_prompt_asks_for_the_city_and_days() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].name, "weather_report");
    let arguments: Vec<(&str, Option<bool>, bool)> = prompts[0]
        .arguments
        .iter()
        .flatten()
        .map(|a| {
            (
                a.name.as_str(),
                a.required,
                a.description.as_deref().is_some_and(|d| !d.is_empty()),
            )
        })
        .collect();
    assert_eq!(
        arguments,
        [("city", Some(true), true), ("days", Some(false), true)]
    );

    let result = client
        .get_prompt("weather_report", json!({"city": "Paris", "days": "2"}))
        .await
        .unwrap();
    assert_eq!(result.messages.len(), 1);
    assert_eq!(result.messages[0].role, Role::User);
    let text = prompt_text(&result);
    assert!(
        text.contains("weather report for Paris covering the next 2 days"),
        "{text}"
    );
    assert!(
        text.contains("`get_forecast` with city \"Paris\" and days 2"),
        "{text}"
    );

    let default = client
        .get_prompt("weather_report", json!({"city": "Oslo"}))
        .await
        .unwrap();
    let text = prompt_text(&default);
    assert!(text.contains("the next 3 days"), "{text}");

    let refused = client
        .get_prompt("weather_report", json!({"city": "Paris", "days": "40"}))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidParams, "{refused}");
    assert_eq!(api.request_count(), 0, "the prompt calls no API");
}

// ---------------------------------------------------------------------------------------------
// The three failure cases, and two more ways the API can fail

#[tokio::test]
async fn an_unknown_city_is_an_error_result_naming_it() {
    let api = FakeApi::start().await;
    let client = api.client().await;
    for tool in ["get_weather", "get_forecast"] {
        let result = client
            .call(tool, json!({"city": "Atlantis"}))
            .await
            .unwrap();
        let text = error_text(&result);
        assert!(
            text.starts_with("no city named \"Atlantis\" was found"),
            "{tool}: {text}"
        );
    }
    assert_eq!(api.queries("/v1/search").len(), 2);
    assert!(
        api.queries("/v1/forecast").is_empty(),
        "no forecast is asked for a city that was not found"
    );
}

#[tokio::test]
async fn an_unreachable_api_is_a_readable_error_and_the_server_keeps_answering() {
    let down = format!("{}/?apikey=s3cret", closed_port_url());
    let client = TestClient::start(weather::server(WeatherApi::new(&down, &down).unwrap()))
        .await
        .unwrap();

    for (tool, arguments) in [
        ("get_weather", json!({"city": "Paris"})),
        ("get_forecast", json!({"city": "Paris", "days": 2})),
    ] {
        let result = client.call(tool, arguments).await.unwrap();
        let text = error_text(&result);
        assert!(
            text.starts_with(
                "the weather service is unavailable: could not connect to the geocoding API ("
            ),
            "{tool}: {text}"
        );
        assert!(
            text.to_lowercase().contains("refused"),
            "{tool} says why: {text}"
        );
        assert!(
            !text.contains("s3cret") && !text.contains("127.0.0.1"),
            "{tool} leaks the URL: {text}"
        );
    }
    let resource = client
        .read_resource("weather://Paris/current")
        .await
        .unwrap_err();
    assert!(
        resource
            .message()
            .contains("the weather service is unavailable"),
        "{resource}"
    );

    // Still answering: a call that needs no API, and listing.
    let result = client
        .call("get_forecast", json!({"city": "Paris", "days": 99}))
        .await
        .unwrap();
    assert_eq!(error_text(&result), "days must be 1 to 16, got 99");
    assert_eq!(client.list_tools().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_failing_api_is_unavailable_until_it_recovers() {
    let api = FakeApi::start().await;
    let client = api.client().await;

    api.set_down(true);
    let result = client
        .call("get_weather", json!({"city": "Paris"}))
        .await
        .unwrap();
    assert_eq!(
        error_text(&result),
        "the weather service is unavailable: the forecast API answered 503 Service Unavailable; try again later"
    );
    api.set_down(false);
    let weather: Value = client
        .call_typed("get_weather", json!({"city": "Paris"}))
        .await
        .unwrap();
    assert_eq!(weather["temperature"], 18.5);

    let result = client
        .call("get_forecast", json!({"city": "Stormville"}))
        .await
        .unwrap();
    assert!(error_text(&result).contains("answered 503"), "{result:?}");
}

#[tokio::test]
async fn bad_units_are_an_error_naming_the_argument() {
    let api = FakeApi::start().await;
    let client = api.client().await;
    for tool in ["get_weather", "get_forecast"] {
        let result = client
            .call(tool, json!({"city": "Paris", "units": "kelvin"}))
            .await
            .unwrap();
        let text = error_text(&result);
        assert!(
            text.starts_with("invalid argument `units`"),
            "{tool}: {text}"
        );
        assert!(
            text.contains("kelvin") && text.contains("metric") && text.contains("imperial"),
            "{tool}: {text}"
        );
    }
    assert_eq!(
        api.request_count(),
        0,
        "bad arguments are refused before any request"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_an_internal_error_without_details() {
    let api = FakeApi::start().await;
    let client = api.client().await;
    let result = client
        .call("get_weather", json!({"city": "Glitchville"}))
        .await
        .unwrap();
    let text = error_text(&result);
    assert!(
        text.starts_with("internal error in tool `get_weather` (reference "),
        "{text}"
    );
    assert!(
        !text.contains("nginx"),
        "the body stays in the server log: {text}"
    );
}

#[tokio::test]
async fn an_api_that_never_answers_times_out() {
    let api = FakeApi::start().await;
    let client = TestClient::start(weather::server(
        api.api().with_timeout(Duration::from_millis(200)),
    ))
    .await
    .unwrap();
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        client.call("get_weather", json!({"city": "Slowtown"})),
    )
    .await
    .expect("the client's own timeout ends the call")
    .unwrap();
    assert_eq!(
        error_text(&result),
        "the weather service is unavailable: the geocoding API did not answer within 0.2 s; try again later"
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration and the binary

#[test]
fn the_environment_configures_the_api() {
    let defaults = WeatherApi::from_vars(|_| None).unwrap();
    assert_eq!(
        defaults.forecast_url().as_str(),
        "http://api.open-meteo.com/"
    );
    assert_eq!(
        defaults.geocoding_url().as_str(),
        "http://geocoding-api.open-meteo.com/"
    );
    assert_eq!(defaults.timeout(), Duration::from_secs(10));

    let vars = HashMap::from([
        ("WEATHER_API_URL", "http://127.0.0.1:9000/meteo"),
        ("WEATHER_GEOCODING_URL", "http://127.0.0.1:9001"),
        ("WEATHER_API_TIMEOUT_SECS", "2.5"),
    ]);
    let custom = WeatherApi::from_vars(|name| vars.get(name).map(|v| v.to_string())).unwrap();
    assert_eq!(
        custom.forecast_url().as_str(),
        "http://127.0.0.1:9000/meteo"
    );
    assert_eq!(custom.geocoding_url().as_str(), "http://127.0.0.1:9001/");
    assert_eq!(custom.timeout(), Duration::from_millis(2500));

    let refused = |name: &'static str, value: &'static str| {
        WeatherApi::from_vars(|var| (var == name).then(|| value.to_owned()))
            .unwrap_err()
            .message()
    };
    let https = refused("WEATHER_API_URL", "https://api.open-meteo.com");
    assert!(
        https.starts_with("WEATHER_API_URL is \"https://api.open-meteo.com\"")
            && https.contains("no TLS"),
        "{https}"
    );
    let not_a_url = refused("WEATHER_GEOCODING_URL", "geocoding.local");
    assert!(
        not_a_url.starts_with("WEATHER_GEOCODING_URL \"geocoding.local\" is not a URL"),
        "{not_a_url}"
    );
    let timeout = refused("WEATHER_API_TIMEOUT_SECS", "soon");
    assert_eq!(
        timeout,
        "WEATHER_API_TIMEOUT_SECS=\"soon\" is not a positive number of seconds"
    );
}

#[tokio::test]
async fn the_binary_serves_over_stdio_with_the_api_from_the_environment() {
    let api = FakeApi::start().await;
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_weather")).configure(|cmd| {
        cmd.env("WEATHER_API_URL", &api.url)
            .env("WEATHER_GEOCODING_URL", &api.url)
            .stderr(Stdio::null());
    });
    let client =
        ().serve(TokioChildProcess::new(command).unwrap())
            .await
            .expect("the handshake completes");

    let info = client
        .peer_info()
        .and_then(|info| info.server_info.clone())
        .expect("serverInfo");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("weather", env!("CARGO_PKG_VERSION"))
    );

    let arguments = json!({"city": "Paris", "units": "imperial"})
        .as_object()
        .cloned()
        .unwrap();
    let result = client
        .call_tool(CallToolRequestParams::new("get_weather").with_arguments(arguments))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(false), "{result:?}");
    let weather = result.structured_content.expect("structured content");
    assert_eq!(
        (&weather["city"], &weather["temperature"]),
        (&json!("Paris"), &json!(65.3))
    );
    assert_eq!(
        api.queries("/v1/forecast")[0]["temperature_unit"],
        "fahrenheit"
    );
    client.cancel().await.unwrap();
}

#[test]
fn the_binary_stops_at_startup_naming_a_bad_variable() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_weather"))
        .env("WEATHER_API_URL", "https://api.open-meteo.com")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("WEATHER_API_URL is \"https://api.open-meteo.com\""),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing on the protocol channel");
}
