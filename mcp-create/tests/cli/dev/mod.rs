//! `mcp-create dev`: a real rmcp client connected through the front (stdio, or streamable HTTP)
//! to a Python fixture server (mini_mcp.py, no packages needed); the source is edited while
//! connected.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rmcp::model::CallToolRequestParams;
use serde_json::json;

use crate::support::Sandbox;
use crate::support::dev::{self, Dev};
use crate::support::require::python3 as require_python;
use crate::support::servers::fixtures;

/// The fixture server: `version` answers VERSION, `slow` answers it after two seconds; `extra`
/// is more Python (another tool, a sleep at start, a syntax error).
fn server(version: &str, extra_tools: &str, before: &str) -> String {
    format!(
        r#"import time
from mini_mcp import schema, serve, text
{before}
VERSION = "{version}"
serve("devtoy", [
    {{"name": "version", "description": "Which version answers.", "inputSchema": schema(),
     "handler": lambda a: text(VERSION)}},
    {{"name": "slow", "description": "Answers after two seconds.", "inputSchema": schema(),
     "handler": lambda a: (time.sleep(2), text(VERSION))[1]}},
{extra_tools}])
"#
    )
}

const PING: &str = r#"    {"name": "ping", "description": "Answers pong.", "inputSchema": schema(),
     "handler": lambda a: text("pong")},
"#;

/// A sandbox with a project folder holding mini_mcp.py and server.py (version v1).
fn project(sandbox: &Sandbox) -> PathBuf {
    require_python();
    let dir = sandbox.base.join("devtoy");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(fixtures().join("mini_mcp.py"), dir.join("mini_mcp.py")).unwrap();
    fs::write(dir.join("server.py"), server("v1", "", "")).unwrap();
    dir
}

/// `--project DIR -- python3 server.py`, and more arguments before `--`.
fn project_args<'a>(dir: &'a Path, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--project", dir.to_str().unwrap()];
    args.extend(more);
    args.extend(["--", "python3", "server.py"]);
    args
}

fn edit(dir: &Path, text: String) {
    fs::write(dir.join("server.py"), text).unwrap();
}

/// Acceptance 1 (and 4 over HTTP): list, edit while connected, list_changed, call the new tool.
async fn reloads_on_the_same_session(dev: Dev, dir: &Path) {
    assert_eq!(dev.tool_names().await, ["version", "slow"]);
    assert_eq!(dev.call("version").await, "v1");

    let saved = std::time::Instant::now();
    edit(dir, server("v2", PING, ""));
    dev.list_changed(20, "adding ping").await;
    eprintln!(
        "edit to tools/list_changed: {} ms",
        saved.elapsed().as_millis()
    );
    assert_eq!(dev.tool_names().await, ["version", "slow", "ping"]);
    assert_eq!(dev.call("ping").await, "pong");
    assert_eq!(dev.call("version").await, "v2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_reloads_an_edited_python_server_on_the_same_connection() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dev = dev::stdio(&project_args(&dir, &[]), &sandbox.envs()).await;
    reloads_on_the_same_session(dev, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_over_http_reloads_an_edited_python_server_in_the_same_session() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dev = dev::http(&project_args(&dir, &[]), &sandbox.envs()).await;
    // DNS rebinding protection, as the SDK's HTTP servers have it.
    let port = dev.port.unwrap();
    for (header, status) in [
        ("Host: evil.example", "403"),
        ("Host: 127.0.0.1\r\nOrigin: http://evil.example", "403"),
        (&*format!("Host: localhost:{port}"), "400"),
    ] {
        let answer = raw_get(port, header);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{header}: {answer}"
        );
    }
    reloads_on_the_same_session(dev, &dir).await;
}

/// `GET /mcp` with `headers`; the whole answer.
fn raw_get(port: u16, headers: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /mcp HTTP/1.1\r\n{headers}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_keeps_the_old_server_on_a_syntax_error_and_reloads_once_fixed() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    sandbox.register(
        "devtoy",
        json!({"command": "python3", "args": ["server.py"], "path": dir}),
    );
    let dev = dev::stdio(&["devtoy"], &sandbox.envs()).await;
    assert_eq!(dev.call("version").await, "v1");

    edit(&dir, server("v2", PING, "def broken(:"));
    let log = sandbox.runtime.join("devtoy.log");
    let mut waited = 0;
    while !fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("SyntaxError")
    {
        assert!(
            waited < 200,
            "no SyntaxError in {} within 20 s",
            log.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(
        dev.call("version").await,
        "v1",
        "the old server keeps answering"
    );
    assert_eq!(dev.tool_names().await, ["version", "slow"]);
    let errors = dev.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("reload failed") && e.contains("SyntaxError")),
        "the client was told: {errors:?}"
    );
    let logs = sandbox.ok(&["logs", "devtoy"]);
    assert!(
        logs.contains("SyntaxError"),
        "mcp-create logs shows:\n{logs}"
    );

    edit(&dir, server("v2", PING, ""));
    dev.list_changed(20, "fixing the syntax error").await;
    assert_eq!(dev.call("ping").await, "pong");
}

/// Acceptance 3: a call made during the rebuild waits for the new child; one in flight is
/// answered by the old one.
async fn answers_during_a_reload(dev: Dev, dir: &Path) {
    let dev = Arc::new(dev);
    let in_flight = tokio::spawn({
        let dev = dev.clone();
        async move { dev.call("slow").await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The new version takes two seconds to start: a call made meanwhile waits for it.
    edit(dir, server("v2", PING, "time.sleep(2)"));
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        dev.call("version").await,
        "v2",
        "answered by the new server"
    );
    assert_eq!(in_flight.await.unwrap(), "v1", "answered by the old server");
    dev.list_changed(20, "the reload").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_answers_calls_during_a_reload_from_the_new_server_and_in_flight_ones_from_the_old() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dev = dev::stdio(&project_args(&dir, &[]), &sandbox.envs()).await;
    answers_during_a_reload(dev, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_over_http_answers_calls_during_a_reload_from_the_new_server_and_in_flight_ones_from_the_old()
 {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dev = dev::http(&project_args(&dir, &[]), &sandbox.envs()).await;
    answers_during_a_reload(dev, &dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_answers_a_call_that_waited_too_long_for_a_reload_with_a_clear_error() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let args = project_args(&dir, &["--wait", "1"]);
    let dev = dev::stdio(&args, &sandbox.envs()).await;
    edit(&dir, server("v2", PING, "time.sleep(3)"));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let refused = dev
        .client
        .call_tool(CallToolRequestParams::new("version"))
        .await
        .expect_err("the reload takes longer than --wait");
    assert!(
        refused
            .to_string()
            .contains("being rebuilt and was not ready within 1 s"),
        "{refused}"
    );
    dev.list_changed(20, "the slow reload").await;
    assert_eq!(dev.call("version").await, "v2");
}

#[test]
fn dev_over_http_without_a_port_says_how_to_give_one() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let mut args = vec!["dev", "--transport", "http"];
    args.extend(project_args(&dir, &[]));
    let run = sandbox.run(&args);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("--port PORT"), "{}", run.stderr);
}
