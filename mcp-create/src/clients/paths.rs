//! Where a client's config file is, from `HOME`, `XDG_CONFIG_HOME`, `APPDATA`, `CODEX_HOME` and the
//! current directory (read when asked, so tests can point them at temporary folders).

use std::path::{Path, PathBuf};

use super::ClientError;
use super::table::{Base, Client, Location};

/// The file of `location` for `client`.
pub fn resolve(client: &Client, location: Location) -> Result<PathBuf, ClientError> {
    let missing = |missing| ClientError::NoBase {
        client: client.id,
        missing,
    };
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = || {
        var("HOME")
            .or_else(std::env::home_dir)
            .ok_or(missing("HOME"))
    };
    let xdg = || -> Result<PathBuf, ClientError> {
        match var("XDG_CONFIG_HOME") {
            Some(dir) => Ok(dir),
            None => Ok(home()?.join(".config")),
        }
    };
    let appdata = || var("APPDATA").ok_or(missing("APPDATA"));
    let base = match location.base {
        Base::Home => home()?,
        Base::Project => std::env::current_dir().map_err(|_| missing("the current directory"))?,
        Base::CodexHome => match var("CODEX_HOME") {
            Some(dir) => dir,
            None => home()?.join(".codex"),
        },
        Base::AppData if cfg!(target_os = "macos") => home()?.join("Library/Application Support"),
        Base::AppData | Base::XdgConfig if cfg!(windows) => appdata()?,
        Base::AppData | Base::XdgConfig => xdg()?,
    };
    Ok(join(&base, location.path))
}

fn join(base: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(base.to_owned(), |path, part| path.join(part))
}
