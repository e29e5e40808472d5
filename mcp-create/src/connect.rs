//! The one probe: how mcp-create talks to an MCP server as its client does. A stdio server is
//! started by `spawn` (the one place a probe child is started and stopped) and spoken to through
//! rmcp's client; an HTTP server is reached with reqwest. `test`, `call`, `route` and install's
//! check use it; [`http`] also serves the health checks of `start` and `status`.
//!
//! Every line a stdio server writes to stdout passes a tap (`stdout::tap`) on its way to rmcp,
//! which skips lines it cannot parse: [`check_stdio`] fails on such a line (a banner, a stray
//! print), since stricter clients break on it.

pub mod http;
mod probe_error;
mod stdout;

use std::{
    collections::BTreeMap,
    path::PathBuf,
    process::{ExitStatus, Stdio},
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
        StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use tokio::io::AsyncReadExt;
use tokio::io::DuplexStream;
use tokio::process::{Child, ChildStdin};
use tokio::task::JoinHandle;

pub use probe_error::{Fault, ProbeError, Stderr};
use stdout::StdoutLog;

/// How much of a server's stderr is kept for error messages.
const STDERR_KEEP: usize = 16 * 1024;

/// How long a stdio server may take to exit once its stdin is closed, before it is signalled.
pub(crate) const GRACE: Duration = Duration::from_secs(2);

/// The variables a client passes on to the servers it starts (the official MCP SDKs' default:
/// `getDefaultEnvironment` in the TypeScript one); the entry's `env` comes on top.
const CLIENT_VARIABLES: &[&str] = if cfg!(windows) {
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

/// The environment a stdio server is started in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// mcp-create's own environment, in the launch's folder (`test`, `call`, `route`).
    Inherited,
    /// What an MCP client gives it: only [`CLIENT_VARIABLES`], a GUI client's bare PATH, an
    /// unrelated working folder (the check before `install`).
    Client,
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

/// An open client connection to a server.
pub struct Connection {
    client: RunningService<RoleClient, ()>,
    server: Option<ServerProcess>,
}

impl Connection {
    /// Connects to `endpoint` speaking `protocol`, giving up after `timeout`.
    pub async fn open(
        endpoint: &Endpoint,
        protocol: Protocol,
        timeout: Duration,
    ) -> Result<Self, ProbeError> {
        let no_answer = || format!("no answer within {} s", timeout.as_secs());
        match endpoint {
            Endpoint::Stdio(launch) => {
                let (mut server, transport) = spawn(launch, Environment::Inherited)?;
                let client = ().serve_with_lifecycle(transport, protocol.lifecycle());
                let (reason, grace) = match tokio::time::timeout(timeout, client).await {
                    Ok(Ok(client)) => {
                        return Ok(Self {
                            client,
                            server: Some(server),
                        });
                    }
                    Ok(Err(error)) => (error.to_string(), GRACE),
                    // A server that does not answer is not waited for again.
                    Err(_) => (no_answer(), Duration::ZERO),
                };
                server.stop(grace).await;
                Err(ProbeError::Handshake {
                    endpoint: format!("`{}`", launch.display()),
                    reason,
                    stderr: server.stderr().await,
                })
            }
            Endpoint::Http { url, token } => {
                let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str());
                if let Some(token) = token {
                    config = config.auth_header(token.as_str());
                }
                let transport =
                    StreamableHttpClientTransport::with_client(reqwest::Client::new(), config);
                let client = ().serve_with_lifecycle(transport, protocol.lifecycle());
                let reason = match tokio::time::timeout(timeout, client).await {
                    Ok(Ok(client)) => {
                        return Ok(Self {
                            client,
                            server: None,
                        });
                    }
                    Ok(Err(error)) => error.to_string(),
                    Err(_) => no_answer(),
                };
                Err(ProbeError::Handshake {
                    endpoint: url.clone(),
                    reason,
                    stderr: Stderr::default(),
                })
            }
        }
    }

    /// The rmcp client: `list_all_tools`, `call_tool`, `peer_info`, ...
    pub fn client(&self) -> &RunningService<RoleClient, ()> {
        &self.client
    }

    /// What a stdio server has written to stderr so far (the last 16 KiB).
    pub fn stderr(&self) -> String {
        self.server
            .as_ref()
            .map(ServerProcess::stderr_so_far)
            .unwrap_or_default()
    }

    /// Closes the connection; a stdio server is asked to exit (stdin closed), then stopped and
    /// reaped.
    pub async fn close(self) {
        let _ = self.client.cancel().await;
        if let Some(mut server) = self.server {
            server.stop(GRACE).await;
        }
    }
}

/// What [`check_stdio`] saw of a server that passed.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The names of its tools.
    pub tools: Vec<String>,
    /// How many JSON-RPC messages it wrote to stdout.
    pub messages: usize,
}

