//! docs/manage.md runs: its `sh` blocks, in order, in one shell that stops at the first failure,
//! from the checkout's root, with mcp-create on PATH and a scratch TMPDIR and HOME.

use crate::doc_blocks;
use crate::manage_support;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use doc_blocks::sh_blocks;
use manage_support::{Sandbox, checkout, require_python};

#[test]
fn every_sh_block_of_the_manage_page_runs() {
    require_python();
    let page = fs::read_to_string(checkout().join("docs/manage.md")).unwrap();
    let blocks = sh_blocks(&page);
    assert!(blocks.len() >= 7, "{} sh blocks", blocks.len());
    let script: String = blocks
        .iter()
        .enumerate()
        .map(|(i, block)| format!("echo '>>> block {}'\n{block}", i + 1))
        .collect();
    let sandbox = Sandbox::new();
    let bin = Path::new(env!("CARGO_BIN_EXE_mcp-create"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_owned()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let output = Command::new("sh")
        .args(["-ec", &script])
        .current_dir(checkout())
        .env("PATH", path)
        .env("TMPDIR", &sandbox.dir)
        .env("HOME", sandbox.dir.join("home"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("MCP_SERVERS_CONFIG")
        .env_remove("MCP_RUNTIME_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = format!(
        "{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "docs/manage.md failed ({}):\n{out}",
        output.status
    );
    for said in [
        "started weather (pid",
        "healthy",
        "stopped weather",
        "0 failed",
        "PASS  http   case health endpoint",
        "get_weather {'city': 'Paris'}",
        "started notes",
    ] {
        assert!(
            out.contains(said),
            "{said:?} not in the page's output:\n{out}"
        );
    }
    let ranked: Vec<&str> = out.lines().filter(|l| l.contains("score")).collect();
    assert!(
        ranked.first().is_some_and(|l| l.starts_with("weather")),
        "route ranks weather first:\n{out}"
    );
}
