//! Streamable HTTP on an ephemeral port: health, both protocol eras, and the safe defaults.
#![deny(warnings, missing_docs)]

use std::time::Duration;

use mcp_sdk::{HttpOptions, HttpServer, Sessions, prelude::*};
use rmcp::{
    ClientServiceExt,
    model::CallToolRequestParams,
    service::RunningService,
    transport::{
        StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// Adds two numbers.
#[tool]
async fn add(
    /// First.
    a: i64,
    /// Second.
    b: i64,
) -> i64 {
    a + b
}

struct Running {
    base: String,
    sessions: Sessions,
    _stop: oneshot::Sender<()>,
}

async fn start(options: HttpOptions) -> Running {
    let handler = Server::new().tool(add).build().unwrap();
    let server = HttpServer::bind(handler, HttpOptions { port: 0, ..options })
        .await
        .unwrap();
    let base = format!("http://{}", server.local_addr());
    let sessions = server.sessions();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(server.serve_until(async move {
        let _ = stopped.await;
    }));
    Running {
        base,
        sessions,
        _stop: stop,
    }
}

fn initialize_body() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})
}

async fn post(url: &str, body: String, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn connect(
    base: &str,
    lifecycle: rmcp::ClientLifecycleMode,
    token: Option<&str>,
) -> Result<RunningService<rmcp::RoleClient, ()>, String> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(format!("{base}/mcp"));
    if let Some(token) = token {
        config = config.auth_header(token);
    }
    let transport = StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
    ().serve_with_lifecycle(transport, lifecycle)
        .await
        .map_err(|e| e.to_string())
}

async fn sum<H: rmcp::ClientHandler>(
    client: &RunningService<rmcp::RoleClient, H>,
    a: i64,
    b: i64,
) -> Value {
    let args = json!({"a": a, "b": b}).as_object().cloned().unwrap();
    let result = client
        .call_tool(CallToolRequestParams::new("add").with_arguments(args))
        .await
        .unwrap();
    result.structured_content.unwrap()["result"].clone()
}

#[tokio::test]
async fn health_answers_json() {
    let server = start(HttpOptions::default()).await;
    let response = reqwest::get(format!("{}/health", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let health: Value = response.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["name"], env!("CARGO_PKG_NAME"));
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert!(health["uptime_seconds"].is_u64(), "{health}");
}

#[tokio::test]
async fn both_protocol_eras_call_tools_over_http() {
    use mcp_sdk::testing::Protocol;
    for stateless in [false, true] {
        let server = start(HttpOptions {
            stateless,
            ..HttpOptions::default()
        })
        .await;
        for protocol in [Protocol::Initialize2025, Protocol::Stateless2026] {
            let client = connect(&server.base, protocol.lifecycle(), None)
                .await
                .unwrap();
            let version = client.peer_info().unwrap().protocol_version.to_string();
            assert_eq!(
                version,
                if protocol == Protocol::Initialize2025 {
                    "2025-11-25"
                } else {
                    "2026-07-28"
                }
            );
            assert_eq!(client.list_all_tools().await.unwrap()[0].name, "add");
            assert_eq!(
                sum(&client, 2, 3).await,
                json!(5),
                "{protocol:?}, stateless {stateless}"
            );
        }
    }
}

#[tokio::test]
async fn a_foreign_origin_is_forbidden() {
    let server = start(HttpOptions::default()).await;
    let url = format!("{}/mcp", server.base);
    let evil = post(
        &url,
        initialize_body().to_string(),
        &[("origin", "http://evil.example")],
    )
    .await;
    assert_eq!(evil.status(), 403);
    let local = post(
        &url,
        initialize_body().to_string(),
        &[("origin", "http://localhost:3000")],
    )
    .await;
    assert_eq!(local.status(), 200);
}

#[tokio::test]
async fn mcp_answers_with_and_without_a_trailing_slash() {
    let server = start(HttpOptions::default()).await;
    for path in ["/mcp", "/mcp/"] {
        let url = format!("{}{path}", server.base);
        let response = post(&url, initialize_body().to_string(), &[]).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers().contains_key("mcp-session-id"), "{path}");
    }
    let elsewhere = post(
        &format!("{}/mcp/tools", server.base),
        initialize_body().to_string(),
        &[],
    )
    .await;
    assert_eq!(elsewhere.status(), 404);
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let server = start(HttpOptions::default()).await;
    let padding = "x".repeat(5 * 1024 * 1024);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"padding": padding}})
        .to_string();
    let response = post(&format!("{}/mcp", server.base), body, &[]).await;
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn a_token_guards_mcp_but_not_health() {
    let server = start(HttpOptions {
        auth_token: Some("s3cret-token".into()),
        ..HttpOptions::default()
    })
    .await;
    let url = format!("{}/mcp", server.base);
    let none = post(&url, initialize_body().to_string(), &[]).await;
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    let wrong = post(
        &url,
        initialize_body().to_string(),
        &[("authorization", "Bearer s3cret-tokeN")],
    )
    .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        reqwest::get(format!("{}/health", server.base))
            .await
            .unwrap()
            .status(),
        200
    );

    let client = connect(
        &server.base,
        rmcp::ClientLifecycleMode::Initialize,
        Some("s3cret-token"),
    )
    .await
    .unwrap();
    assert_eq!(sum(&client, 40, 2).await, json!(42));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sessions_each_make_twenty_calls() {
    let server = start(HttpOptions::default()).await;
    let mut tasks = Vec::new();
    for session in 0..200i64 {
        let base = server.base.clone();
        tasks.push(tokio::spawn(async move {
            let client = connect(&base, rmcp::ClientLifecycleMode::Initialize, None)
                .await
                .unwrap();
            for call in 0..20i64 {
                assert_eq!(sum(&client, session, call).await, json!(session + call));
            }
            client
        }));
    }
    let mut clients = Vec::new();
    for task in tasks {
        clients.push(task.await.expect("every session succeeds"));
    }
    assert_eq!(server.sessions.live().await, 200);
}

