use mcp_sdk::prelude::*;

/// Adds two numbers.
#[tool]
async fn add(
    /// The first number.
    a: i64,
    /// The second number.
    b: i64,
) -> impl std::fmt::Display {
    a + b
}

fn main() {
    let _ = Server::new().tool(add);
}
