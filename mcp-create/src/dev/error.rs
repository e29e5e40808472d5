//! What can go wrong in `mcp-create dev` before the front serves.

use std::path::PathBuf;

use crate::manage::ManageError;
use crate::registry::RegistryError;

/// Every failure of `dev`: what, where, how to fix.
#[derive(Debug, thiserror::Error)]
pub enum DevError {
    /// The server is unknown, or its entry cannot be used.
    #[error(transparent)]
    Registry(#[from] RegistryError),

    /// The registry or the runtime directory cannot be read.
    #[error(transparent)]
    Manage(#[from] ManageError),

    /// Neither a name nor `--project` was given, or both.
    #[error("{0}")]
    Usage(String),

    /// The registered server has no project folder to watch.
    #[error(
        "{name}: its entry has no `path` (or the folder does not exist), so there are no sources \
         to watch; add the project folder as `path` in {}",
        .config.display()
    )]
    NoProject { name: String, config: PathBuf },

    /// An unregistered project without a command to start it.
    #[error(
        "{}: no registered server has this folder as its `path`, so dev does not know how to \
         start it; give the command after `--` (mcp-create dev --project DIR -- python3 server.py)",
        .dir.display()
    )]
    NoCommand { dir: PathBuf },

    /// The watcher could not start.
    #[error("cannot watch {}: {reason}", .dir.display())]
    Watch { dir: PathBuf, reason: String },

    /// The first server never completed its handshake.
    #[error("the server did not start: {0}")]
    FirstStart(String),

    /// Standard input or output failed.
    #[error("{0}")]
    Io(String),
}

impl DevError {
    /// 2 for a usage error, 3 for an unreadable registry, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            DevError::Registry(error) => error.exit_code(),
            DevError::Manage(error) => error.exit_code(),
            DevError::Usage(_) | DevError::NoCommand { .. } | DevError::NoProject { .. } => 2,
            _ => 1,
        }
    }
}
