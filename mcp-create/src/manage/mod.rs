//! Managing registered servers: list, start, stop, restart, status, logs, test, call, route.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::registry::{Registry, RegistryError, Server};

pub mod call;
pub mod checks;
pub mod dependencies;
pub mod docker;
pub mod health;
pub mod lifecycle;
pub mod list;
pub mod observe;
pub mod process;
pub mod route;
pub mod runtime;
pub mod schema;
pub mod suite;
pub mod tester;

use runtime::Runtime;

/// The server-management subcommands (flattened into the top-level CLI).
#[derive(Debug, Subcommand)]
pub enum ManageCommand {
    /// List the registered servers: template, transport, port, path, and whether each runs
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Start a server (or `all`) over HTTP on its port, in the background, and wait until healthy
    Start {
        /// A registered server, or `all`
        name: String,
        /// Run in the foreground, attached to this terminal (Ctrl-C stops it)
        #[arg(long)]
        fg: bool,
        /// Seconds to wait for the health check
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Stop a server (or `all`): SIGTERM, then SIGKILL after the grace period
    Stop {
        /// A registered server, or `all`
        name: String,
        /// Seconds between SIGTERM and SIGKILL
        #[arg(long, default_value_t = 10, value_name = "SECS")]
        grace: u64,
    },
    /// Stop, then start a server (or `all`)
    Restart {
        /// A registered server, or `all`
        name: String,
        /// Seconds to wait for the health check
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Show pid, health and uptime of a server [default: all]
    Status {
        /// A registered server, or `all`
        name: Option<String>,
    },
    /// Show the last lines of a server's log
    Logs {
        /// A registered server, or `all`
        name: String,
        /// How many lines
        #[arg(short = 'n', long, default_value_t = 50)]
        lines: usize,
        /// Keep printing what is appended (Ctrl-C stops)
        #[arg(short, long)]
        follow: bool,
    },
    /// Check that a server speaks MCP correctly (any language): pass/fail per check
    Test(tester::TestArgs),
    /// Call one tool of a registered server and print the result
    Call {
        /// A registered server
        name: String,
        /// The tool's name
        tool: String,
        /// The arguments, a JSON object
        #[arg(default_value = "{}")]
        args: String,
        /// Seconds to wait for the server
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Rank registered servers for a prompt by their tools, descriptions and keywords
    Route {
        /// What you want to do, in words
        prompt: String,
        /// Start the best servers
        #[arg(long)]
        start: bool,
        /// Read every server's tools again instead of using the cache
        #[arg(long)]
        refresh: bool,
    },
}

/// The name that means every registered server.
pub const ALL: &str = "all";

impl ManageCommand {
    /// Whether it acts on every registered server (`list`, or `all`), so bad entries are skipped
    /// with a note instead of failing the command.
    fn covers_all(&self) -> bool {
        let all = |name: &str| name == ALL;
        match self {
            ManageCommand::Start { name, .. }
            | ManageCommand::Stop { name, .. }
            | ManageCommand::Restart { name, .. }
            | ManageCommand::Logs { name, .. } => all(name),
            ManageCommand::Status { name } => name.as_deref().is_none_or(all),
            ManageCommand::Test(args) => args.name.as_deref().is_some_and(all),
            ManageCommand::Route { .. } => true,
            ManageCommand::List { .. } | ManageCommand::Call { .. } => false,
        }
    }
}

/// What can go wrong while managing servers.
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    /// The server is not registered, or its entry cannot be used.
    #[error(transparent)]
    Registry(#[from] RegistryError),

    /// Bad input on the command line (or in a file it names).
    #[error("{0}")]
    Usage(String),

    /// A file operation failed.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// A program could not be started.
    #[error("cannot start `{command}`: {source}; check the entry's `command` and `path`")]
    Spawn {
        command: String,
        source: std::io::Error,
    },

    /// A file of the runtime directory could not be written.
    #[error(transparent)]
    Runtime(#[from] crate::writer::WriteError),

    /// The registry file could not be read.
    #[error(transparent)]
    Core(#[from] crate::error::Error),

    /// A server's runtime files name a process mcp-create cannot prove it started.
    #[error(
        "{name} was not stopped: {stale}. mcp-create signals only processes it can prove it \
         started; it removed the stale pid file"
    )]
    NotOurs { name: String, stale: runtime::Stale },

    /// A process was started but `/proc` cannot identify it, so it could never be stopped safely.
    #[error(
        "cannot read /proc/{pid}: mcp-create recognises the servers it starts by their /proc entries, \
         and this system has none; run the server in the foreground instead (`start NAME --fg`)"
    )]
    NoProcessInfo { pid: u32 },

    /// No home directory and no `MCP_RUNTIME_DIR`.
    #[error("cannot locate the runtime directory: no home directory; set MCP_RUNTIME_DIR")]
    NoRuntimeDir,

    /// The port is taken by another program.
    #[error(
        "cannot start {name}: port {port} is already in use by another program; stop it (`lsof -i :{port}`) or change the entry's `port`"
    )]
    PortInUse { name: String, port: u16 },

    /// The server did not become healthy.
    #[error("{name} did not start: {reason}\nlast lines of {}:\n{tail}", .log.display())]
    StartFailed {
        name: String,
        reason: String,
        log: PathBuf,
        tail: String,
    },

    /// The entry or one of its dependencies needs Docker and no engine answers.
    #[error(
        "{name} needs Docker ({what}), but no Docker engine answers `docker info`; start Docker and try again"
    )]
    NeedsDocker { name: String, what: String },

    /// A dependency did not come up.
    #[error("{name}: dependency {dependency} is not available: {reason}")]
    Dependency {
        name: String,
        dependency: String,
        reason: String,
    },

    /// A server must run for this and does not.
    #[error("{name} is not running; start it with `mcp-create start {name}`")]
    NotRunning { name: String },

    /// Talking to the server failed.
    #[error(transparent)]
    Probe(#[from] crate::connect::ProbeError),

    /// A request to the server failed.
    #[error("{server}: {what} failed: {reason}")]
    Request {
        server: String,
        what: String,
        reason: String,
    },

    /// The tool answered with `isError`.
    #[error("tool {tool} of {server} answered with an error: {message}")]
    ToolFailed {
        server: String,
        tool: String,
        message: String,
    },

    /// Some checks of `test` failed.
    #[error("{failed} of {total} checks failed{}", .report.as_ref().map(|r| format!(" (report: {})", r.display())).unwrap_or_default())]
    TestsFailed {
        failed: usize,
        total: usize,
        report: Option<PathBuf>,
    },

    /// Some servers of `all` failed.
    #[error("{} of {total} servers failed: {}", .failed.len(), .failed.join(", "))]
    Several { failed: Vec<String>, total: usize },
}

