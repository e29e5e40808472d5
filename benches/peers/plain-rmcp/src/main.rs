//! A plain rmcp server: `pipes` (`stdio_pipes()`, the default), `stdio` (`stdio()`) or
//! `http PORT [--stateless]` (`StreamableHttpService`, its default config; JSON answers when
//! stateless), logs on stderr.

// The SDK overhead bench's hand-written rmcp server.
#[path = "../../../overhead/src/hand.rs"]
mod hand;

use std::sync::Arc;

use rmcp::{
    ServiceExt,
    transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    },
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] | ["pipes"] => {
            let running = hand::RmcpServer::default()
                .serve(rmcp::transport::stdio_pipes())
                .await?;
            running.waiting().await?;
        }
        ["stdio"] => {
            let running = hand::RmcpServer::default()
                .serve(rmcp::transport::stdio())
                .await?;
            running.waiting().await?;
        }
        ["http", port, ref rest @ ..] => {
            let stateless = rest == ["--stateless"];
            let config = StreamableHttpServerConfig::default()
                .with_legacy_session_mode(!stateless)
                .with_json_response(stateless);
            let service = StreamableHttpService::new(
                || Ok(hand::RmcpServer::default()),
                Arc::new(LocalSessionManager::default()),
                config,
            );
            let router = axum::Router::new().nest_service("/mcp", service);
            let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
        _ => anyhow::bail!("usage: plain-rmcp [pipes | stdio | http PORT [--stateless]]"),
    }
    Ok(())
}
