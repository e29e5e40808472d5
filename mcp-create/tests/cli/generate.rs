//! `mcp-create` as a user runs it: generate, register, refuse bad input without writing anything.

use std::fs;
use std::process::Stdio;

use crate::support::Sandbox;
use serde_json::json;

#[test]
fn templates_lists_one_line_per_template() {
    let sandbox = Sandbox::with_fixture_templates();
    let out = sandbox.ok(&["templates"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("python      python      Fixture: a Python server (also: python-fastmcp, minimal-python)"), "{out}");
    assert!(
        lines[1].starts_with("rust") && lines[1].contains("rust") && lines[1].contains("mcp-sdk"),
        "{out}"
    );
    assert!(lines[2].contains("typescript-node"), "{out}");
}

#[test]
fn embedded_templates_are_listed_without_templates_dir() {
    let sandbox = Sandbox::with_fixture_templates();
    let run = {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mcp-create"));
        command
            .arg("templates")
            .env("MCP_SERVERS_CONFIG", &sandbox.config);
        command.output().unwrap()
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!run.stdout.is_empty());
}

#[test]
fn creates_a_project_and_registers_it() {
    let sandbox = Sandbox::with_fixture_templates();
    let out = sandbox.ok(&[
        "Weather API",
        "--template",
        "python-fastmcp",
        "--description",
        "Forecasts.",
    ]);
    let dest = sandbox.work.join("weather-api");
    assert!(
        out.contains(&format!("Created {}", dest.display())),
        "{out}"
    );
    assert!(out.contains(".venv/bin/pytest -q"), "next steps: {out}");
    assert_eq!(
        sandbox.read("weather-api/src/weather_api/__init__.py"),
        "\"\"\"Weather API (full layout).\"\"\"\n"
    );
    assert!(
        sandbox
            .read("weather-api/pyproject.toml")
            .contains("weather-api = \"weather_api.server:main\"")
    );
    assert_eq!(
        sandbox.read("weather-api/static/banner.txt"),
        "{{ not rendered }}\n",
        "verbatim"
    );
    assert!(
        sandbox
            .work
            .join("weather-api/src/weather_api/prompts.py")
            .exists()
    );

    let registry = sandbox.registry();
    let entry = &registry["weather-api"];
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "path",
            "command",
            "port",
            "env_file",
            "env",
            "dependencies",
            "install",
            "health_check",
            "template",
            "transport",
            "description"
        ]
    );
    let venv = dest.join(".venv/bin/weather-api");
    assert_eq!(entry["name"], "Weather API");
    assert_eq!(entry["path"], dest.to_str().unwrap());
    assert_eq!(entry["command"], venv.to_str().unwrap());
    assert_eq!(entry["port"], 8000);
    assert_eq!(
        entry["health_check"],
        "curl -f http://localhost:8000/health"
    );
    assert_eq!(
        entry["install"],
        "python3 -m venv .venv && .venv/bin/pip install -e ."
    );
    assert_eq!(
        (&entry["template"], &entry["description"]),
        (&json!("python"), &json!("Forecasts."))
    );
    assert!(
        !sandbox.work.read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("staging"))
    );
}

#[test]
fn variant_sets_variables_and_skips_files() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.ok(&["weather", "-t", "minimal-python", "--no-register"]);
    assert_eq!(
        sandbox.read("weather/src/weather/__init__.py"),
        "\"\"\"Weather (minimal layout).\"\"\"\n"
    );
    assert!(!sandbox.work.join("weather/src/weather/prompts.py").exists());
    assert!(
        !sandbox.config.exists(),
        "--no-register leaves the registry alone"
    );
}

#[test]
fn new_subcommand_takes_names_that_are_subcommands() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.ok(&["new", "templates", "-t", "typescript"]);
    assert!(
        sandbox
            .read("templates/package.json")
            .contains("\"name\": \"templates\"")
    );
}

