//! One registry entry, validated: the `mcp` launcher's fields (`command` is a complete,
//! shell-quoted command line) plus `args`, `transport`, `url`, `template`, `description`,
//! `keywords` and `type` when present. How to launch it (for the manager, or for a client),
//! where it answers over HTTP, and which of its settings are secrets.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::RegistryError;
use crate::connect::Launch;
use crate::transport::Transport;

/// The variable that holds an HTTP server's bearer token (see docs/sdk.md).
pub const TOKEN_VAR: &str = "MCP_AUTH_TOKEN";

/// A registered server whose entry is usable.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Its key in the registry.
    pub key: String,
    /// The registry file it comes from.
    pub config: PathBuf,
    /// The entry as written.
    pub entry: Map<String, Value>,
    /// `path`, with `~` expanded.
    pub path: Option<PathBuf>,
    /// `port`.
    pub port: Option<u16>,
    /// The command line, split (`None`: the entry has no `command`, e.g. a Docker entry).
    words: Option<Vec<String>>,
    transport: Transport,
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

/// Why an entry is bad, and how to fix it.
type Bad = (String, String);

fn bad(reason: impl Into<String>, fix: impl Into<String>) -> Bad {
    (reason.into(), fix.into())
}

impl Server {
    /// Validates the entry `key` of the registry file `config`.
    pub fn parse(config: &Path, key: &str, value: &Value) -> Result<Server, RegistryError> {
        let into_error = |(reason, fix): Bad| RegistryError::BadEntry {
            config: config.to_owned(),
            name: key.to_owned(),
            reason,
            fix,
        };
        let entry = value.as_object().ok_or_else(|| {
            into_error(bad(
                "the entry is not a JSON object",
                "make it an object such as {\"command\": \"...\", \"path\": \"...\"}",
            ))
        })?;
        let words = command_words(entry).map_err(into_error)?;
        let docker = entry.get("type").and_then(Value::as_str) == Some("docker");
        if words.is_none() && !docker {
            return Err(into_error(bad(
                "it has no `command`",
                "add the command line that starts it, e.g. \"command\": \"python3 server.py\"",
            )));
        }
        let port = match entry.get("port") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .and_then(|port| u16::try_from(port).ok())
                    .filter(|port| *port > 0)
                    .ok_or_else(|| {
                        into_error(bad(
                            format!("`port` is {value}, not a port number"),
                            "make `port` a number from 1 to 65535",
                        ))
                    })?,
            ),
        };
        let path = match entry.get("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(path)) if !path.is_empty() => Some(expand_home(path)),
            Some(other) => {
                return Err(into_error(bad(
                    format!("`path` is {other}, not a folder"),
                    "make `path` the project folder, a string",
                )));
            }
        };
        for field in ["env", "dependencies"] {
            if let Some(value) = entry.get(field)
                && !value.is_object()
                && !value.is_null()
            {
                return Err(into_error(bad(
                    format!("`{field}` is {value}, not an object"),
                    format!("make `{field}` an object, e.g. \"{field}\": {{}}"),
                )));
            }
        }
        let transport = match entry.get("transport").and_then(Value::as_str) {
            Some("stdio") => Transport::Stdio,
            Some("http") => Transport::Http,
            None if docker => Transport::Http,
            None if words.as_deref().is_some_and(asks_for_http) => Transport::Http,
            None => Transport::Stdio,
            Some(other) => {
                return Err(into_error(bad(
                    format!("`transport` is {other:?}"),
                    "make `transport` \"stdio\" or \"http\"",
                )));
            }
        };
        Ok(Server {
            key: key.to_owned(),
            config: config.to_owned(),
            entry: entry.clone(),
            path,
            port,
            words,
            transport,
        })
    }

    fn bad(&self, reason: impl Into<String>, fix: impl Into<String>) -> RegistryError {
        RegistryError::BadEntry {
            config: self.config.clone(),
            name: self.key.clone(),
            reason: reason.into(),
            fix: fix.into(),
        }
    }

    /// A string field.
    pub fn str(&self, field: &str) -> Option<&str> {
        self.entry.get(field).and_then(Value::as_str)
    }

    /// `type`: `docker` for servers run as containers, otherwise a local process.
    pub fn is_docker(&self) -> bool {
        self.str("type") == Some("docker")
    }

    /// `transport`; without it, http when the command line asks for it, else stdio.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The port, or an error saying the entry needs one.
    pub fn require_port(&self) -> Result<u16, RegistryError> {
        self.port
            .ok_or_else(|| self.bad("it has no `port`", "add one to run it over HTTP"))
    }

    /// The MCP endpoint over HTTP: `url` if registered, else `http://127.0.0.1:<port>/mcp`.
    pub fn url(&self) -> Option<String> {
        match self.str("url").filter(|url| !url.is_empty()) {
            Some(url) => Some(url.to_owned()),
            None => self.port.map(|port| format!("http://127.0.0.1:{port}/mcp")),
        }
    }

    /// [`Server::url`], or an error saying the entry needs one.
    pub fn require_url(&self) -> Result<String, RegistryError> {
        self.url().ok_or_else(|| {
            self.bad(
                "it has neither `url` nor `port`",
                "add the port it serves HTTP on",
            )
        })
    }

    /// The command line as registered, split like a shell would: program first.
    pub fn command_line(&self) -> Result<&[String], RegistryError> {
        self.words
            .as_deref()
            .ok_or_else(|| self.bad("it has no `command`", "add the command line that starts it"))
    }

    /// How the manager runs it as registered: the command line in `path`, with the variables of
    /// its env file and `env`. A relative program with a `/` is taken from `path`.
    pub fn launch(&self) -> Result<Launch, RegistryError> {
        let (program, args) = self.program_and_args()?;
        let dir = self.path.as_deref().filter(|dir| dir.is_dir());
        let program = match dir {
            Some(dir) if program.is_relative() && program.components().count() > 1 => {
                dir.join(program)
            }
            _ => program,
        };
        Ok(Launch {
            program,
            args,
            env: self.environment(),
            cwd: dir.map(Path::to_owned),
        })
    }

    /// The launch for HTTP on the registered port: `--transport http --port N` appended unless the
    /// args already ask for HTTP, and `MCP_TRANSPORT=http`, `PORT=N` in the environment.
    pub fn http_launch(&self) -> Result<Launch, RegistryError> {
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

    /// How a client launches it over stdio, with `env` and no working directory: the program as
    /// an absolute path found now (GUI clients do not have the shell's PATH), arguments that name
    /// files of the project made absolute, and `--transport http` turned into stdio.
    pub fn client_launch(&self, env: BTreeMap<String, String>) -> Result<Launch, RegistryError> {
        let (program, mut args) = self.program_and_args()?;
        let dir = self.path.as_deref();
        let resolved = resolve_program(&program, dir).ok_or_else(|| RegistryError::NoProgram {
            config: self.config.clone(),
            name: self.key.clone(),
            program: program.display().to_string(),
        })?;
        for arg in &mut args {
            if let Some(dir) = dir
                && !arg.starts_with('-')
                && arg.contains('/')
                && Path::new(arg.as_str()).is_relative()
                && dir.join(arg.as_str()).exists()
            {
                *arg = dir.join(arg.as_str()).to_string_lossy().into_owned();
            }
        }
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

    fn program_and_args(&self) -> Result<(PathBuf, Vec<String>), RegistryError> {
        let words = self.command_line()?;
        Ok((expand_home(&words[0]), words[1..].to_vec()))
    }

    /// The env file: `env_file` (relative to `path`), else `.env` in `path`.
    fn env_file(&self) -> Option<PathBuf> {
        let file = expand_home(self.str("env_file").unwrap_or(".env"));
        match &self.path {
            _ if file.is_absolute() => Some(file),
            Some(dir) => Some(dir.join(file)),
            None => None,
        }
    }

    /// The env file's variables (a missing file has none) overlaid with `env`.
    fn environment(&self) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        if let Some(text) = self.env_file().and_then(|f| fs::read_to_string(f).ok()) {
            env.extend(parse_env_file(&text));
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
        env
    }

    /// The names of the settings kept out of client configs: `env`'s and the env file's.
    pub fn secret_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.environment().into_keys().collect();
        names.sort();
        names.dedup();
        names
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

/// The command line of `entry`, split. `command` is a complete shell-quoted command line, as the
/// `mcp` launcher runs it. An entry with `args` (the shape clients and older mcp-create versions
/// write) has the program alone in `command`, unquoted, and the arguments in `args`.
fn command_words(entry: &Map<String, Value>) -> Result<Option<Vec<String>>, Bad> {
    let command = match entry.get("command") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(command)) if !command.trim().is_empty() => command,
        Some(other) => {
            return Err(bad(
                format!("`command` is {other}, not a command line"),
                "make `command` the command line that starts it, as a string",
            ));
        }
    };
    let Some(args) = entry.get("args") else {
        let words = shlex::split(command).filter(|words| !words.is_empty());
        return words.map(Some).ok_or_else(|| {
            bad(
                "its `command` has unbalanced quotes",
                "quote it as a shell would, e.g. \"'/opt/my server/bin' --flag 'a b'\"",
            )
        });
    };
    let fix = "make `args` a list of strings, or put the whole command line in `command`";
    let Value::Array(args) = args else {
        return Err(bad(format!("`args` is {args}, not a list"), fix));
    };
    let mut words = vec![command.clone()];
    for arg in args {
        words.push(match arg {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => return Err(bad(format!("`args` holds {other}"), fix)),
        });
    }
    Ok(Some(words))
}

