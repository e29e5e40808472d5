//! `mcp-create install / uninstall / doctor` as a user runs them, on every client's config file,
//! in a sandbox whose HOME, XDG_CONFIG_HOME, APPDATA and CODEX_HOME are temporary folders.

mod support;

use std::fs;

use support::clients::{clients, config_path, fixtures, golden_file, put};
use support::markdown::fenced_blocks;
use support::{Sandbox, golden};

fn fixture_config(file: &str) -> String {
    fs::read_to_string(fixtures().join("configs").join(file)).unwrap()
}

/// Acceptance 1: install adds exactly the golden entry; uninstall gives back the original bytes.
#[test]
fn install_then_uninstall_is_byte_identical_for_every_client() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let mut failures = Vec::new();
    for (client, file) in clients() {
        let path = config_path(&sandbox, client);
        let original = fixture_config(&file);
        put(&path, &original);
        for transport in ["stdio", "http"] {
            let args = [
                "install",
                "weather",
                "--client",
                client,
                "--transport",
                transport,
            ];
            if client == "claude-desktop" && transport == "http" {
                let stderr = sandbox.fails(&args);
                assert!(stderr.contains("stdio servers only"), "{stderr}");
                assert_eq!(fs::read_to_string(&path).unwrap(), original);
                continue;
            }
            let out = sandbox.ok(&args);
            assert!(out.contains("Installed \"weather\""), "{out}");
            let installed = fs::read_to_string(&path).unwrap();
            let ext = file.rsplit('.').next().unwrap();
            if let Err(e) = golden::check(
                &golden_file(&format!("{client}.{transport}.{ext}")),
                &sandbox.portable(&installed),
            ) {
                failures.push(e);
            }
            sandbox.ok(&["uninstall", "weather", "--client", client]);
            let after = fs::read_to_string(&path).unwrap();
            if after != original {
                failures.push(format!(
                    "{client} {transport}: not byte-identical:\n{after}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Acceptance 2: a config that does not parse is left byte-identical; the error names the line.
#[test]
fn a_malformed_config_is_left_alone_and_its_line_named() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    for (client, file) in clients() {
        let path = config_path(&sandbox, client);
        let broken = if file.ends_with(".toml") {
            "model = \"o3\"\n\n[mcp_servers.other\ncommand = \"x\"\n"
        } else {
            "{\n  \"mcpServers\": {\n    \"other\": {\"command\": x}\n  }\n}\n"
        };
        put(&path, broken);
        let before = sandbox.tree();
        let stderr = sandbox.fails(&["install", "weather", "--client", client]);
        let line = "line 3";
        assert!(
            stderr.contains(&path.display().to_string()) && stderr.contains(line),
            "{client}: {stderr}"
        );
        assert!(stderr.contains("left untouched"), "{stderr}");
        let stderr = sandbox.fails(&["uninstall", "other", "--client", client]);
        assert!(stderr.contains(line), "{client}: {stderr}");
        assert_eq!(
            sandbox.tree(),
            before,
            "{client}: nothing changed, no backup"
        );
    }
}

/// Strict JSON clients refuse comments; JSONC clients keep them (acceptance 1 covers those).
#[test]
fn a_comment_in_a_strict_json_config_is_a_syntax_error() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let path = config_path(&sandbox, "cursor");
    put(&path, "{\n  // mine\n  \"mcpServers\": {}\n}\n");
    let stderr = sandbox.fails(&["install", "weather", "--client", "cursor", "--no-check"]);
    assert!(
        stderr.contains("line 2") && stderr.contains("not valid JSON"),
        "{stderr}"
    );
}

/// Acceptance 3: --dry-run prints a unified diff and changes no file.
#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    for (client, file) in clients() {
        put(&config_path(&sandbox, client), &fixture_config(&file));
    }
    let before = sandbox.tree();
    for (client, _) in clients() {
        let out = sandbox.ok(&["install", "weather", "--client", client, "--dry-run"]);
        let path = config_path(&sandbox, client).display().to_string();
        assert!(
            out.contains(&format!("--- {path}\n+++ {path}\n@@ ")),
            "{client}: {out}"
        );
        assert!(
            out.lines()
                .any(|l| l.starts_with('+') && l.contains("weather")),
            "{out}"
        );
        assert!(out.contains("nothing was written"), "{out}");
        assert!(
            !out.lines()
                .any(|l| l.starts_with('-') && !l.starts_with("---")),
            "{out}"
        );
    }
    assert_eq!(sandbox.tree(), before, "no file changed");
    // A missing file is shown as created, and still not written.
    let missing = sandbox.home.join(".cursor/mcp.json");
    fs::remove_file(&missing).unwrap();
    let before_missing = sandbox.tree();
    sandbox.ok(&["install", "weather", "--client", "cursor", "--dry-run"]);
    assert_eq!(sandbox.tree(), before_missing);
    assert!(!missing.exists());
}

/// Registers the fixture `script` as `name` and installs it into `client`: refused, saying so,
/// and no file of the sandbox changed. Returns the message.
fn refused_install(sandbox: &Sandbox, name: &str, script: &str, client: &str) -> String {
    sandbox.register_script(name, script);
    let before = sandbox.tree();
    let stderr = sandbox.fails(&["install", name, "--client", client]);
    assert!(
        stderr.contains(&format!("refusing to install \"{name}\"")),
        "{stderr}"
    );
    assert_eq!(sandbox.tree(), before);
    stderr
}

/// Acceptance 4: a server that prints a banner on stdout is refused, with its stderr.
#[test]
fn install_refuses_a_server_with_a_banner_on_stdout() {
    let sandbox = Sandbox::new();
    let stderr = refused_install(&sandbox, "noisy", "banner.py", "cursor");
    assert!(
        stderr.contains("banner.py: logging to stdout by mistake"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-check"), "{stderr}");
    sandbox.ok(&["install", "noisy", "--client", "cursor", "--no-check"]);
}

/// Acceptance 4: a server that exits at start is refused, with its stderr.
#[test]
fn install_refuses_a_server_that_exits_at_start() {
    let sandbox = Sandbox::new();
    let stderr = refused_install(&sandbox, "broken", "crash.py", "claude-code");
    assert!(stderr.contains("WEATHER_API_KEY is not set"), "{stderr}");
}

/// The launcher is written as an absolute path, resolved at install time.
#[test]
fn install_writes_the_absolute_launcher_and_reports_the_check() {
    let sandbox = Sandbox::new();
    let launcher = sandbox.register_launcher("weather");
    let out = sandbox.ok(&["install", "weather", "--client", "claude-desktop"]);
    assert!(out.contains("lists 1 tool(s): ping"), "{out}");
    let path = config_path(&sandbox, "claude-desktop");
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        config["mcpServers"]["weather"]["command"],
        launcher.display().to_string()
    );
    assert!(
        !out.contains("previous version"),
        "a new file has no backup: {out}"
    );
}

/// Secrets from .env stay out of client configs unless passed with --env.
#[test]
fn secrets_stay_out_of_client_configs_unless_given() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    fs::write(
        sandbox.base.join("weather/.env"),
        "WEATHER_API_KEY=sekrit\nMCP_AUTH_TOKEN=tok3n\n",
    )
    .unwrap();
    let out = sandbox.ok(&["install", "weather", "--client", "claude-code"]);
    let path = config_path(&sandbox, "claude-code");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("sekrit") && !text.contains("tok3n"),
        "{text}"
    );
    assert!(
        out.contains("MCP_AUTH_TOKEN, WEATHER_API_KEY") && out.contains("--env KEY=VALUE"),
        "{out}"
    );

    sandbox.ok(&[
        "install",
        "weather",
        "--client",
        "claude-code",
        "--force",
        "--env",
        "WEATHER_API_KEY=given",
    ]);
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"WEATHER_API_KEY\": \"given\"") && !text.contains("sekrit"),
        "{text}"
    );

    // Over HTTP the token is a reference to the variable, never its value.
    for (client, reference) in [
        (
            "cursor",
            "\"Authorization\": \"Bearer ${env:MCP_AUTH_TOKEN}\"",
        ),
        ("codex", "bearer_token_env_var = \"MCP_AUTH_TOKEN\""),
    ] {
        sandbox.ok(&[
            "install",
            "weather",
            "--client",
            client,
            "--transport",
            "http",
        ]);
        let text = fs::read_to_string(config_path(&sandbox, client)).unwrap();
        assert!(text.contains(reference), "{client}: {text}");
        assert!(!text.contains("tok3n"), "{client}: {text}");
    }
}

