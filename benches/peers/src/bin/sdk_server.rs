//! The mcp-sdk server: `--transport stdio|http`, `--port`, `--stateless`, as every SDK server.

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    peers_bench::sdk::server().run().await
}
