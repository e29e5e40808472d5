//! The built server: an rmcp `ServerHandler` that dispatches to the registered tools.

#![allow(deprecated)] // logging/setLevel is deprecated by SEP-2577 but clients still send it.

use std::{
    collections::{BTreeMap, hash_map::RandomState},
    hash::{BuildHasher, Hasher},
    panic::AssertUnwindSafe,
    sync::{
        Arc, RwLock, RwLockReadGuard, RwLockWriteGuard,
        atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering},
    },
};

use futures::FutureExt;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams,
        CompleteResult, ContentBlock, GetPromptRequestParams, GetPromptResponse, Implementation,
        JsonObject, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
        ListToolsResult, PaginatedRequestParams, PromptsCapability, ReadResourceRequestParams,
        ReadResourceResponse, ResourcesCapability, ServerCapabilities, ServerConfig,
        SetLevelRequestParams, SubscribeRequestParams, SubscriptionFilter, Tool, ToolsCapability,
        UnsubscribeRequestParams,
    },
    service::{NotificationContext, RequestContext, SubscriptionContext},
};

use crate::{
    Context, Error, ErrorKind, LogLevel,
    completion::Completions,
    prompt::PromptEntry,
    resource::ResourceEntry,
    rounds::Rounds,
    state::StateMap,
    subscriptions::{Peers, Subscriptions},
    tool::ToolEntry,
};

/// What every request of a server shares.
pub(crate) struct Shared {
    pub state: StateMap,
    client_log_level: AtomicU8,
    /// Calls, reads and prompt requests being answered now (graceful shutdown waits for them).
    in_flight: AtomicUsize,
    /// Who subscribed to which resource.
    pub subscriptions: Subscriptions,
    /// Every initialized session, told when the lists of items change.
    pub peers: Peers,
    /// The id of the next session (each HTTP session gets its own).
    next_session: AtomicU64,
}

