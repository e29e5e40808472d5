//! The arguments of `mcp-create new`, as parsed (see [`super::plan`] for the checked form).

use std::path::PathBuf;

use clap::Args;

use crate::transport::Transport;

/// Arguments of `mcp-create new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The server's name, as you would say it: "weather", "Weather API", "weather_api"
    pub name: String,
    /// Template name or alias (see `mcp-create templates`)
    #[arg(long, short, default_value = "rust")]
    pub template: String,
    /// Directory in which the project folder is created [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// HTTP port [default: the first port from 8000 that no registered server uses]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// One line about the server
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The transport the registered command starts with
    #[arg(long, value_enum, default_value_t = Transport::Stdio)]
    pub transport: Transport,
    /// Do not add the server to the registry
    #[arg(long)]
    pub no_register: bool,
    /// Do not add a Rust project to the enclosing Cargo workspace (make it standalone instead)
    #[arg(long)]
    pub no_workspace: bool,
    /// Print what would be written and registered, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Add missing files to a non-empty destination (existing files are kept) and replace an
    /// existing registry entry
    #[arg(long)]
    pub force: bool,
}

impl NewArgs {
    /// Arguments for `name` with every default, as `mcp-create new <name>` would have them.
    pub fn new(name: impl Into<String>) -> NewArgs {
        NewArgs {
            name: name.into(),
            template: "rust".into(),
            path: None,
            port: None,
            description: None,
            transport: Transport::Stdio,
            no_register: false,
            no_workspace: false,
            dry_run: false,
            force: false,
        }
    }
}
