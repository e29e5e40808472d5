//! The error of the generator and of what every command shares (the registry file, safe writes):
//! each message says what went wrong, where, and how to fix it. Feature modules (`clients`, `manage`,
//! `add`) wrap it in their own error type; `commands::CommandError` gathers those at the edge.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while planning, rendering, writing or registering a project.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The NAME argument cannot name a project in the chosen language.
    #[error("invalid name {name:?}: {reason}")]
    InvalidName { name: String, reason: String },

    /// `--template` matches no template name, alias or variant.
    #[error("unknown template {name:?}; available: {available} (see `mcp-create templates`)")]
    UnknownTemplate { name: String, available: String },

    /// A template.toml that does not parse.
    #[error("template {template}: cannot parse {file}")]
    Manifest {
        template: String,
        file: String,
        #[source]
        source: Box<toml_edit::de::Error>,
    },

    /// A template that breaks the contract of templates/README.md.
    #[error("template {template}: {reason}")]
    Template { template: String, reason: String },

    /// Tera failed on one file (syntax error or undefined variable).
    #[error("template {template}: cannot render {file}")]
    Render {
        template: String,
        file: String,
        #[source]
        source: Box<tera::Error>,
    },

    /// The destination holds files and `--force` was not given.
    #[error(
        "{} already exists and is not empty; choose another name or --path, or pass --force to add \
         the missing files (existing files are kept)",
        .path.display()
    )]
    DestinationNotEmpty { path: PathBuf },

    /// Something in the destination stands where a file of the project must go.
    #[error(
        "cannot add {file} to {}: {} is {what} where the template needs {needs}; move it aside and \
         run again",
        .dest.display(),
        .at.display()
    )]
    Blocked {
        dest: PathBuf,
        file: String,
        at: PathBuf,
        what: &'static str,
        needs: &'static str,
    },

    /// The directory that should receive the project cannot.
    #[error("cannot create the project in {}: {reason}; choose another --path", .dir.display())]
    Parent { dir: PathBuf, reason: String },

    /// The project was written but a later step failed.
    #[error(
        "{} was created, but {step} failed; fix the cause and run the same command again with \
         --force (existing files are kept)",
        .dest.display()
    )]
    Incomplete {
        dest: PathBuf,
        step: &'static str,
        #[source]
        source: Box<Error>,
    },

    /// A file system operation failed.
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The server registry is not valid JSON; it was not touched.
    #[error(
        "{} is not valid JSON (line {line}, column {column}): {message}; it was left untouched: fix \
         it, or move it aside (`mv {0} {0}.broken`) and run again, or pass --no-register",
        .path.display()
    )]
    ConfigSyntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The server registry is JSON but not an object of objects; it was not touched.
    #[error(
        "{}: {reason}; it was left untouched: fix it, or move it aside and run again, or pass \
         --no-register",
        .path.display()
    )]
    ConfigShape { path: PathBuf, reason: String },

    /// The name is taken in the server registry and `--force` was not given.
    #[error(
        "a server named {name:?} is already registered in {}; choose another name, pass --force to \
         replace its entry, or pass --no-register",
        .path.display()
    )]
    AlreadyRegistered { name: String, path: PathBuf },

    /// `--port` is registered for another server.
    #[error(
        "port {port} is already registered for {name:?} in {}; choose another --port, or leave \
         --port out to get a free one",
        .path.display()
    )]
    PortTaken {
        port: u16,
        name: String,
        path: PathBuf,
    },

    /// No `--config`, no `MCP_SERVERS_CONFIG` and no home directory.
    #[error(
        "cannot locate the server registry: no home directory; set MCP_SERVERS_CONFIG or pass --config FILE"
    )]
    NoHome,

    /// The enclosing Cargo workspace manifest does not parse.
    #[error("cannot parse the workspace manifest {}; fix it, or pass --no-workspace", .path.display())]
    WorkspaceSyntax {
        path: PathBuf,
        #[source]
        source: Box<toml_edit::TomlError>,
    },

    /// The enclosing Cargo workspace manifest has an unexpected shape.
    #[error("{}: {reason}; fix it, or pass --no-workspace", .path.display())]
    WorkspaceShape { path: PathBuf, reason: String },

    /// The embedded mcp-sdk sources cannot be made standalone.
    #[error("cannot vendor mcp-sdk: {reason}")]
    Vendor { reason: String },

    /// A file could not be written safely (read-only, changed by another program, ...).
    #[error(transparent)]
    Write(#[from] crate::writer::WriteError),
}

impl Error {
    /// The process exit code: 2 for input the user can correct on the command line, 3 when the
    /// registry cannot be read, 1 otherwise (see docs/cli.md).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::ConfigSyntax { .. } | Error::ConfigShape { .. } => 3,
            Error::InvalidName { .. }
            | Error::UnknownTemplate { .. }
            | Error::DestinationNotEmpty { .. }
            | Error::AlreadyRegistered { .. }
            | Error::PortTaken { .. } => 2,
            _ => 1,
        }
    }

    /// Whether this is a write to standard output that failed because its reader went away
    /// (`mcp-create ... | head -1`): not worth a message.
    pub fn is_closed_output(&self) -> bool {
        matches!(self, Error::Io { path, source, .. }
            if source.kind() == io::ErrorKind::BrokenPipe && path.as_os_str() == STDOUT)
    }

    /// An [`Error::Io`] for `action` on `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

/// The name [`Error::Io`] gives standard output.
pub(crate) const STDOUT: &str = "standard output";

/// `error` and its causes on one line, `: `-separated, each said once: a cause whose text the
/// message before it already shows (some library errors repeat their source) is left out.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut shown = text.clone();
    let mut cause = error.source();
    while let Some(error) = cause {
        let next = error.to_string();
        if !next.is_empty() && !shown.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        shown = next;
        cause = error.source();
    }
    text
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
