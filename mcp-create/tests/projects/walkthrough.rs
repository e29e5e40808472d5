//! docs/walkthrough-weather.md runs: the `sh` blocks of each language's part (after the page's
//! setup blocks), in order, in one bash that stops at the first failure, with this build's
//! mcp-create on PATH and a scratch registry, runtime and TMPDIR per part. The three parts are
//! independent, so they run as three tests, at the same time.

use crate::support::markdown::{self, script, sections, sh_blocks, shell};
use crate::support::{RELEASE_OPT_LEVEL, require, shared_target_dir};

/// The parts of the page that hold commands, by heading.
const PARTS: [&str; 3] = ["Rust", "Python", "TypeScript"];

fn page() -> String {
    markdown::page("docs/walkthrough-weather.md")
}

/// The `sh` blocks of the page's setup and of the part under `heading`.
fn part(heading: &str) -> Vec<String> {
    let sections = sections(&page());
    let blocks = |wanted: &str| {
        sections
            .iter()
            .filter(|(h, _)| h == wanted)
            .flat_map(|(_, text)| sh_blocks(text))
            .collect::<Vec<_>>()
    };
    let own = blocks(heading);
    assert!(
        !own.is_empty(),
        "the walkthrough has no sh block under ## {heading}"
    );
    blocks("").into_iter().chain(own).collect()
}

/// Runs the part under `heading` in a fresh sandbox; checks its output has each of `expected`.
fn run_part(heading: &str, expected: &[&str]) {
    let script = script(&format!("{heading} "), &part(heading));
    let sandbox = tempfile::tempdir().unwrap();
    let output = shell("bash", &["-eo", "pipefail", "-c"], &script, sandbox.path())
        .current_dir(sandbox.path())
        .env("MCP_SERVERS_CONFIG", sandbox.path().join("servers.json"))
        .env("MCP_RUNTIME_DIR", sandbox.path().join("runtime"))
        // Dependencies the workspace already built are reused by the generated Rust project, as
        // by every test that builds a generated project (see support/common.rs).
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env(RELEASE_OPT_LEVEL.0, RELEASE_OPT_LEVEL.1)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = format!(
        "{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the {heading} part of the walkthrough failed ({}):\n{report}",
        output.status
    );
    for expected in expected {
        assert!(
            stdout.contains(expected),
            "the {heading} part's output lacks {expected:?}:\n{report}"
        );
    }
}

#[test]
fn every_sh_block_of_the_walkthrough_is_in_a_part_that_runs() {
    let page = page();
    let all = sh_blocks(&page).len();
    assert!(all >= 5, "the walkthrough has {all} sh blocks");
    let run: usize = sections(&page)
        .iter()
        .filter(|(heading, _)| heading.is_empty() || PARTS.contains(&heading.as_str()))
        .map(|(_, text)| sh_blocks(text).len())
        .sum();
    assert_eq!(
        run,
        all,
        "every sh block sits before the first heading or under ## {}",
        PARTS.join(", ## ")
    );
}

#[test]
fn the_rust_part_of_the_weather_walkthrough_runs() {
    run_part("Rust", &["\"result\": 5", "passed"]);
}

#[test]
fn the_python_part_of_the_weather_walkthrough_runs() {
    require::tool("python3", "the Python part of the walkthrough");
    run_part("Python", &["hello from Python", "passed"]);
}

#[test]
fn the_typescript_part_of_the_weather_walkthrough_runs() {
    require::tool("node", "the TypeScript part of the walkthrough");
    require::tool("npm", "the TypeScript part of the walkthrough");
    run_part("TypeScript", &["\"result\": 42"]);
}
