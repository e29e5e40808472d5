//! mcp-create: generate MCP server projects (Rust, Python, TypeScript) from embedded templates,
//! add them to the enclosing Cargo workspace, and register them in `~/.mcp-servers.json`.
//!
//! The flow is `cli::NewArgs` -> [`Plan::new`] (every check, nothing written) -> [`generate`]
//! (render in memory, write through a staging folder, join the workspace, register).

pub mod add;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod config;
pub mod connect;
pub mod error;
pub mod generate;
pub mod manage;
pub mod manifest;
pub mod names;
pub mod plan;
pub mod registry;
pub mod render;
pub mod stage;
pub mod templates;
pub mod transport;
pub mod tree;
pub mod variables;
pub mod vendor;
pub mod workspace;
pub mod writer;

mod ignored;

pub use cli::{Cli, NewArgs};
pub use commands::run;
pub use error::{Error, Result};
pub use generate::{Generated, generate};
pub use plan::Plan;
pub use templates::Templates;
pub use transport::Transport;
