//! Acceptance 6: the mcp-create binary, installed into a folder outside the checkout and run from
//! another, generates a Rust project whose `cargo build --release` succeeds: the templates and the SDK it
//! vendors travel inside the binary.
//!
//! `cargo install --path mcp-create` builds this same crate and copies its binary to `<root>/bin`;
//! the test copies the binary this test run built. A real `cargo install` would resolve features
//! for mcp-create alone and build a second copy of most of its dependency tree (a minute of a cold
//! two-core run) to check nothing the copy does not.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::project::{cargo_envs, files_under, sh, shared_target_dir, temp_dir};

#[test]
fn installed_mcp_create_generates_a_rust_project_that_builds_outside_the_checkout() {
    let started = Instant::now();
    let target = shared_target_dir(env!("CARGO_TARGET_TMPDIR"));
    let root = temp_dir();
    let envs = cargo_envs(env!("CARGO_TARGET_TMPDIR"));
    let binary = root.path().join("bin/mcp-create");
    std::fs::create_dir(root.path().join("bin")).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_mcp-create"), &binary).unwrap();

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

    sh(&project, "cargo build --release", &envs);
    let server = target.join("release/installed-check");
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
