//! `cargo build --bins` of the bench crate that includes this file (benches/overhead, and
//! benches/peers by `#[path]`), in the profile of the running executable, so the server binaries
//! exist and match the code.

use std::process::Command;

use anyhow::{Context as _, ensure};

pub fn build_servers() -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["build", "--bins", "--manifest-path"]);
    command.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    ensure!(
        command.status().context("running cargo")?.success(),
        "building the server binaries failed"
    );
    Ok(())
}
