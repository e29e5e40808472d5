//! `add` and `echo` written with turbomcp: `stdio` or `http PORT`.

use turbomcp::prelude::*;

/// The server.
#[derive(Clone)]
struct TurboServer;

#[server(name = "peers-bench", version = "0.1.0")]
impl TurboServer {
    /// Adds two integers.
    #[tool(read_only = true)]
    async fn add(&self, a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }

    /// Sends the message back.
    #[tool(read_only = true)]
    async fn echo(&self, message: String) -> String {
        message
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["stdio"] => TurboServer.run_stdio().await?,
        ["http", port] => TurboServer.run_http(&format!("127.0.0.1:{port}")).await?,
        _ => anyhow::bail!("usage: turbomcp_server stdio | http PORT"),
    }
    Ok(())
}
