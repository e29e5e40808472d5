//! A registered server as a client must see it: the launcher resolved to an absolute path now
//! (GUI clients do not have the shell's PATH), or the URL of its HTTP endpoint; and which of its
//! settings are secrets that stay out of client configs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::ClientError;
use crate::cli::Transport;
use crate::config;
use crate::connect::Launch;

/// The variable that holds an HTTP server's bearer token (see docs/sdk.md).
pub const TOKEN_VAR: &str = "MCP_AUTH_TOKEN";

/// A server's registry entry.
pub struct Registered {
    pub name: String,
    /// The registry file it came from.
    pub config: PathBuf,
    pub entry: Map<String, Value>,
}

impl Registered {
    /// The entry named `name` in the registry at `config` (see [`config::locate`]).
    pub fn load(config: Option<&Path>, name: &str) -> crate::Result<Registered> {
        let config = config::locate(config)?;
        let mut servers = config::read(&config)?;
        match servers.remove(name) {
            Some(Value::Object(entry)) => Ok(Registered {
                name: name.to_owned(),
                config,
                entry,
            }),
            Some(_) => Err(ClientError::BadEntry {
                name: name.into(),
                config,
                reason: "the entry is not an object".into(),
            }
            .into()),
            None => Err(ClientError::NotRegistered {
                name: name.into(),
                config,
            }
            .into()),
        }
    }

    fn bad(&self, reason: impl Into<String>) -> ClientError {
        ClientError::BadEntry {
            name: self.name.clone(),
            config: self.config.clone(),
            reason: reason.into(),
        }
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The project folder (`path`), with `~/` expanded.
    pub fn dir(&self) -> Option<PathBuf> {
        self.str("path").map(expand_home)
    }

    /// The registered transport (`transport`), stdio unless it says http.
    pub fn transport(&self) -> Transport {
        match self.str("transport") {
            Some("http") => Transport::Http,
            _ => Transport::Stdio,
        }
    }

    /// The command line as registered: `command` (split on blanks when there is no `args`) and
    /// `args`, with relative paths taken from the project folder. The program is not resolved.
    pub fn command_line(&self) -> Result<(String, Vec<String>), ClientError> {
        let command = self
            .str("command")
            .ok_or_else(|| self.bad("it has no \"command\""))?;
        let (program, mut args) = match self.entry.get("args") {
            Some(Value::Array(args)) => {
                let args = args.iter().map(|a| a.as_str().map(str::to_owned));
                let args: Option<Vec<String>> = args.collect();
                (
                    command.to_owned(),
                    args.ok_or_else(|| self.bad("\"args\" holds a non-string"))?,
                )
            }
            Some(_) => return Err(self.bad("\"args\" is not an array of strings")),
            None => {
                let mut words = command.split_whitespace().map(str::to_owned);
                (words.next().unwrap_or_default(), words.collect())
            }
        };
        let dir = self.dir();
        for arg in &mut args {
            if let Some(dir) = &dir
                && !arg.starts_with('-')
                && arg.contains('/')
                && Path::new(arg.as_str()).is_relative()
                && dir.join(arg.as_str()).exists()
            {
                *arg = dir.join(arg.as_str()).to_string_lossy().into_owned();
            }
        }
        Ok((program, args))
    }

    /// How a client launches it over stdio: the program as an absolute path, found now.
    pub fn launch(&self, env: BTreeMap<String, String>) -> Result<Launch, ClientError> {
        let (program, mut args) = self.command_line()?;
        let resolved = resolve_program(&program, self.dir().as_deref()).ok_or_else(|| {
            ClientError::NoLauncher {
                name: self.name.clone(),
                program: program.clone(),
            }
        })?;
        // A server registered for HTTP starts on stdio when a client launches it.
        if let Some(at) = args.iter().position(|a| a == "--transport")
            && args.get(at + 1).is_some_and(|t| t == "http")
        {
            args[at + 1] = "stdio".into();
        }
        Ok(Launch {
            program: resolved,
            args,
            env,
            cwd: None,
        })
    }

    /// The MCP endpoint: `url` if registered, else `http://127.0.0.1:<port>/mcp`.
    pub fn url(&self) -> Result<String, ClientError> {
        if let Some(url) = self.str("url") {
            return Ok(url.to_owned());
        }
        match self.entry.get("port").and_then(Value::as_u64) {
            Some(port) => Ok(format!("http://127.0.0.1:{port}/mcp")),
            None => Err(self.bad("it has neither \"url\" nor \"port\"")),
        }
    }

    /// The names of the settings kept out of client configs: the registry's `env` and the
    /// project's env file (`env_file`, default `.env`).
    pub fn secret_names(&self) -> Vec<String> {
        let mut names: Vec<String> = match self.entry.get("env") {
            Some(Value::Object(env)) => env.keys().cloned().collect(),
            _ => Vec::new(),
        };
        if let Some(dir) = self.dir() {
            let file = dir.join(self.str("env_file").unwrap_or(".env"));
            if let Ok(text) = fs::read_to_string(file) {
                names.extend(dotenv_names(&text));
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

/// The variable names a `.env` file sets.
fn dotenv_names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (name, _) = line.split_once('=')?;
        let name = name.trim();
        let valid = !name.is_empty()
            && !name.starts_with('#')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        valid.then(|| name.to_owned())
    })
}

/// `~/x` with the home folder in front.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// `program` as an absolute path: as is, from the project folder, or from `PATH`.
pub fn resolve_program(program: &str, dir: Option<&Path>) -> Option<PathBuf> {
    let path = expand_home(program);
    if path.is_absolute() {
        return path.is_file().then_some(path);
    }
    if program.contains('/') || program.contains(std::path::MAIN_SEPARATOR) {
        let joined = dir?.join(&path);
        return joined.is_file().then_some(joined);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).find_map(|dir| {
        let candidate = dir.join(program);
        let found = candidate.is_file() && is_executable(&candidate);
        found.then(|| std::path::absolute(&candidate).unwrap_or(candidate))
    })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_names_skip_comments_and_blanks() {
        let names: Vec<_> = dotenv_names("# c\nA=1\n\nexport B = 2\nnot a line\n#C=3\n").collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn programs_resolve_on_path() {
        let sh = resolve_program("sh", None).expect("sh is on PATH");
        assert!(sh.is_absolute());
        assert_eq!(resolve_program("no-such-program-xyz", None), None);
    }
}
