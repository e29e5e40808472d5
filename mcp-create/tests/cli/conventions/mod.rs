//! The command-line conventions of issue 14, as a user meets them: shell completion in a real bash,
//! `--json` documents and errors, progress on a terminal and none in a pipe, `NO_COLOR`, and
//! docs/cli.md against `--help`.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::require::python3 as require_python;
use crate::support::{Run, Sandbox};

/// The folder of the `mcp-create` binary, for a PATH that finds it.
fn bin_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_mcp-create"))
        .parent()
        .unwrap()
}

/// `PATH` with the binary's folder first.
fn path_with_bin() -> std::ffi::OsString {
    let mut paths = vec![bin_dir().to_owned()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// Parses a `--json` document and checks its `version` and `command`.
fn document(run: &Run, command: &str) -> Value {
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "{command}: stdout is not one JSON document ({e}):\n{}\n{}",
            run.stdout, run.stderr
        )
    });
    assert_eq!(doc["version"], json!(1), "{doc:#}");
    assert_eq!(doc["command"], json!(command), "{doc:#}");
    doc
}

/// Asserts that `doc` has every key of `keys`.
fn has_keys(doc: &Value, keys: &[&str]) {
    for key in keys {
        assert!(doc.get(key).is_some(), "no {key:?} in {doc:#}");
    }
}

#[test]
fn bash_completes_subcommands_and_registered_server_names() {
    let sandbox = Sandbox::new();
    sandbox.register_toy("weather", "weather", json!({}));
    sandbox.register_toy("wiki", "notes", json!({}));
    let script = r#"
source <(mcp-create completions bash)
complete -p mcp-create >/dev/null || exit 9
show() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_TYPE=9
  _clap_complete_mcp_create mcp-create "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  echo "${COMPREPLY[*]}"; }
show mcp-create st
show mcp-create start w
show mcp-create install weather --client claude-c
"#;
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .envs(sandbox.envs())
        .env("PATH", path_with_bin())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        ["start stop status", "weather wiki", "claude-code"],
        "{stderr}"
    );
}

#[test]
fn every_shell_gets_a_completion_script() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = sandbox.ok(&["completions", shell]);
        assert!(script.contains("MCP_CREATE_COMPLETE"), "{shell}:\n{script}");
    }
    // A subcommand's name wins over the `mcp-create NAME` shorthand.
    sandbox.fails_with(&["completions", "tcsh"], 2, "invalid value 'tcsh'");
}

