//! Helpers of the server-management tests: a sandbox (temporary registry, runtime directory and
//! home, outside the checkout) in which `mcp-create` runs, the fixture servers, and projects
//! generated from the real templates and installed.

#![allow(dead_code)]

use std::ffi::OsString;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use mcp_create::{NewArgs, Plan, Templates, generate};
use serde_json::{Map, Value, json};
use tempfile::TempDir;

/// The fixture servers (tiny Python scripts speaking raw JSON-RPC).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manage")
}

/// The workspace checkout.
pub fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .canonicalize()
        .unwrap()
}

/// Fails the test, saying what to install, unless `program args` succeeds.
pub fn require(program: &str, args: &[&str], what: &str) {
    match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
    {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "`{program} {}` failed: {what}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => panic!("cannot run `{program}` ({error}): {what}"),
    }
}

/// Fails unless python3 runs (the fixture servers need it).
pub fn require_python() {
    require(
        "python3",
        &["--version"],
        "the server-management tests need python3 for their fixture servers",
    );
}

/// A port nothing listens on right now.
///
/// Taken below the kernel's ephemeral range (32768 and up here): a port from that range can be
/// taken meanwhile by the outgoing connections of tests running at the same time, and a server
/// restarted on it then finds it in use.
pub fn free_port() -> u16 {
    const FIRST: u32 = 20_000;
    const COUNT: u32 = 12_000;
    let seed = std::process::id().wrapping_mul(7919)
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos();
    (0..COUNT)
        .map(|i| (FIRST + seed.wrapping_add(i) % COUNT) as u16)
        .find(|port| TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free port between 20000 and 32000")
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

/// A registry, a runtime directory and a home in a temporary folder outside the checkout.
pub struct Sandbox {
    pub root: TempDir,
    pub dir: PathBuf,
    pub config: PathBuf,
    pub runtime: PathBuf,
}

/// What one `mcp-create` run did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::Builder::new()
            .prefix("mcp-manage-")
            .tempdir()
            .unwrap();
        let dir = root.path().canonicalize().unwrap();
        assert!(
            !dir.starts_with(checkout()),
            "{} is inside the checkout; set TMPDIR elsewhere",
            dir.display()
        );
        fs::create_dir_all(dir.join("home")).unwrap();
        Sandbox {
            config: dir.join("servers.json"),
            runtime: dir.join("runtime"),
            dir,
            root,
        }
    }

    /// The environment that points mcp-create at the sandbox.
    pub fn envs(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("MCP_SERVERS_CONFIG", self.config.clone().into()),
            ("MCP_RUNTIME_DIR", self.runtime.clone().into()),
            ("HOME", self.dir.join("home").into()),
            // The fixture servers run in the checkout: no __pycache__ there.
            ("PYTHONDONTWRITEBYTECODE", "1".into()),
        ]
    }

    /// Adds (or replaces) the registry entry `key`.
    pub fn register(&self, key: &str, entry: Value) {
        let mut servers: Map<String, Value> = fs::read(&self.config)
            .ok()
            .map(|bytes| serde_json::from_slice(&bytes).unwrap())
            .unwrap_or_default();
        servers.insert(key.to_owned(), entry);
        fs::write(&self.config, serde_json::to_vec_pretty(&servers).unwrap()).unwrap();
    }

    /// The registry entry `key`.
    pub fn entry(&self, key: &str) -> Map<String, Value> {
        let servers: Value = serde_json::from_slice(&fs::read(&self.config).unwrap()).unwrap();
        servers[key].as_object().unwrap().clone()
    }

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

    /// `mcp-create args` in the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mcp-create"));
        command
            .args(args)
            .current_dir(&self.dir)
            .envs(self.envs())
            .stdin(Stdio::null());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let Output {
            status,
            stdout,
            stderr,
        } = self.command(args).output().unwrap();
        Run {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs `args`, expecting success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(
            run.code,
            Some(0),
            "mcp-create {args:?} failed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run.stdout
    }

    /// Runs `args`, expecting exit `code` with `needle` in stdout or stderr; returns both.
    pub fn fails(&self, args: &[&str], code: i32, needle: &str) -> String {
        let run = self.run(args);
        let both = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, Some(code), "mcp-create {args:?}:\n{both}");
        assert!(
            both.contains(needle),
            "mcp-create {args:?}: {needle:?} not in:\n{both}"
        );
        both
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

impl Drop for Sandbox {
    /// Kills what a failed test left running: every process group named by a pid file in the
    /// sandbox.
    fn drop(&mut self) {
        for entry in walkdir::WalkDir::new(&self.dir)
            .max_depth(4)
            .into_iter()
            .flatten()
        {
            let pid = Some(entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "pid"))
                .and_then(|path| fs::read_to_string(path).ok()?.trim().parse::<u32>().ok())
                // `kill -9 -1` would reach every process of the user: tests plant such files.
                .filter(|&pid| pid > 1);
            if let Some(pid) = pid {
                let _ = Command::new("kill")
                    .args(["-9", "--", &format!("-{pid}")])
                    .stderr(Stdio::null())
                    .status();
            }
        }
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
        path: Some(sandbox.dir.clone()),
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

/// The shared target folder of the workspace (`CARGO_TARGET_TMPDIR` is `<target>/tmp`).
pub fn shared_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The environment of a cargo command run in a generated project: the shared target folder, the
/// running cargo first on `PATH`, and release builds without optimisation, as every test that
/// builds a generated project has them so that one release build of the dependencies serves all
/// (see `RELEASE_OPT_LEVEL` in tests/support/lib.rs).
pub fn cargo_envs() -> Vec<(&'static str, OsString)> {
    vec![
        ("CARGO_TARGET_DIR", shared_target_dir().into()),
        ("PATH", path_with_cargo()),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0".into()),
    ]
}

/// `PATH` with the running cargo's folder first.
pub fn path_with_cargo() -> OsString {
    let cargo = std::env::var_os("CARGO").map(PathBuf::from);
    let mut dirs: Vec<PathBuf> = cargo
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .into_iter()
        .collect();
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}
