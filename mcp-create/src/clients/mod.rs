//! Installing registered servers into MCP clients (`install`, `uninstall`), checking installations
//! (`doctor`); `add` (see [`crate::add`]) is dispatched from here.
//!
//! The clients are data ([`table::CLIENTS`]); every command reads that one table.

mod config_file;
mod doctor;
mod entry;
mod error;
mod install;
pub mod json_edit;
mod link;
mod list;
pub mod paths;
pub mod table;
mod toml_doc;
mod write;
mod yaml_edit;

use std::{io::Write, path::Path};

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCandidates;

use crate::registry::complete::servers;

pub use error::ClientError;
pub use table::{CLIENTS, Client, Format, Scope};

use crate::transport::Transport;

/// The exit codes of `doctor`, shown by `doctor --help`.
const DOCTOR_EXIT_CODES: &str = "Exit codes:
  0  every entry found is installed as the registry says (or missing from a client)
  1  an entry drifted (path moved, binary missing, command differs), or a registry entry is
     unusable
  3  a client config or the registry cannot be read or parsed (takes precedence over 1)
The same codes as every command (see `mcp-create --help`).";

/// The client-installation subcommands (flattened into the top-level CLI).
#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Add a registered server to an MCP client's config, after checking that it starts
    Install(InstallArgs),
    /// Remove a server from an MCP client's config
    Uninstall(UninstallArgs),
    /// Report installed, missing and drifted servers for every client config found, and toolchains
    #[command(after_help = DOCTOR_EXIT_CODES)]
    Doctor,
    /// List every MCP client: whether it is on this machine, and its config file per scope
    Clients,
    /// Add a tool, resource or prompt (with a test) to a generated project
    Add(crate::add::AddArgs),
}

/// Arguments of `mcp-create install`.
#[derive(Debug, Clone, Args)]
pub struct InstallArgs {
    /// The server's name in the registry
    #[arg(add = ArgValueCandidates::new(servers))]
    pub name: String,
    /// A client id (see `mcp-create clients`), or `detected` for every client on this machine
    #[arg(long, value_name = "CLIENT", add = ArgValueCandidates::new(clients))]
    pub client: String,
    /// Which config of the client [default: the client's first, usually user]
    #[arg(long, value_enum)]
    pub scope: Option<Scope>,
    /// Print the client's install link instead of writing its file (cursor, vscode)
    #[arg(long, conflicts_with_all = ["dry_run", "scope"])]
    pub link: bool,
    /// Launch the server (stdio) or point at its URL (http) [default: the registered transport]
    #[arg(long, value_enum)]
    pub transport: Option<Transport>,
    /// Launch `mcp-create dev NAME` (reloads on every save, see docs/dev.md) instead of the
    /// server; `install` without it switches back
    #[arg(long, conflicts_with = "transport")]
    pub dev: bool,
    /// Put KEY=VALUE into the entry's env; nothing from the project's .env is copied otherwise
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Print the change as a unified diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not start the server to check it before installing
    #[arg(long)]
    pub no_check: bool,
    /// Replace a different entry of the same name
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `mcp-create uninstall`.
#[derive(Debug, Clone, Args)]
pub struct UninstallArgs {
    /// The server's name in the client's config
    #[arg(add = ArgValueCandidates::new(servers))]
    pub name: String,
    /// A client id (see `mcp-create clients`)
    #[arg(long, value_name = "CLIENT", add = ArgValueCandidates::new(clients))]
    pub client: String,
    /// Which config of the client [default: the client's first, usually user]
    #[arg(long, value_enum)]
    pub scope: Option<Scope>,
    /// Print the change as a unified diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove the entry even if it is not the one mcp-create would install for that server
    #[arg(long)]
    pub force: bool,
}

/// The client ids (and `detected`), as completion candidates.
fn clients() -> Vec<clap_complete::engine::CompletionCandidate> {
    CLIENTS
        .iter()
        .map(|client| {
            clap_complete::engine::CompletionCandidate::new(client.id)
                .help(Some(client.name.into()))
        })
        .collect()
}

/// Runs `command` against the registry at `config` (see `config::locate`).
pub fn run(
    command: &ClientCommand,
    config: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), ClientError> {
    match command {
        ClientCommand::Install(args) => install::install(args, config, out),
        ClientCommand::Uninstall(args) => install::uninstall(args, config, out),
        ClientCommand::Doctor => doctor::doctor(config, out),
        ClientCommand::Clients => list::clients(out),
        ClientCommand::Add(args) => Ok(crate::add::add(args, out)?),
    }
}
