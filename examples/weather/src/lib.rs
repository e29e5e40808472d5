//! The weather server as a library: its tools, resource and prompt, and [`server`], which
//! `src/main.rs` runs and the tests connect to with a [`WeatherApi`] pointing at a local fake.

mod api;

use mcp_sdk::prelude::*;

pub use api::{
    CurrentWeather, DEFAULT_FORECAST_URL, DEFAULT_GEOCODING_URL, DEFAULT_TIMEOUT, DailyForecast,
    FORECAST_URL_VAR, Forecast, GEOCODING_URL_VAR, HTTPS_SUPPORTED, Place, TIMEOUT_VAR, Units,
    WeatherApi, describe,
};

/// What the client may show the model about this server.
pub const INSTRUCTIONS: &str = "Weather for any city, from an Open-Meteo-style API. `get_weather` gives the current \
conditions, `get_forecast` up to 16 days; both take a city name and optional units (metric or imperial). \
The resource weather://{city}/current holds the current conditions as JSON. If a city is not found, ask the \
user for another spelling; if the service is unavailable, say so rather than guessing.";

/// Current weather in a city: temperature, wind and a short description.
#[tool(read_only, open_world)]
async fn get_weather(
    /// City name, e.g. "Paris" or "New York".
    city: String,
    /// "metric" (°C, km/h; the default) or "imperial" (°F, mph).
    units: Option<Units>,
    api: State<WeatherApi>,
) -> mcp_sdk::Result<CurrentWeather> {
    let place = api.locate(&city).await?;
    api.current(&place, units.unwrap_or_default()).await
}

/// Daily forecast for a city: highs, lows, wind and a short description per day, today first.
#[tool(read_only, open_world)]
async fn get_forecast(
    /// City name, e.g. "Paris" or "New York".
    city: String,
    /// Number of days, 1 to 16.
    #[default(3)]
    days: u8,
    /// "metric" (°C, km/h; the default) or "imperial" (°F, mph).
    units: Option<Units>,
    api: State<WeatherApi>,
) -> mcp_sdk::Result<Forecast> {
    ensure!((1..=16).contains(&days), InvalidParams: "days must be 1 to 16, got {days}");
    let place = api.locate(&city).await?;
    api.forecast(&place, units.unwrap_or_default(), days).await
}

/// Current weather in a city, in metric units: the same data `get_weather` returns.
#[resource(
    "weather://{city}/current",
    title = "Current weather",
    mime_type = "application/json"
)]
async fn current_weather(city: String, api: State<WeatherApi>) -> mcp_sdk::Result<CurrentWeather> {
    let place = api.locate(&city).await?;
    api.current(&place, Units::Metric).await
}

/// Ask for a short weather report for a city, from its current conditions and forecast.
#[prompt(title = "Weather report")]
async fn weather_report(
    /// City name, e.g. "Paris".
    city: String,
    /// How many days the report covers, 1 to 16.
    #[default(3)]
    days: u8,
) -> mcp_sdk::Result<String> {
    ensure!((1..=16).contains(&days), InvalidParams: "days must be 1 to 16, got {days}");
    let span = match days {
        1 => "today".to_owned(),
        n => format!("the next {n} days"),
    };
    Ok(format!(
        "Write a short weather report for {city} covering {span}. Call `get_weather` with city {city:?} for \
         the current conditions and `get_forecast` with city {city:?} and days {days} for the days ahead. \
         Start with what matters to someone going out now (rain, wind, temperature), then give one line per \
         day, in the units the tools return. If the city is not found or the service is unavailable, say so."
    ))
}

/// The weather server, reading the API through `api`; `run()` it, or connect a test client.
pub fn server(api: WeatherApi) -> Server {
    Server::new()
        .instructions(INSTRUCTIONS)
        .state(api)
        .tool(get_weather)
        .tool(get_forecast)
        .resource(current_weather)
        .prompt(weather_report)
}
