//! The front's client side over streamable HTTP at `/mcp`: one session at a time, on 127.0.0.1,
//! with the `Host` and `Origin` checks of the SDK's HTTP servers. A request is answered in its
//! POST's body (`application/json`); everything else the front says (notifications, a child's
//! requests) goes on the session's `GET` event stream, kept until the client opens one.
//! A new `initialize` replaces the session (a restarted client), and the front answers it.

use std::collections::HashMap;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

use super::DevError;
use super::front::ClientIo;

const SESSION: &str = "mcp-session-id";
/// The messages kept for a session whose event stream is not open yet.
const BACKLOG: usize = 256;

/// Binds 127.0.0.1:`port` and serves the front's client side there, until SIGINT or SIGTERM.
pub async fn serve(port: u16) -> Result<(ClientIo, SocketAddr), DevError> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        DevError::Io(format!(
            "cannot listen on {address}: {e}; choose another port with --port"
        ))
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| DevError::Io(e.to_string()))?;
    let (to_front, input) = unbounded_channel();
    let (output, from_front) = unbounded_channel();
    let bridge = Arc::new(Bridge {
        to_front,
        session: Mutex::default(),
    });
    tokio::spawn(dispatch(bridge.clone(), from_front));
    let router = Router::new()
        .route("/mcp", post(on_post).get(on_get).delete(on_delete))
        .with_state(bridge);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    // The front stops on a signal as it does when stdin closes.
    let (stop, input) = until_signal(input);
    tokio::spawn(stop);
    Ok((ClientIo { input, output }, address))
}

/// The receiving end, closed on SIGINT or SIGTERM.
fn until_signal(
    mut input: UnboundedReceiver<Value>,
) -> (impl Future<Output = ()>, UnboundedReceiver<Value>) {
    let (sender, receiver) = unbounded_channel();
    let relay = async move {
        tokio::select! {
            () = shutdown_signal() => {}
            () = async {
                while let Some(message) = input.recv().await {
                    if sender.send(message).is_err() {
                        break;
                    }
                }
            } => {}
        }
    };
    (relay, receiver)
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
}

struct Bridge {
    to_front: UnboundedSender<Value>,
    session: Mutex<Session>,
}

#[derive(Default)]
struct Session {
    id: Option<String>,
    /// The POSTs waiting for their answer, by the request's id (as JSON text).
    waiting: HashMap<String, oneshot::Sender<String>>,
    stream: Option<UnboundedSender<String>>,
    backlog: Vec<String>,
}

/// Routes what the front says: an answer to its POST, the rest to the event stream.
async fn dispatch(bridge: Arc<Bridge>, mut from_front: UnboundedReceiver<String>) {
    while let Some(line) = from_front.recv().await {
        let message: Value = serde_json::from_str(&line).unwrap_or_default();
        let mut session = bridge.session.lock().expect("not poisoned");
        let mut line = line;
        if message.get("method").is_none()
            && let Some(waiter) = session.waiting.remove(&message["id"].to_string())
        {
            match waiter.send(line) {
                Ok(()) => continue,
                Err(unsent) => line = unsent, // the client gave up on the POST
            }
        }
        if let Some(stream) = &session.stream {
            match stream.send(line) {
                Ok(()) => continue,
                Err(unsent) => line = unsent.0,
            }
            session.stream = None;
        }
        if session.id.is_some() && session.backlog.len() < BACKLOG {
            session.backlog.push(line);
        }
    }
}

