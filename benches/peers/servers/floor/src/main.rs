//! Not an MCP server: the floor under every HTTP row of the peers bench. `http PORT
//! [--stateless]` answers `initialize` (with a session id unless `--stateless`) and calls of `add`
//! and `echo` with one JSON body each, takes notifications with 202, and checks nothing: no Host,
//! Origin or protocol version, no session lookup, no schema. On the same axum, hyper and Tokio as
//! the servers it sits beside, it shows what the HTTP exchange alone costs on this machine.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::{
    Router,
    body::Bytes,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, stateless) = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["http", port] => (port.to_owned(), false),
        ["http", port, "--stateless"] => (port.to_owned(), true),
        _ => {
            eprintln!("usage: floor_server http PORT [--stateless]");
            std::process::exit(2);
        }
    };
    let router = Router::new().route("/mcp", post(move |body: Bytes| answer(body, stateless)));
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    axum::serve(listener, router).await
}

async fn answer(body: Bytes, stateless: bool) -> Response {
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Some(id) = message.get("id") else {
        return StatusCode::ACCEPTED.into_response();
    };
    let params = &message["params"];
    let (result, opens_session) = match message["method"].as_str() {
        Some("initialize") => (
            json!({
                "protocolVersion": params["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "floor", "version": "0.1.0"},
            }),
            !stateless,
        ),
        Some("tools/call") => {
            let arguments = &params["arguments"];
            let text = match params["name"].as_str() {
                Some("add") => {
                    let sum = arguments["a"].as_i64().unwrap_or_default()
                        + arguments["b"].as_i64().unwrap_or_default();
                    json!({"result": sum}).to_string()
                }
                _ => arguments["message"].as_str().unwrap_or_default().to_owned(),
            };
            (json!({"content": [{"type": "text", "text": text}]}), false)
        }
        _ => (json!({}), false),
    };
    let body = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if opens_session {
        let session = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
        response
            .headers_mut()
            .insert("mcp-session-id", HeaderValue::from(session));
    }
    response
}
