//! One client config file: read it, and compute its text with an entry added or removed. A UTF-8
//! byte order mark is set aside while editing and written back.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::json_edit::{self, EditError};
use super::table::{Client, Container, Format, Scope};
use super::{ClientError, paths, toml_doc, yaml_edit};
use crate::writer;

const BOM: &str = "\u{feff}";

/// A client's config file as it is on disk (`text` is `None` when it does not exist).
pub struct ConfigFile {
    pub client: &'static Client,
    pub scope: Scope,
    pub path: PathBuf,
    /// The keys from the top of the file to the object holding the servers.
    pub keys: Vec<String>,
    /// The text, without a byte order mark.
    pub text: Option<String>,
    /// Whether the file starts with a UTF-8 byte order mark.
    pub bom: bool,
}

impl ConfigFile {
    /// Reads the config of `client` for `scope` (the client's default scope when `None`).
    pub fn open(client: &'static Client, scope: Option<Scope>) -> Result<ConfigFile, ClientError> {
        let location = client.location(scope)?;
        let path = paths::resolve(client, location)?;
        Self::open_at(client, location.scope, path, location.nest)
    }

    /// Reads `path` as the config of `client` for `scope`, its servers under `nest`.
    pub fn open_at(
        client: &'static Client,
        scope: Scope,
        path: PathBuf,
        nest: &[&str],
    ) -> Result<ConfigFile, ClientError> {
        let cwd = || {
            std::env::current_dir()
                .map(|dir| dir.to_string_lossy().into_owned())
                .map_err(|_| ClientError::NoBase {
                    client: client.id,
                    missing: "the current directory",
                })
        };
        let mut keys = Vec::new();
        for key in nest {
            keys.push(if *key == "{cwd}" {
                cwd()?
            } else {
                (*key).to_owned()
            });
        }
        keys.push(client.container.key().to_owned());
        let bytes = writer::read(&path)?;
        let file = ConfigFile {
            client,
            scope,
            path,
            keys,
            text: None,
            bom: false,
        };
        file.reread(bytes.as_deref())
    }

    /// This file with `bytes` as its content (`None`: no file).
    pub fn reread(&self, bytes: Option<&[u8]>) -> Result<ConfigFile, ClientError> {
        let text = match bytes.map(std::str::from_utf8) {
            None => None,
            Some(Ok(text)) => Some(text),
            Some(Err(e)) => {
                let before = &bytes.unwrap_or_default()[..e.valid_up_to()];
                let line = before.iter().filter(|b| **b == b'\n').count() + 1;
                return Err(self.error(EditError::Syntax {
                    line,
                    column: before.len()
                        - before
                            .iter()
                            .rposition(|b| *b == b'\n')
                            .map_or(0, |i| i + 1)
                        + 1,
                    message: "the file is not UTF-8 text".into(),
                }));
            }
        };
        let bom = text.is_some_and(|t| t.starts_with(BOM));
        Ok(ConfigFile {
            client: self.client,
            scope: self.scope,
            path: self.path.clone(),
            keys: self.keys.clone(),
            text: text.map(|t| t.strip_prefix(BOM).unwrap_or(t).to_owned()),
            bom,
        })
    }

    /// The bytes to write for `text`, with the byte order mark the file had.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let bom = if self.bom { BOM } else { "" };
        format!("{bom}{text}").into_bytes()
    }

    /// The text without a byte order mark ("" when there is no file).
    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }

    /// The server entries, by name.
    pub fn servers(&self) -> Result<Map<String, Value>, ClientError> {
        let (text, keys) = (self.text(), self.keys());
        let servers = match (self.client.format, self.client.container) {
            (Format::Toml, _) => toml_doc::servers(text, keys[0]),
            (Format::Yaml, container) => yaml_edit::servers(text, keys[0], list(container)),
            (format, _) => json_edit::servers(text, format == Format::Jsonc, &keys),
        };
        servers.map_err(|e| self.error(e))
    }

    /// The file's text with `name` set to `entry`.
    pub fn upsert(&self, name: &str, entry: &Value) -> Result<String, ClientError> {
        let (text, keys) = (self.text(), self.keys());
        let text = match (self.client.format, self.client.container) {
            (Format::Toml, _) => toml_doc::upsert(text, keys[0], name, entry),
            (Format::Yaml, c) => yaml_edit::upsert(text, keys[0], list(c), name, entry),
            (format, _) => json_edit::upsert(text, format == Format::Jsonc, &keys, name, entry),
        };
        text.map_err(|e| self.error(e))
    }

    /// The file's text without `name`, or `None` if it has no such entry.
    pub fn remove(&self, name: &str) -> Result<Option<String>, ClientError> {
        let (text, keys) = (self.text(), self.keys());
        let text = match (self.client.format, self.client.container) {
            (Format::Toml, _) => toml_doc::remove(text, keys[0], name),
            (Format::Yaml, c) => yaml_edit::remove(text, keys[0], list(c), name),
            (format, _) => json_edit::remove(text, format == Format::Jsonc, &keys, name),
        };
        text.map_err(|e| self.error(e))
    }

    fn keys(&self) -> Vec<&str> {
        self.keys.iter().map(String::as_str).collect()
    }

    fn error(&self, error: EditError) -> ClientError {
        match error {
            EditError::Syntax {
                line,
                column,
                message,
            } => ClientError::Syntax {
                path: self.path.clone(),
                format: self.client.format.name(),
                line,
                column,
                message,
            },
            EditError::Shape(reason) => ClientError::Shape {
                path: self.path.clone(),
                reason,
            },
            EditError::Duplicate { key, line } => ClientError::Duplicate {
                path: self.path.clone(),
                key,
                line,
            },
        }
    }
}

fn list(container: Container) -> bool {
    matches!(container, Container::List(_))
}