#[test]
fn every_json_document_has_its_documented_shape() {
    require_python();
    let sandbox = Sandbox::new();
    // An absolute script: a client (and install's check) starts it outside the project folder.
    let toy = crate::support::servers::fixtures().join("toy.py");
    sandbox.register_toy("weather", "weather", json!({"args": [toy, "weather"]}));
    let ok = |args: &[&str], command: &str| {
        let run = sandbox.run(args);
        assert_eq!(run.code, Some(0), "{args:?}: {}{}", run.stdout, run.stderr);
        document(&run, command)
    };

    let list = ok(&["list", "--json"], "list");
    assert_eq!(list["servers"][0]["name"], json!("weather"), "{list:#}");
    let status = ok(&["status", "--json"], "status");
    assert_eq!(
        status["servers"][0]["state"],
        json!("stopped"),
        "{status:#}"
    );
    has_keys(
        &status["servers"][0],
        &["name", "pid", "health", "uptime_secs", "url"],
    );
    let templates = ok(&["--json", "templates"], "templates");
    let names: Vec<&str> = templates["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"rust") && names.contains(&"python"),
        "{templates:#}"
    );
    has_keys(
        &templates["templates"][0],
        &["language", "description", "aliases", "variants"],
    );
    let clients = ok(&["clients", "--json"], "clients");
    let listed = clients["clients"].as_array().unwrap();
    assert!(listed.len() >= 16, "{clients:#}");
    has_keys(&listed[0], &["name", "found", "scopes"]);
    has_keys(&listed[0]["scopes"][0], &["scope", "path"]);
    let doctor = ok(&["doctor", "--json"], "doctor");
    has_keys(
        &doctor,
        &[
            "toolchains",
            "registry",
            "client_configs",
            "unreadable",
            "servers",
            "ok",
        ],
    );
    assert_eq!(doctor["servers"][0]["name"], json!("weather"));
    let call = ok(
        &[
            "call",
            "weather",
            "get_weather",
            r#"{"city": "Oslo"}"#,
            "--json",
        ],
        "call",
    );
    assert_eq!(call["is_error"], json!(false));
    assert!(call["text"].as_str().unwrap().contains("Oslo"), "{call:#}");
    assert!(call["result"]["content"].is_array(), "{call:#}");
    let route = ok(&["route", "weather forecast for a city", "--json"], "route");
    assert_eq!(route["servers"][0]["name"], json!("weather"), "{route:#}");
    has_keys(&route["servers"][0], &["score", "matched"]);
    assert_eq!(route["started"], json!([]));
    let test = ok(&["test", "weather", "--json"], "test");
    assert_eq!(test["failed"], json!(0), "{test:#}");
    has_keys(
        &test["checks"][0],
        &["server", "transport", "check", "ok", "detail", "ms"],
    );

    let install = ok(
        &["install", "weather", "--client", "claude-code", "--json"],
        "install",
    );
    assert_eq!(install["change"], json!("installed"), "{install:#}");
    let config = sandbox.home.join(".claude.json");
    assert_eq!(install["path"], json!(config), "{install:#}");
    assert!(
        install["checked"]["tools"]
            .as_array()
            .unwrap()
            .contains(&json!("get_weather"))
    );
    let again = ok(
        &["install", "weather", "--client", "claude-code", "--json"],
        "install",
    );
    assert_eq!(again["change"], json!("unchanged"));
    let dry = ok(
        &[
            "uninstall",
            "weather",
            "--client",
            "claude-code",
            "--dry-run",
            "--json",
        ],
        "uninstall",
    );
    assert_eq!(dry["change"], json!("dry-run"));
    assert!(dry["diff"].as_str().unwrap().contains("-"), "{dry:#}");
    let uninstall = ok(
        &["uninstall", "weather", "--client", "claude-code", "--json"],
        "uninstall",
    );
    assert_eq!(uninstall["change"], json!("removed"));
    assert!(
        Path::new(uninstall["backup"].as_str().unwrap()).is_file(),
        "{uninstall:#}"
    );

    let dest = sandbox.base.join("projects");
    fs::create_dir(&dest).unwrap();
    let new = ok(
        &[
            "new",
            "demo",
            "--template",
            "python",
            "--path",
            dest.to_str().unwrap(),
            "--json",
        ],
        "new",
    );
    assert_eq!(new["path"], json!(dest.join("demo")));
    assert!(
        new["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "pyproject.toml"),
        "{new:#}"
    );
    assert_eq!(new["registration"]["name"], json!("demo"));
    assert_eq!(new["registration"]["entry"], json!(sandbox.entry("demo")));
    let man = ok(
        &[
            "man",
            "--out",
            sandbox.base.join("man").to_str().unwrap(),
            "--json",
        ],
        "man",
    );
    assert!(man["files"].as_array().unwrap().len() > 10, "{man:#}");
    assert!(sandbox.base.join("man/mcp-create-start.1").is_file());
}

#[test]
fn errors_are_json_with_the_documented_exit_code() {
    let sandbox = Sandbox::new();
    sandbox.register_toy("weather", "weather", json!({}));
    let error = |args: &[&str], command: Value, code: i32| {
        let run = sandbox.run(args);
        assert_eq!(
            run.code,
            Some(code),
            "{args:?}: {}{}",
            run.stdout,
            run.stderr
        );
        let doc: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.stdout));
        assert_eq!(
            (&doc["version"], &doc["command"]),
            (&json!(1), &command),
            "{doc:#}"
        );
        assert_eq!(doc["error"]["exit_code"], json!(code), "{doc:#}");
        doc["error"]["message"].as_str().unwrap().to_owned()
    };
    let message = error(&["status", "waether", "--json"], json!("status"), 2);
    assert!(message.contains("did you mean \"weather\""), "{message}");
    error(
        &["call", "weather", "get_weather", "[1]", "--json"],
        json!("call"),
        2,
    );
    error(
        &["install", "weather", "--client", "nope", "--json"],
        json!("install"),
        2,
    );
    error(&["start", "weather", "--json"], json!("start"), 2);
    let message = error(&["list", "--json", "--no-such-flag"], Value::Null, 2);
    assert!(message.contains("--no-such-flag"), "{message}");
    fs::write(&sandbox.config, "{ not json").unwrap();
    for command in ["list", "status", "doctor", "route"] {
        let args = if command == "route" {
            vec![command, "x", "--json"]
        } else {
            vec![command, "--json"]
        };
        let message = error(&args, json!(command), 3);
        assert!(message.contains("is not valid JSON"), "{message}");
    }
}

