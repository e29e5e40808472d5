//! `FORECAST_API_URL=http://localhost:9000 cargo run -p forecast`: the forecast tool over stdio.

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    let url = std::env::var("FORECAST_API_URL").unwrap_or_else(|_| forecast::DEFAULT_URL.into());
    forecast::server(&url)?.run().await
}
