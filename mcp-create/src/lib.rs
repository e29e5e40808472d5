//! mcp-create: generate MCP server projects (Rust, Python, TypeScript) from embedded templates,
//! add them to the enclosing Cargo workspace, and register them in `~/.mcp-servers.json`.
//!
//! `new` holds the generator: `NewArgs` -> [`Plan::new`] (every check, nothing written) -> [`generate`]
//! (render in memory, write through a staging folder, join the workspace, register).

pub mod add;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod config;
pub mod connect;
pub mod dev;
pub mod error;
pub mod manage;
pub mod new;
pub mod output;
pub mod registry;
pub mod transport;
pub mod writer;

pub use cli::Cli;
pub use commands::run;
pub use error::{Error, Result};
pub use new::args::NewArgs;
pub use new::generate::{Generated, generate};
pub use new::plan::Plan;
pub use new::templates::Templates;
pub use transport::Transport;
