//! The server side of the management tests: the fixture servers (tiny Python scripts speaking raw
//! JSON-RPC), the processes mcp-create starts, and projects generated from the real templates and
//! installed.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mcp_create::{NewArgs, Plan, Templates, generate};
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

/// A project generated from a real template into a sandbox, registered there, and installed.
pub struct Generated {
    pub sandbox: Sandbox,
    pub key: String,
    pub dest: PathBuf,
    pub port: u16,
}

/// Generates `name` from `template` through the library, registers it in a new sandbox on a free
/// port, and runs the template's install command (`envs` added).
pub fn generate_and_install(template: &str, name: &str, envs: &[(&str, OsString)]) -> Generated {
    let started = Instant::now();
    let sandbox = Sandbox::new();
    let templates = Templates::embedded().unwrap();
    let port = free_port();
    let args = NewArgs {
        template: template.into(),
        path: Some(sandbox.base.clone()),
        port: Some(port),
        ..NewArgs::new(name)
    };
    let plan = Plan::new(&args, &templates, Some(&sandbox.config))
        .unwrap_or_else(|e| panic!("plan {template}: {e}"));
    let generated = generate(&plan).unwrap_or_else(|e| panic!("generate {template}: {e}"));
    let output = Command::new("sh")
        .args(["-c", &plan.commands.install])
        .current_dir(&generated.dest)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "`{}` failed in {}:\n{}\n{}",
        plan.commands.install,
        generated.dest.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "[{template}] generated and installed in {:.1?}",
        started.elapsed()
    );
    Generated {
        key: plan.names.project_name.clone(),
        dest: generated.dest,
        port,
        sandbox,
    }
}
