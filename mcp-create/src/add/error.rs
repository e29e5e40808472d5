//! What can go wrong while adding a tool, resource or prompt to a project.

use std::path::PathBuf;

use crate::writer::WriteError;

/// Every failure of `add`: what, where, how to fix.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// The project's language cannot be told.
    #[error(
        "{}: not a generated MCP project (no Cargo.toml depending on mcp-sdk, pyproject.toml or \
         package.json); pass --project DIR",
        .dir.display()
    )]
    UnknownProject { dir: PathBuf },

    /// A name that cannot be an identifier in the project's language.
    #[error("invalid name {name:?}: {reason}")]
    BadName { name: String, reason: String },

    /// The name exists already.
    #[error("{}: a {kind} named {name:?} already exists; choose another name", .file.display())]
    Exists {
        kind: &'static str,
        name: String,
        file: PathBuf,
    },

    /// The name is bound otherwise at the top level of the source.
    #[error(
        "{}: {name:?} is {what} there, which a {kind} function of that name would replace; choose \
         another name, e.g. \"{name}_{kind}\"",
        .file.display()
    )]
    Taken {
        kind: &'static str,
        name: String,
        what: String,
        file: PathBuf,
    },

    /// The project's source does not have the shape the generator wrote.
    #[error("{}: {reason}; add the {kind} by hand (see docs/add.md)", .file.display())]
    Layout {
        kind: &'static str,
        file: PathBuf,
        reason: String,
    },

    /// The files cannot be written: the error says whether anything was changed.
    #[error(transparent)]
    Write(#[from] WriteError),

    /// A file could not be read.
    #[error(transparent)]
    Core(#[from] crate::error::Error),
}

/// `Result` with [`AddError`].
pub type Result<T, E = AddError> = std::result::Result<T, E>;

impl AddError {
    /// 2 for input the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            AddError::BadName { .. } | AddError::Exists { .. } | AddError::Taken { .. } => 2,
            AddError::Core(error) => error.exit_code(),
            _ => 1,
        }
    }
}
