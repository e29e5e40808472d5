//! The mcp-sdk server: `--transport stdio|http`, `--port`, `--stateless`, as every SDK server.

// The SDK overhead bench's mcp-sdk server (its `handler()` is for that bench's in-process runs).
#[path = "../../../../overhead/src/sdk.rs"]
#[allow(dead_code)]
mod sdk;

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    sdk::server().run().await
}
