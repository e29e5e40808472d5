//! The one model of the server registry (`~/.mcp-servers.json`) that every command reads: which
//! servers there are, each entry validated into a [`Server`], and "unknown server" with the
//! closest registered name. Reading and writing the file itself is [`crate::config`]'s job.
//!
//! A bad entry does not hide the others: [`Registry::get`] reports it (file, entry, fix) only when
//! it is asked for, and [`Registry::entries`] lists it beside the good ones.

use std::path::{Path, PathBuf};

use crate::config::{self, Servers};

pub mod complete;
mod entry;
pub mod suggest;

pub use entry::{Dependency, Server, TOKEN_VAR, expand_home, parse_env_file, resolve_program};

/// An entry that is missing or cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RegistryError {
    /// No such key in the registry.
    #[error("no server named {name:?} in {}{}", .config.display(), unknown_note(.suggestion.as_deref(), *.empty))]
    Unknown {
        name: String,
        config: PathBuf,
        suggestion: Option<String>,
        empty: bool,
    },

    /// An entry that does not have the shape the registry's format gives it.
    #[error("{}: the entry {name:?} cannot be used: {reason}; {fix}", .config.display())]
    BadEntry {
        config: PathBuf,
        name: String,
        reason: String,
        fix: String,
    },

    /// The entry's program cannot be found (a client needs an absolute path).
    #[error(
        "{}: the entry {name:?} runs {program:?}, which is not a file and not on PATH; build or \
         install the server first (see `install` in its entry), or fix its `command`",
        .config.display()
    )]
    NoProgram {
        config: PathBuf,
        name: String,
        program: String,
    },
}

fn unknown_note(suggestion: Option<&str>, empty: bool) -> String {
    match (suggestion, empty) {
        (_, true) => "; the registry is empty: create a server with `mcp-create <NAME>`".into(),
        (Some(name), _) => format!("; did you mean {name:?}? (see `mcp-create list`)"),
        (None, _) => "; see `mcp-create list` for the registered names".into(),
    }
}

impl RegistryError {
    /// 2 for a name the user can correct on the command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            RegistryError::Unknown { .. } => 2,
            _ => 1,
        }
    }
}

/// Every entry of one registry file, in file order, each validated on its own.
#[derive(Clone, Debug)]
pub struct Registry {
    /// The registry file.
    pub path: PathBuf,
    entries: Vec<(String, Result<Server, RegistryError>)>,
}

impl Registry {
    /// The registry located from `explicit` (see [`config::locate`]); a missing file is empty.
    pub fn load(explicit: Option<&Path>) -> crate::Result<Registry> {
        let path = config::locate(explicit)?;
        let servers = config::read(&path)?;
        Ok(Registry::new(path, &servers))
    }

    /// The entries of `servers`, read from the file `path`.
    pub fn new(path: PathBuf, servers: &Servers) -> Registry {
        let entries = servers
            .iter()
            .map(|(key, value)| (key.clone(), Server::parse(&path, key, value)))
            .collect();
        Registry { path, entries }
    }

    /// The server `name`: its error when its entry is bad, else "unknown" with the closest name.
    pub fn get(&self, name: &str) -> Result<&Server, RegistryError> {
        match self.entries.iter().find(|(key, _)| key == name) {
            Some((_, entry)) => entry.as_ref().map_err(Clone::clone),
            None => Err(RegistryError::Unknown {
                name: name.to_owned(),
                config: self.path.clone(),
                suggestion: suggest::closest(name, self.names()).map(str::to_owned),
                empty: self.entries.is_empty(),
            }),
        }
    }

    /// Every entry in file order: the server, or why its entry cannot be used.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Result<&Server, &RegistryError>)> {
        self.entries
            .iter()
            .map(|(key, entry)| (key.as_str(), entry.as_ref()))
    }

    /// The servers whose entries are good, in file order.
    pub fn servers(&self) -> impl Iterator<Item = &Server> {
        self.entries
            .iter()
            .filter_map(|(_, entry)| entry.as_ref().ok())
    }

    /// Why each bad entry cannot be used, in file order.
    pub fn problems(&self) -> impl Iterator<Item = &RegistryError> {
        self.entries
            .iter()
            .filter_map(|(_, entry)| entry.as_ref().err())
    }

    /// The registered names, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
    }

    /// Whether `name` is registered (good entry or bad).
    pub fn contains(&self, name: &str) -> bool {
        self.names().any(|key| key == name)
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(value: serde_json::Value) -> Registry {
        let serde_json::Value::Object(servers) = value else {
            unreachable!()
        };
        Registry::new(PathBuf::from("/home/me/.mcp-servers.json"), &servers)
    }

    #[test]
    fn a_bad_entry_names_file_entry_and_fix_and_spares_the_others() {
        let registry = of(json!({
            "good": {"command": "srv --flag"},
            "bad": {"command": "srv 'unbalanced", "port": 1},
            "worse": [1, 2],
        }));
        assert_eq!(registry.servers().count(), 1);
        assert!(registry.get("good").is_ok());
        let error = registry.get("bad").unwrap_err().to_string();
        assert!(
            error.contains("/home/me/.mcp-servers.json")
                && error.contains("\"bad\"")
                && error.contains("unbalanced quotes")
                && error.contains("quote"),
            "{error}"
        );
        let error = registry.get("worse").unwrap_err().to_string();
        assert!(error.contains("not a JSON object"), "{error}");
        let flagged: Vec<&str> = registry
            .entries()
            .filter(|(_, entry)| entry.is_err())
            .map(|(key, _)| key)
            .collect();
        assert_eq!(flagged, ["bad", "worse"]);
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let registry = of(json!({"weather": {"command": "w"}, "github": {"command": "g"}}));
        let error = registry.get("wether").unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(
            error.to_string().contains("did you mean \"weather\"?"),
            "{error}"
        );
        let error = registry.get("zzzzzz").unwrap_err().to_string();
        assert!(error.contains("see `mcp-create list`"), "{error}");
        let error = of(json!({})).get("x").unwrap_err().to_string();
        assert!(error.contains("the registry is empty"), "{error}");
    }
}
