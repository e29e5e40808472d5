//! One registry entry as the manager reads it: the seed's fields (`command` may be a whole command
//! line), plus `args`, `transport`, `template`, `description`, `keywords` and `type` when present.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::ManageError;
use crate::connect::Launch;

/// A registered server.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Its key in the registry.
    pub key: String,
    /// The entry as written.
    pub entry: Map<String, Value>,
    /// `path`, with `~` expanded.
    pub path: Option<PathBuf>,
    /// `port`.
    pub port: Option<u16>,
}

/// A dependency of an entry (`dependencies.<name>`).
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    /// Its key.
    pub name: String,
    /// `type`: `service` or `docker`.
    pub kind: String,
    /// The fields as written.
    pub fields: Map<String, Value>,
}

impl Server {
    /// Reads the entry `key`; `entry` must be an object.
    pub fn new(key: &str, entry: &Value) -> Result<Server, ManageError> {
        let invalid = |reason: String| ManageError::InvalidEntry {
            name: key.to_owned(),
            reason,
        };
        let entry = entry
            .as_object()
            .ok_or_else(|| invalid("the entry is not a JSON object".into()))?
            .clone();
        let port = match entry.get("port") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .and_then(|port| u16::try_from(port).ok())
                    .filter(|port| *port > 0)
                    .ok_or_else(|| invalid(format!("`port` is {value}, not a port number")))?,
            ),
        };
        let path = entry.get("path").and_then(Value::as_str).map(expand_home);
        Ok(Server {
            key: key.to_owned(),
            entry,
            path,
            port,
        })
    }

    /// A string field.
    pub fn str(&self, field: &str) -> Option<&str> {
        self.entry.get(field).and_then(Value::as_str)
    }

    /// `type`: `docker` for servers run as containers, otherwise a local process.
    pub fn is_docker(&self) -> bool {
        self.str("type") == Some("docker")
    }

    /// `transport`, else `http` when the args ask for it, else `stdio`.
    pub fn transport(&self) -> &str {
        match self.str("transport") {
            Some(transport) => transport,
            None if self.launch().is_ok_and(|l| asks_for_http(&l.args)) => "http",
            None => "stdio",
        }
    }

    /// The port, or an error saying the entry needs one.
    pub fn require_port(&self) -> Result<u16, ManageError> {
        self.port.ok_or_else(|| ManageError::InvalidEntry {
            name: self.key.clone(),
            reason: "it has no `port`; add one to run it over HTTP".into(),
        })
    }

    /// How to run it as registered: `command` (split like a shell would when there is no `args`)
    /// and `args`, in `path`, with `env_file` and `env` loaded.
    pub fn launch(&self) -> Result<Launch, ManageError> {
        let invalid = |reason: &str| ManageError::InvalidEntry {
            name: self.key.clone(),
            reason: reason.to_owned(),
        };
        let command = self
            .str("command")
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| invalid("it has no `command`"))?;
        let mut words = match self.entry.get("args") {
            Some(Value::Array(_)) => vec![command.to_owned()],
            _ => shlex::split(command)
                .ok_or_else(|| invalid("its `command` has unbalanced quotes"))?,
        };
        if let Some(Value::Array(args)) = self.entry.get("args") {
            for arg in args {
                words.push(match arg {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            }
        }
        let program = expand_home(&words.remove(0));
        Ok(Launch {
            program,
            args: words,
            env: self.environment()?,
            cwd: self.path.clone().filter(|p| p.is_dir()),
        })
    }

    /// The launch for HTTP on the registered port: `--transport http --port N` appended unless the
    /// args already ask for HTTP, and `MCP_TRANSPORT=http`, `PORT=N` in the environment.
    pub fn http_launch(&self) -> Result<Launch, ManageError> {
        let port = self.require_port()?;
        let mut launch = self.launch()?;
        if !asks_for_http(&launch.args) {
            launch.args.extend([
                "--transport".into(),
                "http".into(),
                "--port".into(),
                port.to_string(),
            ]);
        }
        launch.env.insert("MCP_TRANSPORT".into(), "http".into());
        launch.env.insert("PORT".into(), port.to_string());
        Ok(launch)
    }

    /// The MCP endpoint when it runs over HTTP.
    pub fn url(&self) -> Option<String> {
        self.port.map(|port| format!("http://127.0.0.1:{port}/mcp"))
    }

    /// `env_file` (relative to `path`; a missing file is skipped) overlaid with `env`.
    fn environment(&self) -> Result<BTreeMap<String, String>, ManageError> {
        let mut env = BTreeMap::new();
        if let Some(file) = self.str("env_file") {
            let file = expand_home(file);
            let file = match &self.path {
                Some(dir) if file.is_relative() => dir.join(file),
                _ => file,
            };
            if let Ok(text) = std::fs::read_to_string(&file) {
                env.extend(parse_env_file(&text));
            }
        }
        if let Some(Value::Object(vars)) = self.entry.get("env") {
            for (key, value) in vars {
                let value = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                env.insert(key.clone(), value);
            }
        }
        Ok(env)
    }

    /// `dependencies`, in file order.
    pub fn dependencies(&self) -> Vec<Dependency> {
        let Some(Value::Object(deps)) = self.entry.get("dependencies") else {
            return Vec::new();
        };
        deps.iter()
            .filter_map(|(name, fields)| {
                let fields = fields.as_object()?.clone();
                let kind = fields
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("service")
                    .to_owned();
                Some(Dependency {
                    name: name.clone(),
                    kind,
                    fields,
                })
            })
            .collect()
    }

    /// `keywords`: a list of words, or one string of them.
    pub fn keywords(&self) -> Vec<String> {
        match self.entry.get("keywords") {
            Some(Value::Array(words)) => words
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_lowercase)
                .collect(),
            Some(Value::String(words)) => words
                .split([',', ' '])
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Dependency {
    /// A string field.
    pub fn str(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }
}

/// Whether `args` already select the HTTP transport.
pub fn asks_for_http(args: &[String]) -> bool {
    args.windows(2)
        .any(|w| w[0] == "--transport" && w[1] == "http")
        || args.iter().any(|a| a == "--transport=http")
}

/// `KEY=VALUE` lines; blank lines, `#` comments and an `export ` prefix are allowed, and one pair
/// of surrounding quotes is removed.
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            let value = value.trim();
            let unquoted = [('"', '"'), ('\'', '\'')]
                .iter()
                .find_map(|(open, close)| value.strip_prefix(*open)?.strip_suffix(*close))
                .unwrap_or(value);
            Some((key.trim().to_owned(), unquoted.to_owned()))
        })
        .collect()
}

