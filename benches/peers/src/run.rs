//! One repetition of each scenario against one server process, measured from outside: calls/s
//! through an rmcp client, server CPU from `/proc/PID/stat`, RSS from `/proc/PID/status`.

use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail, ensure};
use futures::{StreamExt, stream};
use rmcp::{
    RoleClient, ServiceExt,
    model::CallToolRequestParams,
    service::RunningService,
    transport::{StreamableHttpClientTransport, TokioChildProcess},
};
use serde_json::json;

/// A server under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    /// `Server::new().tool(add).tool(echo).run()`.
    Sdk,
    /// Hand-written rmcp on `stdio()`.
    RmcpStdio,
    /// Hand-written rmcp on `stdio_pipes()`, and with its default config over HTTP.
    Rmcp,
    /// turbomcp's `#[server]`, `run_stdio()` / `run_http()`.
    Turbo,
    /// Not an MCP server: the least an axum endpoint can do to answer the client (HTTP only).
    Floor,
}

impl Server {
    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Server::Sdk => "mcp-sdk",
            Server::RmcpStdio => "rmcp `stdio()`",
            Server::Rmcp => "rmcp (`stdio_pipes()`)",
            Server::Turbo => "turbomcp 3.6",
            Server::Floor => "HTTP floor (not MCP)",
        }
    }

    fn binary(self) -> &'static str {
        match self {
            Server::Sdk => "sdk_server",
            Server::RmcpStdio | Server::Rmcp => "plain-rmcp",
            Server::Turbo => "turbomcp_server",
            Server::Floor => "floor_server",
        }
    }

    fn stdio_args(self) -> &'static [&'static str] {
        match self {
            Server::Sdk => &[],
            Server::RmcpStdio => &["stdio"],
            Server::Rmcp => &["pipes"],
            Server::Turbo => &["stdio"],
            Server::Floor => unreachable!("the floor server has no stdio"),
        }
    }

    fn http_args(self, port: u16, stateless: bool) -> Vec<String> {
        let port = port.to_string();
        let mut args = match self {
            Server::Sdk => vec!["--transport".into(), "http".into(), "--port".into(), port],
            _ => vec!["http".into(), port],
        };
        // turbomcp has no stateless mode: it runs its default (sessions) in both HTTP rows.
        if stateless && self != Server::Turbo {
            args.push("--stateless".into());
        }
        args
    }

    fn command(
        self,
        args: &[impl AsRef<std::ffi::OsStr>],
    ) -> anyhow::Result<tokio::process::Command> {
        let exe = std::env::current_exe()?;
        let path: PathBuf = exe.with_file_name(self.binary());
        ensure!(
            path.exists(),
            "{} is missing: the runner builds it; run it with `cargo run --release`",
            path.display()
        );
        let mut command = tokio::process::Command::new(path);
        command
            .args(args)
            .env("RUST_LOG", "error")
            .stderr(Stdio::null())
            .kill_on_drop(true);
        Ok(command)
    }
}

type Client = RunningService<RoleClient, ()>;

/// What one stdio run measured.
pub struct StdioSample {
    /// From spawning the process to the `initialize` result.
    pub init: Duration,
    /// Calls/s, one at a time.
    pub sequential: f64,
    /// Calls/s, 16 in flight.
    pub parallel: f64,
    /// Server RSS after both, in KiB.
    pub rss_kib: u64,
}

/// What one HTTP run measured.
pub struct HttpSample {
    /// Calls/s over all sessions.
    pub calls_per_s: f64,
    /// Server CPU (user + system) per call, in µs.
    pub cpu_us_per_call: f64,
    /// Server RSS after the run, in KiB.
    pub rss_kib: u64,
}

