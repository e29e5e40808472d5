//! `TestClient`: a real MCP client connected to your server in-process, for `#[tokio::test]`s.
//!
//! ```
//! use mcp_sdk::{prelude::*, testing::TestClient};
//! use serde_json::json;
//!
//! /// Adds two numbers.
//! #[tool]
//! async fn add(
//!     /// The first number.
//!     a: i64,
//!     /// The second number.
//!     b: i64,
//! ) -> i64 {
//!     a + b
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> mcp_sdk::Result<()> {
//! let client = TestClient::start(Server::new().tool(add)).await?;
//! let sum: i64 = client.call_typed("add", json!({"a": 2, "b": 3})).await?;
//! assert_eq!(sum, 5);
//! # Ok(()) }
//! ```

#![allow(deprecated)] // MCP logging is deprecated by SEP-2577 but still what clients show.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use rmcp::{
    ClientHandler, ClientLifecycleMode, ClientServiceExt, ErrorData as McpError, RoleClient,
    ServiceError, ServiceExt,
    model::{
        CallToolRequest, CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig,
        ClientRequest, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams,
        ElicitResult, ElicitationAction, ElicitationCapability, ErrorCode, GetPromptRequestParams,
        GetPromptResult, Implementation, ListRootsResult, LoggingMessageNotificationParam,
        NumberOrString, ProgressNotificationParam, ProgressToken, Prompt, ProtocolVersion,
        ReadResourceRequestParams, ReadResourceResult, RequestMetaObject, Resource,
        ResourceContents, ResourceTemplate, ResourceUpdatedNotificationParam, RootsCapabilities,
        SamplingCapability, SamplingMessage, ServerResult, SubscribeRequestParams, Tool,
        UnsubscribeRequestParams,
    },
    service::{
        NotificationContext, PeerRequestOptions, RequestContext, RequestHandle, RunningService,
    },
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::{Mutex, mpsc};

use crate::{Elicitation, Error, ErrorKind, LogLevel, Result, Root, Server, handler::Handler};

/// How long `next_progress` and `next_log` wait before giving up.
const NOTIFICATION_WAIT: Duration = Duration::from_secs(5);

/// A log message the server sent to the client.
#[derive(Clone, Debug, PartialEq)]
pub struct LogMessage {
    /// Its severity.
    pub level: LogLevel,
    /// The tool that logged it.
    pub logger: Option<String>,
    /// The text (or JSON) of the message.
    pub data: Value,
}

/// An in-process MCP client talking to a server over a duplex pipe, through the same rmcp client
/// and protocol code that real clients use.
pub struct TestClient {
    client: RunningService<RoleClient, Recorder>,
    progress: Mutex<mpsc::UnboundedReceiver<ProgressNotificationParam>>,
    logs: Mutex<mpsc::UnboundedReceiver<LogMessage>>,
    updated: Mutex<mpsc::UnboundedReceiver<String>>,
    asked: Mutex<mpsc::UnboundedReceiver<Value>>,
    next_token: AtomicU64,
}

struct Recorder {
    progress: mpsc::UnboundedSender<ProgressNotificationParam>,
    logs: mpsc::UnboundedSender<LogMessage>,
    updated: mpsc::UnboundedSender<String>,
    answers: Answers,
    asked: mpsc::UnboundedSender<Value>,
}

/// How a [`TestClient`] answers the server's requests, and which capabilities it declares: a
/// capability is declared only when its answer is set. The default declares none.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Answers {
    /// The answer to every elicitation: `Elicitation::Accepted(json)` with the form's content,
    /// `Declined` or `Cancelled`.
    pub elicitation: Option<Elicitation<Value>>,
    /// The text the client's "model" answers every sampling request with (model `test-model`).
    pub sampling: Option<String>,
    /// The roots the client shares.
    pub roots: Option<Vec<Root>>,
}

impl Answers {
    /// A client that declares elicitation and answers every form with `answer`.
    pub fn elicitation(mut self, answer: Elicitation<Value>) -> Self {
        self.elicitation = Some(answer);
        self
    }