/// Writes keep the file's permissions and leave a timestamped backup of the previous version.
#[cfg(unix)]
#[test]
fn writes_keep_permissions_and_leave_a_backup() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let path = config_path(&sandbox, "gemini");
    let original = fixture_config("gemini.json");
    put(&path, &original);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let out = sandbox.ok(&["install", "weather", "--client", "gemini", "--no-check"]);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let backups: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(out.contains(&backups[0].display().to_string()), "{out}");
    assert_eq!(fs::read_to_string(&backups[0]).unwrap(), original);
}

/// Installing twice is a no-op; a different entry of the same name needs --force.
#[test]
fn reinstall_is_idempotent_and_a_conflict_needs_force() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    sandbox.ok(&["install", "weather", "--client", "windsurf", "--no-check"]);
    let out = sandbox.ok(&["install", "weather", "--client", "windsurf", "--no-check"]);
    assert!(out.contains("nothing to do"), "{out}");
    let http = [
        "install",
        "weather",
        "--client",
        "windsurf",
        "--transport",
        "http",
    ];
    let stderr = sandbox.fails(&http);
    assert!(stderr.contains("--force"), "{stderr}");
    sandbox.ok(&[&http[..], &["--force"]].concat());
    let stderr = sandbox.fails(&["uninstall", "nope", "--client", "windsurf"]);
    assert!(stderr.contains("no server named \"nope\""), "{stderr}");
}

