use mcp_sdk::prelude::*;

/// Adds two numbers.
#[tool]
async fn add(
    /// The numbers.
    (a, b): (i64, i64),
) -> i64 {
    a + b
}

fn main() {
    let _ = Server::new().tool(add);
}
