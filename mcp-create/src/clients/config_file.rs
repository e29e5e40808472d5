//! One client config file: read it, and compute its text with an entry added or removed.

use std::fs;
use std::io;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::json_edit::{self, EditError};
use super::table::{Client, Format, Scope};
use super::{ClientError, paths, toml_doc};
use crate::error::Error;

/// A client's config file as it is on disk (`text` is `None` when it does not exist).
pub struct ConfigFile {
    pub client: &'static Client,
    pub scope: Scope,
    pub path: PathBuf,
    pub text: Option<String>,
}

impl ConfigFile {
    /// Reads the config of `client` for `scope` (the client's default scope when `None`).
    pub fn open(client: &'static Client, scope: Option<Scope>) -> crate::Result<ConfigFile> {
        let location = client.location(scope)?;
        let path = paths::resolve(client, location)?;
        let text = match fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("read", &path)(e)),
        };
        Ok(ConfigFile {
            client,
            scope: location.scope,
            path,
            text,
        })
    }

    fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }

    /// The server entries, by name.
    pub fn servers(&self) -> Result<Map<String, Value>, ClientError> {
        let key = self.client.container;
        let servers = match self.client.format {
            Format::Toml => toml_doc::servers(self.text(), key),
            format => json_edit::servers(self.text(), format == Format::Jsonc, key),
        };
        servers.map_err(|e| self.error(e))
    }

    /// The file's text with `name` set to `entry`.
    pub fn upsert(&self, name: &str, entry: &Value) -> Result<String, ClientError> {
        let key = self.client.container;
        let text = match self.client.format {
            Format::Toml => toml_doc::upsert(self.text(), key, name, entry),
            format => json_edit::upsert(self.text(), format == Format::Jsonc, key, name, entry),
        };
        text.map_err(|e| self.error(e))
    }

    /// The file's text without `name`, or `None` if it has no such entry.
    pub fn remove(&self, name: &str) -> Result<Option<String>, ClientError> {
        let key = self.client.container;
        let text = match self.client.format {
            Format::Toml => toml_doc::remove(self.text(), key, name),
            format => json_edit::remove(self.text(), format == Format::Jsonc, key, name),
        };
        text.map_err(|e| self.error(e))
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
        }
    }
}