/// Project scope writes in the current directory; a scope the client lacks is refused.
#[test]
fn scopes_choose_the_file() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    sandbox.ok(&[
        "install",
        "weather",
        "--client",
        "claude-code",
        "--scope",
        "project",
        "--no-check",
    ]);
    let text = fs::read_to_string(sandbox.work.join(".mcp.json")).unwrap();
    assert!(text.contains("\"type\": \"stdio\""), "{text}");
    let stderr = sandbox.fails(&[
        "install", "weather", "--client", "windsurf", "--scope", "project",
    ]);
    assert!(stderr.contains("no project-scope config"), "{stderr}");
    let stderr = sandbox.fails(&["install", "weather", "--client", "notepad"]);
    assert!(
        stderr.contains("known clients: claude-desktop, claude-code"),
        "{stderr}"
    );
    let stderr = sandbox.fails(&["install", "nowhere", "--client", "cursor"]);
    assert!(stderr.contains("no server named \"nowhere\""), "{stderr}");
}

/// Runs `doctor`, expecting exit `code`; returns stdout (the report), after checking that stderr
/// says why it did not exit 0.
fn doctor_exits(sandbox: &Sandbox, code: i32) -> String {
    let output = sandbox.run(&["doctor"]);
    let (stdout, stderr) = (output.stdout, output.stderr);
    assert_eq!(output.code, Some(code), "{stdout}{stderr}");
    assert!(stderr.contains("error: doctor found"), "{stderr}");
    stdout
}

