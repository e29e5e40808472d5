//! docs/manage.md runs: its `sh` blocks, in order, in one shell that stops at the first failure,
//! from the checkout's root, with mcp-create on PATH and a scratch TMPDIR and HOME.

use crate::support::markdown::{page, script, sh_blocks, shell};
use crate::support::{Sandbox, checkout, require};

#[test]
fn every_sh_block_of_the_manage_page_runs() {
    require::python3();
    let blocks = sh_blocks(&page("docs/manage.md"));
    assert!(blocks.len() >= 7, "{} sh blocks", blocks.len());
    let sandbox = Sandbox::new();
    let output = shell("sh", &["-ec"], &script("", &blocks), &sandbox.base)
        .current_dir(checkout())
        .env("HOME", &sandbox.home)
        .env_remove("MCP_SERVERS_CONFIG")
        .env_remove("MCP_RUNTIME_DIR")
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