/// Spawns `server` on stdio, makes `calls` sequential calls and `calls` with 16 in flight.
pub async fn stdio(server: Server, calls: usize) -> anyhow::Result<StdioSample> {
    let command = server.command(server.stdio_args())?;
    let started = Instant::now();
    let child = TokioChildProcess::new(command).context("spawning the server")?;
    let pid = child.id().context("the server has a process id")?;
    let client = ().serve(child).await?;
    let init = started.elapsed();

    warm_up(&client, 200).await?;
    let started = Instant::now();
    for index in 0..calls {
        call(&client, index).await?;
    }
    let sequential = calls as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut results = stream::iter(0..calls)
        .map(|index| call(&client, index))
        .buffer_unordered(16);
    while let Some(result) = results.next().await {
        result?;
    }
    drop(results);
    let parallel = calls as f64 / started.elapsed().as_secs_f64();
    let rss_kib = rss_kib(pid)?;
    client.cancel().await?;
    Ok(StdioSample {
        init,
        sequential,
        parallel,
        rss_kib,
    })
}

/// Starts `server` on HTTP, opens `sessions` clients, and has each make `calls` sequential calls,
/// all sessions at once.
pub async fn http(
    server: Server,
    stateless: bool,
    sessions: usize,
    calls: usize,
) -> anyhow::Result<HttpSample> {
    let port = free_port()?;
    let mut child = server
        .command(&server.http_args(port, stateless))?
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .context("spawning the server")?;
    let pid = child.id().context("the server has a process id")?;
    wait_for_port(port).await?;

    let url = format!("http://127.0.0.1:{port}/mcp");
    let clients: Vec<Client> = stream::iter(0..sessions)
        .then(|_| async {
            let transport = StreamableHttpClientTransport::from_uri(url.clone());
            ().serve(transport).await.context("initializing over HTTP")
        })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    for client in &clients {
        warm_up(client, 10).await?;
    }

    let cpu_before = cpu_ticks(pid)?;
    let started = Instant::now();
    let runs = clients.iter().map(|client| async move {
        for index in 0..calls {
            call(client, index).await?;
        }
        anyhow::Ok(())
    });
    for result in futures::future::join_all(runs).await {
        result?;
    }
    let elapsed = started.elapsed();
    let cpu = (cpu_ticks(pid)? - cpu_before) as f64 / clock_ticks_per_second();
    let rss_kib = rss_kib(pid)?;
    let total = (sessions * calls) as f64;
    for client in clients {
        let _ = client.cancel().await;
    }
    child.kill().await?;
    Ok(HttpSample {
        calls_per_s: total / elapsed.as_secs_f64(),
        cpu_us_per_call: cpu * 1e6 / total,
        rss_kib,
    })
}

async fn warm_up(client: &Client, calls: usize) -> anyhow::Result<()> {
    for index in 0..calls {
        call(client, index).await?;
    }
    Ok(())
}

/// Calls `add` on even indexes and `echo` on odd ones, and checks the answer.
async fn call(client: &Client, index: usize) -> anyhow::Result<()> {
    let (name, arguments, expected) = if index.is_multiple_of(2) {
        let n = index as i64;
        (
            "add",
            json!({"a": n, "b": 1}),
            json!({"result": n + 1}).to_string(),
        )
    } else {
        ("echo", json!({"message": "hello"}), "hello".to_string())
    };
    let arguments = arguments.as_object().cloned().unwrap_or_default();
    let result = client
        .call_tool(CallToolRequestParams::new(name).with_arguments(arguments))
        .await?;
    let text = result
        .content
        .first()
        .and_then(|content| content.as_text())
        .map(|text| text.text.as_str())
        .unwrap_or_default();
    let answered = match name {
        "add" => result
            .structured_content
            .as_ref()
            .map(|value| value.to_string())
            .or_else(|| Some(json!({"result": text.parse::<i64>().ok()?}).to_string())),
        _ => Some(text.to_owned()),
    };
    if answered.as_deref() != Some(expected.as_str()) && !text.contains(&expected) {
        bail!("`{name}` answered {result:?}, expected {expected}");
    }
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn wait_for_port(port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        ensure!(
            Instant::now() < deadline,
            "the server did not listen on port {port} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// User + system CPU of `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .context("/proc/PID/stat has a command name")?
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    Ok(fields[11].parse::<u64>()? + fields[12].parse::<u64>()?)
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .context("/proc/PID/status has VmRSS")
}