/// Finding 13: a client config that does not parse, or cannot be read, makes doctor exit 3 naming
/// the file; the other configs are still reported.
#[test]
fn doctor_exits_3_on_an_unreadable_client_config() {
    let sandbox = Sandbox::new();
    sandbox.register_launcher("weather");
    sandbox.ok(&["install", "weather", "--client", "claude-code"]);
    let cursor = config_path(&sandbox, "cursor");
    put(&cursor, "{\n  \"mcpServers\": {\n    \"x\": garbage\n");
    let out = doctor_exits(&sandbox, 3);
    assert!(
        out.contains(&format!("cursor (user): unreadable: {}", cursor.display()))
            && out.contains("line 3"),
        "{out}"
    );
    assert!(
        out.contains("weather:\n  claude-code (user): installed\n"),
        "{out}"
    );
    let stderr = sandbox.run(&["doctor"]).stderr;
    assert!(
        stderr.contains("doctor found 1 unreadable client config (see above)"),
        "{stderr}"
    );

    // A file that cannot be read at all (a folder where the file should be) is reported the same.
    fs::remove_file(&cursor).unwrap();
    fs::create_dir(&cursor).unwrap();
    let out = doctor_exits(&sandbox, 3);
    assert!(
        out.contains(&format!(
            "cursor (user): unreadable: {} is not a regular file",
            cursor.display()
        )),
        "{out}"
    );
}

/// Finding 13: `doctor --help` documents the exit codes.
#[test]
fn doctor_help_documents_its_exit_codes() {
    let sandbox = Sandbox::new();
    let out = sandbox.ok(&["doctor", "--help"]);
    for code in [
        "0  every entry",
        "1  an entry drifted",
        "3  a client config",
    ] {
        assert!(out.contains(code), "{out}");
    }
}

/// Acceptance 6: doctor reports installed, missing, and a moved project folder as drift.
#[test]
fn doctor_reports_a_moved_project_as_drift() {
    let sandbox = Sandbox::new();
    sandbox.register_launcher("weather");
    sandbox.register_script("other", "good.py");
    put(&config_path(&sandbox, "cursor"), "{}\n");
    sandbox.ok(&["install", "weather", "--client", "claude-code"]);
    sandbox.ok(&["install", "weather", "--client", "codex"]);
    let out = sandbox.ok(&["doctor"]);
    assert!(
        out.contains("Toolchains:") && out.contains("python3"),
        "{out}"
    );
    assert!(
        out.contains("weather:\n  claude-code (user): installed\n"),
        "{out}"
    );
    assert!(
        out.contains("  cursor (user): missing\n  codex (user): installed\n"),
        "{out}"
    );
    assert!(
        out.contains("other:\n  claude-code (user): missing\n"),
        "{out}"
    );

    // The project moves and is registered again at its new place: the clients still run the old one.
    let moved = sandbox.base.join("moved");
    fs::rename(sandbox.base.join("weather"), &moved).unwrap();
    let out = doctor_exits(&sandbox, 1);
    assert!(
        out.contains("claude-code (user): drifted: path moved"),
        "{out}"
    );
    sandbox.register(
        "weather",
        serde_json::json!({
            "path": moved,
            "command": moved.join(".venv/bin/weather"),
            "args": [],
        }),
    );
    let out = doctor_exits(&sandbox, 1);
    let section = out.split("\nweather:\n").nth(1).expect("a weather section");
    let line = section.lines().next().unwrap();
    assert!(line.starts_with("  claude-code (user): drifted"), "{out}");
    assert!(
        line.contains("drifted") && line.contains("binary missing") && line.contains("path moved"),
        "{out}"
    );
    assert!(line.contains(&moved.display().to_string()), "{line}");
}

