//! docs/walkthrough-weather.md runs: its `sh` blocks, in order, in one bash that stops at the first
//! failure, with this build's mcp-create on PATH and a scratch registry, runtime and TMPDIR.

mod doc_blocks;

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use doc_blocks::sh_blocks;

fn require(tool: &str, why: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "{tool} is needed for {why}; install it (this test never skips)"
    );
}

#[test]
fn every_command_of_the_weather_walkthrough_runs() {
    require("python3", "the Python part of the walkthrough");
    require("node", "the TypeScript part of the walkthrough");
    require("npm", "the TypeScript part of the walkthrough");
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let page = std::fs::read_to_string(checkout.join("docs/walkthrough-weather.md")).unwrap();
    let blocks = sh_blocks(&page);
    assert!(
        blocks.len() >= 5,
        "the walkthrough has {} sh blocks",
        blocks.len()
    );
    let script: String = blocks
        .iter()
        .enumerate()
        .map(|(i, block)| format!("echo '>>> block {}'\n{block}", i + 1))
        .collect();

    let sandbox = tempfile::tempdir().unwrap();
    // Dependencies the workspace already built are reused by the generated Rust project.
    let shared_target: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_owned();
    let bin = Path::new(env!("CARGO_BIN_EXE_mcp-create"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let output = Command::new("bash")
        .args(["-eo", "pipefail", "-c", &script])
        .current_dir(sandbox.path())
        .env("PATH", path)
        .env("TMPDIR", sandbox.path())
        .env("MCP_SERVERS_CONFIG", sandbox.path().join("servers.json"))
        .env("MCP_RUNTIME_DIR", sandbox.path().join("runtime"))
        .env("CARGO_TARGET_DIR", &shared_target)
        // As every test that builds a generated project: one unoptimised release build of the
        // dependencies serves them all (see `RELEASE_OPT_LEVEL` in tests/support/lib.rs).
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = format!(
        "{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the walkthrough failed ({}):\n{report}",
        output.status
    );
    for expected in [
        "\"result\": 5",
        "hello from Python",
        "\"result\": 42",
        "passed",
    ] {
        assert!(
            stdout.contains(expected),
            "the walkthrough's output lacks {expected:?}:\n{report}"
        );
    }
}