#[test]
fn http_transport_and_ports_go_into_the_entry() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.ok(&["first", "-t", "typescript"]);
    sandbox.ok(&["second", "-t", "typescript", "--transport", "http"]);
    sandbox.ok(&["third", "-t", "typescript", "--port", "9100"]);
    let registry = sandbox.registry();
    let dist = |name: &str| sandbox.work.join(name).join("dist/index.js");
    // `command` is the whole command line, as the `mcp` launcher runs it.
    assert_eq!(
        registry["first"]["command"],
        format!("node {}", dist("first").display())
    );
    assert_eq!(registry["first"].get("args"), None);
    assert_eq!(
        registry["second"]["command"],
        format!(
            "node {} --transport http --port 8001",
            dist("second").display()
        )
    );
    assert_eq!(registry["second"]["transport"], "http");
    assert_eq!(registry["third"]["port"], 9100);
}

#[test]
fn bad_names_are_refused_and_nothing_is_written() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.refuses(&[""], 2, "the name is empty");
    sandbox.refuses(&["   "], 2, "the name is empty");
    sandbox.refuses(&["../x"], 2, "`mcp-create x --path ..`");
    sandbox.refuses(&["a/b"], 2, "`mcp-create b --path a`");
    sandbox.refuses(&["2fa"], 2, "starts with a digit");
    sandbox.refuses(&["weather.api"], 2, "'.' cannot be part of a package name");
    sandbox.refuses(
        &["con", "-t", "python"],
        2,
        "reserved device name on Windows",
    );
    assert!(!sandbox.config.exists());
}

#[test]
fn keywords_of_the_chosen_language_are_refused() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.refuses(&["fn"], 2, "\"fn\" is a Rust keyword");
    // `test` is a subcommand now: the name is given through `new`.
    sandbox.refuses(&["new", "test", "-t", "rust"], 2, "built into Rust");
    sandbox.refuses(&["import", "-t", "python"], 2, "a Python keyword");
    sandbox.refuses(&["json", "-t", "python"], 2, "standard-library module");
    sandbox.refuses(&["class", "-t", "typescript"], 2, "reserved word");
    sandbox.ok(&["def", "-t", "typescript", "--no-register"]);
}

#[test]
fn unknown_template_lists_the_available_ones() {
    let sandbox = Sandbox::with_fixture_templates();
    let err = sandbox.refuses(
        &["weather", "--template", "go"],
        2,
        "unknown template \"go\"",
    );
    assert!(
        err.contains(
            "available: minimal-python, python, python-fastmcp, rust, typescript, typescript-node"
        ),
        "{err}"
    );
}

#[test]
fn existing_destination_needs_force_and_force_keeps_files() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::create_dir_all(sandbox.work.join("weather/src/weather")).unwrap();
    fs::write(sandbox.work.join("weather/pyproject.toml"), "mine").unwrap();
    sandbox.refuses(
        &["weather", "-t", "python"],
        2,
        "already exists and is not empty",
    );

    let out = sandbox.ok(&["weather", "-t", "python", "--force"]);
    assert!(
        out.contains("Kept existing files, not overwritten:\n  pyproject.toml\n"),
        "{out}"
    );
    assert_eq!(sandbox.read("weather/pyproject.toml"), "mine");
    assert!(
        sandbox
            .read("weather/src/weather/server.py")
            .contains("PORT = 8000")
    );
}

#[test]
fn empty_destination_folder_is_used() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::create_dir(sandbox.work.join("weather")).unwrap();
    sandbox.ok(&["weather", "-t", "python", "--no-register"]);
    assert!(sandbox.work.join("weather/pyproject.toml").exists());
}

#[test]
fn unwritable_parent_is_refused() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::write(sandbox.work.join("file"), "not a folder").unwrap();
    sandbox.refuses(
        &["weather", "--path", "file"],
        1,
        "is not a directory; choose another --path",
    );
    sandbox.refuses(&["weather", "--path", "missing"], 1, "does not exist");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = sandbox.work.join("locked");
        fs::create_dir(&locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
        // root writes anywhere: the check is only meaningful for other users.
        if fs::write(locked.join("probe"), "").is_err() {
            sandbox.refuses(
                &["weather", "--path", "locked", "-t", "python"],
                1,
                "permission denied",
            );
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
    }
}

