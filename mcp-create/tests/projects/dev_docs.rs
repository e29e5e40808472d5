//! docs/dev.md runs: its `sh` blocks, in order, in one shell that stops at the first failure,
//! from the checkout's root, with mcp-create on PATH and a scratch TMPDIR and HOME.

use crate::support::markdown::run_page;
use crate::support::{Sandbox, require};

#[test]
fn every_sh_block_of_the_dev_page_runs() {
    require::python3();
    let out = run_page("docs/dev.md", 5, &Sandbox::new());
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
