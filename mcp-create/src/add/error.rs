//! What can go wrong while adding a tool, resource or prompt to a project.

use std::io;
use std::path::PathBuf;

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

    /// A file cannot be written; nothing was changed.
    #[error(
        "cannot {action} {} (nothing was changed: fix the cause and run the same command again)",
        .path.display()
    )]
    Write {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    /// A file changed between reading and writing it; nothing was changed.
    #[error(
        "{} changed while `add` was preparing its edits; nothing was changed: run the same command \
         again",
        .path.display()
    )]
    Changed { path: PathBuf },

    /// A write failed and undoing the earlier ones failed too.
    #[error(
        "cannot {action} {}, and undoing the earlier changes failed for {} (restore them from \
         version control)",
        .path.display(),
        .unrestored.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Partial {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
        unrestored: Vec<PathBuf>,
    },
}

impl AddError {
    /// 2 for input the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            AddError::BadName { .. } | AddError::Exists { .. } | AddError::Taken { .. } => 2,
            _ => 1,
        }
    }
}
