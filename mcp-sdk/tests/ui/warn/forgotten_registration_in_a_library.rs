#![crate_type = "lib"]
use mcp_sdk::prelude::*;

/// Says hello.
#[tool]
pub(crate) async fn hello() -> String {
    "Hello!".into()
}

/// Says goodbye.
#[tool]
pub(crate) async fn goodbye() -> String {
    "Goodbye!".into()
}

/// The server a `main.rs` or a test uses: `pub`, while the tools stay `pub(crate)`.
pub fn server() -> Server {
    // `.tool(goodbye)` is missing: rustc warns that `goodbye` is never used.
    Server::new().tool(hello)
}
