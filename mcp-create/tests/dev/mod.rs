//! `mcp-create dev`: a real rmcp client connected through the front to a Python fixture server
//! (mini_mcp.py, no packages needed); the source is edited while connected.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[allow(deprecated)]
use rmcp::model::{CallToolRequestParams, LoggingMessageNotificationParam};
use rmcp::service::{NotificationContext, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::json;
use tokio::sync::Notify;

use crate::support::Sandbox;
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

/// What the client heard from the front.
#[derive(Clone, Default)]
struct Heard {
    tools_changed: Arc<Notify>,
    errors: Arc<Mutex<Vec<String>>>,
}

// Logging is deprecated in the newest revision, but it is how 2025-11-25 clients hear errors.
#[allow(deprecated)]
impl ClientHandler for Heard {
    async fn on_tool_list_changed(&self, _: NotificationContext<RoleClient>) {
        self.tools_changed.notify_one();
    }

    async fn on_logging_message(
        &self,
        params: LoggingMessageNotificationParam,
        _: NotificationContext<RoleClient>,
    ) {
        self.errors.lock().unwrap().push(params.data.to_string());
    }
}

/// A sandbox with a project folder holding mini_mcp.py and server.py (version v1).
fn project(sandbox: &Sandbox) -> PathBuf {
    require_python();
    let dir = sandbox.base.join("devtoy");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(fixtures().join("mini_mcp.py"), dir.join("mini_mcp.py")).unwrap();
    fs::write(dir.join("server.py"), server("v1", "", "")).unwrap();
    dir
}

/// Connects an rmcp client through `mcp-create dev ARGS`.
async fn connect(sandbox: &Sandbox, args: &[&str]) -> (RunningService<RoleClient, Heard>, Heard) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-create"));
    command.arg("dev").args(args).envs(sandbox.envs());
    let transport = TokioChildProcess::new(command).unwrap();
    let heard = Heard::default();
    let client = heard
        .clone()
        .serve(transport)
        .await
        .expect("handshake through dev");
    (client, heard)
}

async fn call(client: &RunningService<RoleClient, Heard>, tool: &str) -> String {
    let result = client
        .call_tool(CallToolRequestParams::new(tool.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("calling {tool}: {e}"));
    let value = serde_json::to_value(&result.content).unwrap();
    value[0]["text"].as_str().unwrap_or_default().to_owned()
}

async fn tool_names(client: &RunningService<RoleClient, Heard>) -> Vec<String> {
    let tools = client.list_all_tools().await.unwrap();
    tools.into_iter().map(|t| t.name.into_owned()).collect()
}

async fn list_changed(heard: &Heard, what: &str) {
    tokio::time::timeout(Duration::from_secs(20), heard.tools_changed.notified())
        .await
        .unwrap_or_else(|_| panic!("no tools/list_changed within 20 s after {what}"));
}

fn edit(dir: &Path, text: String) {
    fs::write(dir.join("server.py"), text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_reloads_an_edited_python_server_on_the_same_connection() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dir_arg = dir.to_str().unwrap();
    let (client, heard) = connect(
        &sandbox,
        &["--project", dir_arg, "--", "python3", "server.py"],
    )
    .await;
    assert_eq!(tool_names(&client).await, ["version", "slow"]);
    assert_eq!(call(&client, "version").await, "v1");

    let saved = std::time::Instant::now();
    edit(&dir, server("v2", PING, ""));
    list_changed(&heard, "adding ping").await;
    eprintln!(
        "edit to tools/list_changed: {} ms",
        saved.elapsed().as_millis()
    );
    assert_eq!(tool_names(&client).await, ["version", "slow", "ping"]);
    assert_eq!(call(&client, "ping").await, "pong");
    assert_eq!(call(&client, "version").await, "v2");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_keeps_the_old_server_on_a_syntax_error_and_reloads_once_fixed() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    sandbox.register(
        "devtoy",
        json!({"command": "python3", "args": ["server.py"], "path": dir}),
    );
    let (client, heard) = connect(&sandbox, &["devtoy"]).await;
    assert_eq!(call(&client, "version").await, "v1");

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
        call(&client, "version").await,
        "v1",
        "the old server keeps answering"
    );
    assert_eq!(tool_names(&client).await, ["version", "slow"]);
    let errors = heard.errors.lock().unwrap().clone();
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
    list_changed(&heard, "fixing the syntax error").await;
    assert_eq!(call(&client, "ping").await, "pong");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_answers_calls_during_a_reload_from_the_new_server_and_in_flight_ones_from_the_old() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dir_arg = dir.to_str().unwrap();
    let (client, heard) = connect(
        &sandbox,
        &["--project", dir_arg, "--", "python3", "server.py"],
    )
    .await;
    let client = Arc::new(client);
    let in_flight = tokio::spawn({
        let client = client.clone();
        async move { call(&client, "slow").await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The new version takes two seconds to start: a call made meanwhile waits for it.
    edit(&dir, server("v2", PING, "time.sleep(2)"));
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        call(&client, "version").await,
        "v2",
        "answered by the new server"
    );
    assert_eq!(in_flight.await.unwrap(), "v1", "answered by the old server");
    list_changed(&heard, "the reload").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_answers_a_call_that_waited_too_long_for_a_reload_with_a_clear_error() {
    let sandbox = Sandbox::new();
    let dir = project(&sandbox);
    let dir_arg = dir.to_str().unwrap();
    let args = [
        "--project",
        dir_arg,
        "--wait",
        "1",
        "--",
        "python3",
        "server.py",
    ];
    let (client, heard) = connect(&sandbox, &args).await;
    edit(&dir, server("v2", PING, "time.sleep(3)"));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let refused = client
        .call_tool(CallToolRequestParams::new("version"))
        .await
        .expect_err("the reload takes longer than --wait");
    assert!(
        refused
            .to_string()
            .contains("being rebuilt and was not ready within 1 s"),
        "{refused}"
    );
    list_changed(&heard, "the slow reload").await;
    assert_eq!(call(&client, "version").await, "v2");
}
