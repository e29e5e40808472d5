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
    /// The fields this tool owns; other fields of an existing entry are kept on `replace`.
    pub entry: Map<String, Value>,
    /// Replace an entry with the same key instead of failing.
    pub replace: bool,
}

/// What [`register`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// Where the previous content was saved, if there was a file before.
    pub backup: Option<PathBuf>,
}

impl Registration {
    /// Fails as [`register`] would, without writing: the file parses and the key is free.
    pub fn check(&self) -> Result<()> {
        self.insert_into(read(&self.config)?).map(drop)
    }

    /// `servers` with this entry added (or merged into the existing one on `replace`).
    fn insert_into(&self, mut servers: Servers) -> Result<Servers> {
        match servers.get_mut(&self.key) {
            Some(_) if !self.replace => {
                return Err(Error::AlreadyRegistered {
                    name: self.key.clone(),
                    path: self.config.clone(),
                });
            }
            Some(Value::Object(existing)) => existing.extend(self.entry.clone()),
            _ => {
                servers.insert(self.key.clone(), Value::Object(self.entry.clone()));
            }
        }
        Ok(servers)
    }
}

/// Adds `registration` to its registry through [`writer::update`]: under the registry's lock,
/// re-reads the file, saves it as `<file>.bak`, writes the new content to a temporary file and
/// renames it into place. A file that does not parse is left untouched. A symbolic link (a
/// registry kept with dotfiles) is written through, not replaced; a read-only file is refused.
pub fn register(registration: &Registration) -> Result<Registered> {
    let path = &registration.config;
    let outcome = writer::update(path, Backup::Sidecar, |previous| {
        let servers = parse(path, previous.unwrap_or_default())?;
        let servers = registration.insert_into(servers)?;
        let mut json =
            serde_json::to_string_pretty(&servers).expect("a JSON map always serializes");
        json.push('\n');
        Ok::<_, Error>(Some(json.into_bytes()))
    })?;
    let backup = match outcome {
        Outcome::Written { backup } => backup,
        Outcome::Unchanged => None,
    };
    Ok(Registered { backup })
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
        }
    }

    #[test]
    fn creates_the_file_then_adds_with_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        assert_eq!(register(&registration(&config, "a")).unwrap().backup, None);
        let first = fs::read(&config).unwrap();
        let backup = register(&registration(&config, "b"))
            .unwrap()
            .backup
            .unwrap();
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
        let err = register(&registration(&config, "a")).unwrap_err();
        assert!(matches!(err, Error::AlreadyRegistered { .. }), "{err}");
        register(&Registration {
            replace: true,
            ..registration(&config, "a")
        })
        .unwrap();
        let servers = read(&config).unwrap();
        assert_eq!(servers.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(servers["z"], json!({"custom": [1, 2]}));
        assert_eq!(
            servers["a"],
            json!({"port": 8000, "mine": true, "name": "a"})
        );
    }

    #[test]
    fn malformed_file_is_left_alone_and_located() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("servers.json");
        let broken = "{\n  \"a\": {},\n  oops\n}\n";
        fs::write(&config, broken).unwrap();
        let err = register(&registration(&config, "b")).unwrap_err();
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
        register(&registration(&link, "a")).unwrap();
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
        let err = register(&registration(&config, "a")).unwrap_err();
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
                scope.spawn(move || register(&registration(config, &format!("s{i}"))).unwrap());
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
