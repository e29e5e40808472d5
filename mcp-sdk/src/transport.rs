//! Serving a built server.

use std::io::IsTerminal;

use rmcp::{ServiceExt, service::ServerInitializeError};

use crate::{Error, Result, handler::Handler};

/// Logs go to stderr (stdout carries the protocol), filtered by `RUST_LOG` (default `info`).
/// Does nothing if the application already installed a subscriber.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rmcp=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// Serves `handler` on stdin/stdout until the client closes the connection, which is a clean exit,
/// before or after `initialize`.
pub async fn serve_stdio(handler: Handler) -> Result<()> {
    let running = match handler.serve(rmcp::transport::stdio_pipes()).await {
        Ok(running) => running,
        Err(ServerInitializeError::ConnectionClosed(_)) => {
            tracing::info!("the client closed stdin before initializing");
            return Ok(());
        }
        Err(error) => return Err(Error::from(error).context("starting the stdio server")),
    };
    let reason = running
        .waiting()
        .await
        .map_err(|e| Error::from(e).context("serving stdio"))?;
    tracing::debug!(?reason, "stdio session ended");
    Ok(())
}
