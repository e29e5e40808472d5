//! The hand-written rmcp server on stdio.

use rmcp::ServiceExt;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // The same log setup as the mcp-sdk server, so that only the handlers differ.
    mcp_sdk::init_logging();
    let running = overhead_bench::hand::RmcpServer::default()
        .serve(rmcp::transport::stdio_pipes())
        .await?;
    running.waiting().await?;
    Ok(())
}