async fn on_post(State(bridge): State<Arc<Bridge>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = check_origin(&headers) {
        return refused;
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return refused(
            StatusCode::BAD_REQUEST,
            "the body is not one JSON-RPC message",
        );
    };
    if !message.is_object() {
        return refused(
            StatusCode::BAD_REQUEST,
            "send one JSON-RPC message per POST (batches are not supported)",
        );
    }
    let initialize = message["method"] == "initialize";
    let answer = {
        let mut session = bridge.session.lock().expect("not poisoned");
        if initialize {
            *session = Session {
                id: Some(new_session_id()),
                ..Session::default()
            };
        } else if let Some(refused) = check_session(&session, &headers) {
            return refused;
        }
        let answer = (message.get("method").is_some() && message.get("id").is_some()).then(|| {
            let (sender, receiver) = oneshot::channel();
            session.waiting.insert(message["id"].to_string(), sender);
            receiver
        });
        let _ = bridge.to_front.send(message);
        answer.map(|receiver| (receiver, session.id.clone().unwrap_or_default()))
    };
    let Some((receiver, id)) = answer else {
        return StatusCode::ACCEPTED.into_response();
    };
    match receiver.await {
        Ok(line) => {
            let mut response = (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                line,
            )
                .into_response();
            if initialize && let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(SESSION, value);
            }
            response
        }
        Err(_) => refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "the dev front is shutting down",
        ),
    }
}

/// The session's event stream; a new GET replaces the previous one.
async fn on_get(State(bridge): State<Arc<Bridge>>, headers: HeaderMap) -> Response {
    if let Some(refused) = check_origin(&headers) {
        return refused;
    }
    let (sender, receiver) = unbounded_channel::<String>();
    {
        let mut session = bridge.session.lock().expect("not poisoned");
        if let Some(refused) = check_session(&session, &headers) {
            return refused;
        }
        for line in session.backlog.drain(..) {
            let _ = sender.send(line);
        }
        session.stream = Some(sender);
    }
    let events = futures::stream::unfold(receiver, |mut receiver| async move {
        let line = receiver.recv().await?;
        let event = Bytes::from(format!("event: message\ndata: {line}\n\n"));
        Some((Ok::<_, std::convert::Infallible>(event), receiver))
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(events),
    )
        .into_response()
}

async fn on_delete(State(bridge): State<Arc<Bridge>>, headers: HeaderMap) -> Response {
    if let Some(refused) = check_origin(&headers) {
        return refused;
    }
    let mut session = bridge.session.lock().expect("not poisoned");
    if let Some(refused) = check_session(&session, &headers) {
        return refused;
    }
    *session = Session::default();
    StatusCode::OK.into_response()
}

/// The session header must name the open session: missing is 400, another one 404.
fn check_session(session: &Session, headers: &HeaderMap) -> Option<Response> {
    let given = headers.get(SESSION).and_then(|v| v.to_str().ok());
    match (given, &session.id) {
        (None, _) => Some(refused(
            StatusCode::BAD_REQUEST,
            "no Mcp-Session-Id header: send initialize first",
        )),
        (Some(given), Some(id)) if given == id => None,
        _ => Some(refused(
            StatusCode::NOT_FOUND,
            "this session ended (another client connected, or it was closed): initialize again",
        )),
    }
}

/// DNS rebinding protection: `Host` must be a loopback name, `Origin` (browsers) too.
fn check_origin(headers: &HeaderMap) -> Option<Response> {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !is_loopback(host) {
        return Some(refused(
            StatusCode::FORBIDDEN,
            &format!("Host `{host}` is not accepted: the dev front answers on loopback only"),
        ));
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if let Some(origin) = origin {
        let host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if !host.is_some_and(is_loopback) {
            return Some(refused(
                StatusCode::FORBIDDEN,
                &format!(
                    "Origin `{origin}` is not accepted: the dev front answers on loopback only"
                ),
            ));
        }
    }
    None
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// 128 random bits, in hex.
fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(mut random) = std::fs::File::open("/dev/urandom") {
        let _ = random.read_exact(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(status: StatusCode, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32000, "message": message}});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_loopback_hosts_are_accepted() {
        for host in ["localhost", "127.0.0.1:8000", "[::1]:9", "localhost:1"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:8000",
            "127.0.0.1.evil:80",
            "[::2]",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
