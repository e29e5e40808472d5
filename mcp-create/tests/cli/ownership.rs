//! Process ownership (issue 9, finding 1, 6 and 10): mcp-create signals only the processes it can
//! prove it started, and leaves no process behind from the servers it probes.
//!
//! Every test runs the real binary in a sandbox against real processes: canaries (`sleep`) that a
//! wrong signal would kill, and the fixture toy server.

use std::fs;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::Duration;

use crate::support::servers::{alive, group_members, toy_sandbox, wait_for};
use crate::support::{Sandbox, require};
use serde_json::json;

/// A `sleep` that leads a process group of its own, as a server would: a signal to its pid or to
/// its group would end it. Killed when dropped.
struct Canary(Child);

impl Canary {
    fn new() -> Canary {
        Canary(
            Command::new("sleep")
                .arg("300")
                .process_group(0)
                .spawn()
                .unwrap(),
        )
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Fails unless it still runs (a signal would have ended it: `sleep` handles none).
    fn assert_alive(&mut self, after: &str) {
        assert!(
            matches!(self.0.try_wait(), Ok(None)) && alive(self.pid()),
            "the canary (pid {}) was killed by {after}",
            self.pid()
        );
    }
}

impl Drop for Canary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The state records a pid file may come with that prove nothing.
const BAD_STATES: [(&str, Option<&str>); 3] = [
    ("missing", None),
    ("empty", Some("")),
    ("garbage", Some("{\"pid\": 12, garbage")),
];

/// Writes `pid` as the pid file of `name` and `state` as its state record (none when `None`).
fn plant(sandbox: &Sandbox, name: &str, pid: &str, state: Option<&str>) {
    fs::create_dir_all(&sandbox.runtime).unwrap();
    fs::write(sandbox.runtime.join(format!("{name}.pid")), pid).unwrap();
    let state_file = sandbox.runtime.join(format!("{name}.state.json"));
    match state {
        Some(state) => fs::write(state_file, state).unwrap(),
        None => {
            let _ = fs::remove_file(state_file);
        }
    }
}

/// Stops `name` (a real server started by the test), failing unless it goes with its group.
fn stop_real(sandbox: &Sandbox, name: &str) {
    let pid = sandbox.pid(name).expect("a started server has a pid file");
    let out = sandbox.ok(&["stop", name]);
    assert!(out.contains(&format!("stopped {name} (pid {pid}")), "{out}");
    assert!(!alive(pid), "pid {pid} still runs after stop");
    assert_eq!(
        group_members(pid),
        Vec::<u32>::new(),
        "its group after stop"
    );
}

#[test]
fn a_pid_file_without_a_valid_record_signals_nothing() {
    let sandbox = toy_sandbox();
    let mut canary = Canary::new();
    let pid = canary.pid().to_string();
    let pid_file = sandbox.runtime.join("weather.pid");
    for (what, state) in BAD_STATES {
        // stop: refuses, says why and that nothing was signalled, exits 1.
        plant(&sandbox, "weather", &pid, state);
        let out = sandbox.fails_with(&["stop", "weather"], 1, "weather was not stopped");
        for needle in [
            &pid_file.display().to_string(),
            "nothing was signalled",
            &format!("kill {pid}"),
        ] {
            assert!(
                out.contains(needle),
                "stop, state {what}: {needle:?} in:\n{out}"
            );
        }
        canary.assert_alive(&format!("stop with a {what} state record"));
        assert_eq!(
            sandbox.pid("weather"),
            None,
            "stop removes the stale pid file"
        );

        // restart and start: report, signal nothing, and start the real server.
        for command in ["restart", "start"] {
            plant(&sandbox, "weather", &pid, state);
            let out = sandbox.ok(&[command, "weather"]);
            assert!(
                out.contains("removed a stale pid file")
                    && out.contains("nothing was signalled")
                    && out.contains("started weather")
                    && !out.contains("already running"),
                "{command}, state {what}:\n{out}"
            );
            canary.assert_alive(&format!("{command} with a {what} state record"));
            assert_ne!(sandbox.pid("weather"), Some(canary.pid()));
            stop_real(&sandbox, "weather");
            canary.assert_alive(&format!("stop after {command}"));
        }
    }
}

#[test]
fn a_pid_file_naming_pid_1_or_no_pid_signals_nothing() {
    let sandbox = Sandbox::new();
    // A server that fails at once: `start` gets as far as spawning it.
    sandbox.register(
        "weather",
        json!({"command": "false", "port": crate::support::free_port()}),
    );
    let mut canary = Canary::new();
    // A record forged from pid 1's own /proc entry: pid 1 is never signalled all the same.
    let stat = fs::read_to_string("/proc/1/stat").unwrap();
    let ticks: u64 = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .nth(19)
        .unwrap()
        .parse()
        .unwrap();
    let cmdline: Vec<String> = fs::read("/proc/1/cmdline")
        .unwrap()
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let boot_id = fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    let forged = json!({
        "pid": 1, "pgid": 1, "start_ticks": ticks, "boot_id": boot_id.trim(), "cmdline": cmdline,
        "started_at": 0, "command": "init", "port": null,
    })
    .to_string();
    for pid in ["1", "0001", " 1 ", "0", "-1", "garbage", "", "99999999999"] {
        for state in [None, Some(""), Some(forged.as_str())] {
            for command in ["stop", "restart", "start", "status"] {
                plant(&sandbox, "weather", pid, state);
                let run = match command {
                    "start" | "restart" => sandbox.run(&[command, "weather", "--timeout", "1"]),
                    _ => sandbox.run(&[command, "weather"]),
                };
                let both = format!("{}{}", run.stdout, run.stderr);
                assert!(
                    both.contains("weather.pid") && both.contains("nothing was signalled"),
                    "{command} with pid file {pid:?}, state {state:?}:\n{both}"
                );
                canary.assert_alive(&format!("{command} with pid file {pid:?}"));
                assert_eq!(
                    sandbox.pid("weather"),
                    None,
                    "the stale pid file is removed"
                );
            }
        }
    }
}

#[test]
fn a_record_whose_pid_now_names_another_process_signals_nothing() {
    let sandbox = toy_sandbox();
    sandbox.ok(&["start", "weather"]);
    let state_file = sandbox.runtime.join("weather.state.json");
    let record: serde_json::Value =
        serde_json::from_slice(&fs::read(&state_file).unwrap()).unwrap();
    for key in ["pid", "pgid", "start_ticks", "boot_id", "cmdline"] {
        assert!(
            !record[key].is_null(),
            "the state record holds {key}: {record}"
        );
    }
    stop_real(&sandbox, "weather");

    // The server's record, its pid since reused by the canary.
    let mut canary = Canary::new();
    let mut reused = record.clone();
    reused["pid"] = json!(canary.pid());
    reused["pgid"] = json!(canary.pid());
    plant(
        &sandbox,
        "weather",
        &canary.pid().to_string(),
        Some(&reused.to_string()),
    );
    let out = sandbox.ok(&["stop", "weather"]);
    assert!(
        out.contains("weather is not running") && out.contains("now belongs to another process"),
        "{out}"
    );
    canary.assert_alive("stop with a record of another process");
    // The same start time but another command line: not provably ours either.
    let mut other = record;
    other["pid"] = json!(canary.pid());
    other["pgid"] = json!(canary.pid());
    let stat = fs::read_to_string(format!("/proc/{}/stat", canary.pid())).unwrap();
    other["start_ticks"] = json!(
        stat.rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .nth(19)
            .unwrap()
            .parse::<u64>()
            .unwrap()
    );
    plant(
        &sandbox,
        "weather",
        &canary.pid().to_string(),
        Some(&other.to_string()),
    );
    sandbox.fails_with(
        &["stop", "weather"],
        1,
        "runs `sleep 300`, not the recorded",
    );
    canary.assert_alive("stop with a record of another command");
}

#[test]
fn a_server_whose_starter_was_killed_mid_start_is_stopped_by_stop() {
    require::python3();
    let sandbox = Sandbox::new();
    // Never healthy: `start` waits until killed.
    sandbox.register_toy("slow", "weather", json!({"health_check": "false"}));
    let mut starter = sandbox
        .command(&["start", "slow", "--timeout", "120"])
        .spawn()
        .unwrap();
    let state_file = sandbox.runtime.join("slow.state.json");
    wait_for(
        || sandbox.pid("slow").is_some(),
        "start to record the server",
    );
    assert!(
        state_file.exists(),
        "the record is written before the pid file"
    );
    let pid = sandbox.pid("slow").unwrap();
    let _cleanup = KillToy(pid);
    starter.kill().unwrap();
    starter.wait().unwrap();
    assert!(alive(pid), "the server outlives its starter");

    let out = sandbox.ok(&["status", "slow"]);
    assert!(out.contains(&format!("running  pid {pid}")), "{out}");
    let out = sandbox.ok(&["stop", "slow", "--grace", "5"]);
    assert!(out.contains(&format!("stopped slow (pid {pid}")), "{out}");
    wait_for(|| !alive(pid), "the server to end");
    assert_eq!(group_members(pid), Vec::<u32>::new());
    assert!(!state_file.exists() && sandbox.pid("slow").is_none());
}

/// Kills the toy server at this pid, if it is still there, when the test ends.
struct KillToy(u32);

impl Drop for KillToy {
    fn drop(&mut self) {
        let cmdline = fs::read(format!("/proc/{}/cmdline", self.0)).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("toy.py") {
            let _ = Command::new("kill")
                .args(["-9", &self.0.to_string()])
                .status();
        }
    }
}

/// Processes whose command line contains `marker`.
fn processes_with(marker: &str) -> Vec<(u32, String)> {
    fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            (cmdline.contains(marker) && alive(pid)).then_some((pid, cmdline))
        })
        .collect()
}

