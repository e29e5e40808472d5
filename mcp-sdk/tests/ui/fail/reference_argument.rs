use mcp_sdk::prelude::*;

/// Greets someone.
#[tool]
async fn greet(
    /// Who to greet.
    name: &str,
) -> String {
    format!("Hello, {name}!")
}

fn main() {
    let _ = Server::new().tool(greet);
}
