//! The end-to-end tests in one binary: cargo runs the tests of one binary at the same time, and
//! test binaries one after another. Run one file's tests with a filter, e.g.
//! `cargo test -p workspace-tests --test end_to_end templates_rust`.

#[path = "installed_binary.rs"]
mod installed_binary;
#[path = "templates_python.rs"]
mod templates_python;
#[path = "templates_rust.rs"]
mod templates_rust;
#[path = "templates_typescript.rs"]
mod templates_typescript;
