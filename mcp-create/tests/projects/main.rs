//! The tests that generate, build and run whole projects, in one binary: cargo runs the tests of
//! one binary at the same time and test binaries one after another, and these spend most of their
//! time waiting on cargo, pip and npm. Run one file's tests with a filter, e.g.
//! `cargo test -p mcp-create --test projects add::`.
//!
//! - templates_python, templates_rust, templates_typescript: per template, one project installed
//!   once and taken through every step that needs an installed project: its README's install and
//!   test commands, the server over stdio and HTTP, the reserved names, the management lifecycle
//!   (`manage::lifecycle`), a reload through `mcp-create dev` (`support::dev`), `add`
//!   (`add::add_all_then_test_and_call`); Rust servers sharing a Cargo workspace.
//! - add, manage, manage_docs, walkthrough: the commands on generated projects, and their docs.
//! - dev_docs: docs/dev.md runs (the dev loop over stdio and HTTP, install --dev).
//! - reserved_names: the names each template's dependencies take, against the committed lists.
//! - templates_render: every template renders for the acceptance names, no machine path in it.
//! - installed_binary: the mcp-create binary installed outside the checkout.

#[path = "../support/mod.rs"]
mod support;

mod add;
mod dev_docs;
mod installed_binary;
mod manage;
mod manage_docs;
mod reserved_names;
mod templates_python;
mod templates_render;
mod templates_rust;
mod templates_typescript;
mod walkthrough;
