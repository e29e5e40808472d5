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

    /// A key the edit depends on appears twice: which one the client reads is not ours to guess.
    #[error(
        "{} has the key {key:?} more than once (again at line {line}): it is ambiguous which one the \
         client reads; it was left untouched: merge them into one and run again",
        .path.display()
    )]
    Duplicate {
        path: PathBuf,
        key: String,
        line: usize,
    },

    /// `uninstall` of an entry mcp-create did not write.
    #[error(
        "{client}'s entry {name:?} in {} is not the one mcp-create would install ({reason}); it was \
         left in place: pass --force to remove it anyway",
        .path.display()
    )]
    NotOurs {
        client: &'static str,
        name: String,
        path: PathBuf,
        reason: String,
    },

    /// `uninstall` of a server the client does not have.
    #[error("{client} has no server named {name:?} in {}", .path.display())]
    NotInstalled {
        client: &'static str,
        name: String,
        path: PathBuf,
    },

    /// The server failed the pre-install check.
    #[error(
        "refusing to install {name:?}: checking `{command}` as a client would start it failed: \
         {source}\nfix the server, give it the variables it needs with --env KEY=VALUE, or pass \
         --no-check to install anyway"
    )]
    CheckFailed {
        name: String,
        command: String,
        #[source]
        source: crate::connect::ProbeError,
    },

    /// `--client detected` found no client on this machine.
    #[error(
        "no MCP client found on this machine (see `mcp-create clients`); name one with --client"
    )]
    NoneDetected,

    /// `--client detected`: some files could not be written (each is named above).
    #[error("{failed} of {total} client configs were not written (see above)")]
    SomeFailed { failed: usize, total: usize },

    /// `--link` for a client that has no install link.
    #[error("{client} has no install link; --link works with cursor and vscode")]
    NoLink { client: &'static str },

    /// `--env` that is not KEY=VALUE.
    #[error("--env {0:?} is not KEY=VALUE")]
    BadEnv(String),

    /// `doctor` found registry entries it cannot use, entries that drifted or client configs it
    /// cannot read (see its report).
    #[error(
        "doctor found {} (see above); fix an invalid registry entry, re-run `install NAME --client \
         CLIENT --force` for a drifted entry, fix or move aside an unreadable file",
        doctor_found(*.invalid, *.drifted, *.unreadable)
    )]
    DoctorFound {
        invalid: usize,
        drifted: usize,
        unreadable: usize,
    },

    /// The registry file, a file operation or a safe write failed.
    #[error(transparent)]
    Core(#[from] crate::error::Error),

    /// A registry entry is missing or cannot be used.
    #[error(transparent)]
    Registry(#[from] crate::registry::RegistryError),

    /// A client config could not be written safely.
    #[error(transparent)]
    Write(#[from] crate::writer::WriteError),

    /// `add` failed.
    #[error(transparent)]
    Add(#[from] crate::add::AddError),
}

/// `Result` with [`ClientError`].
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// "1 drifted entry and 2 unreadable client configs", leaving out what is zero.
fn doctor_found(invalid: usize, drifted: usize, unreadable: usize) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    [
        count(
            invalid,
            "invalid registry entry",
            "invalid registry entries",
        ),
        count(drifted, "drifted entry", "drifted entries"),
        count(
            unreadable,
            "unreadable client config",
            "unreadable client configs",
        ),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" and ")
}

impl ClientError {
    /// 2 for input the user can correct on the command line, 3 when `doctor` cannot read a
    /// client config, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ClientError::UnknownClient { .. }
            | ClientError::NoScope { .. }
            | ClientError::Conflict { .. }
            | ClientError::NotOurs { .. }
            | ClientError::NoLink { .. }
            | ClientError::BadEnv(_) => 2,
            ClientError::DoctorFound { unreadable, .. } if *unreadable > 0 => 3,
            ClientError::Syntax { .. } | ClientError::Shape { .. } => 3,
            ClientError::Core(error) => error.exit_code(),
            ClientError::Registry(error) => error.exit_code(),
            ClientError::Add(error) => error.exit_code(),
            _ => 1,
        }
    }
}
