//! `mcp-create install / uninstall / doctor` as a user runs them, on every client's config file,
//! in a sandbox whose HOME, XDG_CONFIG_HOME, APPDATA and CODEX_HOME are temporary folders.

use std::fs;

use crate::support::clients::{clients, config_path, fixtures, golden_file, put};
use crate::support::markdown::fenced_blocks;
use crate::support::{Sandbox, golden};

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
        let broken = match file.rsplit('.').next() {
            Some("toml") => "model = \"o3\"\n\n[mcp_servers.other\ncommand = \"x\"\n",
            Some("yaml") => "a: 1\nextensions:\n  other: b: c\n",
            _ => "{\n  \"mcpServers\": {\n    \"other\": {\"command\": x}\n  }\n}\n",
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
/// rewrites those blocks (the one golden mechanism, `crate::support::golden`).
#[test]
fn docs_clients_md_is_what_the_code_does() {
    let doc_path = crate::support::checkout().join("docs/clients.md");
    let doc = fs::read_to_string(&doc_path).unwrap();
    let blocks = fenced_blocks(&doc);
    let usage = &blocks
        .iter()
        .find(|block| block.lang.is_empty())
        .expect("a usage block")
        .body;
    let command = <mcp_create::Cli as clap::CommandFactory>::command();
    let known: Vec<String> = ["install", "uninstall", "clients"]
        .iter()
        .flat_map(|name| command.find_subcommand(name).unwrap().get_arguments())
        .chain(command.get_arguments().filter(|arg| arg.is_global_set()))
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
        if !["json", "toml", "yaml"].contains(&next.lang.as_str()) {
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

/// Acceptance 4 (issue 11): docs/clients.md has a section for every client in the table and none
/// other, each naming the file, the shape and the source the table gives.
#[test]
fn docs_clients_md_lists_every_client_of_the_table() {
    let doc_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/clients.md");
    let doc = fs::read_to_string(doc_path).unwrap();
    let sections: Vec<(&str, &str)> = doc
        .split("\n### ")
        .skip(1)
        .filter_map(|section| {
            let heading = section.lines().next()?;
            let id = heading.split("(`").nth(1)?.strip_suffix("`)")?;
            Some((id, section))
        })
        .collect();
    let mut documented: Vec<&str> = sections.iter().map(|(id, _)| *id).collect();
    let mut table: Vec<&str> = mcp_create::clients::CLIENTS.iter().map(|c| c.id).collect();
    documented.sort();
    table.sort();
    assert_eq!(
        documented, table,
        "docs/clients.md sections vs the client table"
    );
    assert!(table.len() >= 16, "{} clients", table.len());
    for client in mcp_create::clients::CLIENTS {
        let (_, section) = sections.iter().find(|(id, _)| *id == client.id).unwrap();
        assert!(
            section.starts_with(&format!("{} (`", client.name)),
            "{}",
            client.id
        );
        for part in [
            "\nFile: ",
            "\nShape: ",
            &format!("\nSource: {}\n", client.source),
        ] {
            assert!(section.contains(part), "{}: no {part:?}", client.id);
        }
        assert!(
            section.contains(&format!("Format: {}", client.format.name())),
            "{}: the format",
            client.id
        );
    }
}

/// Acceptance 3 (issue 11): `--client detected` with three client folders present installs into
/// exactly those three, one line each, and nowhere else.
#[test]
fn install_into_detected_clients_writes_exactly_the_ones_found() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let stderr = sandbox.fails(&["install", "weather", "--client", "detected"]);
    assert!(stderr.contains("no MCP client found"), "{stderr}");
    let found = ["cursor", "goose", "codex"];
    for client in found {
        fs::create_dir_all(config_path(&sandbox, client).parent().unwrap()).unwrap();
    }
    let before = sandbox.tree();
    let out = sandbox.ok(&["install", "weather", "--client", "detected"]);
    assert!(out.contains("into the 3 clients found:"), "{out}");
    let changed: Vec<_> = sandbox
        .tree()
        .into_keys()
        .filter(|path| !before.contains_key(path))
        .collect();
    let mut expected: Vec<_> = found.iter().map(|c| config_path(&sandbox, c)).collect();
    expected.sort();
    assert_eq!(changed, expected, "{out}");
    for client in found {
        let path = config_path(&sandbox, client);
        assert!(
            out.contains(&format!("  {client}: installed into {}", path.display())),
            "{out}"
        );
        assert!(fs::read_to_string(&path).unwrap().contains("weather"));
    }
    // Again: each file says it has the entry already.
    let out = sandbox.ok(&["install", "weather", "--client", "detected", "--no-check"]);
    assert_eq!(out.matches(": already there, in ").count(), 3, "{out}");
    // A file that fails does not stop the others; the summary names it and the exit is non-zero.
    put(&config_path(&sandbox, "cursor"), "{ broken");
    sandbox.register_script("other", "good.py");
    let output = sandbox.run(&["install", "other", "--client", "detected", "--no-check"]);
    let out = &output.stdout;
    assert!(!output.status.success(), "{out}");
    assert!(out.contains("  cursor: failed: "), "{out}");
    assert!(out.contains("  goose: installed into"), "{out}");
    assert!(out.contains("  codex: installed into"), "{out}");
}

/// `mcp-create clients`: every client, found or not, with its file per scope; `--json` too.
#[test]
fn clients_lists_every_client_with_its_files() {
    let sandbox = Sandbox::new();
    fs::create_dir_all(config_path(&sandbox, "kiro").parent().unwrap()).unwrap();
    let out = sandbox.ok(&["clients"]);
    for client in mcp_create::clients::CLIENTS {
        assert!(
            out.contains(&format!("\n{} (", client.id)) || out.starts_with(client.id),
            "{out}"
        );
    }
    assert!(out.contains("kiro (Kiro): found\n"), "{out}");
    assert!(out.contains("cursor (Cursor): not found\n"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.ok(&["clients", "--json"])).unwrap();
    assert_eq!(json["version"], 1);
    let clients = json["clients"].as_array().unwrap();
    assert_eq!(clients.len(), mcp_create::clients::CLIENTS.len());
    let kiro = clients.iter().find(|c| c["name"] == "kiro").unwrap();
    assert_eq!(kiro["found"], true);
    assert_eq!(
        kiro["scopes"][0],
        serde_json::json!({"scope": "user", "path": config_path(&sandbox, "kiro")})
    );
    assert_eq!(kiro["scopes"][1]["scope"], "project");
    let found: Vec<_> = clients.iter().filter(|c| c["found"] == true).collect();
    assert_eq!(found.len(), 1, "{json}");
}

/// `--link` prints Cursor's and VS Code's install links and writes nothing.
#[test]
fn link_prints_the_install_link_and_writes_nothing() {
    use base64::Engine;
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let before = sandbox.tree();
    let out = sandbox.ok(&["install", "weather", "--client", "cursor", "--link"]);
    let link = out.lines().next().unwrap();
    let config = link
        .strip_prefix("cursor://anysphere.cursor-deeplink/mcp/install?name=weather&config=")
        .unwrap_or_else(|| panic!("{out}"));
    let config = percent_encoding::percent_decode_str(config)
        .decode_utf8()
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(config.as_bytes())
        .unwrap();
    let entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        entry["command"],
        crate::support::require::python().display().to_string()
    );
    let out = sandbox.ok(&[
        "install",
        "weather",
        "--client",
        "vscode",
        "--link",
        "--transport",
        "http",
    ]);
    let query = out
        .lines()
        .next()
        .unwrap()
        .strip_prefix("vscode:mcp/install?")
        .unwrap();
    let json = percent_encoding::percent_decode_str(query)
        .decode_utf8()
        .unwrap();
    let entry: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        entry,
        serde_json::json!({"name": "weather", "type": "http", "url": "http://127.0.0.1:8123/mcp"})
    );
    assert_eq!(sandbox.tree(), before, "nothing written");
    let stderr = sandbox.fails(&["install", "weather", "--client", "zed", "--link"]);
    assert!(stderr.contains("zed has no install link"), "{stderr}");
}

/// Claude Code's local scope is `projects["<cwd>"].mcpServers` in ~/.claude.json, beside the
/// user's own keys; uninstall gives back the file; VS Code's project scope stays .vscode/mcp.json;
/// Codex has a project scope.
#[test]
fn local_and_project_scopes_write_their_files() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let path = config_path(&sandbox, "claude-code");
    let cwd = sandbox.work.display().to_string();
    let original = format!(
        "{{\n  \"numStartups\": 3,\n  \"projects\": {{\n    {}: {{\n      \"allowedTools\": [],\n      \"mcpServers\": {{\n        \"other\": {{\"command\": \"x\"}}\n      }}\n    }}\n  }}\n}}\n",
        serde_json::to_string(&cwd).unwrap()
    );
    put(&path, &original);
    let args = ["--client", "claude-code", "--scope", "local"];
    sandbox.ok(&[&["install", "weather", "--no-check"][..], &args].concat());
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let servers = &config["projects"][&cwd]["mcpServers"];
    assert_eq!(servers["weather"]["type"], "stdio", "{config}");
    assert_eq!(servers["other"]["command"], "x");
    assert!(config.get("mcpServers").is_none(), "{config}");
    sandbox.ok(&[&["uninstall", "weather"][..], &args].concat());
    assert_eq!(fs::read_to_string(&path).unwrap(), original);

    // No entry for this folder yet: the nested objects are added.
    put(&path, "{\n  \"numStartups\": 3\n}\n");
    sandbox.ok(&[&["install", "weather", "--no-check"][..], &args].concat());
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        config["projects"][&cwd]["mcpServers"]["weather"].is_object(),
        "{config}"
    );

    for (client, file) in [
        ("vscode", ".vscode/mcp.json"),
        ("codex", ".codex/config.toml"),
    ] {
        sandbox.ok(&[
            "install",
            "weather",
            "--client",
            client,
            "--scope",
            "project",
            "--no-check",
        ]);
        let text = fs::read_to_string(sandbox.work.join(file)).unwrap();
        assert!(text.contains("weather"), "{client}: {text}");
    }
}

