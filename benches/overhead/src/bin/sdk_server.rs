//! The mcp-sdk server on stdio, written the way the guide says.

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    mcp_sdk::init_logging();
    mcp_sdk::serve_stdio(overhead_bench::sdk::handler()).await
}
