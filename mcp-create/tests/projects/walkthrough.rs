//! docs/walkthrough-weather.md runs: the `sh` blocks of each language's part (after the page's
//! setup blocks), in order, in one bash that stops at the first failure, with this build's
//! mcp-create on PATH, a scratch registry, runtime, client config folder and TMPDIR per part, and
//! the Open-Meteo URLs pointing at a local fake of the APIs. The three parts are independent, so
//! they run as three tests, at the same time.

use crate::support::markdown::{self, script, sections, sh_blocks, shell};
use crate::support::{RELEASE_OPT_LEVEL, open_meteo, require, shared_target_dir};

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

/// What every part prints: `get_forecast`'s answers from the fake API (its numbers) and its error
/// for a city the API does not know.
fn forecast_output() -> Vec<String> {
    let (lows, highs) = (open_meteo::LOWS, open_meteo::HIGHS);
    vec![
        format!("Forecast for {}, Germany:", open_meteo::CITY),
        format!("2026-12-01: {} to {} °C, 0.2 mm", lows[0], highs[0]),
        format!("2026-12-03: {} to {} °C, 11.2 mm", lows[2], highs[2]),
        "no city named \"Atlantis\" was found".into(),
        "exit code 1".into(),
    ]
}

/// Runs the part under `heading` in a fresh sandbox; checks its stdout has each of `expected`, its
/// output [`forecast_output`], and that Claude Desktop's config holds the server `name`.
fn run_part(heading: &str, name: &str, expected: &[&str]) {
    let script = script(&format!("{heading} "), &part(heading));
    let sandbox = tempfile::tempdir().unwrap();
    let api = open_meteo::start();
    let xdg = sandbox.path().join("xdg");
    let output = shell("bash", &["-eo", "pipefail", "-c"], &script, sandbox.path())
        .current_dir(sandbox.path())
        .env("MCP_SERVERS_CONFIG", sandbox.path().join("servers.json"))
        .env("MCP_RUNTIME_DIR", sandbox.path().join("runtime"))
        // Where `install` writes Claude Desktop's config on Linux (never the real one).
        .env("XDG_CONFIG_HOME", &xdg)
        .env("OPEN_METEO_URL", &api)
        .env("OPEN_METEO_GEOCODING_URL", &api)
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
    // `mcp-create call` prints a tool's error on stderr.
    for expected in forecast_output() {
        assert!(
            report.contains(&expected),
            "the {heading} part's output lacks {expected:?}:\n{report}"
        );
    }
    let answer = through_dev(name, sandbox.path(), &api);
    assert!(
        answer.contains(&forecast_output()[1]),
        "get_forecast through `mcp-create dev {name}` answered:\n{answer}"
    );
    let desktop = xdg.join("Claude/claude_desktop_config.json");
    let config = std::fs::read_to_string(&desktop).unwrap_or_default();
    let config: serde_json::Value = serde_json::from_str(&config).unwrap_or_default();
    assert!(
        config["mcpServers"][name]["command"].is_string(),
        "the {heading} part did not install {name} into {}:\n{config:#}\n{report}",
        desktop.display()
    );
}

/// What `get_forecast` answers for the fake's city to an rmcp client connected through
/// `mcp-create dev NAME`, as the page's dev loop has a client connected.
fn through_dev(name: &str, sandbox: &std::path::Path, api: &str) -> String {
    use rmcp::ServiceExt;
    use rmcp::model::CallToolRequestParams;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcp-create"));
    command
        .args(["dev", name])
        .env("MCP_SERVERS_CONFIG", sandbox.join("servers.json"))
        .env("MCP_RUNTIME_DIR", sandbox.join("runtime"))
        .env("OPEN_METEO_URL", api)
        .env("OPEN_METEO_GEOCODING_URL", api);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let transport = rmcp::transport::TokioChildProcess::new(command).unwrap();
        let client = ().serve(transport).await.expect("handshake through dev");
        let arguments = serde_json::json!({"city": open_meteo::CITY});
        let request = CallToolRequestParams::new("get_forecast")
            .with_arguments(arguments.as_object().unwrap().clone());
        let result = client.call_tool(request).await.unwrap();
        client.cancel().await.unwrap();
        serde_json::to_string(&result.content).unwrap()
    })
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
    run_part("Rust", "weather-rs", &["\"result\": 5", "passed"]);
}

#[test]
fn the_python_part_of_the_weather_walkthrough_runs() {
    require::tool("python3", "the Python part of the walkthrough");
    run_part("Python", "weather-py", &["hello from Python", "passed"]);
}

#[test]
fn the_typescript_part_of_the_weather_walkthrough_runs() {
    require::tool("node", "the TypeScript part of the walkthrough");
    require::tool("npm", "the TypeScript part of the walkthrough");
    run_part("TypeScript", "weather-ts", &["\"result\": 42"]);
}
