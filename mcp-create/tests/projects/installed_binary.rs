//! Acceptance 6: `cargo install --path mcp-create --root <tmp>` (with `--debug`), then the
//! installed binary, run from a folder outside the checkout, generates a Rust project whose
//! `cargo build` succeeds.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::project::{cargo_envs, checkout, files_under, sh, shared_target_dir, temp_dir};

#[test]
fn installed_mcp_create_generates_a_rust_project_that_builds_outside_the_checkout() {
    let started = Instant::now();
    let target = shared_target_dir(env!("CARGO_TARGET_TMPDIR"));
    let root = temp_dir();
    let envs = cargo_envs(env!("CARGO_TARGET_TMPDIR"));
    // `--debug`: the dev profile, whose dependencies `cargo test --workspace` has just built in
    // the shared target folder; a release install would build mcp-create's whole dependency tree
    // again, optimised, for a test that checks what the binary carries, not how fast it runs.
    let install = format!(
        "cargo install --debug --locked --path '{}' --root '{}'",
        checkout().join("mcp-create").display(),
        root.path().display()
    );
    sh(root.path(), &install, &envs);
    let binary = root.path().join("bin/mcp-create");
    assert!(binary.is_file(), "{} was installed", binary.display());
    eprintln!("installed mcp-create in {:.1?}", started.elapsed());

    // A folder with no checkout above it; the registry is a temporary file there, too.
    let work = temp_dir();
    let config = work.path().join("mcp-servers.json");
    let output = Command::new(&binary)
        .args(["Installed Check", "--template", "rust", "--config"])
        .arg(&config)
        .current_dir(work.path())
        .env_remove("MCP_SERVERS_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the installed mcp-create failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let project = work.path().join("installed-check");
    assert!(project.join("Cargo.toml").is_file());
    assert!(
        files_under(&project)
            .iter()
            .any(|f| f.starts_with("vendor/mcp-sdk")),
        "the SDK is vendored"
    );
    let registry = std::fs::read_to_string(&config).unwrap();
    assert!(registry.contains("\"installed-check\""), "{registry}");

    sh(&project, "cargo build", &envs);
    let server = target.join("debug/installed-check");
    assert!(server.is_file(), "{} was built", server.display());
    // The server it built starts and, with stdin closed at once, exits cleanly.
    let status = Command::new(&server)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    eprintln!("acceptance 6: {:.1?}", started.elapsed());
}
