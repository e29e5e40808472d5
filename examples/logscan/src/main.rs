//! `cargo run -p logscan`: the log analytics server over stdio (`-- --transport http` for HTTP).

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    logscan::server().run().await
}
