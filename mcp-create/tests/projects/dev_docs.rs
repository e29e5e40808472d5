//! docs/dev.md runs: its `sh` blocks, in order, in one shell that stops at the first failure,
//! from the checkout's root, with mcp-create on PATH and a scratch TMPDIR and HOME.

use crate::support::markdown::{page, script, sh_blocks, shell};
use crate::support::{Sandbox, checkout, require};

#[test]
fn every_sh_block_of_the_dev_page_runs() {
    require::python3();
    let blocks = sh_blocks(&page("docs/dev.md"));
    assert!(blocks.len() >= 5, "{} sh blocks", blocks.len());
    let sandbox = Sandbox::new();
    let output = shell("sh", &["-ec"], &script("", &blocks), &sandbox.base)
        .current_dir(checkout())
        .env("HOME", &sandbox.home)
        .env("XDG_CONFIG_HOME", sandbox.base.join("xdg"))
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
        "docs/dev.md failed ({}):\n{out}",
        output.status
    );
    for said in [
        "lists 1 tool(s): hello",
        "the entry runs mcp-create dev",
        "the entry runs the server again",
        r#""name":"hello""#,
        "notifications/tools/list_changed",
        r#""text":"pong""#,
        "reloaded",
    ] {
        assert!(
            out.contains(said),
            "{said:?} not in the page's output:\n{out}"
        );
    }
}
