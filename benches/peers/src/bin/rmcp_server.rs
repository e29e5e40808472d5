//! The hand-written rmcp server: `stdio`, `pipes` (`stdio_pipes()`), or `http PORT [--stateless]`.

use std::sync::Arc;

use peers_bench::hand::RmcpServer;
use rmcp::{
    ServiceExt,
    transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    },
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    mcp_sdk::init_logging();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["stdio"] => {
            RmcpServer::default()
                .serve(rmcp::transport::stdio())
                .await?
                .waiting()
                .await?;
        }
        ["pipes"] => {
            RmcpServer::default()
                .serve(rmcp::transport::stdio_pipes())
                .await?
                .waiting()
                .await?;
        }
        ["http", port, ref rest @ ..] => {
            let stateless = rest == ["--stateless"];
            let config = StreamableHttpServerConfig::default()
                .with_legacy_session_mode(!stateless)
                .with_json_response(stateless);
            let service = StreamableHttpService::new(
                || Ok(RmcpServer::default()),
                Arc::new(LocalSessionManager::default()),
                config,
            );
            let router = axum::Router::new().nest_service("/mcp", service);
            let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
            axum::serve(listener, router).await?;
        }
        _ => anyhow::bail!("usage: rmcp_server stdio | pipes | http PORT [--stateless]"),
    }
    Ok(())
}