    /// A client that declares sampling and answers every request with `text`.
    pub fn sampling(mut self, text: impl Into<String>) -> Self {
        self.sampling = Some(text.into());
        self
    }

    /// A client that declares roots and shares `roots` (`(uri, name)` pairs).
    pub fn roots(mut self, roots: &[(&str, &str)]) -> Self {
        let roots = roots.iter().map(|(uri, name)| Root {
            uri: (*uri).to_owned(),
            name: Some((*name).to_owned()),
        });
        self.roots = Some(roots.collect());
        self
    }

    fn capabilities(&self) -> ClientCapabilities {
        let mut capabilities = ClientCapabilities::default();
        if self.elicitation.is_some() {
            capabilities.elicitation = Some(ElicitationCapability::default());
        }
        if self.sampling.is_some() {
            capabilities.sampling = Some(SamplingCapability::default());
        }
        if self.roots.is_some() {
            capabilities.roots = Some(RootsCapabilities::default());
        }
        capabilities
    }
}

impl ClientHandler for Recorder {
    fn get_info(&self) -> ClientConfig {
        ClientConfig::new(
            self.answers.capabilities(),
            Implementation::new("mcp-sdk-test-client", env!("CARGO_PKG_VERSION")),
        )
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> std::result::Result<ElicitResult, McpError> {
        let _ = self
            .asked
            .send(serde_json::to_value(&request).unwrap_or_default());
        let result = match self.answers.elicitation.clone() {
            Some(Elicitation::Accepted(content)) => {
                ElicitResult::new(ElicitationAction::Accept).with_content(content)
            }
            Some(Elicitation::Declined) => ElicitResult::new(ElicitationAction::Decline),
            _ => ElicitResult::new(ElicitationAction::Cancel),
        };
        Ok(result)
    }

    async fn create_message(
        &self,
        params: CreateMessageRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> std::result::Result<CreateMessageResult, McpError> {
        let _ = self
            .asked
            .send(serde_json::to_value(&params).unwrap_or_default());
        let text = self.answers.sampling.clone().unwrap_or_default();
        let mut result =
            CreateMessageResult::new(SamplingMessage::assistant_text(text), "test-model".into());
        result.stop_reason = Some("endTurn".into());
        Ok(result)
    }

    async fn list_roots(
        &self,
        _context: RequestContext<RoleClient>,
    ) -> std::result::Result<ListRootsResult, McpError> {
        let roots = self.answers.roots.clone().unwrap_or_default();
        let roots = roots.into_iter().map(|root| {
            let mut rmcp_root = rmcp::model::Root::new(root.uri);
            rmcp_root.name = root.name;
            rmcp_root
        });
        Ok(ListRootsResult::new(roots.collect()))
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        let _ = self.updated.send("list_changed: tools".into());
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        let _ = self.updated.send("list_changed: resources".into());
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        let _ = self.updated.send("list_changed: prompts".into());
    }

    async fn on_resource_updated(
        &self,
        params: ResourceUpdatedNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        let _ = self.updated.send(params.uri);
    }

    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        let _ = self.progress.send(params);
    }

    async fn on_logging_message(
        &self,
        params: LoggingMessageNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        let _ = self.logs.send(LogMessage {
            level: LogLevel::from_mcp(params.level),
            logger: params.logger,
            data: params.data,
        });
    }
}

/// The MCP revision a client speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// 2025-11-25: an `initialize` handshake, then a session.
    Initialize2025,
    /// 2026-07-28: stateless; `server/discover`, then self-contained requests.
    Stateless2026,
}

impl Protocol {
    /// How rmcp's client enters this revision.
    pub fn lifecycle(self) -> ClientLifecycleMode {
        match self {
            Protocol::Initialize2025 => ClientLifecycleMode::Initialize,
            Protocol::Stateless2026 => ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        }
    }
}

impl TestClient {
    /// Builds `server` and connects a client to it (protocol 2025-11-25, with `initialize`).
    pub async fn start(server: Server) -> Result<Self> {
        Self::connect(server.build()?, Protocol::Initialize2025).await
    }