/// `path` with a leading `~/` replaced by the home directory.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" => std::env::home_dir().unwrap_or_else(|| PathBuf::from(path)),
        _ => PathBuf::from(path),
    }
}

/// A path for messages.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_seed_command_line_is_split_and_http_appended() {
        let server = Server::new(
            "w",
            &json!({"command": "uv run 'python' src/main.py", "port": 8055, "env": {"A": 1}}),
        )
        .unwrap();
        let launch = server.http_launch().unwrap();
        assert_eq!(launch.program, PathBuf::from("uv"));
        assert_eq!(
            launch.args,
            [
                "run",
                "python",
                "src/main.py",
                "--transport",
                "http",
                "--port",
                "8055"
            ]
        );
        assert_eq!(launch.env["A"], "1");
        assert_eq!(launch.env["MCP_TRANSPORT"], "http");
        assert_eq!(server.transport(), "stdio");
    }

    #[test]
    fn http_args_are_not_repeated() {
        let server = Server::new(
            "w",
            &json!({"command": "srv", "args": ["--transport", "http", "--port", "9"], "port": 9}),
        )
        .unwrap();
        assert_eq!(server.http_launch().unwrap().args.len(), 4);
        assert_eq!(server.transport(), "http");
    }

    #[test]
    fn env_files_allow_comments_exports_and_quotes() {
        let vars = parse_env_file("# c\nexport A=1\nB = \"two words\"\n\nC='x'\nbroken\n");
        assert_eq!(
            vars,
            [
                ("A".into(), "1".into()),
                ("B".into(), "two words".into()),
                ("C".into(), "x".into())
            ]
        );
    }

    #[test]
    fn a_bad_port_is_reported() {
        let error = Server::new("w", &json!({"port": "eighty"})).unwrap_err();
        assert!(error.to_string().contains("`port`"), "{error}");
    }
}
