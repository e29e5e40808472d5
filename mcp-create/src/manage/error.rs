//! What can go wrong while managing servers.

use std::path::{Path, PathBuf};

use super::runtime;
use crate::registry::RegistryError;

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
        "cannot start {name}: port {port} is already in use ({holders}); stop what holds it (`lsof -i :{port}`) or change the entry's `port`"
    )]
    PortInUse {
        name: String,
        port: u16,
        holders: String,
    },

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
    /// The process exit code: 2 for input the user can correct on the command line, 3 when the
    /// registry cannot be read, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ManageError::Registry(error) => error.exit_code(),
            ManageError::Usage(_) => 2,
            ManageError::Core(error) => error.exit_code(),
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
