//! The server side of the management tests: the fixture servers (tiny Python scripts speaking raw
//! JSON-RPC) and the processes mcp-create starts.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Sandbox, free_port};

/// tests/fixtures/manage: the fixture servers.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manage")
}

/// Whether `pid` runs (not gone, not a zombie).
pub fn alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Live processes whose process group is `pgid`.
pub fn group_members(pgid: u32) -> Vec<u32> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() != Some(&"Z") && fields.get(2) == Some(&pgid.to_string().as_str()) {
            members.push(pid);
        }
    }
    members
}

/// Sends SIGKILL to `pid` and waits until it is gone.
pub fn kill_9(pid: u32) {
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -9 {pid}");
    wait_for(|| !alive(pid), "the killed process to end");
}

/// Polls `done` for up to 20 s.
pub fn wait_for(done: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A sandbox with the toy weather server registered as `weather` (python3 required).
pub fn toy_sandbox() -> Sandbox {
    super::require::python3();
    let sandbox = Sandbox::new();
    sandbox.register_toy("weather", "weather", json!({}));
    sandbox
}

impl Sandbox {
    /// Registers the toy server `kind` (weather, notes or files) under `key` on a free port.
    pub fn register_toy(&self, key: &str, kind: &str, extra: Value) -> u16 {
        let port = free_port();
        let mut entry = json!({
            "name": format!("Toy {kind}"),
            "path": fixtures(),
            "command": "python3",
            "args": ["toy.py", kind],
            "port": port,
            "env_file": ".env",
            "env": {},
            "dependencies": {},
        });
        if let (Value::Object(entry), Value::Object(extra)) = (&mut entry, extra) {
            entry.extend(extra);
        }
        self.register(key, entry);
        port
    }

    /// The pid in the pid file of `name`.
    pub fn pid(&self, name: &str) -> Option<u32> {
        fs::read_to_string(self.runtime.join(format!("{name}.pid")))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}
