//! `mcp-create` as a user runs it, through the real binary in sandboxes, in one test binary (one
//! link, and the tests of all files run at the same time). Run one file's tests with a filter,
//! e.g. `cargo test -p mcp-create --test cli writer::`.
//!
//! - generate: `mcp-create NAME` and `new`: generate, register, refuse bad input, write nothing.
//! - names: the names that would break a project of a template, refused with a reason.
//! - conventions: the command-line conventions (help, completions, exit codes, pipes, progress).
//! - clients: `install`, `uninstall` and `doctor` on every client's config file.
//! - writer: the one writer: concurrent writes, outside writers, odd files.
//! - ownership: only the processes mcp-create started are signalled; none is left behind.
//! - probe: the one MCP probe, strict about what a server prints.
//! - dev: `mcp-create dev`, a client connected through it while the server reloads.
//! - module_graph: mcp-create's top-level modules import each other without a cycle.

#[path = "../support/mod.rs"]
mod support;

mod clients;
mod conventions;
mod dev;
mod generate;
mod module_graph;
mod names;
mod ownership;
mod probe;
mod writer;
