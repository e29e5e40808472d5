//! `add` and `echo` written with mcp-sdk.

use mcp_sdk::prelude::*;

/// Adds two integers.
#[tool(read_only)]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> i64 {
    a.wrapping_add(b)
}

/// Sends the message back.
#[tool(read_only)]
async fn echo(
    /// The message to send back.
    message: String,
) -> String {
    message
}

/// The server, not built yet: `run()` picks the transport from `--transport`.
pub fn server() -> Server {
    Server::new().tool(add).tool(echo)
}

/// The server, built.
pub fn handler() -> mcp_sdk::Handler {
    server().build().expect("the benchmark server builds")
}
