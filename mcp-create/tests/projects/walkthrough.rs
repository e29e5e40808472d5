//! docs/walkthrough-weather.md runs: the `sh` blocks of each language's part (after the page's
//! setup blocks), in order, in one bash that stops at the first failure, with this build's
//! mcp-create on PATH and a scratch registry, runtime and TMPDIR per part. The three parts are
//! independent, so they run as three tests, at the same time.

use crate::doc_blocks;

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use doc_blocks::sh_blocks;

/// The parts of the page that hold commands, by heading.
const PARTS: [&str; 3] = ["Rust", "Python", "TypeScript"];

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

fn page() -> String {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::read_to_string(checkout.join("docs/walkthrough-weather.md")).unwrap()
}

/// The page cut at its `## ` headings: (heading, text), the text before the first heading under "".
fn sections(page: &str) -> Vec<(String, String)> {
    let mut sections = vec![(String::new(), String::new())];
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.trim().to_owned(), String::new()));
        }
        let text = &mut sections.last_mut().expect("one section at least").1;
        text.push_str(line);
        text.push('\n');
    }
    sections
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
    let script: String = part(heading)
        .iter()
        .enumerate()
        .map(|(i, block)| format!("echo '>>> {heading} block {}'\n{block}", i + 1))
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
    require("python3", "the Python part of the walkthrough");
    run_part("Python", &["hello from Python", "passed"]);
}

#[test]
fn the_typescript_part_of_the_weather_walkthrough_runs() {
    require("node", "the TypeScript part of the walkthrough");
    require("npm", "the TypeScript part of the walkthrough");
    run_part("TypeScript", &["\"result\": 42"]);
}
