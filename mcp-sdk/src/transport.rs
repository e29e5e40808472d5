//! Serving a built server.

use std::io::IsTerminal;

use rmcp::{ServiceExt, service::ServerInitializeError};
use tracing_subscriber::{filter::Targets, layer::SubscriberExt, util::SubscriberInitExt};

use crate::{Error, Result, handler::Handler};

/// Logs go to stderr (stdout carries the protocol), filtered by `RUST_LOG` (default
/// `info,rmcp=warn`, also when empty): a default level and `target=level` pairs, comma-separated.
/// Does nothing if the application already installed a subscriber.
pub fn init_logging() {
    const DEFAULT: &str = "info,rmcp=warn";
    let default = || {
        DEFAULT
            .parse::<Targets>()
            .expect("the default filter parses")
    };
    let wanted = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (filter, unreadable) = match wanted.as_deref().map(str::parse::<Targets>) {
        Some(Ok(filter)) => (filter, None),
        Some(Err(error)) => (default(), Some(error)),
        None => (default(), None),
    };
    let installed = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .finish()
        .with(filter)
        .try_init()
        .is_ok();
    if installed && let Some(error) = unreadable {
        tracing::warn!(
            rust_log = wanted.unwrap_or_default(),
            "RUST_LOG is not a level and `target=level` pairs ({error}); logging at {DEFAULT}"
        );
    }
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
