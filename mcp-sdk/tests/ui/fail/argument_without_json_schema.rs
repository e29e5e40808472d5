use mcp_sdk::prelude::*;

/// Where to look.
#[derive(serde::Deserialize)]
struct Place {
    /// City name.
    city: String,
}

/// The forecast for a place.
#[tool]
async fn forecast(
    /// Where.
    place: Place,
) -> String {
    format!("sunny in {}", place.city)
}

fn main() {
    let _ = Server::new().tool(forecast);
}
