//! Managing registered servers: list, start, stop, restart, status, logs, test, call, route.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::config::{self, Servers};

pub mod call;
pub mod checks;
pub mod dependencies;
pub mod docker;
pub mod entry;
pub mod health;
pub mod lifecycle;
pub mod list;
pub mod observe;
pub mod process;
pub mod route;
pub mod runtime;
pub mod schema;
pub mod suggest;
pub mod suite;
pub mod tester;

use entry::Server;
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

/// What can go wrong while managing servers.
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    /// No such key in the registry.
    #[error("no server named {name:?} in {}{}", .config.display(), suggestion_note(.suggestion.as_deref(), *.empty))]
    UnknownServer {
        name: String,
        config: PathBuf,
        suggestion: Option<String>,
        empty: bool,
    },

    /// An entry the manager cannot use.
    #[error("the entry {name:?} of the registry cannot be used: {reason}")]
    InvalidEntry { name: String, reason: String },

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

fn suggestion_note(suggestion: Option<&str>, empty: bool) -> String {
    match (suggestion, empty) {
        (_, true) => "; the registry is empty: create a server with `mcp-create <NAME>`".into(),
        (Some(name), _) => format!("; did you mean {name:?}? (see `mcp-create list`)"),
        (None, _) => "; see `mcp-create list` for the registered names".into(),
    }
}

impl ManageError {
    /// The process exit code: 2 for input the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ManageError::UnknownServer { .. } | ManageError::Usage(_) => 2,
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
    pub servers: Servers,
    /// The runtime directory.
    pub runtime: Runtime,
    /// Where reports go.
    pub out: &'a mut dyn Write,
}

impl Context<'_> {
    /// The server `name`, or an error suggesting the closest registered name.
    pub fn server(&self, name: &str) -> Result<Server, ManageError> {
        match self.servers.get(name) {
            Some(entry) => Server::new(name, entry),
            None => Err(ManageError::UnknownServer {
                name: name.to_owned(),
                config: self.config.clone(),
                suggestion: suggest::closest(name, self.servers.keys().map(String::as_str))
                    .map(str::to_owned),
                empty: self.servers.is_empty(),
            }),
        }
    }

    /// Every server for `all`, else the one named.
    pub fn select(&self, name: &str) -> Result<Vec<Server>, ManageError> {
        if name == "all" && !self.servers.contains_key("all") {
            return self
                .servers
                .iter()
                .map(|(key, entry)| Server::new(key, entry))
                .collect();
        }
        Ok(vec![self.server(name)?])
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
) -> crate::Result<()> {
    let config = config::locate(config)?;
    let servers = config::read(&config)?;
    let runtime = Runtime::locate()?;
    let mut ctx = Context {
        config,
        servers,
        runtime,
        out,
    };
    let ctx = &mut ctx;
    let result = match command {
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
    };
    Ok(result?)
}
