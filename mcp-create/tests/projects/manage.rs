//! Server management end to end: `mcp-create list|start|stop|restart|status|logs|test|call|route`
//! against projects generated from the three templates and against fixture servers, each in a
//! sandbox (temporary registry, runtime directory and home).

use crate::support;

use std::fs;
use std::net::TcpListener;
use std::time::Instant;

use serde_json::{Value, json};
use support::project::Project;
use support::require;
use support::servers::{alive, fixtures, group_members, kill_9, toy_sandbox};
use support::{Sandbox, free_port};

/// The lifecycle every template's server must go through: call over stdio, start, status, call
/// over HTTP, logs, test (stdio and HTTP, JSON report), SIGKILL and start again, stop. The
/// template tests run it on the project they installed.
pub(crate) fn lifecycle(project: &Project) {
    let (sandbox, key) = (&project.sandbox, project.key.as_str());
    // The port picked when the project was generated may have been taken during the minutes of
    // installs and tests since: register one that is free now.
    let port = free_port();
    let mut entry = sandbox.entry(key);
    let health = entry["health_check"].as_str().unwrap_or_default();
    let health = health.replace(&project.port.to_string(), &port.to_string());
    entry.insert("health_check".into(), json!(health));
    entry.insert("port".into(), json!(port));
    sandbox.register(key, Value::Object(entry));
    let listed = sandbox.ok(&["list"]);
    assert!(
        listed.contains(key) && listed.contains("stopped"),
        "{listed}"
    );

    let started = Instant::now();
    let sum = sandbox.ok(&["call", key, "add", r#"{"a": 2, "b": 3}"#]);
    assert!(
        sum.contains(r#""result": 5"#),
        "call over stdio printed:\n{sum}"
    );
    eprintln!("[{key}] call over stdio: {:.1?}", started.elapsed());

    let out = sandbox.ok(&["start", key]);
    assert!(out.contains(&format!("started {key}")), "{out}");
    let pid = sandbox.pid(key).expect("start writes a pid file");
    assert!(alive(pid));
    let status = sandbox.ok(&["status", key]);
    assert!(
        status.contains("running")
            && status.contains("healthy")
            && status.contains(&pid.to_string()),
        "{status}"
    );
    let again = sandbox.ok(&["start", key]);
    assert!(again.contains("already running"), "{again}");

    let sum = sandbox.ok(&["call", key, "add", r#"{"a": 2, "b": 3}"#]);
    assert!(
        sum.contains(r#""result": 5"#),
        "call over HTTP printed:\n{sum}"
    );
    let echoed = sandbox.ok(&["call", key, "echo", r#"{"message": "hi there"}"#]);
    assert!(echoed.contains("hi there"), "{echoed}");

    let logs = sandbox.ok(&["logs", key, "-n", "20"]);
    assert!(
        !logs.trim().is_empty(),
        "the log of a started server is empty"
    );

    let report = sandbox.base.join("report.json");
    let tested = sandbox.ok(&["test", key, "--report", report.to_str().unwrap()]);
    assert!(!tested.contains("FAIL"), "{tested}");
    let report: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["failed"], json!(0), "{report:#}");
    let checks = report["checks"].as_array().unwrap();
    for transport in ["stdio", "http"] {
        for check in [
            "handshake 2025-11-25",
            "handshake 2026-07-28",
            "tools/list",
            "call add",
            "health",
        ] {
            let wanted = transport == "http" || check != "health";
            let found = checks
                .iter()
                .any(|c| c["transport"] == json!(transport) && c["check"] == json!(check));
            assert_eq!(found, wanted, "{transport} {check} in {report:#}");
        }
    }

    kill_9(pid);
    let status = sandbox.ok(&["status", key]);
    assert!(
        status.contains("stopped") && !status.contains("running"),
        "after SIGKILL:\n{status}"
    );
    let out = sandbox.ok(&["start", key]);
    assert!(out.contains(&format!("started {key}")), "{out}");
    let pid = sandbox.pid(key).unwrap();

    let out = sandbox.ok(&["stop", key]);
    assert!(out.contains(&format!("stopped {key} (pid {pid}")), "{out}");
    assert!(!alive(pid), "pid {pid} still runs after stop");
    assert_eq!(
        group_members(pid),
        Vec::<u32>::new(),
        "processes of {key} left after stop"
    );
    assert_eq!(sandbox.pid(key), None, "stop removes the pid file");
    assert!(sandbox.ok(&["status", key]).contains("stopped"));
}

#[test]
fn broken_servers_fail_the_check_that_names_their_fault() {
    require::python3();
    let sandbox = Sandbox::new();
    let cases = [
        (
            "banner.py",
            "FAIL  stdio  stdout carries only JSON-RPC: stdout line 1 is not JSON-RPC: \"Banner server",
        ),
        (
            "no_description.py",
            "FAIL  stdio  tool mystery: description and input schema: it has no description",
        ),
        (
            "crash_on_call.py",
            "FAIL  stdio  call divide: the connection broke",
        ),
    ];
    for (script, needle) in cases {
        let command = format!("python3 {}", fixtures().join(script).display());
        let report = sandbox.base.join(format!("{script}.json"));
        let out = sandbox.fails_with(
            &[
                "test",
                "--cmd",
                &command,
                "--report",
                report.to_str().unwrap(),
            ],
            1,
            needle,
        );
        assert_eq!(
            out.matches("FAIL").count(),
            1,
            "only the broken check fails:\n{out}"
        );
        let report: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
        let failed: Vec<&Value> = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["ok"] == json!(false))
            .collect();
        assert_eq!(
            (report["failed"].clone(), failed.len()),
            (json!(1), 1),
            "{report:#}"
        );
    }
    let out = sandbox.ok(&[
        "test",
        "--cmd",
        &format!("python3 {} weather", fixtures().join("toy.py").display()),
    ]);
    assert!(
        out.contains("10 passed, 0 failed"),
        "the working toy passes:\n{out}"
    );
}

#[test]
fn suites_add_cases_and_name_the_failing_one() {
    let sandbox = toy_sandbox();
    sandbox.ok(&["start", "weather"]);
    let suite = sandbox.base.join("suite.toml");
    fs::write(
        &suite,
        r#"
[[tests]]
name = "weather in Paris"
type = "tool"
tool = "get_weather"
args = { city = "Paris" }
expected = "Paris"

[[tests]]
name = "city must be text"
tool = "get_weather"
args = { city = 42 }
expected = "error"

[[tests]]
name = "health endpoint"
type = "http"
endpoint = "/health"
method = "GET"
expected_status = 200

[[tests]]
name = "sunny everywhere"
tool = "get_forecast"
args = { city = "Oslo", days = 3 }
expected = "sunny"
"#,
    )
    .unwrap();
    let out = sandbox.fails_with(
        &["test", "weather", "--suite", suite.to_str().unwrap()],
        1,
        "FAIL  stdio  case sunny everywhere",
    );
    for passed in [
        "PASS  stdio  case weather in Paris",
        "PASS  http   case city must be text",
        "PASS  http   case health endpoint",
    ] {
        assert!(out.contains(passed), "{passed:?} in:\n{out}");
    }
    assert!(
        !out.contains("stdio  case health endpoint"),
        "http cases run on the HTTP target:\n{out}"
    );
    let command = format!("python3 {} weather", fixtures().join("toy.py").display());
    sandbox.fails_with(
        &[
            "test",
            "--cmd",
            &command,
            "--suite",
            suite.to_str().unwrap(),
        ],
        1,
        "FAIL  stdio  case health endpoint: an http case needs an HTTP server",
    );
    let json_suite = sandbox.base.join("suite.json");
    fs::write(
        &json_suite,
        r#"{"tests": [{"name": "oops", "type": "tool"}]}"#,
    )
    .unwrap();
    sandbox.fails_with(
        &["test", "weather", "--suite", json_suite.to_str().unwrap()],
        2,
        "has type tool but no `tool`",
    );
    sandbox.ok(&["stop", "weather"]);
}

#[test]
fn a_killed_server_is_stale_and_a_taken_port_is_named() {
    require::python3();
    let sandbox = Sandbox::new();
    let port = sandbox.register_toy("weather", "weather", json!({}));
    sandbox.ok(&["start", "weather"]);
    let pid = sandbox.pid("weather").unwrap();
    kill_9(pid);
    let out = sandbox.ok(&["start", "weather"]);
    assert!(
        out.contains("removed a stale pid file") && out.contains("started weather"),
        "{out}"
    );
    kill_9(sandbox.pid("weather").unwrap());
    assert!(sandbox.ok(&["list"]).contains("stopped"));
    assert_eq!(
        sandbox.pid("weather"),
        None,
        "list removed the stale pid file"
    );
    sandbox.ok(&["start", "weather"]);
    // A pid file whose pid now belongs to another program is stale too.
    let other = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pid = sandbox.pid("weather").unwrap();
    sandbox.ok(&["stop", "weather"]);
    fs::write(
        sandbox.runtime.join("weather.pid"),
        format!("{}\n", other.id()),
    )
    .unwrap();
    fs::write(
        sandbox.runtime.join("weather.state.json"),
        json!({"pid": other.id(), "start_ticks": 1, "started_at": 0, "command": "python3 toy.py", "port": port}).to_string(),
    )
    .unwrap();
    assert!(
        sandbox.ok(&["status", "weather"]).contains("stopped"),
        "a reused pid is not our server"
    );
    assert!(alive(other.id()), "status did not touch the other program");
    let mut other = other;
    other.kill().unwrap();
    other.wait().unwrap();
    assert!(!alive(pid));

    let _taken = TcpListener::bind(("127.0.0.1", port)).unwrap();
    // It names what holds the port: this test's own process.
    sandbox.fails_with(
        &["start", "weather"],
        1,
        &format!(
            "port {port} is already in use (pid {} (`",
            std::process::id()
        ),
    );
    assert_eq!(sandbox.pid("weather"), None);
}

#[test]
fn a_failed_start_shows_the_log_with_env_file_and_env_loaded() {
    let sandbox = Sandbox::new();
    let project = sandbox.base.join("failing");
    fs::create_dir(&project).unwrap();
    fs::write(
        project.join(".env"),
        "# secrets\nAPI_KEY=from-the-env-file\n",
    )
    .unwrap();
    sandbox.register(
        "failing",
        json!({
            "name": "Failing", "path": project, "port": free_port(), "env_file": ".env",
            "env": {"REGION": "eu"},
            "command": "sh -c 'echo \"key=$API_KEY region=$REGION transport=$MCP_TRANSPORT port=$PORT args=$*\" >&2; exit 4' sh",
        }),
    );
    let out = sandbox.fails_with(
        &["start", "failing", "--timeout", "10"],
        1,
        "failing did not start: it exited",
    );
    let port = sandbox.entry("failing")["port"].clone();
    let line = format!(
        "key=from-the-env-file region=eu transport=http port={port} args=--transport http --port {port}"
    );
    assert!(out.contains(&line), "{line:?} in:\n{out}");
    assert_eq!(sandbox.pid("failing"), None);
}

#[test]
fn service_dependencies_start_first_and_stop_with_the_server() {
    require::python3();
    let sandbox = Sandbox::new();
    let dep_port = free_port();
    let check_url = format!("http://127.0.0.1:{dep_port}/");
    sandbox.register_toy(
        "weather",
        "weather",
        json!({"dependencies": {"cache": {
            "type": "service",
            "command": format!("exec python3 -m http.server {dep_port} --bind 127.0.0.1"),
            "check_url": check_url,
        }}}),
    );
    let out = sandbox.ok(&["start", "weather"]);
    assert!(
        out.contains("started dependency cache of weather") && out.contains("started weather"),
        "{out}"
    );
    let dep = sandbox.pid("weather.cache").unwrap();
    assert!(alive(dep));
    let out = sandbox.ok(&["stop", "weather"]);
    assert!(out.contains("stopped dependency cache"), "{out}");
    assert!(!alive(dep));
}

#[test]
fn docker_entries_need_docker_without_failing_the_others() {
    require::python3();
    let sandbox = Sandbox::new();
    sandbox.register("postgres", json!({"name": "Postgres MCP", "type": "docker", "image": "example/postgres-mcp", "port": free_port()}));
    sandbox.register_toy("weather", "weather", json!({}));
    // No Docker engine answers on the test machines; where one does, this test does not apply.
    if std::process::Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        panic!("a Docker engine answers here: this test expects none");
    }
    let out = sandbox.ok(&["start", "all"]);
    assert!(
        out.contains("postgres: skipped: postgres needs Docker") && out.contains("started weather"),
        "{out}"
    );
    sandbox.fails_with(&["start", "postgres"], 1, "needs Docker");
    assert!(sandbox.ok(&["status"]).contains("needs Docker"));
    let out = sandbox.ok(&["test", "all"]);
    assert!(
        out.contains("SKIP  -      postgres: a Docker entry") && out.contains(" passed, 0 failed"),
        "{out}"
    );
    sandbox.ok(&["stop", "weather"]);
}

#[test]
fn route_ranks_the_weather_server_first_and_starts_it() {
    require::python3();
    let sandbox = Sandbox::new();
    sandbox.register_toy(
        "notes",
        "notes",
        json!({"description": "Notes you save and search"}),
    );
    sandbox.register_toy(
        "files",
        "files",
        json!({"description": "Read and list files"}),
    );
    sandbox.register_toy(
        "forecaster",
        "weather",
        json!({"keywords": ["weather", "forecast", "temperature"]}),
    );
    let out = sandbox.ok(&["route", "what's the weather in Paris"]);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("forecaster") && first.contains("weather (keyword)"),
        "{out}"
    );
    assert!(!out.contains("notes") && !out.contains("files"), "{out}");
    let cache: Value =
        serde_json::from_slice(&fs::read(sandbox.runtime.join("route-cache.json")).unwrap())
            .unwrap();
    assert_eq!(
        cache["forecaster"]["tools"][0]["name"],
        json!("get_weather"),
        "{cache:#}"
    );

    // `--start` starts the best servers.
    let out = sandbox.ok(&["route", "Forecast for Oslo", "--start"]);
    assert!(
        out.lines().next().unwrap().starts_with("forecaster") && out.contains("started forecaster"),
        "{out}"
    );
    assert!(sandbox.ok(&["status", "forecaster"]).contains("healthy"));
    sandbox.ok(&["stop", "all"]);
}

#[test]
fn unknown_names_suggest_the_closest_registered_one() {
    let sandbox = Sandbox::new();
    sandbox.register("weather", json!({"command": "true", "port": 1}));
    sandbox.register("github", json!({"command": "true", "port": 2}));
    for args in [
        &["start", "wether"][..],
        &["stop", "wether"],
        &["status", "wether"],
        &["logs", "wether"],
        &["call", "wether", "t"],
        &["test", "wether"],
    ] {
        sandbox.fails_with(args, 2, r#"no server named "wether""#);
        sandbox.fails_with(args, 2, r#"did you mean "weather"?"#);
    }
    sandbox.fails_with(&["start", "zzzzzz"], 2, "see `mcp-create list`");
}

#[test]
fn bad_json_arguments_fail_before_anything_is_spawned() {
    let sandbox = Sandbox::new();
    let marker = sandbox.base.join("spawned");
    sandbox.register(
        "weather",
        json!({"command": format!("touch {}", marker.display()), "port": 1}),
    );
    sandbox.fails_with(
        &["call", "weather", "add", "{a: 2}"],
        2,
        "JSON_ARGS is not valid JSON",
    );
    sandbox.fails_with(
        &["call", "weather", "add", "[2, 3]"],
        2,
        "must be a JSON object",
    );
    assert!(
        !marker.exists(),
        "the server was started despite bad arguments"
    );
}

#[test]
fn call_reports_tool_errors_with_exit_1() {
    let sandbox = toy_sandbox();
    let out = sandbox.ok(&["call", "weather", "get_weather", r#"{"city": "Paris"}"#]);
    assert!(out.contains("get_weather {'city': 'Paris'}"), "{out}");
    sandbox.fails_with(
        &["call", "weather", "get_weather", "{}"],
        1,
        "tool get_weather of weather answered with an error: missing required argument 'city'",
    );
}

#[test]
fn list_json_describes_every_entry() {
    let sandbox = Sandbox::new();
    assert!(
        sandbox
            .ok(&["list"])
            .starts_with("No servers registered in")
    );
    assert!(
        sandbox
            .ok(&["status"])
            .starts_with("No servers registered in")
    );
    sandbox.register("seed", json!({"name": "Seed", "path": "/srv/seed", "command": "uv run python src/main.py", "port": 8055}));
    sandbox.register("gen", json!({"command": "srv", "args": ["--transport", "http"], "port": 8056, "template": "rust"}));
    let list: Value = serde_json::from_str(&sandbox.ok(&["list", "--json"])).unwrap();
    assert_eq!(
        (&list["version"], &list["command"]),
        (&json!(1), &json!("list"))
    );
    assert_eq!(
        list["servers"],
        json!([
            {"name": "seed", "display_name": "Seed", "template": null, "transport": "stdio", "port": 8055,
             "path": "/srv/seed", "running": false, "state": "stopped", "pid": null},
            {"name": "gen", "display_name": null, "template": "rust", "transport": "http", "port": 8056,
             "path": null, "running": false, "state": "stopped", "pid": null},
        ])
    );
    let table = sandbox.ok(&["list"]);
    assert!(
        table.starts_with("NAME") && table.contains("seed  -"),
        "{table}"
    );
}

#[test]
fn restart_keeps_the_previous_log_and_logs_follow_appends() {
    let sandbox = toy_sandbox();
    sandbox.ok(&["start", "weather"]);
    let first = sandbox.pid("weather").unwrap();
    let out = sandbox.ok(&["restart", "weather"]);
    assert!(
        out.contains(&format!("stopped weather (pid {first})")) && out.contains("started weather"),
        "{out}"
    );
    let second = sandbox.pid("weather").unwrap();
    assert!(second != first && !alive(first) && alive(second));
    assert!(
        sandbox.runtime.join("weather.log.1").is_file(),
        "the previous log is kept"
    );

    let mut follow = sandbox
        .command(&["logs", "weather", "-f", "-n", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    let stdout = follow.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let timeout = std::time::Duration::from_secs(20);
    let tail = received
        .recv_timeout(timeout)
        .expect("logs -f prints the last line first");
    assert!(!tail.contains("POST /mcp"), "{tail}");
    sandbox.ok(&["call", "weather", "get_weather", r#"{"city": "Oslo"}"#]);
    let appended = received
        .recv_timeout(timeout)
        .expect("logs -f prints appended lines");
    assert!(appended.contains("POST /mcp"), "{appended}");
    follow.kill().unwrap();
    follow.wait().unwrap();
    sandbox.ok(&["stop", "weather"]);
}

#[test]
fn foreground_runs_attached_with_the_http_arguments() {
    let sandbox = Sandbox::new();
    let port = free_port();
    sandbox.register(
        "once",
        json!({"command": "sh -c 'echo \"serving on $PORT with $*\"' sh", "port": port}),
    );
    let out = sandbox.ok(&["start", "once", "--fg"]);
    assert!(
        out.contains(&format!(
            "serving on {port} with --transport http --port {port}"
        )),
        "{out}"
    );
    assert_eq!(sandbox.pid("once"), None);
    sandbox.register(
        "broken",
        json!({"command": "sh -c 'exit 3'", "port": free_port()}),
    );
    sandbox.fails_with(
        &["start", "broken", "--fg"],
        1,
        "exited with exit status: 3",
    );
    sandbox.fails_with(&["start", "all", "--fg"], 2, "--fg runs one server");
}

/// A registered command line with quoted arguments, at a path with a space
/// (`"/.../my server/bin" --flag "a b"`), runs the same in `call`, `test`, `start`, `install` and
/// `doctor`: the wrapper exits unless it gets `--flag` and `a b` as one argument.
#[test]
fn a_quoted_command_line_runs_the_same_everywhere() {
    require::python3();
    let sandbox = Sandbox::new();
    let dir = sandbox.base.join("my server");
    fs::create_dir(&dir).unwrap();
    for file in ["mini_mcp.py", "toy.py"] {
        fs::copy(fixtures().join(file), dir.join(file)).unwrap();
    }
    let wrapper = dir.join("bin");
    fs::write(
        &wrapper,
        "#!/bin/sh\n\
         if [ \"$1\" != --flag ] || [ \"$2\" != 'a b' ]; then echo \"wrapper got: $*\" >&2; exit 9; fi\n\
         shift 2\n\
         exec python3 \"$(dirname \"$0\")/toy.py\" weather \"$@\"\n",
    )
    .unwrap();
    let mut permissions = fs::metadata(&wrapper).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    fs::set_permissions(&wrapper, permissions).unwrap();
    let command = format!("\"{}\" --flag \"a b\"", wrapper.display());
    sandbox.register(
        "quoted",
        json!({"path": dir, "command": command, "port": free_port()}),
    );

    let paris = r#"{"city": "Paris"}"#;
    let stdio = sandbox.ok(&["call", "quoted", "get_weather", paris]);
    assert!(stdio.contains("get_weather {'city': 'Paris'}"), "{stdio}");
    let tested = sandbox.ok(&["test", "quoted"]);
    assert!(
        tested.contains("PASS  stdio") && !tested.contains("FAIL"),
        "{tested}"
    );

    sandbox.ok(&["start", "quoted"]);
    let http = sandbox.ok(&["call", "quoted", "get_weather", paris]);
    assert!(http.contains("get_weather {'city': 'Paris'}"), "{http}");
    let tested = sandbox.ok(&["test", "quoted"]);
    assert!(
        tested.contains("PASS  http") && !tested.contains("FAIL"),
        "{tested}"
    );
    sandbox.ok(&["stop", "quoted"]);

    // install checks the server by launching it as the client will, then writes the split form.
    let installed = sandbox.ok(&["install", "quoted", "--client", "cursor"]);
    assert!(installed.contains("Checked:"), "{installed}");
    sandbox.ok(&["install", "quoted", "--client", "claude-code", "--no-check"]);
    let home = sandbox.home.clone();
    for file in [".cursor/mcp.json", ".claude.json"] {
        let config: Value = serde_json::from_slice(&fs::read(home.join(file)).unwrap()).unwrap();
        let entry = &config["mcpServers"]["quoted"];
        assert_eq!(
            entry["command"],
            wrapper.to_str().unwrap(),
            "{file}: {entry}"
        );
        assert_eq!(entry["args"], json!(["--flag", "a b"]), "{file}: {entry}");
    }
    let doctor = sandbox.ok(&["doctor"]);
    assert!(
        doctor.contains("quoted:\n")
            && doctor.contains("cursor (user): installed")
            && doctor.contains("claude-code (user): installed")
            && !doctor.contains("drifted"),
        "{doctor}"
    );
}

/// A bad entry is flagged by `list` and `doctor` with file, entry and fix; the other entries
/// still list, start and stop.
#[test]
fn a_bad_entry_does_not_block_the_others() {
    require::python3();
    let sandbox = Sandbox::new();
    sandbox.register_toy("good", "weather", json!({}));
    sandbox.register("bad", json!({"command": "srv 'unbalanced", "port": 1}));
    let table = sandbox.ok(&["list"]);
    assert!(
        table.contains("good") && table.contains("stopped"),
        "{table}"
    );
    let config = sandbox.config.display().to_string();
    assert!(
        table.contains(&format!(
            "invalid entry: {config}: the entry \"bad\" cannot be used: its `command` has unbalanced quotes; quote it"
        )),
        "{table}"
    );
    let started = sandbox.ok(&["start", "all"]);
    assert!(
        started.contains("skipped: ") && started.contains("started good"),
        "{started}"
    );
    sandbox.fails_with(&["start", "bad"], 1, "unbalanced quotes");
    sandbox.ok(&["stop", "all"]);
    // doctor reports the others and flags the bad entry with exit 1.
    let doctor = sandbox.run(&["doctor"]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains("good:\n") && doctor.stdout.contains("bad:\n  invalid entry: "),
        "{}",
        doctor.stdout
    );
    assert!(
        doctor.stderr.contains("1 invalid registry entry"),
        "{}",
        doctor.stderr
    );
}
