//! `Context`: what a tool can do besides computing its result.

#![allow(deprecated)] // MCP logging is deprecated by SEP-2577 but still what clients show.

use std::sync::Arc;

use rmcp::{
    RoleServer,
    model::{
        LoggingLevel, LoggingMessageNotificationParam, ProgressNotificationParam, ProtocolVersion,
    },
    service::RequestContext,
};

use crate::{State, handler::Shared};

/// The request a tool is answering: report progress, log to the client, notice cancellation.
/// Take it as an argument (`ctx: Context`); it is not part of the input schema.
#[derive(Clone)]
pub struct Context {
    request: RequestContext<RoleServer>,
    shared: Arc<Shared>,
    tool: Arc<str>,
}

/// Severity of a message logged to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LogLevel {
    /// Details for debugging.
    Debug,
    /// Normal operation.
    Info,
    /// Something unexpected that the tool recovered from.
    Warning,
    /// Something failed.
    Error,
}

impl LogLevel {
    pub(crate) fn from_mcp(level: LoggingLevel) -> Self {
        match level {
            LoggingLevel::Debug => Self::Debug,
            LoggingLevel::Info | LoggingLevel::Notice => Self::Info,
            LoggingLevel::Warning => Self::Warning,
            _ => Self::Error,
        }
    }

    fn to_mcp(self) -> LoggingLevel {
        match self {
            Self::Debug => LoggingLevel::Debug,
            Self::Info => LoggingLevel::Info,
            Self::Warning => LoggingLevel::Warning,
            Self::Error => LoggingLevel::Error,
        }
    }
}

impl Context {
    /// The context of a request answered by the item named `tool` (a tool, prompt or resource URI).
    pub(crate) fn new(
        request: RequestContext<RoleServer>,
        shared: Arc<Shared>,
        tool: Arc<str>,
    ) -> Self {
        Self {
            request,
            shared,
            tool,
        }
    }

    /// A context for calling a tool's function directly in a unit test, as in
    /// `process::call(3, Context::for_test()).await`: progress and client log messages go
    /// nowhere (log lines still reach `tracing`), [`state`](Self::state) finds nothing, and it is
    /// cancelled only by [`cancel`](Self::cancel). Needs a Tokio runtime (`#[mcp_sdk::test]`).
    pub fn for_test() -> Self {
        let handler = crate::Server::new()
            .build()
            .expect("an empty server builds");
        // A peer whose connection is already closed: what it sends is dropped.
        let (transport, _closed) = tokio::io::duplex(64);
        let running = rmcp::service::serve_directly(handler.clone(), transport, None);
        let request = RequestContext::new(
            rmcp::model::NumberOrString::Number(0),
            running.peer().clone(),
        );
        Self::new(request, handler.shared_arc(), Arc::from("test"))
    }

    /// Cancels this request, as a client's `notifications/cancelled` does: for unit tests of a
    /// tool's cancellation (a test client cancels with `start_call(..)` and `cancel()`).
    pub fn cancel(&self) {
        self.request.ct.cancel();
    }

    /// Reports progress (`done` of `total`) to a client that asked for it; does nothing otherwise.
    pub async fn progress(&self, done: f64, total: f64) {
        self.send_progress(done, total, None).await;
    }

    /// Reports progress with a message such as "fetching page 2 of 5".
    pub async fn progress_message(&self, done: f64, total: f64, message: impl Into<String>) {
        self.send_progress(done, total, Some(message.into())).await;
    }

    async fn send_progress(&self, done: f64, total: f64, message: Option<String>) {
        let Some(token) = self.request.meta.get_progress_token() else {
            return;
        };
        let mut param = ProgressNotificationParam::new(token, done).with_total(total);
        param.message = message;
        if let Err(error) = self.request.peer.notify_progress(param).await {
            tracing::debug!(%error, tool = %self.tool, "could not send a progress notification");
        }
    }

    /// Sends a log message to the client (if it wants that level) and to the server's own log.
    pub async fn log(&self, level: LogLevel, message: impl Into<String>) {
        let message = message.into();
        match level {
            LogLevel::Debug => tracing::debug!(tool = %self.tool, "{message}"),
            LogLevel::Info => tracing::info!(tool = %self.tool, "{message}"),
            LogLevel::Warning => tracing::warn!(tool = %self.tool, "{message}"),
            LogLevel::Error => tracing::error!(tool = %self.tool, "{message}"),
        }
        if self.client_log_level().is_none_or(|wanted| level < wanted) {
            return;
        }
        let param = LoggingMessageNotificationParam::new(level.to_mcp(), message.into())
            .with_logger(self.tool.to_string());
        if let Err(error) = self.request.peer.notify_logging_message(param).await {
            tracing::debug!(%error, tool = %self.tool, "could not send a log message");
        }
    }

    /// The least severe level the client wants: set with `logging/setLevel` (2025), or named in
    /// each request's `_meta` (2026-07-28; a request without one wants no logs).
    fn client_log_level(&self) -> Option<LogLevel> {
        let stateless = self
            .request
            .protocol_version()
            .is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        match (stateless, self.request.meta.log_level()) {
            (_, Some(level)) => Some(LogLevel::from_mcp(level)),
            (true, None) => None,
            (false, None) => Some(self.shared.client_log_level()),
        }
    }

    /// [`log`](Self::log) at [`LogLevel::Debug`].
    pub async fn debug(&self, message: impl Into<String>) {
        self.log(LogLevel::Debug, message).await;
    }

    /// [`log`](Self::log) at [`LogLevel::Info`].
    pub async fn info(&self, message: impl Into<String>) {
        self.log(LogLevel::Info, message).await;
    }

    /// [`log`](Self::log) at [`LogLevel::Warning`].
    pub async fn warning(&self, message: impl Into<String>) {
        self.log(LogLevel::Warning, message).await;
    }

    /// [`log`](Self::log) at [`LogLevel::Error`].
    pub async fn error(&self, message: impl Into<String>) {
        self.log(LogLevel::Error, message).await;
    }

    /// Whether the client cancelled this request.
    pub fn is_cancelled(&self) -> bool {
        self.request.ct.is_cancelled()
    }

    /// Completes when the client cancels this request: `select!` on it in long tools.
    pub async fn cancelled(&self) {
        self.request.ct.cancelled().await;
    }

    /// The server's state of type `T`, like a `State<T>` argument.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        self.shared.state.get::<T>()
    }

    /// Tells every client that subscribed to `uri` that it changed
    /// (`notifications/resources/updated`); returns how many were told. Clients read it again.
    pub async fn notify_resource_updated(&self, uri: &str) -> usize {
        self.shared.subscriptions.notify(uri).await
    }

    /// The name of the item answering (a tool or prompt name, or a resource URI).
    pub(crate) fn item(&self) -> &str {
        &self.tool
    }

    /// The underlying rmcp request context, for what this type does not cover.
    pub fn rmcp(&self) -> &RequestContext<RoleServer> {
        &self.request
    }
}