/// docs/clients.md: each ```sh block runs (from no client config), and the ```json or ```toml
/// block right after it is the config file it leaves. `MCP_CREATE_UPDATE_GOLDEN=1`
/// rewrites those blocks (the one golden mechanism, `support::golden`).
#[test]
fn docs_clients_md_is_what_the_code_does() {
    let doc_path = support::checkout().join("docs/clients.md");
    let doc = fs::read_to_string(&doc_path).unwrap();
    let blocks = fenced_blocks(&doc);
    let usage = &blocks
        .iter()
        .find(|block| block.lang.is_empty())
        .expect("a usage block")
        .body;
    let command = <mcp_create::Cli as clap::CommandFactory>::command();
    let known: Vec<String> = ["install", "uninstall"]
        .iter()
        .flat_map(|name| command.find_subcommand(name).unwrap().get_arguments())
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect();
    for flag in usage.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if flag.starts_with("--") {
            assert!(
                known.iter().any(|k| k == flag),
                "docs/clients.md shows {flag}, unknown to clap"
            );
        }
    }
    let mut replacements = Vec::new();
    let mut ran = 0;
    for (i, block) in blocks.iter().enumerate() {
        if block.lang != "sh" {
            continue;
        }
        let sandbox = Sandbox::new();
        sandbox.register_launcher("weather");
        let mut client = None;
        for line in block.body.lines().filter(|l| !l.trim().is_empty()) {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(words[0], "mcp-create", "{line}");
            sandbox.ok(&words[1..]);
            ran += 1;
            let at = words.iter().position(|w| *w == "--client");
            client = at.map(|at| words[at + 1]).or(client);
        }
        let Some(next) = blocks.get(i + 1) else {
            continue;
        };
        if next.lang != "json" && next.lang != "toml" {
            continue;
        }
        let client = client.expect("a --client in the block");
        let actual = sandbox.portable(&fs::read_to_string(config_path(&sandbox, client)).unwrap());
        if actual != next.body {
            replacements.push((next.range.clone(), actual, client));
        }
    }
    let clients = mcp_create::clients::CLIENTS.len();
    assert!(
        ran >= 2 * clients,
        "the doc runs every client's commands ({ran})"
    );
    if golden::updating() {
        let mut text = doc;
        for (range, actual, _) in replacements.into_iter().rev() {
            text.replace_range(range, &actual);
        }
        fs::write(&doc_path, text).unwrap();
        return;
    }
    let failures: Vec<String> = replacements
        .iter()
        .map(|(range, actual, client)| {
            format!(
                "{client}: docs/clients.md differs from what the commands leave ({}=1 \
                 rewrites it):\n{}",
                golden::UPDATE,
                golden::diff(&doc[range.clone()], actual)
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check gives the server only what a client would: a variable exported in the shell that
/// runs `mcp-create` does not reach it, `--env` does (and is written into the entry).
#[test]
fn the_check_runs_the_server_with_the_clients_environment() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "needs_env.py");
    let output = sandbox
        .command(&["install", "weather", "--client", "cursor"])
        .env("WEATHER_API_KEY", "from-my-shell")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("WEATHER_API_KEY is not set"), "{stderr}");
    assert!(!config_path(&sandbox, "cursor").exists());

    let args = [
        "install",
        "weather",
        "--client",
        "cursor",
        "--env",
        "WEATHER_API_KEY=k",
    ];
    let out = sandbox.ok(&args);
    assert!(out.contains("lists 1 tool(s): ping"), "{out}");
    let text = fs::read_to_string(config_path(&sandbox, "cursor")).unwrap();
    assert!(text.contains("\"WEATHER_API_KEY\": \"k\""), "{text}");
}

/// A config kept as a symbolic link (dotfiles) is written through and stays a link.
#[cfg(unix)]
#[test]
fn a_symlinked_config_stays_a_symlink() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let target = sandbox.base.join("dotfiles/claude.json");
    put(&target, &fixture_config("claude-code.json"));
    let link = config_path(&sandbox, "claude-code");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    sandbox.ok(&[
        "install",
        "weather",
        "--client",
        "claude-code",
        "--no-check",
    ]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().contains("\"weather\""));
}
