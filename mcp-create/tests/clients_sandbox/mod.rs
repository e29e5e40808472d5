//! A sandbox for client tests: HOME, XDG_CONFIG_HOME, APPDATA, CODEX_HOME and MCP_SERVERS_CONFIG
//! point into a temporary folder (never at the real home), with servers registered in it.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{Value, json};
use tempfile::TempDir;
use walkdir::WalkDir;

/// tests/fixtures/clients.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clients")
}

/// The real python3 executable (not a shim that needs the shell's PATH). Fails loudly if absent.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let output = Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .expect("python3 is required by these tests: install it");
        assert!(output.status.success(), "python3 does not run");
        PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
    })
}

/// One test's sandbox.
pub struct Sandbox {
    pub root: TempDir,
    /// The canonical path of `root`.
    pub base: PathBuf,
    /// The current directory of every run (project scope writes here).
    pub work: PathBuf,
    pub home: PathBuf,
    pub config: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().canonicalize().unwrap();
        // No client folder exists: `--client detected` finds none until a test makes one.
        for dir in ["work", "home", "xdg", "appdata"] {
            fs::create_dir_all(base.join(dir)).unwrap();
        }
        Sandbox {
            work: base.join("work"),
            home: base.join("home"),
            config: base.join("servers.json"),
            base,
            root,
        }
    }

    /// Registers `name` running the fixture `script` with python, in project folder `base/name`.
    pub fn register_script(&self, name: &str, script: &str) {
        let dir = self.base.join(name);
        fs::create_dir_all(&dir).unwrap();
        let script = fixtures().join("servers").join(script);
        self.register(
            name,
            json!({
                "name": name,
                "path": dir,
                "command": python(),
                "args": [script],
                "port": 8123,
                "env_file": ".env",
                "env": {},
                "transport": "stdio",
            }),
        );
    }

    /// Registers `name` whose launcher is `<base>/<name>/.venv/bin/<name>`, an executable copy
    /// of the good fixture, as a generated Python project would have it.
    pub fn register_launcher(&self, name: &str) -> PathBuf {
        let dir = self.base.join(name);
        let launcher = dir.join(".venv/bin").join(name);
        fs::create_dir_all(launcher.parent().unwrap()).unwrap();
        let good = fs::read_to_string(fixtures().join("servers/good.py")).unwrap();
        fs::write(&launcher, format!("#!{}\n{good}", python().display())).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&launcher, fs::Permissions::from_mode(0o755)).unwrap();
        }
        self.register(
            name,
            json!({
                "name": name,
                "path": dir,
                "command": launcher,
                "args": [],
                "port": 8055,
                "env_file": ".env",
                "env": {},
                "transport": "stdio",
            }),
        );
        launcher
    }

    /// Adds or replaces `name` in the registry.
    pub fn register(&self, name: &str, entry: Value) {
        let mut servers: serde_json::Map<String, Value> = fs::read_to_string(&self.config)
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_default();
        servers.insert(name.into(), entry);
        fs::write(
            &self.config,
            serde_json::to_string_pretty(&servers).unwrap(),
        )
        .unwrap();
    }

    /// `mcp-create <args>` with every location variable pointing into the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mcp-create"));
        command
            .args(args)
            .current_dir(&self.work)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.base.join("xdg"))
            .env("APPDATA", self.base.join("appdata"))
            .env("CODEX_HOME", self.base.join("codex"))
            .env("MCP_SERVERS_CONFIG", &self.config)
            .env_remove("COPILOT_HOME")
            .env_remove("CLINE_DATA_DIR")
            .env_remove("CLINE_DIR");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs `mcp-create <args>`, expecting success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "mcp-create {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs `mcp-create <args>`, expecting failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(!output.status.success(), "mcp-create {args:?} succeeded");
        String::from_utf8(output.stderr).unwrap()
    }

    /// Every file under the sandbox with its content.
    pub fn tree(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        WalkDir::new(&self.base)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_owned(), fs::read(e.path()).unwrap()))
            .collect()
    }

    /// `text` with the sandbox path as `/home/me` and the python path as `python3`, so expected
    /// files can be written once.
    pub fn portable(&self, text: &str) -> String {
        text.replace(&python().display().to_string(), "/usr/bin/python3")
            .replace(&fixtures().display().to_string(), "/fixtures")
            .replace(&self.base.display().to_string(), "/home/me")
    }
}

/// Every client id and the name of its fixture config.
pub fn clients() -> Vec<(&'static str, String)> {
    mcp_create::clients::CLIENTS
        .iter()
        .map(|c| (c.id, format!("{}.{}", c.id, c.format.extension())))
        .collect()
}

/// Where `client` keeps its default-scope config in `sandbox`.
pub fn config_path(sandbox: &Sandbox, client: &str) -> PathBuf {
    let base = &sandbox.base;
    let home = &sandbox.home;
    match client {
        "claude-desktop" if cfg!(target_os = "macos") => {
            home.join("Library/Application Support/Claude/claude_desktop_config.json")
        }
        "claude-desktop" if cfg!(windows) => base.join("appdata/Claude/claude_desktop_config.json"),
        "claude-desktop" => base.join("xdg/Claude/claude_desktop_config.json"),
        "claude-code" => home.join(".claude.json"),
        "cursor" => home.join(".cursor/mcp.json"),
        "vscode" => app_data(sandbox, "Code/User/mcp.json"),
        "codex" => base.join("codex/config.toml"),
        "gemini" => home.join(".gemini/settings.json"),
        "windsurf" => home.join(".codeium/windsurf/mcp_config.json"),
        "zed" if cfg!(windows) => base.join("appdata/zed/settings.json"),
        "zed" => base.join("xdg/zed/settings.json"),
        "antigravity" => home.join(".gemini/config/mcp_config.json"),
        "copilot-cli" => home.join(".copilot/mcp-config.json"),
        "goose" if cfg!(windows) => base.join("appdata/Block/goose/config/config.yaml"),
        "goose" => base.join("xdg/goose/config.yaml"),
        "kiro" => home.join(".kiro/settings/mcp.json"),
        "opencode" => base.join("xdg/opencode/opencode.json"),
        "cline" => home.join(".cline/data/settings/cline_mcp_settings.json"),
        "roo-code" => app_data(
            sandbox,
            "Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
        ),
        "continue" => home.join(".continue/config.yaml"),
        "lm-studio" => home.join(".lmstudio/mcp.json"),
        other => panic!("no path for {other}"),
    }
}

/// `relative` under the application-data folder of this system, in `sandbox`.
fn app_data(sandbox: &Sandbox, relative: &str) -> PathBuf {
    if cfg!(target_os = "macos") {
        sandbox
            .home
            .join("Library/Application Support")
            .join(relative)
    } else if cfg!(windows) {
        sandbox.base.join("appdata").join(relative)
    } else {
        sandbox.base.join("xdg").join(relative)
    }
}

/// Writes `text` at `path`, creating folders.
pub fn put(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Compares `actual` with the golden file `name`; `UPDATE_GOLDEN=1` rewrites it instead.
pub fn golden(name: &str, actual: &str) -> Result<(), String> {
    let path = fixtures().join("golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        put(&path, actual);
        return Ok(());
    }
    let expected = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{name} differs:\n--- expected\n{expected}\n--- actual\n{actual}"
        ))
    }
}