impl ManageError {
    /// The process exit code: 2 for input the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ManageError::Registry(error) => error.exit_code(),
            ManageError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// An [`ManageError::Io`].
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> ManageError {
        ManageError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

/// What every command works with: the registry, the runtime directory, the output.
pub struct Context<'a> {
    /// The registry file.
    pub config: PathBuf,
    /// Its entries.
    pub registry: Registry,
    /// The runtime directory.
    pub runtime: Runtime,
    /// Where reports go.
    pub out: &'a mut dyn Write,
}

impl Context<'_> {
    /// The server `name`, or why not: its entry is bad, or the name is unknown (with the closest
    /// registered name).
    pub fn server(&self, name: &str) -> Result<Server, ManageError> {
        Ok(self.registry.get(name)?.clone())
    }

    /// Every server whose entry is good for `all` (bad entries are reported by [`run`]), else the
    /// one named. `all` always means every server, even when a registry key is `all` (see
    /// [`Context::reserved_key_note`]).
    pub fn select(&self, name: &str) -> Result<Vec<Server>, ManageError> {
        if name == ALL {
            return Ok(self.registry.servers().cloned().collect());
        }
        Ok(vec![self.server(name)?])
    }

    /// What to tell the user when a registry key is `all`, which commands read as every server.
    pub fn reserved_key_note(&self) -> Option<String> {
        self.registry.contains(ALL).then(|| {
            format!(
                "note: a server is registered as {ALL:?} in {}, and `{ALL}` means every server: \
                 rename that key (e.g. to \"{ALL}-server\") to start, stop or test it alone",
                self.config.display()
            )
        })
    }

    /// Writes a line to the output (a closed output is not an error worth reporting).
    pub fn say(&mut self, line: impl std::fmt::Display) {
        let _ = writeln!(self.out, "{line}");
        let _ = self.out.flush();
    }
}

/// Runs `command` against the registry at `config` (see `config::locate`).
pub fn run(
    command: &ManageCommand,
    config: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), ManageError> {
    let registry = Registry::load(config)?;
    let runtime = Runtime::locate()?;
    let mut ctx = Context {
        config: registry.path.clone(),
        registry,
        runtime,
        out,
    };
    let ctx = &mut ctx;
    if command.covers_all() {
        let problems: Vec<String> = ctx.registry.problems().map(|e| e.to_string()).collect();
        for problem in problems {
            ctx.say(format!("skipped: {problem}"));
        }
    }

    match command {
        ManageCommand::List { json } => list::run(ctx, *json),
        ManageCommand::Start { name, fg, timeout } => lifecycle::start(ctx, name, *fg, *timeout),
        ManageCommand::Stop { name, grace } => lifecycle::stop(ctx, name, *grace),
        ManageCommand::Restart { name, timeout } => lifecycle::restart(ctx, name, *timeout),
        ManageCommand::Status { name } => observe::status(ctx, name.as_deref().unwrap_or("all")),
        ManageCommand::Logs {
            name,
            lines,
            follow,
        } => observe::logs(ctx, name, *lines, *follow),
        ManageCommand::Test(args) => tester::run(ctx, args),
        ManageCommand::Call {
            name,
            tool,
            args,
            timeout,
        } => call::run(ctx, name, tool, args, *timeout),
        ManageCommand::Route {
            prompt,
            start,
            refresh,
        } => route::run(ctx, prompt, *start, *refresh),
    }
}