/// Whether `words` already select the HTTP transport.
pub fn asks_for_http(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|w| w[0] == "--transport" && w[1] == "http")
        || words.iter().any(|a| a == "--transport=http")
}

/// `KEY=VALUE` lines; blank lines, `#` comments and an `export ` prefix are allowed, and one pair
/// of surrounding quotes is removed. Lines whose key is not a variable name are skipped.
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            let key = key.trim();
            let valid =
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let value = value.trim();
            let unquoted = [('"', '"'), ('\'', '\'')]
                .iter()
                .find_map(|(open, close)| value.strip_prefix(*open)?.strip_suffix(*close))
                .unwrap_or(value);
            valid.then(|| (key.to_owned(), unquoted.to_owned()))
        })
        .collect()
}

/// `path` with a leading `~` (alone or before `/`) replaced by the home directory.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        (None, Some(home)) if path == "~" => home,
        _ => PathBuf::from(path),
    }
}

/// `program` as an absolute path to a file: as is, from the project folder `dir`, or from `PATH`.
pub fn resolve_program(program: &Path, dir: Option<&Path>) -> Option<PathBuf> {
    if program.is_absolute() {
        return program.is_file().then(|| program.to_owned());
    }
    if program.components().count() > 1 {
        let joined = dir?.join(program);
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
    use serde_json::json;

    fn server(entry: Value) -> Server {
        Server::parse(Path::new("/r.json"), "w", &entry).unwrap()
    }

    fn bad_entry(entry: Value) -> String {
        Server::parse(Path::new("/r.json"), "w", &entry)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_quoted_command_line_is_one_program_and_whole_arguments() {
        let server = server(json!({"command": "\"/opt/my server/bin\" --flag \"a b\" 'c'\\ d"}));
        let launch = server.launch().unwrap();
        assert_eq!(launch.program, Path::new("/opt/my server/bin"));
        assert_eq!(launch.args, ["--flag", "a b", "c d"]);
        assert_eq!(server.transport(), Transport::Stdio);
    }

    #[test]
    fn an_entry_with_args_keeps_its_program_unsplit() {
        let server = server(json!({"command": "/opt/my server/bin", "args": ["a b", 1]}));
        assert_eq!(
            server.command_line().unwrap(),
            ["/opt/my server/bin", "a b", "1"]
        );
    }

    #[test]
    fn a_seed_command_line_gets_http_appended() {
        let server = server(
            json!({"command": "uv run 'python' src/main.py", "port": 8055, "env": {"A": 1}}),
        );
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
        assert_eq!(server.url().unwrap(), "http://127.0.0.1:8055/mcp");
    }

    #[test]
    fn http_in_the_command_line_sets_the_transport_and_is_not_repeated() {
        let server = server(json!({"command": "srv --transport http --port 9", "port": 9}));
        assert_eq!(server.http_launch().unwrap().args.len(), 4);
        assert_eq!(server.transport(), Transport::Http);
    }

    #[test]
    fn tilde_is_the_home_folder() {
        let home = std::env::home_dir().unwrap();
        assert_eq!(expand_home("~/x/y"), home.join("x/y"));
        assert_eq!(expand_home("~"), home);
        assert_eq!(expand_home("a/~/b"), Path::new("a/~/b"));
        let server = server(json!({"command": "~/bin/srv '~/kept'", "path": "~/p"}));
        assert_eq!(server.path.as_deref(), Some(home.join("p").as_path()));
        let launch = server.launch().unwrap();
        assert_eq!(launch.program, home.join("bin/srv"));
        assert_eq!(launch.args, ["~/kept"]);
    }

    #[test]
    fn bad_entries_say_what_and_how_to_fix() {
        for (entry, says) in [
            (json!({"command": "a 'b"}), "unbalanced quotes"),
            (json!({"command": ""}), "not a command line"),
            (json!({"path": "/x"}), "has no `command`"),
            (json!({"command": 3}), "not a command line"),
            (json!({"command": "a", "args": "b"}), "not a list"),
            (json!({"command": "a", "args": [{}]}), "`args` holds"),
            (
                json!({"command": "a", "port": "eighty"}),
                "not a port number",
            ),
            (json!({"command": "a", "port": 70000}), "not a port number"),
            (json!({"command": "a", "transport": "sse"}), "`transport`"),
            (json!({"command": "a", "env": []}), "`env`"),
            (json!({"command": "a", "path": 1}), "`path`"),
        ] {
            let error = bad_entry(entry.clone());
            assert!(
                error.starts_with("/r.json: the entry \"w\" cannot be used:")
                    && error.contains(says),
                "{entry}: {error}"
            );
            assert!(error.contains("; "), "{entry} has no fix: {error}");
        }
        let docker = server(json!({"type": "docker", "port": 80}));
        assert_eq!(docker.transport(), Transport::Http);
        assert!(docker.launch().is_err());
    }

    #[test]
    fn env_files_allow_comments_exports_and_quotes() {
        let vars = parse_env_file("# c\nexport A=1\nB = \"two words\"\n\nC='x'\nbroken\nnot a=b\n");
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
    fn secrets_are_the_env_and_env_file_names() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".env"), "TOKEN=1\n# X=2\n").unwrap();
        let server = server(json!({
            "command": "srv", "path": dir.path(), "env": {"KEY": "v"}
        }));
        assert_eq!(server.secret_names(), ["KEY", "TOKEN"]);
        assert_eq!(server.launch().unwrap().env["TOKEN"], "1");
    }

    #[test]
    fn a_client_gets_absolute_paths_and_stdio() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("bin")).unwrap();
        fs::write(dir.path().join("bin/srv"), "").unwrap();
        fs::write(dir.path().join("main.py"), "").unwrap();
        let server = server(json!({
            "command": "bin/srv ./main.py --transport http", "path": dir.path()
        }));
        let launch = server.client_launch(BTreeMap::new()).unwrap();
        assert_eq!(launch.program, dir.path().join("bin/srv"));
        assert_eq!(
            launch.args,
            [
                dir.path().join("./main.py").to_str().unwrap(),
                "--transport",
                "stdio"
            ]
        );
        let missing = self::server(json!({"command": "no-such-program-xyz"}));
        let error = missing.client_launch(BTreeMap::new()).unwrap_err();
        assert!(error.to_string().contains("not on PATH"), "{error}");
        let sh = resolve_program(Path::new("sh"), None).expect("sh is on PATH");
        assert!(sh.is_absolute());
    }
}
