//! What can go wrong while installing into clients or checking installations.

use std::path::PathBuf;

/// Every failure of `install`, `uninstall` and `doctor`: what, where, how to fix.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// `--client` names no known client.
    #[error("unknown client {name:?}; known clients: {known}")]
    UnknownClient { name: String, known: String },

    /// The client has no config file for the asked scope.
    #[error("{client} has no {scope}-scope config; use --scope {other}")]
    NoScope {
        client: &'static str,
        scope: &'static str,
        other: &'static str,
    },

    /// A directory the client's config location depends on is unknown.
    #[error("cannot locate the {client} config: {missing} is not set")]
    NoBase {
        client: &'static str,
        missing: &'static str,
    },

    /// The server is not in the registry.
    #[error("no server named {name:?} in {}; see `mcp-create list`, or register it first", .config.display())]
    NotRegistered { name: String, config: PathBuf },

    /// The registry entry lacks what the client entry needs.
    #[error("server {name:?}: {reason}; fix its entry in {}", .config.display())]
    BadEntry {
        name: String,
        config: PathBuf,
        reason: String,
    },

    /// The launcher cannot be resolved to an absolute path.
    #[error(
        "server {name:?}: cannot find the program {program:?} (not a file, and not on PATH); \
         build or install the server first (see `install` in its registry entry)"
    )]
    NoLauncher { name: String, program: String },

    /// The client cannot hold this kind of entry.
    #[error("{client}: {reason}")]
    Unsupported {
        client: &'static str,
        reason: String,
    },

    /// A client config that does not parse; it was left untouched.
    #[error(
        "{} is not valid {format} (line {line}, column {column}): {message}; it was left untouched: \
         fix it and run again",
        .path.display()
    )]
    Syntax {
        path: PathBuf,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },

    /// A client config whose structure is not what the client expects; it was left untouched.
    #[error("{}: {reason}; it was left untouched", .path.display())]
    Shape { path: PathBuf, reason: String },

    /// A different entry of that name is installed already.
    #[error(
        "{client} already has a different entry named {name:?} in {}; pass --force to replace it, \
         or uninstall it first",
        .path.display()
    )]
    Conflict {
        client: &'static str,
        name: String,
        path: PathBuf,
    },

    /// The file changed between reading and writing it; it was not written.
    #[error(
        "{} changed while mcp-create was editing it (is the client running and saving it?); it was \
         not written: run the command again",
        .path.display()
    )]
    Changed { path: PathBuf },

    /// `uninstall` of a server the client does not have.
    #[error("{client} has no server named {name:?} in {}", .path.display())]
    NotInstalled {
        client: &'static str,
        name: String,
        path: PathBuf,
    },

    /// The server failed the pre-install check.
    #[error(
        "refusing to install {name:?}: {reason}\nfix the server, give it the variables it needs with \
         --env KEY=VALUE, or pass --no-check to install anyway"
    )]
    CheckFailed { name: String, reason: String },

    /// `--env` that is not KEY=VALUE.
    #[error("--env {0:?} is not KEY=VALUE")]
    BadEnv(String),
}

impl ClientError {
    /// 2 for input the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ClientError::UnknownClient { .. }
            | ClientError::NoScope { .. }
            | ClientError::NotRegistered { .. }
            | ClientError::Conflict { .. }
            | ClientError::BadEnv(_) => 2,
            _ => 1,
        }
    }
}
