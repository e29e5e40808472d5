use mcp_sdk::prelude::*;

/// Current weather.
#[resource("weather://{city}/current")]
async fn current(town: String) -> String {
    town
}

fn main() {
    let _ = Server::new().resource(current);
}
