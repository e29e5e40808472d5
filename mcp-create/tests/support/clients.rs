//! The client side of a sandbox: where each client keeps its config, the client fixtures, and
//! servers registered from them.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::Sandbox;
use super::require::python;

/// tests/fixtures/clients.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clients")
}

/// The golden file `name` of the client tests.
pub fn golden_file(name: &str) -> PathBuf {
    fixtures().join("golden").join(name)
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

impl Sandbox {
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

    /// `text` with the sandbox path as `/home/me` and the python path as `python3`, so expected
    /// files can be written once.
    pub fn portable(&self, text: &str) -> String {
        text.replace(&python().display().to_string(), "/usr/bin/python3")
            .replace(&fixtures().display().to_string(), "/fixtures")
            .replace(&self.base.display().to_string(), "/home/me")
    }
}