    /// Builds `server` and connects a client speaking `protocol`.
    pub async fn start_with(server: Server, protocol: Protocol) -> Result<Self> {
        Self::connect(server.build()?, protocol).await
    }

    /// Builds `server` and connects a client speaking `protocol` that declares and answers what
    /// `answers` holds (elicitation, sampling, roots).
    pub async fn start_answering(
        server: Server,
        protocol: Protocol,
        answers: Answers,
    ) -> Result<Self> {
        Self::connect_answering(server.build()?, protocol, answers).await
    }

    /// Connects a client speaking `protocol` to a built server.
    pub async fn connect(handler: Handler, protocol: Protocol) -> Result<Self> {
        Self::connect_answering(handler, protocol, Answers::default()).await
    }

    /// Connects a client speaking `protocol` and answering with `answers` to a built server.
    pub async fn connect_answering(
        handler: Handler,
        protocol: Protocol,
        answers: Answers,
    ) -> Result<Self> {
        let (server_io, client_io) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            if let Ok(running) = handler.serve(server_io).await {
                let _ = running.waiting().await;
            }
        });
        let (progress_tx, progress) = mpsc::unbounded_channel();
        let (logs_tx, logs) = mpsc::unbounded_channel();
        let (updated_tx, updated) = mpsc::unbounded_channel();
        let (asked_tx, asked) = mpsc::unbounded_channel();
        let recorder = Recorder {
            progress: progress_tx,
            logs: logs_tx,
            updated: updated_tx,
            answers,
            asked: asked_tx,
        };
        let client = recorder
            .serve_with_lifecycle(client_io, protocol.lifecycle())
            .await
            .map_err(|e| Error::from(e).context("connecting the test client"))?;
        Ok(Self {
            client,
            progress: Mutex::new(progress),
            logs: Mutex::new(logs),
            updated: Mutex::new(updated),
            asked: Mutex::new(asked),
            next_token: AtomicU64::new(1),
        })
    }

    /// The `serverInfo` the server sent: its name and version.
    pub fn server_info(&self) -> Option<Implementation> {
        self.client
            .peer_info()
            .and_then(|info| info.server_info.clone())
    }

    /// The `instructions` the server sent, if any.
    pub fn instructions(&self) -> Option<String> {
        self.client
            .peer_info()
            .and_then(|info| info.instructions.clone())
    }

    /// `tools/list`.
    pub async fn list_tools(&self) -> Result<Vec<Tool>> {
        self.client.list_all_tools().await.map_err(from_service)
    }

    /// `tools/call` with `arguments` (a JSON object). A tool that fails returns `Ok` with
    /// `is_error: Some(true)`, as the client sees it; protocol errors (unknown tool) are `Err`.
    pub async fn call(&self, name: &str, arguments: Value) -> Result<CallToolResult> {
        let Value::Object(arguments) = arguments else {
            return Err(Error::invalid_params(format!(
                "arguments of `{name}` must be a JSON object, got {arguments}"
            )));
        };
        let token = self.next_token.fetch_add(1, Ordering::Relaxed) as i64;
        let mut params = CallToolRequestParams::new(name.to_owned()).with_arguments(arguments);
        params.meta = Some(RequestMetaObject::with_progress_token(ProgressToken(
            NumberOrString::Number(token),
        )));
        self.client.call_tool(params).await.map_err(from_service)
    }

    /// `tools/call`, decoding the structured result (or the text) as `T`. A failed call is an
    /// error carrying the tool's message.
    pub async fn call_typed<T: DeserializeOwned>(&self, name: &str, arguments: Value) -> Result<T> {
        let result = self.call(name, arguments).await?;
        if result.is_error == Some(true) {
            return Err(Error::tool(result_text(&result)));
        }
        decode_result(name, result)
    }

    /// Starts `tools/call` and returns at once, with a handle to [`cancel`](PendingCall::cancel)
    /// the call or wait for its [`result`](PendingCall::result). Wait for the tool's first
    /// progress or log message ([`next_progress`](Self::next_progress)) before cancelling, so the
    /// cancellation reaches a running tool.
    pub async fn start_call(&self, name: &str, arguments: Value) -> Result<PendingCall> {
        let Value::Object(arguments) = arguments else {
            return Err(Error::invalid_params(format!(
                "arguments of `{name}` must be a JSON object, got {arguments}"
            )));
        };
        let params = CallToolRequestParams::new(name.to_owned()).with_arguments(arguments);
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
        let handle = self
            .client
            .send_cancellable_request(request, PeerRequestOptions::no_options())
            .await
            .map_err(from_service)?;
        Ok(PendingCall {
            name: name.to_owned(),
            handle,
        })
    }

    /// `resources/list`: the resources at fixed URIs.
    pub async fn list_resources(&self) -> Result<Vec<Resource>> {
        self.client.list_all_resources().await.map_err(from_service)
    }

    /// `resources/templates/list`.
    pub async fn list_resource_templates(&self) -> Result<Vec<ResourceTemplate>> {
        self.client
            .list_all_resource_templates()
            .await
            .map_err(from_service)
    }

    /// `resources/read`. An unknown URI is an error of kind `NotFound`.
    pub async fn read_resource(&self, uri: &str) -> Result<ReadResourceResult> {
        self.client
            .read_resource(ReadResourceRequestParams::new(uri))
            .await
            .map_err(from_service)
    }

    /// `resources/read`, returning the text of the first contents.
    pub async fn read_resource_text(&self, uri: &str) -> Result<String> {
        let result = self.read_resource(uri).await?;
        match result.contents.into_iter().next() {
            Some(ResourceContents::TextResourceContents { text, .. }) => Ok(text),
            _ => Err(Error::tool(format!("`{uri}` has no text contents"))),
        }
    }

    /// `resources/read`, decoding the text of the first contents (JSON) as `T`.
    pub async fn read_resource_json<T: DeserializeOwned>(&self, uri: &str) -> Result<T> {
        let text = self.read_resource_text(uri).await?;
        serde_json::from_str(&text)
            .map_err(|e| Error::from(e).context(format!("decoding the contents of `{uri}`")))
    }

    /// `prompts/list`.
    pub async fn list_prompts(&self) -> Result<Vec<Prompt>> {
        self.client.list_all_prompts().await.map_err(from_service)
    }

    /// `prompts/get` with `arguments` (a JSON object of strings).
    pub async fn get_prompt(&self, name: &str, arguments: Value) -> Result<GetPromptResult> {
        let Value::Object(arguments) = arguments else {
            return Err(Error::invalid_params(format!(
                "arguments of `{name}` must be a JSON object, got {arguments}"
            )));
        };
        let mut params = GetPromptRequestParams::new(name);
        params.arguments = Some(arguments);
        self.client.get_prompt(params).await.map_err(from_service)
    }

    /// `prompts/get`, returning the text of its messages, joined by blank lines.
    pub async fn get_prompt_text(&self, name: &str, arguments: Value) -> Result<String> {
        let result = self.get_prompt(name, arguments).await?;
        let texts = result.messages.iter();
        let texts = texts.filter_map(|message| message.content.as_text().map(|t| t.text.as_str()));
        Ok(texts.collect::<Vec<_>>().join("\n\n"))
    }

    /// The next progress notification, in the order sent; `None` after 5 s without one.
    pub async fn next_progress(&self) -> Option<ProgressNotificationParam> {
        let mut progress = self.progress.lock().await;
        tokio::time::timeout(NOTIFICATION_WAIT, progress.recv())
            .await
            .ok()
            .flatten()
    }

    /// The next log message; `None` after 5 s without one.
    pub async fn next_log(&self) -> Option<LogMessage> {
        let mut logs = self.logs.lock().await;
        tokio::time::timeout(NOTIFICATION_WAIT, logs.recv())
            .await
            .ok()
            .flatten()
    }

    /// `resources/subscribe`: the server then tells this client when `uri` changes.
    pub async fn subscribe(&self, uri: &str) -> Result<()> {
        self.client
            .subscribe(SubscribeRequestParams::new(uri))
            .await
            .map_err(from_service)
    }

    /// `resources/unsubscribe`.
    pub async fn unsubscribe(&self, uri: &str) -> Result<()> {
        self.client
            .unsubscribe(UnsubscribeRequestParams::new(uri))
            .await
            .map_err(from_service)
    }

    /// The next change the server announced: the URI of a `notifications/resources/updated`, or
    /// `list_changed: tools` (`resources`, `prompts`) for a `notifications/*/list_changed`, in the
    /// order sent; `None` after 5 s without one.
    pub async fn next_change(&self) -> Option<String> {
        self.next_resource_updated().await
    }

    /// The URI of the next `notifications/resources/updated` (or a `list_changed: ..` entry, see
    /// [`next_change`](Self::next_change)); `None` after 5 s without one.
    pub async fn next_resource_updated(&self) -> Option<String> {
        let mut updated = self.updated.lock().await;
        tokio::time::timeout(NOTIFICATION_WAIT, updated.recv())
            .await
            .ok()
            .flatten()
    }

    /// The next elicitation or sampling request the server sent, as JSON (`message` and
    /// `requestedSchema`, or `messages`, `systemPrompt`, `maxTokens`, ...); `None` after 5 s.
    pub async fn next_request(&self) -> Option<Value> {
        let mut asked = self.asked.lock().await;
        tokio::time::timeout(NOTIFICATION_WAIT, asked.recv())
            .await
            .ok()
            .flatten()
    }

    /// The underlying rmcp client, for requests this type does not wrap.
    pub fn rmcp(&self) -> &RunningService<RoleClient, impl ClientHandler> {
        &self.client
    }

    /// Closes the connection; the server's session ends.
    pub async fn close(self) -> Result<()> {
        let mut client = self.client;
        client
            .close()
            .await
            .map(drop)
            .map_err(|e| Error::from(e).context("closing the test client"))
    }
}