/// Starts `launch` in `environment`, completes the 2025-11-25 handshake and lists the tools:
/// whether the server can serve a client that reads stdout strictly. Any stdout line that is not
/// JSON-RPC fails the check as soon as it is written.
pub async fn check_stdio(
    launch: &Launch,
    environment: Environment,
    timeout: Duration,
) -> Result<Checked, ProbeError> {
    let (mut server, transport) = spawn(launch, environment)?;
    let log = server.stdout.clone();
    let exchange = async {
        let client =
            ().serve_with_lifecycle(transport, Protocol::Initialize2025.lifecycle())
                .await
                .map_err(|e| Fault::Handshake(e.to_string()))?;
        let tools = client.list_all_tools().await;
        let _ = client.cancel().await;
        tools.map_err(|e| Fault::Tools(e.to_string()))
    };
    let outcome = tokio::select! {
        stray = log.clone().first_stray() => Err(stray),
        done = tokio::time::timeout(timeout, exchange) => match done {
            Ok(done) => done,
            Err(_) => Err(Fault::Timeout { secs: timeout.as_secs() }),
        },
    };
    // A line may have come just before the answer that ended the exchange.
    let outcome = outcome.and_then(|tools| match log.stray() {
        Some(stray) => Err(stray),
        None => Ok(tools),
    });
    // A server that does not answer is not waited for again.
    let grace = match outcome {
        Err(Fault::Timeout { .. }) => Duration::ZERO,
        _ => GRACE,
    };
    let ended = server.stop(grace).await;
    let fault = match (outcome, ended) {
        (Ok(tools), _) => {
            return Ok(Checked {
                tools: tools.into_iter().map(|t| t.name.into_owned()).collect(),
                messages: log.messages(),
            });
        }
        (Err(Fault::Handshake(_) | Fault::Tools(_)), Some(status)) if !status.success() => {
            Fault::Exited(status)
        }
        (Err(fault), _) => fault,
    };
    Err(ProbeError::Stdio {
        fault,
        stderr: server.stderr().await,
    })
}

/// A stdio server started by [`spawn`]: [`ServerProcess::stop`] ends and reaps it; dropped
/// without that, it is killed.
pub(crate) struct ServerProcess {
    child: Child,
    /// The process group the server leads: what it started goes with it.
    group: ChildGroup,
    stdout: StdoutLog,
    stderr: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl ServerProcess {
    /// Waits up to `grace` for the server to exit on its own (its stdin is closed by now), then
    /// sends SIGTERM, then kills it; reaps it. Its exit status when it exited by itself.
    pub(crate) async fn stop(&mut self, grace: Duration) -> Option<ExitStatus> {
        if let Ok(Ok(status)) = tokio::time::timeout(grace, self.child.wait()).await {
            // What it started and left running (`sh -c 'sleep 1000 &'`) still holds the group.
            self.group.signal(Signal::SIGKILL);
            return Some(status);
        }
        self.group.signal(Signal::SIGTERM);
        let _ = tokio::time::timeout(GRACE / 2, self.child.wait()).await;
        self.group.kill();
        let _ = self.child.kill().await;
        None
    }

    /// Its stderr (the last 16 KiB) once it closed, or after a second when a process it left
    /// behind still holds it open.
    async fn stderr(&mut self) -> Stderr {
        if let Some(reader) = self.reader.take() {
            let _ = tokio::time::timeout(Duration::from_secs(1), reader).await;
        }
        Stderr::read(self.stderr_so_far())
    }

    pub(crate) fn stderr_so_far(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The process group a probe created for a server it spawned (the server leads it). Dropping it
/// sends SIGKILL to the whole group, so nothing the server started outlives the probe.
///
/// Signal it before reaping the server: while the leader (or any member) is unreaped, the kernel
/// does not give the group's number to another process.
#[derive(Debug, Default)]
struct ChildGroup {
    pgid: Option<Pid>,
}

impl ChildGroup {
    /// The group led by `pid`, a child just spawned with `process_group(0)`; never pid <= 1.
    fn led_by(pid: Option<u32>) -> ChildGroup {
        let pgid = pid
            .and_then(|pid| i32::try_from(pid).ok())
            .filter(|&pid| pid > 1)
            .map(Pid::from_raw);
        ChildGroup { pgid }
    }

    /// Sends `signal` to the group, if it was not killed yet.
    fn signal(&self, signal: Signal) {
        if let Some(pgid) = self.pgid {
            let _ = killpg(pgid, signal);
        }
    }

    /// Sends SIGKILL to the group, once.
    fn kill(&mut self) {
        self.signal(Signal::SIGKILL);
        self.pgid = None;
    }
}

impl Drop for ChildGroup {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The stdout and stdin of a probe child, as rmcp's transport.
pub(crate) type Pipes = (DuplexStream, ChildStdin);

/// Starts `launch` for a probe in `environment`, with stdin and stdout piped for the protocol and
/// stderr collected: the one place a probe starts a server.
pub(crate) fn spawn(
    launch: &Launch,
    environment: Environment,
) -> Result<(ServerProcess, Pipes), ProbeError> {
    let mut command = tokio::process::Command::new(&launch.program);
    command
        .args(&launch.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    match environment {
        Environment::Inherited => {
            if let Some(cwd) = &launch.cwd {
                command.current_dir(cwd);
            }
        }
        Environment::Client => {
            command
                .env_clear()
                .envs(
                    CLIENT_VARIABLES
                        .iter()
                        .filter_map(|var| Some((var, std::env::var_os(var)?))),
                )
                .current_dir(std::env::temp_dir());
            if cfg!(unix) {
                command.env("PATH", GUI_PATH);
            }
        }
    }
    command.envs(&launch.env);
    let mut child = command.spawn().map_err(|source| ProbeError::Spawn {
        command: launch.display(),
        source,
    })?;
    let (Some(stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        unreachable!("the three are piped");
    };
    let kept = Arc::new(Mutex::new(String::new()));
    let reader = tokio::spawn(collect(stderr, kept.clone()));
    let (stdout, log) = stdout::tap(stdout);
    let server = ServerProcess {
        group: ChildGroup::led_by(child.id()),
        child,
        stdout: log,
        stderr: kept,
        reader: Some(reader),
    };
    Ok((server, (stdout, stdin)))
}

/// Appends what `stderr` writes to `sink`, keeping the last 16 KiB.
async fn collect(mut stderr: tokio::process::ChildStderr, sink: Arc<Mutex<String>>) {
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
