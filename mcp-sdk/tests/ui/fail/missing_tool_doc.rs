use mcp_sdk::prelude::*;

#[tool]
async fn add(
    /// The first number.
    a: i64,
    /// The second number.
    b: i64,
) -> i64 {
    a + b
}

fn main() {
    let _ = Server::new().tool(add);
}
