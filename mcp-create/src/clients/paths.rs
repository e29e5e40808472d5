//! Where a client's config file is. The system and its variables (`HOME`, `XDG_CONFIG_HOME`,
//! `APPDATA`, `LOCALAPPDATA`, `CODEX_HOME`, `COPILOT_HOME`, `CLINE_DATA_DIR`, `CLINE_DIR`) and the current directory come in as an [`Env`], so the
//! Windows and macOS rules can be tested anywhere.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::ClientError;
use super::table::{Base, Client, Location};

/// The operating system whose rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

/// The variable that makes [`Env::current`] apply another system's rules (tests only).
pub const OS_VAR: &str = "MCP_CREATE_TEST_OS";

/// Claude Desktop's MSIX package folder under `%LOCALAPPDATA%`.
pub const CLAUDE_MSIX: &str = "Packages/Claude_pzs8sxrjxfjjc";

/// Reads an environment variable.
pub type VarFn = Box<dyn Fn(&str) -> Option<OsString>>;

/// The system, its variables and the current directory, as the path rules read them.
pub struct Env {
    pub os: Os,
    pub var: VarFn,
    pub cwd: Option<PathBuf>,
}

impl Env {
    /// This process's. Tests may set `MCP_CREATE_TEST_OS` (`windows`, `macos`, `linux`) to run
    /// another system's rules.
    pub fn current() -> Env {
        let os = match std::env::var(OS_VAR).as_deref() {
            Ok("windows") => Os::Windows,
            Ok("macos") => Os::MacOs,
            Ok("linux") => Os::Linux,
            _ if cfg!(windows) => Os::Windows,
            _ if cfg!(target_os = "macos") => Os::MacOs,
            _ => Os::Linux,
        };
        Env {
            os,
            var: Box::new(|name| std::env::var_os(name)),
            cwd: std::env::current_dir().ok(),
        }
    }