#[test]
fn template_errors_name_the_file_and_write_nothing() {
    let mut sandbox = Sandbox::with_fixture_templates();
    let templates = sandbox.root.path().join("templates/broken");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("template.toml"),
        "name = \"broken\"\nlanguage = \"python\"\ndescription = \"d\"\n\
         [commands]\ninstall = \"i\"\ntest = \"t\"\nrun = \"r\"\n",
    )
    .unwrap();
    fs::write(templates.join("a.txt"), "{{ project_name }}").unwrap();
    fs::write(templates.join("b.txt"), "{{ projectname }}").unwrap();
    sandbox.templates = Some(sandbox.root.path().join("templates"));
    let err = sandbox.refuses(&["weather", "-t", "broken"], 1, "cannot render b.txt");
    assert!(err.contains("projectname"), "{err}");
}

#[test]
fn malformed_registry_is_left_byte_identical() {
    let sandbox = Sandbox::with_fixture_templates();
    let broken = b"{\n  \"weather\": {\"port\": 8000,}\n}\n";
    fs::write(&sandbox.config, broken).unwrap();
    let err = sandbox.refuses(
        &["other", "-t", "python"],
        3,
        "is not valid JSON (line 2, column",
    );
    assert!(
        err.contains("move it aside") && err.contains(sandbox.config.to_str().unwrap()),
        "{err}"
    );
    assert_eq!(fs::read(&sandbox.config).unwrap(), broken);
    sandbox.ok(&["other", "-t", "python", "--no-register"]);
}

#[test]
fn registry_keeps_unknown_keys_and_writes_a_backup() {
    let sandbox = Sandbox::with_fixture_templates();
    let before = r#"{"legacy": {"name": "Legacy", "port": 8000, "custom": {"x": [1, 2]}}, "zz-note": "kept"}"#;
    fs::write(&sandbox.config, before).unwrap();
    sandbox.ok(&["weather", "-t", "python"]);
    let registry = sandbox.registry();
    assert_eq!(
        registry.keys().collect::<Vec<_>>(),
        ["legacy", "zz-note", "weather"]
    );
    assert_eq!(registry["legacy"]["custom"], json!({"x": [1, 2]}));
    assert_eq!(registry["zz-note"], "kept");
    assert_eq!(registry["weather"]["port"], 8001, "8000 is taken");
    let backup = sandbox.config.with_file_name("servers.json.bak");
    assert_eq!(fs::read_to_string(backup).unwrap(), before);
}

#[test]
fn registered_name_needs_force_which_keeps_unknown_fields() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::write(
        &sandbox.config,
        r#"{"weather": {"port": 7000, "note": "mine"}}"#,
    )
    .unwrap();
    sandbox.refuses(&["weather", "-t", "python"], 2, "already registered");
    sandbox.ok(&["weather", "-t", "python", "--force", "--port", "7000"]);
    let entry = &sandbox.registry()["weather"];
    assert_eq!(
        (&entry["note"], &entry["port"], &entry["template"]),
        (&json!("mine"), &json!(7000), &json!("python"))
    );
}