/// Runs `mcp-create args` in the sandbox under a pseudo-terminal (`script`); returns the screen.
fn on_a_terminal(sandbox: &Sandbox, args: &str, extra: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_mcp-create"));
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .envs(sandbox.envs())
        .envs(extra.iter().copied())
        .current_dir(&sandbox.work)
        .output()
        .expect("`script` (util-linux) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The bytes of `text` that are control characters other than a newline.
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect()
}

#[test]
fn start_shows_progress_on_a_terminal_and_nothing_in_a_pipe() {
    require_python();
    let sandbox = Sandbox::new();
    sandbox.register_toy("weather", "weather", json!({}));
    let screen = on_a_terminal(&sandbox, "start weather", &[("TERM", "xterm")]);
    assert!(
        screen.contains("waiting for its health check"),
        "no progress line on the terminal:\n{screen:?}"
    );
    assert!(screen.contains("started weather"), "{screen:?}");
    sandbox.ok(&["stop", "weather"]);

    let run = sandbox.run(&["start", "weather"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("started weather"), "{}", run.stdout);
    assert_eq!(
        controls(&run.stdout),
        Vec::<char>::new(),
        "stdout: {:?}",
        run.stdout
    );
    assert_eq!(
        controls(&run.stderr),
        Vec::<char>::new(),
        "stderr: {:?}",
        run.stderr
    );
    assert!(!run.stderr.contains("waiting"), "{:?}", run.stderr);
    sandbox.ok(&["stop", "weather"]);

    // --verbose: the progress as a plain line on stderr; --quiet: none, even on a terminal.
    let run = sandbox.run(&["start", "weather", "--verbose"]);
    assert!(
        run.stderr.contains("waiting for its health check"),
        "{:?}",
        run.stderr
    );
    assert_eq!(
        controls(&run.stderr),
        Vec::<char>::new(),
        "stderr: {:?}",
        run.stderr
    );
    sandbox.ok(&["stop", "weather"]);
    let screen = on_a_terminal(&sandbox, "start weather --quiet", &[("TERM", "xterm")]);
    assert!(!screen.contains("waiting"), "{screen:?}");
    sandbox.ok(&["stop", "weather"]);
}

#[test]
fn no_color_removes_every_escape_sequence() {
    let sandbox = Sandbox::new();
    sandbox.register_toy("weather", "weather", json!({}));
    let cases: [&[&str]; 4] = [
        &["--help"],
        &["start", "--help"],
        &["list", "--no-such-flag"],
        &["status", "waether"],
    ];
    for args in cases {
        let coloured = sandbox
            .command(args)
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        let plain = sandbox
            .command(args)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let coloured = text(&coloured.stdout) + &text(&coloured.stderr);
        let plain_text = text(&plain.stdout) + &text(&plain.stderr);
        assert!(
            coloured.contains('\x1b'),
            "{args:?}: CLICOLOR_FORCE gave no colour:\n{coloured}"
        );
        assert!(
            !plain_text.contains('\x1b'),
            "{args:?}: escapes despite NO_COLOR:\n{plain_text:?}"
        );
    }
    // On a terminal, colour by default; none with NO_COLOR.
    assert!(on_a_terminal(&sandbox, "--help", &[("TERM", "xterm")]).contains('\x1b'));
    let screen = on_a_terminal(&sandbox, "--help", &[("TERM", "xterm"), ("NO_COLOR", "1")]);
    assert!(!screen.contains('\x1b'), "{screen:?}");
}

#[test]
fn docs_cli_md_lists_the_commands_of_help() {
    let sandbox = Sandbox::new();
    let help = sandbox.ok(&["--help"]);
    let mut listed: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    let docs =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md")).unwrap();
    let mut documented: Vec<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("### `mcp-create "))
        .filter_map(|rest| rest.split([' ', '`']).next())
        .collect();
    listed.sort();
    documented.sort();
    assert_eq!(
        documented, listed,
        "docs/cli.md's `### `mcp-create COMMAND` headings"
    );
    for code in ["| 0 |", "| 1 |", "| 2 |", "| 3 |"] {
        assert!(
            docs.contains(code),
            "docs/cli.md has no exit code row {code}"
        );
    }
    for code in [
        "0  success",
        "1  a check",
        "2  usage error",
        "3  the server registry",
    ] {
        assert!(
            help.contains(code),
            "--help does not document exit code {code:?}"
        );
    }
}
