//! A sandbox per test: a temporary folder outside the checkout holding a work directory, a home,
//! the client folders, a registry and a runtime directory, and the `mcp-create` binary run with
//! every location variable pointing into it (never at the real home).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use serde_json::{Map, Value};
use tempfile::TempDir;
use walkdir::WalkDir;

use super::checkout;

/// The fixture templates: rust (vendors the SDK), python (alias and variant), typescript.
pub fn fixture_templates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates")
}

/// One test's sandbox.
pub struct Sandbox {
    /// Removed with the sandbox.
    pub root: TempDir,
    /// The canonical path of `root`.
    pub base: PathBuf,
    /// The current directory of every run (project scope writes here).
    pub work: PathBuf,
    /// `HOME` of every run.
    pub home: PathBuf,
    /// `MCP_SERVERS_CONFIG` of every run.
    pub config: PathBuf,
    /// `MCP_RUNTIME_DIR` of every run (not created).
    pub runtime: PathBuf,
    /// `--templates-dir` of every run, if any.
    pub templates: Option<PathBuf>,
}

/// What one `mcp-create` run did.
pub struct Run {
    pub status: ExitStatus,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::Builder::new()
            .prefix("mcp-create-test-")
            .tempdir()
            .unwrap();
        let base = root.path().canonicalize().unwrap();
        assert!(
            !base.starts_with(checkout()),
            "{} is inside the checkout; set TMPDIR elsewhere",
            base.display()
        );
        // No client folder exists: `--client detected` finds none until a test makes one.
        for dir in ["work", "home", "xdg", "appdata"] {
            fs::create_dir_all(base.join(dir)).unwrap();
        }
        Sandbox {
            work: base.join("work"),
            home: base.join("home"),
            config: base.join("servers.json"),
            runtime: base.join("runtime"),
            templates: None,
            base,
            root,
        }
    }

    /// A sandbox whose runs take the fixture templates (`--templates-dir`).
    pub fn with_fixture_templates() -> Sandbox {
        let mut sandbox = Sandbox::new();
        sandbox.templates = Some(fixture_templates());
        sandbox
    }

    /// `mcp-create [--templates-dir <templates>] <args>` in the work directory, with every
    /// location variable pointing into the sandbox and no stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mcp-create"));
        if let Some(templates) = &self.templates {
            command.arg("--templates-dir").arg(templates);
        }
        command
            .args(args)
            .current_dir(&self.work)
            .envs(self.envs())
            // Clients whose folder these move elsewhere than HOME.
            .env_remove("COPILOT_HOME")
            .env_remove("CLINE_DATA_DIR")
            .env_remove("CLINE_DIR")
            .stdin(Stdio::null());
        command
    }

    /// The environment that points mcp-create at the sandbox.
    pub fn envs(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("HOME", self.home.clone().into()),
            ("XDG_CONFIG_HOME", self.base.join("xdg").into()),
            ("APPDATA", self.base.join("appdata").into()),
            ("CODEX_HOME", self.base.join("codex").into()),
            ("MCP_SERVERS_CONFIG", self.config.clone().into()),
            ("MCP_RUNTIME_DIR", self.runtime.clone().into()),
            // Fixture servers run from the checkout: no __pycache__ there.
            ("PYTHONDONTWRITEBYTECODE", "1".into()),
        ]
    }

    /// Runs `mcp-create <args>` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().unwrap();
        Run {
            status: output.status,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `mcp-create <args>`, expecting success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            run.status.success(),
            "mcp-create {args:?} failed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run.stdout
    }

    /// Runs `mcp-create <args>`, expecting failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(!run.status.success(), "mcp-create {args:?} succeeded");
        run.stderr
    }

    /// Runs `mcp-create <args>`, expecting exit `code` with `needle` in stdout or stderr; returns
    /// both.
    pub fn fails_with(&self, args: &[&str], code: i32, needle: &str) -> String {
        let run = self.run(args);
        let both = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, Some(code), "mcp-create {args:?}:\n{both}");
        assert!(
            both.contains(needle),
            "mcp-create {args:?}: {needle:?} not in:\n{both}"
        );
        both
    }

    /// Runs `mcp-create <args>`, expecting it to fail with `code` and an `error: ` holding
    /// `needle`, and to leave every file and folder of the sandbox as it was; returns stderr.
    pub fn refuses(&self, args: &[&str], code: i32, needle: &str) -> String {
        let before = self.tree();
        let run = self.run(args);
        let stderr = run.stderr;
        assert_eq!(run.code, Some(code), "mcp-create {args:?}:\n{stderr}");
        assert!(
            stderr.contains(needle),
            "mcp-create {args:?}: {needle:?} not in:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(
            self.tree(),
            before,
            "mcp-create {args:?} changed the sandbox"
        );
        stderr
    }

    /// Every file and folder of the sandbox with its content (folders map to None).
    pub fn tree(&self) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        WalkDir::new(&self.base)
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                let content = entry
                    .file_type()
                    .is_file()
                    .then(|| fs::read(entry.path()).unwrap());
                (entry.path().to_owned(), content)
            })
            .collect()
    }

    /// Adds (or replaces) the registry entry `key`.
    pub fn register(&self, key: &str, entry: Value) {
        let mut servers = self.registry_or_empty();
        servers.insert(key.to_owned(), entry);
        fs::write(&self.config, serde_json::to_vec_pretty(&servers).unwrap()).unwrap();
    }

    /// The registry, parsed.
    pub fn registry(&self) -> Map<String, Value> {
        serde_json::from_slice(&fs::read(&self.config).unwrap()).unwrap()
    }

    fn registry_or_empty(&self) -> Map<String, Value> {
        match fs::read(&self.config) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap(),
            Err(_) => Map::new(),
        }
    }

    /// The registry entry `key`.
    pub fn entry(&self, key: &str) -> Map<String, Value> {
        self.registry()[key].as_object().unwrap().clone()
    }

    /// The file at `path` in the work directory.
    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.work.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

impl Drop for Sandbox {
    /// Kills what a failed test left running: every process group named by a pid file in the
    /// sandbox.
    fn drop(&mut self) {
        for entry in WalkDir::new(&self.base).max_depth(4).into_iter().flatten() {
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