    fn var(&self, name: &str) -> Option<PathBuf> {
        (self.var)(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }
}

/// The file of `location` for `client`.
pub fn resolve(client: &Client, location: Location) -> Result<PathBuf, ClientError> {
    resolve_in(&Env::current(), client, location)
}

/// The file of `location` for `client` under `env`.
pub fn resolve_in(env: &Env, client: &Client, location: Location) -> Result<PathBuf, ClientError> {
    let missing = |missing| ClientError::NoBase {
        client: client.id,
        missing,
    };
    let home = || {
        env.var("HOME")
            .or_else(|| env.var("USERPROFILE").filter(|_| env.os == Os::Windows))
            .or_else(std::env::home_dir)
            .ok_or(missing("HOME"))
    };
    let xdg = || -> Result<PathBuf, ClientError> {
        match env.var("XDG_CONFIG_HOME") {
            Some(dir) => Ok(dir),
            None => Ok(home()?.join(".config")),
        }
    };
    let appdata = || env.var("APPDATA").ok_or(missing("APPDATA"));
    let app_data = || match env.os {
        Os::MacOs => Ok(home()?.join("Library/Application Support")),
        Os::Windows => appdata(),
        Os::Linux => xdg(),
    };
    let base = match location.base {
        Base::Home => home()?,
        Base::Project => env.cwd.clone().ok_or(missing("the current directory"))?,
        Base::CodexHome => match env.var("CODEX_HOME") {
            Some(dir) => dir,
            None => home()?.join(".codex"),
        },
        Base::CopilotHome => match env.var("COPILOT_HOME") {
            Some(dir) => dir,
            None => home()?.join(".copilot"),
        },
        Base::ClineData => match (env.var("CLINE_DATA_DIR"), env.var("CLINE_DIR")) {
            (Some(dir), _) => dir,
            (None, Some(dir)) => dir.join("data"),
            (None, None) => home()?.join(".cline/data"),
        },
        Base::Xdg => xdg()?,
        Base::Goose if env.os == Os::Windows => join(&appdata()?, "Block/goose/config"),
        Base::Goose => xdg()?.join("goose"),
        Base::AppData => app_data()?,
        Base::ClaudeDesktop => match claude_msix(env) {
            Some(package) => join(&package, "LocalCache/Roaming"),
            None => app_data()?,
        },
        Base::XdgConfig if env.os == Os::Windows => appdata()?,
        Base::XdgConfig => xdg()?,
    };
    let path = join(&base, location.path);
    match location.or {
        Some(other) if !path.exists() && join(&base, other).exists() => Ok(join(&base, other)),
        _ => Ok(path),
    }
}

/// Claude Desktop's MSIX package folder, on Windows when it exists.
fn claude_msix(env: &Env) -> Option<PathBuf> {
    let local = env.var("LOCALAPPDATA").filter(|_| env.os == Os::Windows)?;
    Some(join(&local, CLAUDE_MSIX)).filter(|dir| dir.is_dir())
}

/// The Claude Desktop config the installed app ignores: `%APPDATA%\Claude\…` when the MSIX
/// package is installed (it reads its own copy), else `None`.
pub fn ignored_claude_desktop(env: &Env, client: &Client) -> Option<PathBuf> {
    claude_msix(env)?;
    let appdata = env.var("APPDATA")?;
    Some(join(&appdata, client.locations[0].path))
}

/// Whether `client` is on this machine: the folder holding its user config exists (or, for a
/// file straight in the home folder, the file does).
pub fn found(env: &Env, client: &Client) -> bool {
    let Some(location) = client.locations.iter().find(|l| l.nest.is_empty()) else {
        return false;
    };
    match resolve_in(env, client, *location) {
        Ok(path) if location.base == Base::Home && !location.path.contains('/') => path.is_file(),
        Ok(path) => path.parent().is_some_and(Path::is_dir),
        Err(_) => false,
    }
}

fn join(base: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(base.to_owned(), |path, part| path.join(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::table::find;

    fn windows(local: &Path, appdata: &Path) -> Env {
        let (local, appdata) = (local.to_owned(), appdata.to_owned());
        Env {
            os: Os::Windows,
            var: Box::new(move |name| match name {
                "LOCALAPPDATA" => Some(local.clone().into()),
                "APPDATA" => Some(appdata.clone().into()),
                "HOME" => Some("C:/Users/me".into()),
                _ => None,
            }),
            cwd: None,
        }
    }

    /// Acceptance 2: the MSIX path when the package folder exists, the old one otherwise.
    #[test]
    fn claude_desktop_on_windows_reads_the_msix_package_when_installed() {
        let dir = tempfile::tempdir().unwrap();
        let (local, appdata) = (dir.path().join("Local"), dir.path().join("Roaming"));
        let env = windows(&local, &appdata);
        let client = find("claude-desktop").unwrap();
        let path = |env: &Env| resolve_in(env, client, client.locations[0]).unwrap();
        let old = appdata.join("Claude").join("claude_desktop_config.json");
        assert_eq!(path(&env), old);
        assert_eq!(ignored_claude_desktop(&env, client), None);

        std::fs::create_dir_all(join(&local, CLAUDE_MSIX)).unwrap();
        let msix = join(
            &local,
            "Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json",
        );
        assert_eq!(path(&env), msix);
        assert_eq!(ignored_claude_desktop(&env, client), Some(old));

        // Not on Windows, LOCALAPPDATA means nothing.
        let linux = Env {
            os: Os::Linux,
            ..windows(&local, &appdata)
        };
        assert!(!path(&linux).starts_with(&local));
    }

    #[test]
    fn vscode_user_profile_per_system() {
        let client = find("vscode").unwrap();
        let env = |os| Env {
            os,
            var: Box::new(|name| (name == "HOME" || name == "APPDATA").then(|| "/h".into())),
            cwd: Some("/w".into()),
        };
        let at = |os| resolve_in(&env(os), client, client.locations[0]).unwrap();
        assert_eq!(at(Os::Linux), Path::new("/h/.config/Code/User/mcp.json"));
        assert_eq!(
            at(Os::MacOs),
            Path::new("/h/Library/Application Support/Code/User/mcp.json")
        );
        assert_eq!(at(Os::Windows), Path::new("/h/Code/User/mcp.json"));
        let project = resolve_in(&env(Os::Linux), client, client.locations[1]).unwrap();
        assert_eq!(project, Path::new("/w/.vscode/mcp.json"));
    }

    /// Cline reads `$CLINE_DATA_DIR`, else `$CLINE_DIR/data`, else `~/.cline/data`; Copilot CLI
    /// reads `$COPILOT_HOME`, else `~/.copilot`.
    #[test]
    fn cline_and_copilot_follow_their_variables() {
        let env = |vars: &'static [(&'static str, &'static str)]| Env {
            os: Os::Linux,
            var: Box::new(move |name| {
                vars.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).into())
            }),
            cwd: None,
        };
        let at = |id, vars| {
            let client = find(id).unwrap();
            resolve_in(&env(vars), client, client.locations[0]).unwrap()
        };
        let settings = "settings/cline_mcp_settings.json";
        assert_eq!(
            at("cline", &[("HOME", "/h")]),
            Path::new("/h/.cline/data").join(settings)
        );
        assert_eq!(
            at("cline", &[("HOME", "/h"), ("CLINE_DIR", "/c")]),
            Path::new("/c/data").join(settings)
        );
        let both = &[
            ("HOME", "/h"),
            ("CLINE_DIR", "/c"),
            ("CLINE_DATA_DIR", "/d"),
        ];
        assert_eq!(at("cline", both), Path::new("/d").join(settings));
        assert_eq!(
            at("copilot-cli", &[("HOME", "/h")]),
            Path::new("/h/.copilot/mcp-config.json")
        );
        assert_eq!(
            at("copilot-cli", &[("HOME", "/h"), ("COPILOT_HOME", "/p")]),
            Path::new("/p/mcp-config.json")
        );
    }
}
