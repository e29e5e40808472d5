//! Talking to an MCP server as its client does: spawn it over stdio, or reach it over HTTP. Used by
//! the commands that test, call, route and check servers before installing them.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use rmcp::{
    ClientLifecycleMode, ClientServiceExt, RoleClient,
    model::ProtocolVersion,
    service::RunningService,
    transport::{
        StreamableHttpClientTransport, TokioChildProcess,
        streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use tokio::io::AsyncReadExt;

/// How much of a server's stderr is kept for error messages.
const STDERR_KEEP: usize = 16 * 1024;

/// Where a server is and how to start it.
#[derive(Clone, Debug, PartialEq)]
pub enum Endpoint {
    /// A command speaking MCP on stdin/stdout.
    Stdio(Launch),
    /// A running server's streamable HTTP endpoint (`http://host:port/mcp`).
    Http {
        /// The URL of the MCP endpoint.
        url: String,
        /// A bearer token, sent as `Authorization: Bearer <token>`.
        token: Option<String>,
    },
}

/// A command line, with the environment and directory it runs in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Launch {
    /// The program: an absolute path, or a name looked up in `PATH`.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Variables added to the inherited environment.
    pub env: BTreeMap<String, String>,
    /// The working directory, if not the current one.
    pub cwd: Option<PathBuf>,
}

impl Launch {
    /// The command line as a user would type it.
    pub fn display(&self) -> String {
        std::iter::once(self.program.display().to_string())
            .chain(self.args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The MCP revision to speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// 2025-11-25: `initialize`, then a session.
    Initialize2025,
    /// 2026-07-28: stateless, `server/discover`.
    Stateless2026,
}

impl Protocol {
    fn lifecycle(self) -> ClientLifecycleMode {
        match self {
            Protocol::Initialize2025 => ClientLifecycleMode::Initialize,
            Protocol::Stateless2026 => ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        }
    }
}

/// Why a connection failed, with what the server wrote to stderr.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The command could not be started at all.
    #[error("cannot start `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    /// The handshake failed: the server exited, answered garbage, or did not answer in time.
    #[error("{endpoint} did not complete the MCP handshake: {reason}{}", stderr_note(.stderr))]
    Handshake {
        endpoint: String,
        reason: String,
        stderr: String,
    },
}

fn stderr_note(stderr: &str) -> String {
    match stderr.trim() {
        "" => String::new(),
        text => format!("\nthe server's stderr:\n{text}"),
    }
}

/// The process group a probe created for a server it spawned (the server leads it). Dropping it
/// sends SIGKILL to the whole group, so nothing the server started outlives the probe.
///
/// Kill it before reaping the server: while the leader (or any member) is unreaped, the kernel
/// does not give the group's number to another process.
#[derive(Debug, Default)]
pub struct ChildGroup {
    pgid: Option<Pid>,
}

impl ChildGroup {
    /// The group led by `pid`, a child just spawned with `process_group(0)`.
    pub fn led_by(pid: Option<u32>) -> ChildGroup {
        let pgid = pid
            .and_then(|pid| i32::try_from(pid).ok())
            .filter(|&pid| pid > 1)
            .map(Pid::from_raw);
        ChildGroup { pgid }
    }

    /// Sends SIGKILL to the group, once.
    pub fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            let _ = killpg(pgid, Signal::SIGKILL);
        }
    }
}

impl Drop for ChildGroup {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An open client connection to a server.
pub struct Connection {
    client: RunningService<RoleClient, ()>,
    stderr: Arc<Mutex<String>>,
    /// Killed when the connection goes, after the client has closed.
    _group: ChildGroup,
}

impl Connection {
    /// Connects to `endpoint` speaking `protocol`, giving up after `timeout`.
    pub async fn open(
        endpoint: &Endpoint,
        protocol: Protocol,
        timeout: Duration,
    ) -> Result<Self, ConnectError> {
        let stderr = Arc::new(Mutex::new(String::new()));
        // A failed handshake drops it on return, killing what the server started.
        let mut group = ChildGroup::default();
        let (described, handshake) = match endpoint {
            Endpoint::Stdio(launch) => {
                let transport = spawn(launch, stderr.clone())?;
                group = ChildGroup::led_by(transport.id());
                let client = tokio::time::timeout(
                    timeout,
                    ().serve_with_lifecycle(transport, protocol.lifecycle()),
                );
                (format!("`{}`", launch.display()), client.await)
            }
            Endpoint::Http { url, token } => {
                let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str());
                if let Some(token) = token {
                    config = config.auth_header(token.as_str());
                }
                let transport =
                    StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
                let client = tokio::time::timeout(
                    timeout,
                    ().serve_with_lifecycle(transport, protocol.lifecycle()),
                );
                (url.clone(), client.await)
            }
        };
        let failure = |reason: String| ConnectError::Handshake {
            endpoint: described.clone(),
            reason,
            stderr: stderr.lock().map(|s| s.clone()).unwrap_or_default(),
        };
        match handshake {
            Ok(Ok(client)) => Ok(Self {
                client,
                stderr,
                _group: group,
            }),
            Ok(Err(error)) => Err(failure(error.to_string())),
            Err(_) => Err(failure(format!("no answer within {} s", timeout.as_secs()))),
        }
    }

    /// The rmcp client: `list_all_tools`, `call_tool`, `peer_info`, ...
    pub fn client(&self) -> &RunningService<RoleClient, ()> {
        &self.client
    }

    /// What a stdio server has written to stderr so far (the last 16 KiB).
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Closes the connection; a stdio server is asked to exit (stdin closed), then killed, its
    /// process group with it.
    pub async fn close(self) {
        let _ = self.client.cancel().await;
    }
}

/// Starts `launch` with piped stdio, leading a process group of its own; its stderr is collected
/// into `sink`.
fn spawn(launch: &Launch, sink: Arc<Mutex<String>>) -> Result<TokioChildProcess, ConnectError> {
    let mut command = tokio::process::Command::new(&launch.program);
    command
        .args(&launch.args)
        .envs(&launch.env)
        .process_group(0)
        .kill_on_drop(true);
    if let Some(cwd) = &launch.cwd {
        command.current_dir(cwd);
    }
    let (transport, stderr) = TokioChildProcess::builder(command)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| ConnectError::Spawn {
            command: launch.display(),
            source,
        })?;
    if let Some(mut stderr) = stderr {
        tokio::spawn(async move {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stderr.read(&mut buffer).await {
                if read == 0 {
                    break;
                }
                let Ok(mut kept) = sink.lock() else { break };
                kept.push_str(&String::from_utf8_lossy(&buffer[..read]));
                if kept.len() > STDERR_KEEP {
                    let cut = kept.len() - STDERR_KEEP;
                    let cut = (cut..kept.len())
                        .find(|&i| kept.is_char_boundary(i))
                        .unwrap_or(cut);
                    kept.drain(..cut);
                }
            }
        });
    }
    Ok(transport)
}

/// Runs `future` on a new Tokio runtime: the commands are synchronous, the client is not.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime starts")
        .block_on(future)
}
