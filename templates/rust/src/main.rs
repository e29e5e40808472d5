//! The `{{ project_name }}` command: serves the MCP server of the library over stdio (what desktop
//! clients launch) or streamable HTTP at `/mcp`, with `GET /health`.
//!
//! `--transport stdio|http`, `--host H` and `--port N` (or `MCP_TRANSPORT`, `HOST`, `PORT`) choose;
//! without them it uses the defaults below, chosen when the project was generated. See
//! `.env.example` for the other settings.

use mcp_sdk::{HttpServer, RunOptions, Transport};

/// Environment defaults, used when neither a flag nor the environment sets them.
const DEFAULTS: [(&str, &str); 2] = [("MCP_TRANSPORT", "{{ transport }}"), ("PORT", "{{ port }}")];

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    // Logs go to stderr, filtered by RUST_LOG: stdout carries only JSON-RPC.
    mcp_sdk::init_logging();
    let options = RunOptions::parse(std::env::args().skip(1), |name| {
        std::env::var(name).ok().or_else(|| {
            DEFAULTS
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    })?;
    let handler = {{ module_name }}::server().build()?;
    match options.transport {
        Transport::Stdio => mcp_sdk::serve_stdio(handler).await,
        // Ends on SIGINT or SIGTERM, once the calls in flight have finished.
        Transport::Http => HttpServer::bind(handler, options.http).await?.serve().await,
    }
}
