//! The `{{ project_name }}` command: serves the MCP server of the library over stdio (what desktop
//! clients launch) or streamable HTTP at `/mcp`, with `GET /health`.
//!
//! `--transport stdio|http`, `--host H` and `--port N` (or `MCP_TRANSPORT`, `HOST`, `PORT`) choose;
//! without them it serves the defaults below, chosen when the project was generated. See
//! `.env.example` for the other settings.

use mcp_sdk::{RunOptions, Transport};

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    let defaults = RunOptions::default().transport(Transport::{% if transport == "http" %}Http{% else %}Stdio{% endif %}).port({{ port }});
    {{ module_name }}::server().run_with(defaults.read_process()?).await
}