/// Acceptance 2 (issue 11), through the binary with Windows' rules and LOCALAPPDATA in the
/// sandbox: Claude Desktop's old `%APPDATA%\Claude` file until the MSIX package folder exists,
/// then the package's own copy; `doctor` flags the entry left in the file the app now ignores.
#[test]
fn claude_desktop_writes_the_msix_file_once_the_package_is_installed() {
    let sandbox = Sandbox::new();
    sandbox.register_launcher("weather");
    let local = sandbox.base.join("local");
    let windows = |args: &[&str]| {
        let mut command = sandbox.command(args);
        command
            .env(mcp_create::clients::paths::OS_VAR, "windows")
            .env("LOCALAPPDATA", &local);
        command.output().unwrap()
    };
    let old = sandbox
        .base
        .join("appdata/Claude/claude_desktop_config.json");
    let install = [
        "install",
        "weather",
        "--client",
        "claude-desktop",
        "--no-check",
    ];
    assert!(windows(&install).status.success());
    assert!(old.is_file());

    let package = local.join("Packages/Claude_pzs8sxrjxfjjc");
    fs::create_dir_all(&package).unwrap();
    let output = windows(&install);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{out}");
    let msix = package.join("LocalCache/Roaming/Claude/claude_desktop_config.json");
    assert!(out.contains(&msix.display().to_string()), "{out}");
    assert!(fs::read_to_string(&msix).unwrap().contains("\"weather\""));

    let output = windows(&["doctor"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("claude-desktop: {} holds weather", old.display()))
            && out.contains("ignores that file"),
        "{out}"
    );
    let output = windows(&["clients", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let desktop = &json["clients"][0];
    assert_eq!(desktop["scopes"][0]["path"], msix.display().to_string());
}

/// opencode reads `opencode.jsonc` when there is no `opencode.json`: install writes that file.
#[test]
fn opencode_uses_an_existing_jsonc_file() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let jsonc = sandbox.base.join("xdg/opencode/opencode.jsonc");
    let original = "{\n  // mine\n  \"theme\": \"x\",\n}\n";
    put(&jsonc, original);
    sandbox.ok(&["install", "weather", "--client", "opencode", "--no-check"]);
    assert!(!config_path(&sandbox, "opencode").exists());
    let text = fs::read_to_string(&jsonc).unwrap();
    assert!(text.contains("\"mcp\": {\n    \"weather\""), "{text}");
    sandbox.ok(&["uninstall", "weather", "--client", "opencode"]);
    // As for every JSON client, the emptied container stays.
    assert_eq!(
        fs::read_to_string(&jsonc).unwrap(),
        "{\n  // mine\n  \"theme\": \"x\",\n  \"mcp\": {},\n}\n"
    );
}

/// `install --dev` launches `mcp-create dev NAME` (checked through it); `install` without it
/// switches back, and `uninstall` removes either.
#[test]
fn install_dev_launches_the_dev_front_and_install_switches_back() {
    let sandbox = Sandbox::new();
    sandbox.register_script("weather", "good.py");
    let path = config_path(&sandbox, "claude-desktop");
    let entry = || -> serde_json::Value {
        let config: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        config["mcpServers"]["weather"].clone()
    };
    let dev = ["install", "weather", "--client", "claude-desktop", "--dev"];
    let out = sandbox.ok(&dev);
    assert!(out.contains("lists 1 tool(s): ping"), "{out}");
    let registry = sandbox.config.display().to_string();
    assert_eq!(
        entry(),
        serde_json::json!({"command": env!("CARGO_BIN_EXE_mcp-create"),
               "args": ["dev", "weather", "--config", registry]})
    );

    sandbox.ok(&[
        "install",
        "weather",
        "--client",
        "claude-desktop",
        "--no-check",
    ]);
    assert_eq!(
        entry()["args"][0],
        fixtures().join("servers/good.py").display().to_string()
    );
    sandbox.ok(&[&dev[..], &["--no-check"]].concat());
    assert_eq!(entry()["args"][0], "dev");
    sandbox.ok(&["uninstall", "weather", "--client", "claude-desktop"]);
    assert_eq!(entry(), serde_json::Value::Null);
}
