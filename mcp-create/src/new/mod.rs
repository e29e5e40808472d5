//! `mcp-create new`: the generator pipeline. `cli::NewArgs` -> [`plan::Plan::new`] (every check,
//! nothing written) -> [`generate::generate`] (render in memory, write through a staging folder,
//! share or vendor the SDK, join the Cargo workspace, register under the registry's lock).

pub mod args;
pub mod generate;
pub mod manifest;
pub mod names;
pub mod plan;
pub mod render;
pub mod stage;
pub mod templates;
pub mod tree;
pub mod variables;
pub mod vendor;
pub mod workspace;

mod ignored;
