//! The central server registry, `~/.mcp-servers.json`: read it, and add an entry transactionally
//! (lock, re-read, write a temporary file and rename it, keep a backup). Keys and entries this
//! tool does not own are kept as they are, in their order.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::writer::{self, Backup, Outcome};

/// The environment variable that overrides the registry's location.
pub const ENV_VAR: &str = "MCP_SERVERS_CONFIG";
/// The registry's file name in the home directory.
pub const FILE_NAME: &str = ".mcp-servers.json";

/// The first port handed out when `--port` is not given.
pub const FIRST_PORT: u16 = 8000;

/// Registry entries by server key, in file order.
pub type Servers = Map<String, Value>;

/// Where the registry is: `explicit` (from `--config`), else `$MCP_SERVERS_CONFIG`, else
/// `~/.mcp-servers.json`. Relative paths are taken from the current directory.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
    let path = match (explicit, std::env::var_os(ENV_VAR)) {
        (Some(path), _) => path.to_owned(),
        (None, Some(path)) if !path.is_empty() => PathBuf::from(path),
        _ => std::env::home_dir().ok_or(Error::NoHome)?.join(FILE_NAME),
    };
    std::path::absolute(&path).map_err(Error::io("resolve", path))
}

/// The registry at `path`; a missing or blank file is an empty registry.
pub fn read(path: &Path) -> Result<Servers> {
    match fs::read(path) {
        Ok(bytes) => parse(path, &bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Servers::new()),
        Err(e) => Err(Error::io("read", path)(e)),
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<Servers> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Servers::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(servers)) => Ok(servers),
        Ok(_) => Err(Error::ConfigShape {
            path: path.to_owned(),
            reason: "the top level is not an object of servers keyed by name".into(),
        }),
        Err(e) => {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            Err(Error::ConfigSyntax {
                path: path.to_owned(),
                line: e.line(),
                column: e.column(),
                message,
            })
        }
    }
}

/// One entry to add to the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The registry file.
    pub config: PathBuf,
    /// The server's key in the registry.
    pub key: String,
    /// The fields this tool owns, as planned; other fields of an existing entry are kept on
    /// `replace`. [`register`] writes the entry its `finish` step returns.
    pub entry: Map<String, Value>,
    /// Replace an entry with the same key instead of failing.
    pub replace: bool,
    /// The port asked for (`--port`); `None`: the first free one, picked under the lock.
    pub port: Option<u16>,
}

/// What [`register`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// Where the previous content was saved, if there was a file before.
    pub backup: Option<PathBuf>,
    /// The port the entry got.
    pub port: u16,
}

impl Registration {
    /// Fails as [`register`] would, without writing: the file parses, the key is free and so is
    /// the port asked for. Returns the port [`register`] would pick now.
    pub fn check(&self, listening: impl Fn(u16) -> bool) -> Result<u16> {
        let servers = read(&self.config)?;
        self.key_is_free(&servers)?;
        self.pick_port(&servers, listening)
    }

    fn key_is_free(&self, servers: &Servers) -> Result<()> {
        match servers.contains_key(&self.key) && !self.replace {
            true => Err(Error::AlreadyRegistered {
                name: self.key.clone(),
                path: self.config.clone(),
            }),
            false => Ok(()),
        }
    }

    /// The port asked for, unless another entry has it; else the port of the entry being
    /// replaced; else the first port from [`FIRST_PORT`] that no other entry has and nothing is
    /// `listening` on.
    fn pick_port(&self, servers: &Servers, listening: impl Fn(u16) -> bool) -> Result<u16> {
        let others = || {
            servers
                .iter()
                .filter(|(key, _)| **key != self.key)
                .filter_map(|(key, entry)| Some((key, entry.get("port")?.as_u64()?)))
        };
        let own = servers
            .get(&self.key)
            .and_then(|entry| u16::try_from(entry.get("port")?.as_u64()?).ok())
            .filter(|port| *port > 0 && !others().any(|(_, taken)| taken == u64::from(*port)));
        if let Some(port) = self.port {
            return match others().find(|(_, taken)| *taken == u64::from(port)) {
                Some((name, _)) => Err(Error::PortTaken {
                    port,
                    name: name.clone(),
                    path: self.config.clone(),
                }),
                None => Ok(port),
            };
        }
        if let Some(port) = own.filter(|_| self.replace) {
            return Ok(port);
        }
        (FIRST_PORT..=u16::MAX)
            .find(|port| !others().any(|(_, taken)| taken == u64::from(*port)) && !listening(*port))
            .ok_or_else(|| Error::ConfigShape {
                path: self.config.clone(),
                reason: format!("every port from {FIRST_PORT} is taken; pass --port"),
            })
    }

