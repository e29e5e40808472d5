//! The stdout check of stdio servers: spawn the server ourselves, say `initialize` and
//! `tools/list`, and read its stdout line by line: every line must be a JSON-RPC message.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::process;
use crate::connect::{ChildGroup, Launch};

/// Runs the exchange; Ok with how many messages came, or what was wrong (the first bad line).
pub fn stdout_is_json_rpc(launch: &Launch, timeout: Duration) -> Result<usize, String> {
    let mut child = process::command(launch)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", launch.display()))?;
    let mut group = ChildGroup::led_by(Some(child.id()));
    let result = exchange(&mut child, timeout);
    group.kill();
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn exchange(child: &mut std::process::Child, timeout: Duration) -> Result<usize, String> {
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let send = |stdin: &mut std::process::ChildStdin, message: Value| {
        writeln!(stdin, "{message}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("cannot write to its stdin: {e}"))
    };
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "mcp-create-test", "version": env!("CARGO_PKG_VERSION")}}});
    send(&mut stdin, initialize)?;
    let deadline = Instant::now() + timeout;
    let mut count = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match received.recv_timeout(left) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(format!("cannot read its stdout: {e}")),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "no answer on stdout within {} s after {count} messages",
                    timeout.as_secs()
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(format!("it closed stdout (exited?) after {count} messages"));
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let message: Value = serde_json::from_str(&line)
            .ok()
            .filter(|m: &Value| m.get("jsonrpc") == Some(&json!("2.0")))
            .ok_or_else(|| {
                let shown: String = line.chars().take(120).collect();
                format!(
                    "stdout line {} is not JSON-RPC: {shown:?} (logs belong on stderr)",
                    count + 1
                )
            })?;
        count += 1;
        match message.get("id") {
            Some(id) if *id == json!(1) => {
                send(
                    &mut stdin,
                    json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
                )?;
                send(
                    &mut stdin,
                    json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}),
                )?;
            }
            Some(id) if *id == json!(2) => return Ok(count),
            _ => {}
        }
    }
}