#[test]
fn probes_leave_no_process_behind() {
    let sandbox = Sandbox::new();
    // A fractional sleep no other test runs: `sleep 411.<our pid>`.
    let seconds = format!("411.{}", std::process::id());
    let script = format!("sleep {seconds}; echo x");
    let cmd = format!("sh -c '{script}'");
    let started = std::time::Instant::now();
    sandbox.fails_with(&["test", "--cmd", &cmd, "--timeout", "3"], 1, "no answer");
    assert!(started.elapsed() < Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        processes_with(&seconds),
        Vec::new(),
        "left behind by `test --cmd`"
    );

    // `call` of a registered stdio server.
    sandbox.register(
        "stuck",
        json!({"command": "sh", "args": ["-c", script], "transport": "stdio"}),
    );
    let run = sandbox.run(&["call", "stuck", "any", "--timeout", "3"]);
    assert_ne!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        processes_with(&seconds),
        Vec::new(),
        "left behind by `call`"
    );
}

#[test]
fn a_server_that_answers_leaves_no_child_behind_either() {
    require::python3();
    let sandbox = Sandbox::new();
    // A working server that starts a child of its own and exits when its stdin closes.
    let seconds = format!("413.{}", std::process::id());
    let toy = crate::support::servers::fixtures().join("toy.py");
    let script = format!("sleep {seconds} & exec python3 {} weather", toy.display());
    sandbox.register(
        "spawner",
        json!({"command": "sh", "args": ["-c", script], "transport": "stdio"}),
    );
    for command in [
        &["test", "spawner"][..],
        &["call", "spawner", "get_weather", r#"{"city": "Oslo"}"#],
        &["install", "spawner", "--client", "claude-desktop"],
    ] {
        sandbox.ok(command);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            processes_with(&seconds),
            Vec::new(),
            "left behind by {command:?}"
        );
    }
}

#[test]
fn a_server_named_all_hides_no_other() {
    let sandbox = Sandbox::new();
    for key in ["all", "weather", "notes"] {
        sandbox.register(
            key,
            json!({"command": "python3 toy.py weather", "port": crate::support::free_port()}),
        );
    }
    let note = "a server is registered as \"all\"";
    for command in [
        &["list"][..],
        &["status"],
        &["status", "all"],
        &["stop", "all"],
    ] {
        let out = sandbox.ok(command);
        for key in ["weather", "notes"] {
            assert!(out.contains(key), "{command:?} hides {key}:\n{out}");
        }
        if command[0] != "stop" {
            assert!(
                out.contains(note),
                "{command:?} says nothing of the key `all`:\n{out}"
            );
        }
    }
    let run = sandbox.run(&["list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows["servers"].as_array().unwrap().len(), 3, "{rows:#}");
    assert!(run.stderr.contains(note), "{}", run.stderr);
}