#[tokio::test]
async fn sessions_over_the_cap_are_refused_and_idle_ones_expire() {
    let options = HttpOptions {
        max_sessions: 3,
        session_idle_timeout: Duration::from_millis(500),
        ..HttpOptions::default()
    };
    let server = start(options).await;
    let url = format!("{}/mcp", server.base);
    for _ in 0..3 {
        let response = post(&url, initialize_body().to_string(), &[]).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key("mcp-session-id"));
    }
    assert_eq!(server.sessions.live().await, 3);
    let refused = post(&url, initialize_body().to_string(), &[]).await;
    assert_eq!(refused.status(), 503);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limit of 3 live sessions"),
        "{body}"
    );

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while server.sessions.live().await > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "idle sessions were not closed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let health: Value = reqwest::get(format!("{}/health", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["sessions"], 0);
    assert_eq!(
        post(&url, initialize_body().to_string(), &[])
            .await
            .status(),
        200,
        "room again after expiry"
    );
}

/// Books a table after asking the user how many guests.
#[tool]
async fn book(ctx: Context) -> mcp_sdk::Result<String> {
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Guests {
        /// How many.
        guests: u8,
    }
    Ok(match ctx.elicit::<Guests>("How many guests?").await? {
        Elicitation::Accepted(form) => format!("booked for {}", form.guests),
        _ => "not booked".into(),
    })
}

/// The time.
#[resource("clock://now")]
async fn clock() -> &'static str {
    "noon"
}

/// Asks the client's model for a word.
#[tool]
async fn word(ctx: Context) -> mcp_sdk::Result<String> {
    Ok(ctx.sample("Say a word").await?.text)
}

/// A client that answers forms with 3 guests and samples with "hello", and passes on the URIs
/// of updated resources.
struct Answering(tokio::sync::mpsc::UnboundedSender<String>);

impl rmcp::ClientHandler for Answering {
    fn get_info(&self) -> rmcp::model::ClientConfig {
        let mut capabilities = rmcp::model::ClientCapabilities::default();
        capabilities.elicitation = Some(Default::default());
        capabilities.sampling = Some(Default::default());
        rmcp::model::ClientConfig::new(capabilities, rmcp::model::Implementation::new("t", "0"))
    }

    async fn create_elicitation(
        &self,
        _request: rmcp::model::ElicitRequestParams,
        _context: rmcp::service::RequestContext<rmcp::RoleClient>,
    ) -> Result<rmcp::model::ElicitResult, rmcp::ErrorData> {
        Ok(
            rmcp::model::ElicitResult::new(rmcp::model::ElicitationAction::Accept)
                .with_content(json!({"guests": 3})),
        )
    }

    async fn on_resource_updated(
        &self,
        params: rmcp::model::ResourceUpdatedNotificationParam,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        let _ = self.0.send(params.uri);
    }

    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        let _ = self.0.send(format!("progress {}", params.progress));
    }

    #[allow(deprecated)]
    async fn create_message(
        &self,
        _params: rmcp::model::CreateMessageRequestParams,
        _context: rmcp::service::RequestContext<rmcp::RoleClient>,
    ) -> Result<rmcp::model::CreateMessageResult, rmcp::ErrorData> {
        let message = rmcp::model::SamplingMessage::assistant_text("hello");
        Ok(rmcp::model::CreateMessageResult::new(message, "m".into()))
    }
}

