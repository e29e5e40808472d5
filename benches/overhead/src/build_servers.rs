//! Builds the server binaries a bench runs, in the profile of the running executable, so they
//! exist and match the code: `cargo build --bins` of the bench crate that includes this file, or
//! each of the named packages of its workspace on its own (so features do not unify across them).

use std::process::Command;

use anyhow::{Context as _, ensure};

pub fn build_servers(packages: &[&str]) -> anyhow::Result<()> {
    let builds: Vec<Vec<&str>> = if packages.is_empty() {
        vec![vec!["--bins"]]
    } else {
        packages.iter().map(|package| vec!["-p", package]).collect()
    };
    for selection in builds {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.arg("build").args(&selection).arg("--manifest-path");
        command.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        ensure!(
            command.status().context("running cargo")?.success(),
            "building the server binaries ({}) failed",
            selection.join(" ")
        );
    }
    Ok(())
}
