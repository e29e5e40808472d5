//! The built server: an rmcp `ServerHandler` that dispatches to the registered tools.

#![allow(deprecated)] // logging/setLevel is deprecated by SEP-2577 but clients still send it.

use std::{
    collections::{BTreeMap, hash_map::RandomState},
    hash::{BuildHasher, Hasher},
    panic::AssertUnwindSafe,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
};

use futures::FutureExt;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject,
        ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, SetLevelRequestParams, Tool,
        ToolsCapability,
    },
    service::RequestContext,
};

use crate::{Context, Error, ErrorKind, LogLevel, state::StateMap, tool::ToolEntry};

/// What every request of a server shares.
pub(crate) struct Shared {
    pub state: StateMap,
    client_log_level: AtomicU8,
}

impl Shared {
    pub fn new(state: StateMap) -> Self {
        Self { state, client_log_level: AtomicU8::new(LogLevel::Info as u8) }
    }

    pub fn client_log_level(&self) -> LogLevel {
        match self.client_log_level.load(Ordering::Relaxed) {
            0 => LogLevel::Debug,
            1 => LogLevel::Info,
            2 => LogLevel::Warning,
            _ => LogLevel::Error,
        }
    }
}

/// A server ready to serve: what [`Server::build`](crate::Server::build) returns. Cheap to clone;
/// it implements rmcp's `ServerHandler`, so it can be served on any rmcp transport.
#[derive(Clone)]
pub struct Handler {
    inner: Arc<Inner>,
}

struct Inner {
    info: Implementation,
    instructions: Option<String>,
    tools: BTreeMap<String, ToolEntry>,
    shared: Arc<Shared>,
}

impl Handler {
    pub(crate) fn new(
        info: Implementation,
        instructions: Option<String>,
        tools: BTreeMap<String, ToolEntry>,
        state: StateMap,
    ) -> Self {
        let shared = Arc::new(Shared::new(state));
        Self { inner: Arc::new(Inner { info, instructions, tools, shared }) }
    }

    /// The name and version the server reports.
    pub fn info(&self) -> &Implementation {
        &self.inner.info
    }

    fn capabilities(&self) -> ServerCapabilities {
        let mut capabilities = ServerCapabilities::default();
        if !self.inner.tools.is_empty() {
            capabilities.tools = Some(ToolsCapability::default());
        }
        if self.inner.tools.values().any(|entry| entry.uses_context) {
            capabilities.logging = Some(JsonObject::new());
        }
        capabilities
    }

    async fn call(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResult, McpError> {
        let name = request.name.as_ref();
        let Some(entry) = self.inner.tools.get(name) else {
            let known: Vec<&str> = self.inner.tools.keys().map(String::as_str).collect();
            return Err(McpError::invalid_params(
                format!("unknown tool `{name}`; this server has: {}", known.join(", ")),
                None,
            ));
        };
        let context = Context::new(context, self.inner.shared.clone(), name);
        let call = entry.call(request.arguments.unwrap_or_default(), context);
        let outcome = match AssertUnwindSafe(call).catch_unwind().await {
            Ok(outcome) => outcome,
            Err(panic) => Err(Error::internal(format!("the tool panicked: {}", panic_message(&*panic)))),
        };
        Ok(outcome.unwrap_or_else(|error| error_result(name, error)))
    }
}

/// Turns an error into the result the client sees. Internal errors are logged in full under a
/// reference id; the client gets only the id.
pub(crate) fn error_result(tool: &str, error: Error) -> CallToolResult {
    let text = match error.kind() {
        ErrorKind::Internal => {
            let reference = reference_id();
            tracing::error!(tool, reference = %reference, "internal error: {}", error.message());
            format!("internal error in tool `{tool}` (reference {reference}); the server log has the details")
        }
        _ => error.message(),
    };
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// A short random id that ties what the client saw to the server's log line.
fn reference_id() -> String {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    format!("{:08x}", hasher.finish() as u32)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".into())
}

impl ServerHandler for Handler {
    fn get_info(&self) -> ServerConfig {
        let mut config = ServerConfig::new(self.capabilities()).with_server_info(self.inner.info.clone());
        config.instructions = self.inner.instructions.clone();
        config
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(self.inner.tools.values().map(|entry| entry.tool.clone()).collect()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.inner.tools.get(name).map(|entry| entry.tool.clone())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        self.call(request, context).await.map(Into::into)
    }

    async fn set_level(&self, request: SetLevelRequestParams, _context: RequestContext<RoleServer>) -> Result<(), McpError> {
        let level = LogLevel::from_mcp(request.level);
        self.inner.shared.client_log_level.store(level as u8, Ordering::Relaxed);
        Ok(())
    }
}
