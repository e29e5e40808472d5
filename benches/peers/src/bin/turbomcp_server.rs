//! The turbomcp server: `stdio` or `http PORT`.

use turbomcp::prelude::*;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let server = peers_bench::turbo::TurboServer;
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["stdio"] => server.run_stdio().await?,
        ["http", port] => server.run_http(&format!("127.0.0.1:{port}")).await?,
        _ => anyhow::bail!("usage: turbomcp_server stdio | http PORT"),
    }
    Ok(())
}
