//! `cargo run -p memory`: the memory store over stdio (`-- --transport http` for HTTP).

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    memory::server().run().await
}
