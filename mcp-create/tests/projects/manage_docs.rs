//! docs/manage.md runs: its `sh` blocks, in order, in one shell that stops at the first failure,
//! from the checkout's root, with mcp-create on PATH and a scratch TMPDIR and HOME.

use crate::support::markdown::run_page;
use crate::support::{Sandbox, require};

#[test]
fn every_sh_block_of_the_manage_page_runs() {
    require::python3();
    let out = run_page("docs/manage.md", 7, &Sandbox::new());
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