/// A `tools/call` started with [`TestClient::start_call`].
pub struct PendingCall {
    name: String,
    handle: RequestHandle<RoleClient>,
}

impl PendingCall {
    /// Sends `notifications/cancelled` for the call: the tool's [`Context`](crate::Context) sees
    /// it (`is_cancelled`, `cancelled()`), and its result, if any, is dropped.
    pub async fn cancel(self) -> Result<()> {
        let reason = Some("cancelled by the test".to_owned());
        self.handle.cancel(reason).await.map_err(from_service)
    }

    /// Waits for the call's result, as [`TestClient::call`] returns it.
    pub async fn result(self) -> Result<CallToolResult> {
        match self.handle.await_response().await.map_err(from_service)? {
            ServerResult::CallToolResult(result) => Ok(result),
            other => Err(Error::internal(format!(
                "`{}` answered with something other than a tool result: {other:?}",
                self.name
            ))),
        }
    }
}

/// The text of a result's text blocks, joined by newlines.
pub fn result_text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text().map(|text| text.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_result<T: DeserializeOwned>(name: &str, result: CallToolResult) -> Result<T> {
    let value = match result.structured_content {
        Some(Value::Object(mut object)) if object.len() == 1 && object.contains_key("result") => {
            object.remove("result").unwrap_or_default()
        }
        Some(value) => value,
        None => {
            let text = result_text(&result);
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
    };
    serde_json::from_value(value)
        .map_err(|e| Error::from(e).context(format!("decoding the result of `{name}`")))
}

/// A JSON-RPC error keeps its message and gets the kind its code stands for.
fn from_service(error: ServiceError) -> Error {
    let ServiceError::McpError(data) = error else {
        return Error::from(error);
    };
    let kind = match data.code {
        ErrorCode::INVALID_PARAMS => ErrorKind::InvalidParams,
        ErrorCode::RESOURCE_NOT_FOUND => ErrorKind::NotFound,
        ErrorCode::METHOD_NOT_FOUND => ErrorKind::NotFound,
        _ => ErrorKind::Internal,
    };
    Error::new(kind, data.message)
}
