//! The tests that generate, build and run whole projects, in one binary: cargo runs the tests of
//! one binary at the same time and test binaries one after another, and these spend most of their
//! time waiting on cargo, pip and npm. Run one file's tests with a filter, e.g.
//! `cargo test -p mcp-create --test projects add::`.

#[path = "../support/mod.rs"]
mod support;

mod add;
mod manage;
mod manage_docs;
mod reserved_names;
mod walkthrough;
