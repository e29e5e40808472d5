//! A tool that elicits, a tool that samples and a resource that changes, against rmcp's client
//! over stdio (this test binary, spawned with `serve`) and over streamable HTTP, in both protocol
//! eras: 2025-11-25 (requests to the client, `resources/subscribe`) and 2026-07-28 (input_required
//! rounds, `subscriptions/listen`). No libtest harness, so the spawned copy can own stdout.
#![deny(warnings, missing_docs)]
#![allow(deprecated)] // Sampling and resources/subscribe are deprecated but what 2025 clients use.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use mcp_sdk::{HttpOptions, HttpServer, prelude::*, testing::Protocol};
use rmcp::{
    ClientHandler, ClientServiceExt, ErrorData, RoleClient,
    model::{
        CallToolRequestParams, ClientCapabilities, ClientConfig, CreateMessageRequestParams,
        CreateMessageResult, ElicitRequestParams, ElicitResult, ElicitationAction, Implementation,
        ReadResourceRequestParams, ResourceContents, ResourceUpdatedNotificationParam,
        SamplingMessage, ServerNotification, SubscriptionFilter,
    },
    service::{NotificationContext, RequestContext, RunningService},
    transport::{
        StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use serde_json::json;
use tokio::sync::mpsc;

const NOTE: &str = "note://current";

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

/// Asks the client's model for a word.
#[tool]
async fn word(ctx: Context) -> mcp_sdk::Result<String> {
    Ok(ctx.sample("Say a word").await?.text)
}

/// Edits of the note so far.
static EDITS: AtomicUsize = AtomicUsize::new(0);

/// The note: which edit it is at.
#[resource("note://current")]
async fn note() -> String {
    format!("edit {}", EDITS.load(Ordering::SeqCst))
}

/// Edits the note; subscribers hear of it. Returns how many were told.
#[tool]
async fn edit(ctx: Context) -> usize {
    EDITS.fetch_add(1, Ordering::SeqCst);
    ctx.notify_resource_updated(NOTE).await
}

fn server() -> Server {
    Server::new()
        .tool(book)
        .tool(word)
        .tool(edit)
        .resource(note)
}

/// A client that fills in forms with 3 guests, answers "hello" from its model, and passes on
/// the URIs of updated resources (2025 subscriptions).
struct Answering(mpsc::UnboundedSender<String>);

impl ClientHandler for Answering {
    fn get_info(&self) -> ClientConfig {
        let mut capabilities = ClientCapabilities::default();
        capabilities.elicitation = Some(Default::default());
        capabilities.sampling = Some(Default::default());
        ClientConfig::new(capabilities, Implementation::new("real-client", "0"))
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        let asked = serde_json::to_value(&request).unwrap();
        assert_eq!(asked["message"], "How many guests?");
        Ok(ElicitResult::new(ElicitationAction::Accept).with_content(json!({"guests": 3})))
    }

    async fn create_message(
        &self,
        _params: CreateMessageRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<CreateMessageResult, ErrorData> {
        let message = SamplingMessage::assistant_text("hello");
        Ok(CreateMessageResult::new(message, "m".into()))
    }

    async fn on_resource_updated(
        &self,
        params: ResourceUpdatedNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        let _ = self.0.send(params.uri);
    }
}

type Client = RunningService<RoleClient, Answering>;

/// The three features, as a user of `client` sees them.
async fn check(client: Client, mut updated: mpsc::UnboundedReceiver<String>, protocol: Protocol) {
    let call = async |name: &str| {
        let result = client.call_tool(CallToolRequestParams::new(name.to_owned()));
        mcp_sdk::testing::result_text(&result.await.unwrap())
    };
    assert_eq!(call("book").await, "booked for 3");
    assert_eq!(call("word").await, "hello");

    let heard = match protocol {
        Protocol::Initialize2025 => {
            let subscribe = client.subscribe(rmcp::model::SubscribeRequestParams::new(NOTE));
            subscribe.await.unwrap();
            assert_eq!(call("edit").await, "1", "subscribers told");
            let uri = tokio::time::timeout(Duration::from_secs(5), updated.recv()).await;
            uri.unwrap().unwrap()
        }
        _ => {
            let filter = SubscriptionFilter::builder().resource_subscriptions([NOTE]);
            let mut listen = client.listen(filter.build()).await.unwrap();
            assert_eq!(call("edit").await, "1", "listeners told");
            let next = tokio::time::timeout(Duration::from_secs(5), listen.next()).await;
            match next.unwrap().unwrap() {
                Some(ServerNotification::ResourceUpdatedNotification(n)) => n.params.uri,
                other => panic!("expected resources/updated, got {other:?}"),
            }
        }
    };
    assert_eq!(heard, NOTE);
    let read = client.read_resource(ReadResourceRequestParams::new(NOTE));
    let Some(ResourceContents::TextResourceContents { text, .. }) =
        read.await.unwrap().contents.into_iter().next()
    else {
        panic!("the note has no text");
    };
    assert!(text.starts_with("edit "), "{text}");
    assert_ne!(text, "edit 0", "the read sees the edit");
    client.cancel().await.unwrap();
}

async fn over_stdio(protocol: Protocol) {
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .arg("serve")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let io = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let (tx, updated) = mpsc::unbounded_channel();
    let client = Answering(tx).serve_with_lifecycle(io, protocol.lifecycle());
    check(client.await.unwrap(), updated, protocol).await;
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    assert!(
        status.unwrap().unwrap().success(),
        "the server exits cleanly"
    );
}

async fn over_http(base: &str, protocol: Protocol) {
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{base}/mcp"));
    let transport = StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
    let (tx, updated) = mpsc::unbounded_channel();
    let client = Answering(tx).serve_with_lifecycle(transport, protocol.lifecycle());
    check(client.await.unwrap(), updated, protocol).await;
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if args.get(1).map(String::as_str) == Some("serve") {
        let handler = server().build().unwrap();
        runtime.block_on(mcp_sdk::serve_stdio(handler)).unwrap();
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("real_clients: test");
        return;
    }
    // As libtest would: skip when filtered out (`cargo test -- other_name`) or asked for ignored.
    let filters: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let filtered_out = !filters.is_empty() && !filters.iter().any(|f| "real_clients".contains(*f));
    if filtered_out || args.iter().any(|a| a == "--ignored") {
        return;
    }
    runtime.block_on(async {
        let options = HttpOptions {
            port: 0,
            ..HttpOptions::default()
        };
        let http = HttpServer::bind(server().build().unwrap(), options)
            .await
            .unwrap();
        let base = format!("http://{}", http.local_addr());
        tokio::spawn(http.serve_until(std::future::pending()));
        for protocol in [Protocol::Initialize2025, Protocol::Stateless2026] {
            over_stdio(protocol).await;
            println!("test stdio {protocol:?} ... ok");
            over_http(&base, protocol).await;
            println!("test http {protocol:?} ... ok");
        }
    });
}
