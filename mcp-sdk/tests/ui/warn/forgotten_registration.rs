use mcp_sdk::prelude::*;

/// Says hello.
#[tool]
async fn hello() -> String {
    "Hello!".into()
}

/// Says goodbye.
#[tool]
async fn goodbye() -> String {
    "Goodbye!".into()
}

fn main() {
    // `.tool(goodbye)` is missing: rustc warns that `goodbye` is never used.
    let _ = Server::new().tool(hello);
}