    /// `servers` with `entry` added under this key (or merged into the existing one).
    fn insert_into(&self, mut servers: Servers, entry: Map<String, Value>) -> Servers {
        match servers.get_mut(&self.key) {
            Some(Value::Object(existing)) => existing.extend(entry),
            _ => {
                servers.insert(self.key.clone(), Value::Object(entry));
            }
        }
        servers
    }
}

/// Adds `registration` to its registry through [`writer::update`], safe against concurrent
/// writers: under the registry's lock, re-reads the file, checks the key is free, picks the port
/// (see [`Registration::check`]; `listening` says whether something listens on a port), runs
/// `finish` with it (which writes the project and returns the entry to register), saves the file as
/// `<file>.bak` and writes the new content to a temporary file renamed into place. A file that does
/// not parse is left untouched, and so it is when `finish` fails. A symbolic link (a registry kept
/// with dotfiles) is written through, not replaced; a read-only file is refused.
///
/// `finish` runs once. When an outside writer changed the file between the read and the rename,
/// the edit runs again on the new content with the same port, or fails if that port was taken.
pub fn register(
    registration: &Registration,
    listening: impl Fn(u16) -> bool,
    finish: impl FnOnce(u16) -> Result<Map<String, Value>>,
) -> Result<Registered> {
    let path = &registration.config;
    let mut finish = Some(finish);
    let mut finished: Option<(u16, Map<String, Value>)> = None;
    let outcome = writer::update(path, Backup::Sidecar, |previous| {
        let servers = parse(path, previous.unwrap_or_default())?;
        registration.key_is_free(&servers)?;
        let port = registration.pick_port(&servers, &listening)?;
        let entry = match (&finished, finish.take()) {
            (Some((done, entry)), _) if *done == port => entry.clone(),
            (Some((done, _)), _) => {
                return Err(Error::ConfigShape {
                    path: path.clone(),
                    reason: format!(
                        "another program registered port {done} while this server was being \
                         created with it; change the port of one of them"
                    ),
                });
            }
            (None, Some(finish)) => {
                let entry = finish(port)?;
                finished = Some((port, entry.clone()));
                entry
            }
            (None, None) => unreachable!("finish runs before `finished` is set"),
        };
        let servers = registration.insert_into(servers, entry);
        let mut json =
            serde_json::to_string_pretty(&servers).expect("a JSON map always serializes");
        json.push('\n');
        Ok::<_, Error>(Some(json.into_bytes()))
    })?;
    let backup = match outcome {
        Outcome::Written { backup } => backup,
        Outcome::Unchanged => None,
    };
    let port = finished.map(|(port, _)| port).unwrap_or_default();
    Ok(Registered { backup, port })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registration(config: &Path, key: &str) -> Registration {
        let Value::Object(entry) = json!({ "name": key, "port": 8000 }) else {
            unreachable!()
        };
        Registration {
            config: config.to_owned(),
            key: key.to_owned(),
            entry,
            replace: false,
            port: None,
        }
    }

    /// [`register`] with nothing listening, writing the planned entry with the picked port.
    fn add(registration: &Registration) -> Result<Registered> {
        register(
            registration,
            |_| false,
            |port| {
                let mut entry = registration.entry.clone();
                entry.insert("port".into(), port.into());
                Ok(entry)
            },
        )
    }

    #[test]
    fn ports_are_picked_free_and_an_explicit_one_must_not_be_taken() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        fs::write(&config, r#"{"a": {"port": 8000}, "b": {"port": 8002}}"#).unwrap();
        let listening = |port: u16| port == 8001;
        assert_eq!(registration(&config, "c").check(listening).unwrap(), 8003);
        let added = register(&registration(&config, "c"), listening, |port| {
            Ok(Map::from_iter([("port".into(), port.into())]))
        })
        .unwrap();
        assert_eq!(added.port, 8003);
        assert_eq!(read(&config).unwrap()["c"]["port"], 8003);

        let taken = Registration {
            port: Some(8002),
            ..registration(&config, "d")
        };
        let error = taken.check(|_| false).unwrap_err();
        assert!(matches!(error, Error::PortTaken { .. }));
        assert!(error.to_string().contains("\"b\""), "{error}");
        let finished = std::cell::Cell::new(false);
        let error = register(
            &taken,
            |_| false,
            |_| {
                finished.set(true);
                Ok(Map::new())
            },
        )
        .unwrap_err();
        assert!(matches!(error, Error::PortTaken { .. }), "{error}");
        assert!(!finished.get(), "nothing is written for a refused port");

        let own = Registration {
            port: Some(8002),
            replace: true,
            ..registration(&config, "b")
        };
        assert_eq!(own.check(|_| false).unwrap(), 8002, "its own port is free");
        let kept = Registration { port: None, ..own };
        assert_eq!(
            kept.check(|_| true).unwrap(),
            8002,
            "a replaced entry keeps its port"
        );
    }

    #[test]
    fn creates_the_file_then_adds_with_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        assert_eq!(add(&registration(&config, "a")).unwrap().backup, None);
        let first = fs::read(&config).unwrap();
        let backup = add(&registration(&config, "b")).unwrap().backup.unwrap();
        assert_eq!(backup, dir.path().join("servers.json.bak"));
        assert_eq!(fs::read(backup).unwrap(), first);
        let keys: Vec<_> = read(&config).unwrap().keys().cloned().collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn keeps_unknown_keys_and_order_and_merges_on_replace() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        fs::write(
            &config,
            r#"{"z": {"custom": [1, 2]}, "a": {"port": 1, "mine": true}, "m": 3}"#,
        )
        .unwrap();
        let err = add(&registration(&config, "a")).unwrap_err();
        assert!(matches!(err, Error::AlreadyRegistered { .. }), "{err}");
        add(&Registration {
            replace: true,
            ..registration(&config, "a")
        })
        .unwrap();
        let servers = read(&config).unwrap();
        assert_eq!(servers.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(servers["z"], json!({"custom": [1, 2]}));
        assert_eq!(
            servers["a"],
            json!({"port": 1, "mine": true, "name": "a"}),
            "a replaced entry keeps its port"
        );
    }

    #[test]
    fn malformed_file_is_left_alone_and_located() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        let broken = "{\n  \"a\": {},\n  oops\n}\n";
        fs::write(&config, broken).unwrap();
        let err = add(&registration(&config, "b")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("line 3, column 3") && message.contains("move it aside"),
            "{message}"
        );
        assert_eq!(fs::read_to_string(&config).unwrap(), broken);
        assert!(!dir.path().join("servers.json.bak").exists());
        fs::write(&config, "[1]").unwrap();
        assert!(matches!(read(&config), Err(Error::ConfigShape { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_registry_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles.json");
        let link = dir.path().join("servers.json");
        fs::write(&target, "{}").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        add(&registration(&link, "a")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(read(&target).unwrap().contains_key("a"));
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_registry_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        fs::write(&config, "{}").unwrap();
        fs::set_permissions(&config, fs::Permissions::from_mode(0o444)).unwrap();
        let err = add(&registration(&config, "a")).unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&config).unwrap(), "{}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no backup");
    }

    #[test]
    fn concurrent_registrations_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        std::thread::scope(|scope| {
            for i in 0..10 {
                let config = &config;
                scope.spawn(move || add(&registration(config, &format!("s{i}"))).unwrap());
            }
        });
        assert_eq!(read(&config).unwrap().len(), 10);
    }

    #[test]
    fn blank_file_is_an_empty_registry() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        fs::write(&config, "\n").unwrap();
        assert!(read(&config).unwrap().is_empty());
    }

    #[test]
    fn locate_prefers_the_explicit_path() {
        let explicit = Path::new("/somewhere/servers.json");
        assert_eq!(locate(Some(explicit)).unwrap(), explicit);
    }
}
