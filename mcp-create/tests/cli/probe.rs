//! The one probe as a user meets it: install's check and `test` read a stdio server's stdout
//! strictly (every line JSON-RPC), name the first stray line at once, and say how a server ended.

use std::time::{Duration, Instant};

use crate::support::Sandbox;
use crate::support::clients::{config_path, fixtures};
use crate::support::require::python;

fn script(name: &str) -> String {
    fixtures().join("servers").join(name).display().to_string()
}

/// A line printed after the handshake is caught as well as a banner: lenient clients skip it,
/// strict ones break.
#[test]
fn install_refuses_a_stray_line_after_the_handshake() {
    let sandbox = Sandbox::new();
    sandbox.register_script("late", "late_print.py");
    let stderr = sandbox.fails(&["install", "late", "--client", "cursor"]);
    assert!(
        stderr.contains("stdout line 2 is not JSON-RPC: \"debug: listing tools\""),
        "{stderr}"
    );
    assert!(stderr.contains("refusing to install \"late\""), "{stderr}");
    assert!(!config_path(&sandbox, "cursor").exists());
}

/// `test` names the stray line in its stdout check, and the other checks still run and pass.
#[test]
fn test_names_the_stray_line_and_runs_the_other_checks() {
    let sandbox = Sandbox::new();
    let command = format!("{} {}", python().display(), script("late_print.py"));
    let output = sandbox.run(&["test", "--cmd", &command]);
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "FAIL  stdio  stdout carries only JSON-RPC: stdout line 2 is not JSON-RPC: \"debug: \
             listing tools\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS  stdio  handshake 2025-11-25: good 1.0.0, 1 tools"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS  stdio  tools/list: 1 tools: ping"),
        "{stdout}"
    );

    let command = format!("{} {}", python().display(), script("good.py"));
    let output = sandbox.run(&["test", "--cmd", &command]);
    let stdout = &output.stdout;
    assert!(
        stdout.contains("PASS  stdio  stdout carries only JSON-RPC: 2 messages"),
        "{stdout}"
    );
}

/// A server that prints a banner and then hangs is refused at the banner, not after the 30 s the
/// check allows for an answer.
#[test]
fn the_check_fails_at_the_first_stray_line_without_waiting() {
    let sandbox = Sandbox::new();
    sandbox.register(
        "hung",
        serde_json::json!({
            "path": sandbox.base,
            "command": "/bin/sh",
            "args": ["-c", "echo 'Listening...'; exec sleep 60"],
        }),
    );
    let started = Instant::now();
    let stderr = sandbox.fails(&["install", "hung", "--client", "cursor"]);
    assert!(
        stderr.contains("stdout line 1 is not JSON-RPC: \"Listening...\""),
        "{stderr}"
    );
    assert!(stderr.contains("it wrote nothing to stderr"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

/// A server that exits at start is reported with its exit status and its stderr.
#[test]
fn a_server_that_exits_is_reported_with_its_status_and_stderr() {
    let sandbox = Sandbox::new();
    sandbox.register_script("broken", "crash.py");
    let stderr = sandbox.fails(&["install", "broken", "--client", "cursor"]);
    assert!(stderr.contains("exited (exit status: 1)"), "{stderr}");
    assert!(
        stderr.contains("the server's stderr:\ncrash.py: WEATHER_API_KEY is not set"),
        "{stderr}"
    );
}
