//! A real rmcp client connected through `mcp-create dev` (stdio, or streamable HTTP with
//! `--transport http`), what it heard from the front, and the calls the dev tests make.

use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[allow(deprecated)]
use rmcp::model::{CallToolRequestParams, LoggingMessageNotificationParam};
use rmcp::service::{NotificationContext, RunningService};
use rmcp::transport::{StreamableHttpClientTransport, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use tokio::sync::Notify;

use super::common::block_on;

/// What the client heard from the front.
#[derive(Clone, Default)]
pub struct Heard {
    pub tools_changed: Arc<Notify>,
    pub errors: Arc<Mutex<Vec<String>>>,
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

/// A client session through `mcp-create dev`; over HTTP, the front is stopped (SIGTERM, so it
/// stops its child) on drop.
pub struct Dev {
    pub client: RunningService<RoleClient, Heard>,
    pub heard: Heard,
    /// The HTTP front's port.
    pub port: Option<u16>,
    front: Option<Child>,
}

/// Connects over stdio to `mcp-create dev ARGS`, run with `envs`.
pub async fn stdio(args: &[&str], envs: &[(&str, OsString)]) -> Dev {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-create"));
    command.arg("dev").args(args).envs(envs.iter().cloned());
    let transport = TokioChildProcess::new(command).unwrap();
    let heard = Heard::default();
    let client = heard
        .clone()
        .serve(transport)
        .await
        .expect("handshake through dev");
    Dev {
        client,
        heard,
        port: None,
        front: None,
    }
}

/// Starts `mcp-create dev --transport http --port PORT ARGS` with `envs` and connects rmcp's
/// streamable HTTP client to it.
pub async fn http(args: &[&str], envs: &[(&str, OsString)]) -> Dev {
    let port = super::free_port();
    let front = Command::new(env!("CARGO_BIN_EXE_mcp-create"))
        .arg("dev")
        .args(["--transport", "http", "--port", &port.to_string()])
        .args(args)
        .envs(envs.iter().cloned())
        .stdin(Stdio::null())
        .spawn()
        .expect("mcp-create dev starts");
    let mut front = Some(front);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        let status = front.as_mut().unwrap().try_wait().unwrap();
        assert!(status.is_none(), "mcp-create dev exited: {status:?}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the dev front did not listen on port {port} within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let transport = StreamableHttpClientTransport::from_uri(format!("http://127.0.0.1:{port}/mcp"));
    let heard = Heard::default();
    let client = heard
        .clone()
        .serve(transport)
        .await
        .expect("handshake through the HTTP dev front");
    Dev {
        client,
        heard,
        port: Some(port),
        front: front.take(),
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let Some(mut front) = self.front.take() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(front.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let started = Instant::now();
        while front.try_wait().ok().flatten().is_none() {
            if started.elapsed() > Duration::from_secs(10) {
                let _ = front.kill();
                let _ = front.wait();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Dev {
    /// Calls `tool` without arguments; its first text.
    pub async fn call(&self, tool: &str) -> String {
        self.call_with(tool, serde_json::json!({})).await
    }

    /// Calls `tool` with `arguments`; its first text.
    pub async fn call_with(&self, tool: &str, arguments: serde_json::Value) -> String {
        let mut params = CallToolRequestParams::new(tool.to_owned());
        if let Some(arguments) = arguments.as_object().filter(|a| !a.is_empty()) {
            params = params.with_arguments(arguments.clone());
        }
        let result = self
            .client
            .call_tool(params)
            .await
            .unwrap_or_else(|e| panic!("calling {tool}: {e}"));
        let value = serde_json::to_value(&result.content).unwrap();
        value[0]["text"].as_str().unwrap_or_default().to_owned()
    }

    /// The tools' names, as listed.
    pub async fn tool_names(&self) -> Vec<String> {
        let tools = self.client.list_all_tools().await.unwrap();
        tools.into_iter().map(|t| t.name.into_owned()).collect()
    }

    /// Waits (at most `secs`) for `notifications/tools/list_changed`.
    pub async fn list_changed(&self, secs: u64, what: &str) {
        tokio::time::timeout(
            Duration::from_secs(secs),
            self.heard.tools_changed.notified(),
        )
        .await
        .unwrap_or_else(|_| panic!("no tools/list_changed within {secs} s after {what}"));
    }

    /// The errors the front sent as log notifications.
    pub fn errors(&self) -> Vec<String> {
        self.heard.errors.lock().unwrap().clone()
    }
}

/// Acceptance 1 of `mcp-create dev` on a generated, built project: a client connected through
/// `dev --project DEST -- COMMAND ARGS` (run with `envs`: the registry, the runtime folder, the
/// shared target) lists the tools, `mcp-create add tool ping` runs while it is connected, and the
/// client receives `tools/list_changed` within `secs` (the rebuild) and calls `ping` on the same
/// connection.
pub fn check_add_reloads(
    dest: &std::path::Path,
    command: &std::path::Path,
    args: &[String],
    envs: &[(&str, OsString)],
    secs: u64,
) {
    let started = Instant::now();
    block_on(async {
        let mut dev_args = vec!["--project", dest.to_str().unwrap(), "--"];
        dev_args.push(command.to_str().unwrap());
        dev_args.extend(args.iter().map(String::as_str));
        let dev = stdio(&dev_args, envs).await;
        let before = dev.tool_names().await;
        assert!(!before.contains(&"ping".to_owned()), "{before:?}");
        let added = Command::new(env!("CARGO_BIN_EXE_mcp-create"))
            .args(["add", "tool", "ping"])
            .current_dir(dest)
            .envs(envs.iter().cloned())
            .output()
            .unwrap();
        assert!(
            added.status.success(),
            "mcp-create add tool ping: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        dev.list_changed(secs, "mcp-create add tool ping").await;
        let after = dev.tool_names().await;
        assert!(after.contains(&"ping".to_owned()), "{after:?}");
        let answer = dev
            .call_with("ping", serde_json::json!({"text": "hello"}))
            .await;
        assert_eq!(answer, "ping: hello");
    });
    eprintln!(
        "dev: connect, add tool ping, reload, call: {:.1?}",
        started.elapsed()
    );
}
