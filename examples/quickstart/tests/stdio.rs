//! The example server as a child process over stdio, the way MCP clients run it.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
};

use rmcp::{
    ServiceExt,
    model::CallToolRequestParams,
    transport::{ConfigureCommandExt, TokioChildProcess},
};
use serde_json::{Value, json};

const SERVER: &str = env!("CARGO_BIN_EXE_quickstart");

#[tokio::test]
async fn a_real_rmcp_client_lists_and_calls_tools() {
    let transport = TokioChildProcess::new(tokio::process::Command::new(SERVER).configure(|cmd| {
        cmd.stderr(Stdio::null());
    }))
    .expect("the server spawns");
    let client = ().serve(transport).await.expect("the handshake completes");

    let info = client
        .peer_info()
        .and_then(|info| info.server_info.clone())
        .expect("serverInfo");
    assert_eq!(
        info.name, "quickstart",
        "serverInfo names the example crate, not rmcp"
    );
    assert_eq!(
        info.version, "0.3.1",
        "serverInfo has the example crate's version"
    );

    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    assert_eq!(names, ["add", "count", "greet"]);

    let args = json!({"name": "Ada", "excited": true})
        .as_object()
        .cloned()
        .unwrap();
    let result = client
        .call_tool(CallToolRequestParams::new("greet").with_arguments(args))
        .await
        .unwrap();
    assert_eq!(result.content[0].as_text().unwrap().text, "Hello, Ada!");

    let args = json!({"a": 40, "b": 2}).as_object().cloned().unwrap();
    let result = client
        .call_tool(CallToolRequestParams::new("add").with_arguments(args))
        .await
        .unwrap();
    assert_eq!(result.structured_content, Some(json!({"result": 42})));
    client.cancel().await.unwrap();
}

/// Runs the server with `lines` on stdin, then closes stdin; returns exit code, stdout and stderr.
fn run_with_input(lines: &[Value]) -> (Option<i32>, String, String) {
    let mut child = Command::new(SERVER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("RUST_BACKTRACE", "1")
        .spawn()
        .expect("the server spawns");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut out = String::new();
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
        let Some(id) = line.get("id") else { continue };
        // Wait for the answer before sending more, like a client that awaits each response.
        loop {
            let mut message = String::new();
            assert!(
                stdout.read_line(&mut message).unwrap() > 0,
                "stdout closed before answering {id}"
            );
            out.push_str(&message);
            if serde_json::from_str::<Value>(&message).is_ok_and(|m| m.get("id") == Some(id)) {
                break;
            }
        }
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    out.push_str(&String::from_utf8(output.stdout).unwrap());
    (
        output.status.code(),
        out,
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn stdout_carries_only_json_rpc_and_closing_stdin_exits_cleanly() {
    let (code, stdout, stderr) = run_with_input(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "count", "arguments": {"to": 3, "step_ms": 1}}}),
    ]);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    let messages: Vec<Value> = stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON on stdout ({e}): {line:?}"))
        })
        .collect();
    assert!(messages.iter().all(|m| m["jsonrpc"] == "2.0"), "{stdout}");
    assert_eq!(
        messages.iter().filter(|m| m.get("id").is_some()).count(),
        3,
        "{stdout}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
}

#[test]
fn closing_stdin_before_initialize_exits_cleanly() {
    let (code, stdout, stderr) = run_with_input(&[]);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    assert_eq!(stdout, "");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
}

/// The server's stderr when it starts with `RUST_LOG=rust_log` and stdin already closed.
fn stderr_with_rust_log(rust_log: &str) -> String {
    let output = Command::new(SERVER)
        .stdin(Stdio::null())
        .env("RUST_LOG", rust_log)
        .output()
        .expect("the server runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn rust_log_picks_levels_per_target_and_a_filter_it_cannot_read_is_named() {
    const CLOSED: &str = "the client closed stdin before initializing";
    assert!(stderr_with_rust_log("info").contains(CLOSED));
    assert!(
        stderr_with_rust_log("").contains(CLOSED),
        "empty is the default"
    );
    assert!(stderr_with_rust_log("warn,mcp_sdk=info").contains(CLOSED));
    assert!(!stderr_with_rust_log("info,mcp_sdk=warn").contains(CLOSED));
    let unreadable = stderr_with_rust_log("mcp_sdk[{x=1}]=info");
    assert!(
        unreadable.contains("RUST_LOG is not a level and `target=level` pairs")
            && unreadable.contains(CLOSED),
        "{unreadable}"
    );
}
