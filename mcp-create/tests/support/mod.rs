//! The one support module of mcp-create's integration tests: both test binaries, `cli` and
//! `projects`, include it by `#[path]` and use what they need.
//!
//! - [`sandbox`]: a temporary HOME, registry, runtime directory and client folders, and the
//!   `mcp-create` binary run in them.
//! - [`require`]: the tools a test needs (python3, node, npm, cargo), failing loudly when missing.
//! - [`markdown`]: the code blocks of the docs pages, and the shell that runs them.
//! - [`open_meteo`]: a local fake of the Open-Meteo APIs (the weather walkthrough's tool).
//! - [`golden`]: the one golden-file mechanism (`MCP_CREATE_UPDATE_GOLDEN=1` rewrites).
//! - [`clients`]: the client configs of a sandbox and the client fixtures.
//! - [`servers`]: the fixture servers of the management tests and their processes.
//! - [`project`]: projects generated from the real templates into a sandbox, their README's
//!   commands, and the server they build reached over stdio and HTTP (the template tests).
//! - [`dev`]: a real client connected through `mcp-create dev` over stdio or HTTP.
//! - [`common`]: what the machine gives every test: the checkout, free ports, `PATH`, `require`.

#![allow(dead_code, unused_imports)]

pub mod clients;
pub mod common;
pub mod dev;
pub mod golden;
pub mod markdown;
pub mod open_meteo;
pub mod project;
pub mod require;
pub mod sandbox;
pub mod servers;

pub use common::{RELEASE_OPT_LEVEL, checkout, free_port, path_with};
pub use sandbox::{Run, Sandbox};

/// The environment of a cargo command run in a generated project: the workspace's target folder,
/// the running cargo first on `PATH`, unoptimised release builds (see [`common`]).
pub fn cargo_envs() -> Vec<(&'static str, std::ffi::OsString)> {
    common::cargo_envs(env!("CARGO_TARGET_TMPDIR"))
}

/// The workspace's target folder, which [`cargo_envs`] gives generated projects.
pub fn shared_target_dir() -> std::path::PathBuf {
    common::shared_target_dir(env!("CARGO_TARGET_TMPDIR"))
}
