//! The check before install: start the server as the client will (absolute launcher, only the
//! variables a client passes on, a GUI client's bare PATH, an unrelated working folder), complete
//! the handshake and list its tools.
//!
//! It speaks raw JSON-RPC rather than through rmcp's client, which skips lines it cannot parse:
//! here any stdout line that is not JSON-RPC (a banner, a stray print) fails the check, as it
//! breaks stricter clients.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::connect::{ChildGroup, Launch};

/// How long a server may take to answer the handshake and tools/list.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The variables a client passes on to the servers it starts (the official MCP SDKs' default:
/// `getDefaultEnvironment` in the TypeScript one); the entry's `env` comes on top.
const INHERITED: &[&str] = if cfg!(windows) {
    &[
        "APPDATA",
        "HOMEDRIVE",
        "HOMEPATH",
        "LOCALAPPDATA",
        "PATH",
        "PROCESSOR_ARCHITECTURE",
        "SYSTEMDRIVE",
        "SYSTEMROOT",
        "TEMP",
        "USERNAME",
        "USERPROFILE",
        "PROGRAMFILES",
    ]
} else {
    &["HOME", "LOGNAME", "SHELL", "TERM", "USER"]
};

/// The PATH a GUI client gives the servers it starts (macOS launchd's).
const GUI_PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";

/// The protocol revision the check asks for (the one today's desktop clients speak).
const PROTOCOL: &str = "2025-11-25";

/// The names of the server's tools, or why it cannot serve a client (with its stderr).
pub fn check(launch: &Launch) -> Result<Vec<String>, String> {
    let mut command = Command::new(&launch.program);
    command
        .args(&launch.args)
        .env_clear()
        .envs(
            INHERITED
                .iter()
                .filter_map(|var| Some((var, std::env::var_os(var)?))),
        )
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    if cfg!(unix) {
        command.env("PATH", GUI_PATH);
    }
    command.envs(&launch.env);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", launch.display()))?;
    let mut group = ChildGroup::led_by(Some(child.id()));
    let stderr = collect(child.stderr.take().expect("piped"));
    let lines = lines(child.stdout.take().expect("piped"));
    let stdin = child.stdin.take().expect("piped");
    let mut session = Session {
        child,
        stdin,
        lines,
        deadline: Instant::now() + TIMEOUT,
    };
    let outcome = session.run();
    let Session {
        mut child, stdin, ..
    } = session;
    // Closing stdin asks the server to exit; the grace lets it finish writing to stderr.
    drop(stdin);
    let grace = Instant::now() + Duration::from_secs(2);
    while Instant::now() < grace && matches!(child.try_wait(), Ok(None)) {
        thread::sleep(Duration::from_millis(20));
    }
    group.kill();
    let _ = child.kill();
    let _ = child.wait();
    let stderr = stderr.join().unwrap_or_default();
    outcome.map_err(|reason| match stderr.trim() {
        "" => format!(
            "`{}` {reason}; it wrote nothing to stderr",
            launch.display()
        ),
        text => format!(
            "`{}` {reason}\nthe server's stderr:\n{text}",
            launch.display()
        ),
    })
}

struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    deadline: Instant,
}

impl Session {
    fn run(&mut self) -> Result<Vec<String>, String> {
        let init = json!({
            "protocolVersion": PROTOCOL,
            "capabilities": {},
            "clientInfo": {"name": "mcp-create-check", "version": env!("CARGO_PKG_VERSION")},
        });
        self.request(1, "initialize", init)?;
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))?;
        let listed = self.request(2, "tools/list", json!({}))?;
        let tools = listed
            .get("tools")
            .and_then(Value::as_array)
            .ok_or("answered tools/list without a tools array")?;
        Ok(tools
            .iter()
            .filter_map(|t| t.get("name")?.as_str().map(str::to_owned))
            .collect())
    }

    /// Sends a request and waits for its result, refusing any stdout line that is not JSON-RPC.
    fn request(&mut self, id: u64, method: &str, params: Value) -> Result<Value, String> {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "did not answer {method} within {} s",
                        TIMEOUT.as_secs()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.exited(method)),
            };
            if line.trim().is_empty() {
                continue;
            }
            let message: Value = match serde_json::from_str(&line) {
                Ok(message @ Value::Object(_)) if message.get("jsonrpc").is_some() => message,
                _ => {
                    return Err(format!(
                        "wrote to stdout a line that is not JSON-RPC: {:?} (stdout must carry only \
                         the protocol; log to stderr)",
                        truncate(&line)
                    ));
                }
            };
            if message.get("id") != Some(&json!(id)) || message.get("method").is_some() {
                continue; // a notification or a request of the server's own
            }
            if let Some(error) = message.get("error") {
                return Err(format!("answered {method} with an error: {error}"));
            }
            return Ok(message.get("result").cloned().unwrap_or(Value::Null));
        }
    }

    fn send(&mut self, message: &Value) -> Result<(), String> {
        let mut line = message.to_string();
        line.push('\n');
        let sent = self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|()| self.stdin.flush());
        sent.map_err(|_| self.exited("the handshake"))
    }

    fn exited(&mut self, during: &str) -> String {
        let waited = Instant::now() + Duration::from_secs(2);
        while Instant::now() < waited {
            if let Ok(Some(status)) = self.child.try_wait() {
                return format!("exited ({status}) before answering {during}");
            }
            thread::sleep(Duration::from_millis(20));
        }
        format!("closed its stdout before answering {during}")
    }
}

fn truncate(line: &str) -> String {
    line.chars().take(200).collect()
}

/// Each line of `stdout`, sent as it arrives.
fn lines(stdout: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Everything `stderr` writes (the last 16 KiB), once it closes.
fn collect(mut stderr: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(read) = stderr.read(&mut buffer) {
            if read == 0 {
                break;
            }
            kept.extend_from_slice(&buffer[..read]);
            let excess = kept.len().saturating_sub(16 * 1024);
            kept.drain(..excess);
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}