impl Shared {
    pub fn new(state: StateMap) -> Self {
        Self {
            state,
            client_log_level: AtomicU8::new(LogLevel::Info as u8),
            in_flight: AtomicUsize::new(0),
            subscriptions: Subscriptions::default(),
            peers: Peers::default(),
            next_session: AtomicU64::new(1),
        }
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
    /// Which session this copy serves (subscriptions are per session).
    session: u64,
}

/// Everything a built server serves.
pub(crate) struct Registry {
    pub info: Implementation,
    pub instructions: Option<String>,
    pub tools: BTreeMap<String, ToolEntry>,
    /// Fixed URIs first, then templates, each in registration order: the first match wins.
    pub resources: Vec<ResourceEntry>,
    pub prompts: BTreeMap<String, PromptEntry>,
    pub completions: Completions,
}

impl Registry {
    pub fn enabled_tools(&self) -> String {
        let names = self.tools.values().filter(|e| e.enabled);
        names
            .map(|e| e.tool.name.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn enabled_prompts(&self) -> String {
        let names = self.prompts.values().filter(|e| e.enabled);
        names
            .map(|e| e.prompt.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

struct Inner {
    info: Implementation,
    /// What the built server advertised: a capability stays advertised when its last item is
    /// removed at run time.
    initial: std::sync::OnceLock<ServerCapabilities>,
    registry: RwLock<Registry>,
    shared: Arc<Shared>,
}

impl Handler {
    pub(crate) fn new(registry: Registry, state: StateMap) -> Self {
        let shared = Arc::new(Shared::new(state));
        let handler = Self {
            inner: Arc::new(Inner {
                info: registry.info.clone(),
                initial: std::sync::OnceLock::new(),
                registry: RwLock::new(registry),
                shared,
            }),
            session: 0,
        };
        handler.capabilities();
        handler
    }

    /// What the server serves now (the lock is never held across an await).
    pub(crate) fn registry(&self) -> RwLockReadGuard<'_, Registry> {
        self.inner
            .registry
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn registry_mut(&self) -> RwLockWriteGuard<'_, Registry> {
        self.inner
            .registry
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    pub(crate) fn shared_arc(&self) -> Arc<Shared> {
        self.inner.shared.clone()
    }

    /// The same server for a new session.
    pub(crate) fn for_session(&self) -> Self {
        let session = self
            .inner
            .shared
            .next_session
            .fetch_add(1, Ordering::Relaxed);
        Self {
            inner: self.inner.clone(),
            session,
        }
    }

    /// Tells every client that subscribed to `uri` that it changed
    /// (`notifications/resources/updated`); returns how many were told.
    pub async fn notify_resource_updated(&self, uri: &str) -> usize {
        self.inner.shared.subscriptions.notify(uri).await
    }

    /// The name and version the server reports.
    pub fn info(&self) -> &Implementation {
        &self.inner.info
    }

    /// How many requests are being answered now.
    pub(crate) fn in_flight(&self) -> usize {
        self.inner.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Runs a handler future: counted as in flight, and with a panic turned into an internal error
    /// so the server keeps serving.
    async fn answer<T>(&self, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        let counter = &self.inner.shared.in_flight;
        counter.fetch_add(1, Ordering::SeqCst);
        let outcome = AssertUnwindSafe(future).catch_unwind().await;
        counter.fetch_sub(1, Ordering::SeqCst);
        match outcome {
            Ok(outcome) => outcome,
            Err(panic) => Err(Error::internal(format!(
                "it panicked: {}",
                panic_message(&*panic)
            ))),
        }
    }

    /// Exactly what was registered: tools, resources, prompts, and logging when anything takes a
    /// `Context`.
    fn capabilities(&self) -> ServerCapabilities {
        let mut now = self.current_capabilities();
        let initial = self.inner.initial.get_or_init(|| now.clone());
        now.tools = now.tools.or_else(|| initial.tools.clone());
        now.resources = now.resources.or_else(|| initial.resources.clone());
        now.prompts = now.prompts.or_else(|| initial.prompts.clone());
        now.logging = now.logging.or_else(|| initial.logging.clone());
        now
    }

    /// What the items registered now call for.
    fn current_capabilities(&self) -> ServerCapabilities {
        let registry = self.registry();
        let mut capabilities = ServerCapabilities::default();
        if !registry.tools.is_empty() {
            let mut tools = ToolsCapability::default();
            tools.list_changed = Some(true);
            capabilities.tools = Some(tools);
        }
        if !registry.resources.is_empty() {
            let mut resources = ResourcesCapability::default();
            resources.subscribe = Some(true);
            resources.list_changed = Some(true);
            capabilities.resources = Some(resources);
        }
        if !registry.prompts.is_empty() {
            let mut prompts = PromptsCapability::default();
            prompts.list_changed = Some(true);
            capabilities.prompts = Some(prompts);
        }
        if !registry.completions.is_empty() {
            capabilities.completions = Some(JsonObject::new());
        }
        let uses_context = registry.tools.values().any(|e| e.needs.uses_context)
            || registry.resources.iter().any(|e| e.needs.uses_context)
            || registry.prompts.values().any(|e| e.needs.uses_context);
        if uses_context {
            capabilities.logging = Some(JsonObject::new());
        }
        capabilities
    }

    /// A method of a capability the server did not advertise is unknown (-32601), as rmcp's own
    /// defaults answer.
    fn advertised(&self, advertised: bool, method: &str) -> Result<(), McpError> {
        match advertised {
            true => Ok(()),
            false => Err(McpError::new(
                rmcp::model::ErrorCode::METHOD_NOT_FOUND,
                method.to_owned(),
                None,
            )),
        }
    }

    async fn call(
        &self,
        mut request: CallToolRequestParams,
        mut context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let rounds = Rounds::attach(
            &mut context,
            request.request_state.take(),
            request.input_responses.take(),
        )?;
        let arguments = request.arguments.take().unwrap_or_default();
        let name = request.name.as_ref();
        // The call's future is made under the read lock and awaited after it is released.
        let call = {
            let registry = self.registry();
            let entry = registry.tools.get(name).filter(|e| e.enabled);
            entry.map(|entry| {
                let context = Context::new(context, self.inner.shared.clone(), entry.name.clone());
                entry.call(arguments, context)
            })
        };
        let Some(call) = call else {
            let known = self.registry().enabled_tools();
            return Err(McpError::invalid_params(
                format!("unknown tool `{name}`; this server has: {known}"),
                None,
            ));
        };
        let outcome = self.answer(call).await;
        if let Some(interrupted) = Rounds::interrupt(rounds.as_deref(), &outcome) {
            return interrupted.map(Into::into);
        }
        Ok(outcome
            .unwrap_or_else(|error| {
                CallToolResult::error(vec![ContentBlock::text(client_message(
                    "tool", name, error,
                ))])
            })
            .into())
    }
}

/// What the client is told about `error` from the `kind` (tool, resource, prompt) `name`. Internal
/// errors are logged in full under a reference id; the client gets only the id.
fn client_message(kind: &str, name: &str, error: Error) -> String {
    match error.kind() {
        ErrorKind::Internal => {
            let reference = reference_id();
            tracing::error!(kind, name, reference = %reference, "internal error: {}", error.message());
            format!(
                "internal error in {kind} `{name}` (reference {reference}); the server log has the details"
            )
        }
        _ => {
            if let Some(cause) = error.cause() {
                tracing::warn!(kind, name, "{}; cause: {cause:#}", error.client_message());
            }
            error.client_message()
        }
    }
}

/// Resources and prompts have no error result: their errors are JSON-RPC errors.
fn protocol_error(kind: &str, name: &str, error: Error) -> McpError {
    let code = error.kind();
    let message = client_message(kind, name, error);
    match code {
        ErrorKind::NotFound => McpError::resource_not_found(message, None),
        ErrorKind::InvalidParams => McpError::invalid_params(message, None),
        _ => McpError::internal_error(message, None),
    }
}

/// A short random id that ties what the client saw to the server's log line.
fn reference_id() -> String {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
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
        let mut config =
            ServerConfig::new(self.capabilities()).with_server_info(self.inner.info.clone());
        config.instructions = self.registry().instructions.clone();
        config
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        self.advertised(self.capabilities().tools.is_some(), "tools/list")?;
        let registry = self.registry();
        let tools = registry.tools.values().filter(|e| e.enabled);
        let tools = tools.map(|entry| entry.tool.clone()).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        let tools = &self.registry().tools;
        tools
            .get(name)
            .filter(|e| e.enabled)
            .map(|e| e.tool.clone())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        self.advertised(self.capabilities().resources.is_some(), "resources/list")?;
        let registry = self.registry();
        let resources = registry.resources.iter();
        let resources = resources.filter(|e| e.enabled && !e.is_template());
        let resources = resources.map(ResourceEntry::resource).collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        let method = "resources/templates/list";
        self.advertised(self.capabilities().resources.is_some(), method)?;
        let registry = self.registry();
        let templates = registry.resources.iter();
        let templates = templates.filter(|e| e.enabled && e.is_template());
        let templates = templates.map(ResourceEntry::resource_template).collect();
        Ok(ListResourceTemplatesResult::with_all_items(templates))
    }

    async fn read_resource(
        &self,
        mut request: ReadResourceRequestParams,
        mut context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let rounds = Rounds::attach(
            &mut context,
            request.request_state.take(),
            request.input_responses.take(),
        )?;
        let uri = request.uri.as_str();
        let make_context =
            || Context::new(context.clone(), self.inner.shared.clone(), Arc::from(uri));
        let found = self
            .registry()
            .resources
            .iter()
            .filter(|entry| entry.enabled)
            .find_map(|entry| entry.read(uri, &make_context));
        let Some(read) = found else {
            return Err(McpError::resource_not_found(
                format!("no resource matches `{uri}`"),
                None,
            ));
        };
        let outcome = self.answer(read).await;
        if let Some(interrupted) = Rounds::interrupt(rounds.as_deref(), &outcome) {
            return interrupted.map(Into::into);
        }
        outcome
            .map(Into::into)
            .map_err(|error| protocol_error("resource", uri, error))
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        self.advertised(self.capabilities().prompts.is_some(), "prompts/list")?;
        let registry = self.registry();
        let prompts = registry.prompts.values().filter(|e| e.enabled);
        let prompts = prompts.map(|entry| entry.prompt.clone()).collect();
        Ok(ListPromptsResult::with_all_items(prompts))
    }

    async fn get_prompt(
        &self,
        mut request: GetPromptRequestParams,
        mut context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let rounds = Rounds::attach(
            &mut context,
            request.request_state.take(),
            request.input_responses.take(),
        )?;
        let name = request.name.as_str();
        let arguments = request.arguments.clone().unwrap_or_default();
        let get = {
            let registry = self.registry();
            let entry = registry.prompts.get(name).filter(|e| e.enabled);
            entry.map(|entry| {
                let context = Context::new(context, self.inner.shared.clone(), Arc::from(name));
                entry.get(arguments, context)
            })
        };
        let Some(get) = get else {
            let known = self.registry().enabled_prompts();
            return Err(McpError::invalid_params(
                format!("unknown prompt `{name}`; this server has: {known}"),
                None,
            ));
        };
        let result = self.answer(get).await;
        if let Some(interrupted) = Rounds::interrupt(rounds.as_deref(), &result) {
            return interrupted.map(Into::into);
        }
        result
            .map(Into::into)
            .map_err(|error| protocol_error("prompt", name, error))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        self.call(request, context).await
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        let completions = self.registry().completions.clone();
        self.advertised(!completions.is_empty(), "completion/complete")?;
        Ok(completions.complete(&request))
    }

    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.advertised(
            self.capabilities().resources.is_some(),
            "resources/subscribe",
        )?;
        let known = self
            .registry()
            .resources
            .iter()
            .any(|entry| entry.matches(&request.uri));
        if !known {
            return Err(McpError::resource_not_found(
                format!("no resource matches `{}`", request.uri),
                None,
            ));
        }
        let subscriptions = &self.inner.shared.subscriptions;
        subscriptions.subscribe(request.uri, self.session, context.peer);
        Ok(())
    }

    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.advertised(
            self.capabilities().resources.is_some(),
            "resources/unsubscribe",
        )?;
        let subscriptions = &self.inner.shared.subscriptions;
        subscriptions.unsubscribe(&request.uri, self.session);
        Ok(())
    }

    /// 2026-07-28 `subscriptions/listen`: the list changes, and updates of registered resources.
    fn accepted_subscription_filter(
        &self,
        requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        let mut accepted = requested.clone();
        if let Some(uris) = &mut accepted.resource_subscriptions {
            let registry = self.registry();
            uris.retain(|uri| registry.resources.iter().any(|entry| entry.matches(uri)));
        }
        Some(accepted)
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        let subscriptions = &self.inner.shared.subscriptions;
        let id = subscriptions.listen(context.sink().clone());
        context.cancelled().await;
        subscriptions.unlisten(id);
        Ok(())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.inner.shared.peers.add(self.session, context.peer);
    }

    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        let level = LogLevel::from_mcp(request.level);
        self.inner
            .shared
            .client_log_level
            .store(level as u8, Ordering::Relaxed);
        Ok(())
    }
}
