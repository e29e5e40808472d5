//! The example server over HTTP as a child process: graceful shutdown on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use rmcp::{ServiceExt, model::CallToolRequestParams, transport::StreamableHttpClientTransport};
use serde_json::json;

/// A running server and the lines of its log, read on a thread so the pipe never fills.
struct Server {
    child: Child,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quickstart"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            stderr
                .lines()
                .map_while(Result::ok)
                .try_for_each(|line| sender.send(line))
        });
        Self { child, log }
    }

    /// Waits for a log line containing `needle` and returns it.
    fn wait_for(&self, needle: &str) -> String {
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no log line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_call_finish_then_exits_zero() {
    let server = Server::start(&["--transport", "http", "--port", "0"]);
    let line = server.wait_for("address=");
    let address = line
        .split("address=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let health = reqwest::get(format!("http://{address}/health"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    let transport = StreamableHttpClientTransport::from_uri(format!("http://{address}/mcp"));
    let client = ().serve(transport).await.unwrap();
    let args = json!({"to": 10, "step_ms": 100})
        .as_object()
        .cloned()
        .unwrap();
    let call = tokio::spawn(async move {
        client
            .call_tool(CallToolRequestParams::new("count").with_arguments(args))
            .await
    });

    server.wait_for("counting to 10");
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());

    let result = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("the call answers within 30 s")
        .unwrap()
        .expect("the in-flight call completes after SIGTERM");
    assert_eq!(result.content[0].as_text().unwrap().text, "counted to 10");
    let mut child = server.child;
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0));
    assert!(
        reqwest::get(format!("http://{address}/health"))
            .await
            .is_err(),
        "the server stopped listening"
    );
}
