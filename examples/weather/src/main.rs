//! `cargo run -p weather`
//!
//! The weather server over stdio (add `-- --transport http` for HTTP at `/mcp`). It reads an
//! Open-Meteo-style API whose base URLs come from the environment: `WEATHER_API_URL`,
//! `WEATHER_GEOCODING_URL` and `WEATHER_API_TIMEOUT_SECS` (see `.env.example` and README.md).

use weather::WeatherApi;

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    weather::server(WeatherApi::from_env()?).run().await
}