/// 20 `new` at once: every entry lands, each with its own port, and each project was written with
/// the port its entry has (the port is picked under the registry's lock).
#[test]
fn concurrent_runs_leave_every_entry_with_distinct_ports() {
    let sandbox = Sandbox::with_fixture_templates();
    let work = sandbox.work.to_str().unwrap();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let name = format!("s{i}");
            sandbox
                .command(&[
                    "new",
                    &name,
                    "--template",
                    "python",
                    "--no-workspace",
                    "--path",
                    work,
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let registry = sandbox.registry();
    assert_eq!(
        registry.len(),
        20,
        "{:?}",
        registry.keys().collect::<Vec<_>>()
    );
    let mut ports = std::collections::BTreeSet::new();
    for i in 0..20 {
        let name = format!("s{i}");
        let port = registry[&name]["port"].as_u64().unwrap();
        assert!(ports.insert(port), "port {port} registered twice");
        let source = sandbox.read(&format!("{name}/src/{name}/server.py"));
        assert!(
            source.contains(&format!("PORT = {port}\n")),
            "{name}: {source}"
        );
    }
    assert_eq!(ports.len(), 20);
}

/// An explicit `--port` that another registered server has is refused, naming that server.
#[test]
fn a_port_registered_for_another_server_is_refused() {
    let sandbox = Sandbox::with_fixture_templates();
    sandbox.ok(&["first", "-t", "python", "--port", "9100"]);
    let before = sandbox.tree();
    sandbox.refuses(
        &["second", "-t", "python", "--port", "9100"],
        2,
        "port 9100 is already registered for \"first\"",
    );
    assert_eq!(sandbox.tree(), before, "nothing was written");
    sandbox.ok(&["second", "-t", "python"]);
    assert_ne!(sandbox.registry()["second"]["port"], 9100);
    // Replacing its own entry keeps its port.
    sandbox.ok(&["first", "-t", "python", "--port", "9100", "--force"]);
}

/// `--force` over a folder where `src` is a file or a symbolic link: an error naming it; nothing
/// is reported as kept that does not exist, nothing is written or registered.
#[test]
fn force_over_a_src_file_or_link_is_refused_naming_it() {
    let sandbox = Sandbox::with_fixture_templates();
    let dest = sandbox.work.join("weather");
    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("src"), "not a folder").unwrap();
    let before = sandbox.tree();
    let error = sandbox.refuses(&["weather", "-t", "python", "--force"], 1, "src is a file");
    assert!(
        error.contains("where the template needs a folder; move it aside"),
        "{error}"
    );
    assert!(!error.contains("Kept"), "{error}");
    assert_eq!(
        sandbox.tree(),
        before,
        "nothing written, nothing registered"
    );

    fs::remove_file(dest.join("src")).unwrap();
    let elsewhere = sandbox.work.join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dest.join("src")).unwrap();
    let before = sandbox.tree();
    sandbox.refuses(
        &["weather", "-t", "python", "--force"],
        1,
        "src is a symbolic link where the template needs a folder",
    );
    let dry = sandbox.run(&["weather", "-t", "python", "--force", "--dry-run"]);
    assert_ne!(dry.status.code(), Some(0), "a dry run says so too");
    assert_eq!(sandbox.tree(), before);
    assert!(!sandbox.config.exists());
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn dry_run_writes_nothing_and_says_what_it_would_do() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::write(&sandbox.config, r#"{"legacy": {}}"#).unwrap();
    let before = sandbox.tree();
    let out = sandbox.ok(&["Weather API", "-t", "python", "--dry-run"]);
    assert_eq!(sandbox.tree(), before);
    assert!(out.starts_with("Dry run: nothing was written."), "{out}");
    assert!(out.contains("  src/weather_api/server.py\n"), "{out}");
    assert!(
        out.contains(&format!(
            "Would register \"weather-api\" in {}",
            sandbox.config.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("\"health_check\": \"curl -f http://localhost:8000/health\""),
        "{out}"
    );
}

#[test]
fn rust_project_vendors_the_sdk_and_joins_the_workspace() {
    let sandbox = Sandbox::with_fixture_templates();
    let root_manifest =
        "[workspace]\n# servers\nmembers = [\n    \"a\",\n    \"z\",\n]\nexclude = [\"scratch\"]\n";
    fs::write(sandbox.work.join("Cargo.toml"), root_manifest).unwrap();
    fs::create_dir(sandbox.work.join("scratch")).unwrap();

    let out = sandbox.ok(&["weather", "--no-register"]);
    assert!(
        out.contains("Added \"weather\" to [workspace] members"),
        "{out}"
    );
    assert_eq!(
        sandbox.read("Cargo.toml"),
        "[workspace]\n# servers\nmembers = [\n    \"a\",\n    \"weather\",\n    \"z\",\n]\nexclude = [\"scratch\"]\n"
    );
    // A workspace holds one package of a name: the SDK goes to the workspace's vendor/, once.
    assert!(
        out.contains("Vendored mcp-sdk once for the workspace"),
        "{out}"
    );
    let manifest = sandbox.read("weather/Cargo.toml");
    assert!(
        manifest.contains("mcp-sdk = { path = \"../vendor/mcp-sdk\" }")
            && !manifest.contains("[workspace]"),
        "{manifest}"
    );
    assert!(!sandbox.work.join("weather/vendor").exists());
    let sdk = sandbox.read("vendor/mcp-sdk/Cargo.toml");
    assert!(
        !sdk.contains("workspace") && sdk.contains("path = \"../mcp-sdk-macros\""),
        "{sdk}"
    );
    assert!(
        sandbox
            .work
            .join("vendor/mcp-sdk-macros/Cargo.toml")
            .exists()
    );
    let before = sandbox.read("vendor/mcp-sdk/Cargo.toml");
    let out = sandbox.ok(&["second", "--no-register"]);
    assert!(out.contains("Uses the workspace's mcp-sdk"), "{out}");
    assert!(
        sandbox
            .read("second/Cargo.toml")
            .contains("mcp-sdk = { path = \"../vendor/mcp-sdk\" }")
    );
    assert!(!sandbox.work.join("second/vendor").exists());
    assert_eq!(sandbox.read("vendor/mcp-sdk/Cargo.toml"), before);
    assert!(
        sandbox
            .read("weather/src/main.rs")
            .contains("println!(\"{}\", port);"),
        "raw block kept"
    );

    let out = sandbox.ok(&["solo", "--no-register", "--no-workspace"]);
    assert!(out.contains("Standalone (--no-workspace)"), "{out}");
    assert!(sandbox.read("solo/Cargo.toml").ends_with("\n[workspace]\n"));
    assert!(sandbox.work.join("solo/vendor/mcp-sdk/Cargo.toml").exists());
    assert!(!sandbox.read("Cargo.toml").contains("solo"));

    let out = sandbox.ok(&["inner", "--no-register", "--path", "scratch"]);
    assert!(out.contains("its exclude lists \"scratch\""), "{out}");
    assert!(!sandbox.read("Cargo.toml").contains("inner"));
    assert!(
        sandbox
            .work
            .join("scratch/inner/vendor/mcp-sdk/Cargo.toml")
            .exists()
    );
}

#[test]
fn broken_workspace_manifest_stops_before_writing() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::write(sandbox.work.join("Cargo.toml"), "[workspace\nmembers = [").unwrap();
    sandbox.refuses(&["weather"], 1, "cannot parse the workspace manifest");
    sandbox.ok(&["weather", "--no-workspace", "--no-register"]);
}

#[test]
fn help_and_version() {
    let sandbox = Sandbox::with_fixture_templates();
    assert!(
        sandbox
            .ok(&["--help"])
            .contains("mcp-create <NAME> [OPTIONS]")
    );
    assert!(sandbox.ok(&["new", "--help"]).contains("--no-workspace"));
    assert!(sandbox.ok(&["--version"]).starts_with("mcp-create "));
    let run = sandbox.run(&["new"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stderr.contains("<NAME>"), "{}", run.stderr);
}

/// Finding 13: a reader that went away (`mcp-create ... | head -1`) is a quiet stop: no panic, no
/// message, exit 0; with stderr closed too, a failing command still exits with its own code.
#[test]
fn a_closed_output_is_a_quiet_exit() {
    let sandbox = Sandbox::with_fixture_templates();
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        writer
    };
    for args in [
        &["new", "Weather", "--dry-run"][..],
        &["templates"],
        &["new", "Piped", "--template", "python"],
    ] {
        let output = sandbox
            .command(args)
            .stdout(closed())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
    assert!(
        sandbox.work.join("piped/pyproject.toml").is_file(),
        "the project is created even though nobody read the report"
    );
    let status = sandbox
        .command(&["new", "Bad Name!", "--template", "nope"])
        .stdout(closed())
        .stderr(closed())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "no panic on a closed stderr");
}

/// Finding 13: with --force over a folder that has some of the files, "Created" counts only the
/// files written and says how many were kept.
#[test]
fn created_counts_only_the_files_written() {
    let sandbox = Sandbox::with_fixture_templates();
    let dry = sandbox.ok(&["new", "Weather", "--template", "python", "--dry-run"]);
    let total: usize = dry
        .lines()
        .find_map(|l| l.split(", ").nth(1)?.strip_suffix(" files:")?.parse().ok())
        .unwrap_or_else(|| panic!("a file count in:\n{dry}"));
    fs::create_dir_all(sandbox.work.join("weather/tests")).unwrap();
    fs::write(sandbox.work.join("weather/pyproject.toml"), "# mine\n").unwrap();
    fs::write(sandbox.work.join("weather/README.md"), "# mine\n").unwrap();
    let kept = ["README.md", "pyproject.toml"]
        .iter()
        .filter(|f| dry.contains(&format!("  {f}\n")))
        .count();
    assert!(kept >= 1, "the template writes pyproject.toml:\n{dry}");

    let dry = sandbox.ok(&[
        "new",
        "Weather",
        "--template",
        "python",
        "--force",
        "--dry-run",
    ]);
    let count = format!("{} files, {kept} existing file", total - kept);
    assert!(dry.contains(&count), "{count:?} in:\n{dry}");
    assert!(!dry.contains("  pyproject.toml\nWould keep"), "{dry}");

    let out = sandbox.ok(&["new", "Weather", "--template", "python", "--force"]);
    let created = format!("({} files written, {kept} existing file", total - kept);
    assert!(out.contains(&created), "{created:?} in:\n{out}");
    assert_eq!(sandbox.read("weather/pyproject.toml"), "# mine\n");
}

/// Finding 13: an OS error is printed once, not once per link of the error chain.
#[test]
fn an_os_error_is_printed_once() {
    let sandbox = Sandbox::with_fixture_templates();
    fs::write(sandbox.work.join("a-file"), "").unwrap();
    let registry = json!({"ghost": {"command": "/nonexistent/ghost-server", "transport": "stdio"}});
    fs::write(&sandbox.config, registry.to_string()).unwrap();
    for (args, reason) in [
        (
            &["call", "ghost", "anything"][..],
            "No such file or directory",
        ),
        (
            &[
                "test",
                "--cmd",
                "/nonexistent/x",
                "--report",
                "a-file/report.json",
            ],
            "Not a directory",
        ),
    ] {
        let run = sandbox.run(args);
        let stderr = run.stderr;
        assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.matches(reason).count(), 1, "{args:?}: {stderr}");
        assert_eq!(stderr.matches("os error").count(), 1, "{args:?}: {stderr}");
    }
}

/// Finding 13: `logs -f | head -1` ends once its reader is gone and the log grows, instead of
/// following forever into a closed pipe.
#[test]
fn logs_follow_stops_when_its_reader_goes_away() {
    let sandbox = Sandbox::with_fixture_templates();
    let runtime = sandbox.root.path().join("run");
    fs::create_dir_all(&runtime).unwrap();
    let registry = json!({"weather": {"command": "true", "port": 8000}});
    fs::write(&sandbox.config, registry.to_string()).unwrap();
    let log = runtime.join("weather.log");
    fs::write(&log, "one\n").unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = sandbox
        .command(&["logs", "weather", "-f"])
        .env("MCP_RUNTIME_DIR", &runtime)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut status = None;
    for _ in 0..100 {
        let mut file = fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut file, b"more\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
    }
    let Some(status) = status else {
        child.kill().unwrap();
        panic!("logs -f still follows into a closed pipe after 10 s");
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