#[tokio::test]
async fn a_tool_elicits_and_samples_over_http() {
    let handler = Server::new()
        .tool(book)
        .tool(word)
        .resource(clock)
        .build()
        .unwrap();
    let server = HttpServer::bind(
        handler.clone(),
        HttpOptions {
            port: 0,
            ..HttpOptions::default()
        },
    )
    .await
    .unwrap();
    let base = format!("http://{}", server.local_addr());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(server.serve_until(async move {
        let _ = stopped.await;
    }));
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{base}/mcp"));
    let transport = StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
    let (updated_tx, mut updated) = tokio::sync::mpsc::unbounded_channel();
    let client = Answering(updated_tx)
        .serve_with_lifecycle(transport, rmcp::ClientLifecycleMode::Initialize)
        .await
        .unwrap();
    let text = |result: rmcp::model::CallToolResult| mcp_sdk::testing::result_text(&result);
    let booked = client
        .call_tool(CallToolRequestParams::new("book"))
        .await
        .unwrap();
    assert_eq!(text(booked), "booked for 3");
    let said = client
        .call_tool(CallToolRequestParams::new("word"))
        .await
        .unwrap();
    assert_eq!(text(said), "hello");

    let subscribe = rmcp::model::SubscribeRequestParams::new("clock://now");
    #[allow(deprecated)] // resources/subscribe is the 2025-11-25 way; 2026 clients listen.
    client.subscribe(subscribe).await.unwrap();
    assert_eq!(handler.notify_resource_updated("clock://now").await, 1);
    let uri = tokio::time::timeout(Duration::from_secs(5), updated.recv()).await;
    assert_eq!(uri.unwrap().as_deref(), Some("clock://now"));

    // rmcp 3.11: a request the transport could not send says why.
    drop(stop);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let error = client
        .call_tool(CallToolRequestParams::new("word"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, rmcp::ServiceError::TransportSend(_)),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some(), "{error}");
    let message = mcp_sdk::Error::from(error).message();
    assert!(message.contains("error sending request"), "{message}");
}

/// Counts to two, reporting progress at each step.
#[tool]
async fn count(ctx: Context) -> &'static str {
    ctx.progress(1.0, 2.0).await;
    ctx.progress(2.0, 2.0).await;
    "counted"
}

/// `tools/call` of `name` with a progress token, as raw JSON-RPC.
fn call_body(id: i64, name: &str, arguments: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
        "name": name, "arguments": arguments, "_meta": {"progressToken": id}}})
    .to_string()
}

#[tokio::test]
async fn a_plain_answer_is_json_and_a_call_with_progress_streams() {
    for stateless in [false, true] {
        let handler = Server::new().tool(add).tool(count).build().unwrap();
        let options = HttpOptions {
            port: 0,
            stateless,
            ..HttpOptions::default()
        };
        let server = HttpServer::bind(handler, options).await.unwrap();
        let url = format!("http://{}/mcp", server.local_addr());
        let (_stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.serve_until(async move {
            let _ = stopped.await;
        }));

        // Raw HTTP, as a client that accepts both answers sees them.
        let init = post(&url, initialize_body().to_string(), &[]).await;
        assert_eq!(init.status(), 200);
        let session = init
            .headers()
            .get("mcp-session-id")
            .map(|id| id.to_str().unwrap().to_owned());
        assert_eq!(session.is_some(), !stateless);
        let mut headers = vec![("mcp-protocol-version", "2025-11-25")];
        if let Some(session) = &session {
            headers.push(("mcp-session-id", session));
            let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
            post(&url, initialized.to_string(), &headers).await;
        }
        let plain = post(&url, call_body(2, "add", json!({"a": 2, "b": 3})), &headers).await;
        let kind = plain.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(kind, "application/json", "stateless {stateless}");
        let answer: Value = plain.json().await.unwrap();
        assert_eq!(
            answer["result"]["structuredContent"]["result"], 5,
            "{answer}"
        );

        let streamed = post(&url, call_body(3, "count", json!({})), &headers).await;
        let kind = streamed.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            kind.starts_with("text/event-stream"),
            "stateless {stateless}: {kind}"
        );
        let events = streamed.text().await.unwrap();
        let progress = events.find("notifications/progress").expect(&events);
        let result = events.find("counted").expect(&events);
        assert!(
            progress < result,
            "progress comes before the result: {events}"
        );

        // rmcp's client reads both kinds of answer.
        let (progress_tx, mut progress) = tokio::sync::mpsc::unbounded_channel();
        let base = url.trim_end_matches("/mcp");
        let config = StreamableHttpClientTransportConfig::with_uri(format!("{base}/mcp"));
        let transport = StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
        let client = Answering(progress_tx)
            .serve_with_lifecycle(transport, rmcp::ClientLifecycleMode::Initialize)
            .await
            .unwrap();
        assert_eq!(sum(&client, 40, 2).await, json!(42));
        let mut params = CallToolRequestParams::new("count");
        params.meta = Some(rmcp::model::RequestMetaObject::with_progress_token(
            rmcp::model::ProgressToken(rmcp::model::NumberOrString::Number(7)),
        ));
        let counted = client.call_tool(params).await.unwrap();
        assert_eq!(mcp_sdk::testing::result_text(&counted), "counted");
        for step in ["progress 1", "progress 2"] {
            let seen = tokio::time::timeout(Duration::from_secs(5), progress.recv()).await;
            assert_eq!(
                seen.unwrap().as_deref(),
                Some(step),
                "stateless {stateless}"
            );
        }
    }
}
