//! The built command as clients run it: a subprocess over stdio, and over HTTP with `/health`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use {{ module_name }}::{NAME, VERSION};

const SERVER: &str = env!("CARGO_BIN_EXE_{{ project_name }}");

#[test]
fn stdio_stdout_carries_only_json_rpc_and_closing_stdin_exits_cleanly() {
    let mut child = Command::new(SERVER)
        .args(["--transport", "stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut stdin = child.stdin.take().unwrap();
    let initialize = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        },
    });
    writeln!(stdin, "{initialize}").unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let reply: Value = serde_json::from_str(&line).expect("the first line on stdout is JSON-RPC");
    assert_eq!(reply["id"], 1);
    assert_eq!(reply["result"]["serverInfo"]["name"], NAME);

    drop(stdin); // end of input: the server exits
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "nothing but JSON-RPC replies on stdout");
    assert!(child.wait().unwrap().success());
}

/// A server started in HTTP mode, stopped when dropped.
struct HttpChild {
    child: Child,
    address: String,
}

impl HttpChild {
    /// Starts the server on a port the system picks (`--port 0`) and reads the address it bound
    /// from its log.
    fn start() -> Self {
        let mut child = Command::new(SERVER)
            .args(["--transport", "http", "--host", "127.0.0.1", "--port", "0"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (sender, lines) = mpsc::channel();
        // Read the log on a thread, to the end, so that the pipe never fills up.
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut server = HttpChild {
            child,
            address: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.address.is_empty() {
            let wait = deadline.saturating_duration_since(Instant::now());
            let line = lines
                .recv_timeout(wait)
                .expect("the server logs the address it serves within 60 s");
            if let Some((_, rest)) = line.split_once("address=") {
                server.address = rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        server
    }

    /// Sends a GET request and returns the status code and body.
    fn get(&self, path: &str) -> (u16, String) {
        let address = &self.address;
        let mut stream = TcpStream::connect(address)
            .unwrap_or_else(|e| panic!("cannot connect to {address}: {e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .unwrap_or_else(|e| panic!("GET {path} from {address}: {e} (so far: {response:?})"));
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok());
        (status.expect("a status line"), body.to_owned())
    }
}

impl Drop for HttpChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn http_health_reports_status_name_version_and_uptime() {
    let server = HttpChild::start();
    let (status, body) = server.get("/health");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).expect("/health answers JSON");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["name"], NAME);
    assert_eq!(health["version"], VERSION);
    assert!(health["uptime_seconds"].is_number(), "{health}");
}
