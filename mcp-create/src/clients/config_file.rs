//! One client config file: read it, and compute its text with an entry added or removed. A UTF-8
//! byte order mark is set aside while editing and written back.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::json_edit::{self, EditError};
use super::table::{Client, Format, Scope};
use super::{ClientError, paths, toml_doc};
use crate::writer;

const BOM: &str = "\u{feff}";

/// A client's config file as it is on disk (`text` is `None` when it does not exist).
pub struct ConfigFile {
    pub client: &'static Client,
    pub scope: Scope,
    pub path: PathBuf,
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
        let bytes = writer::read(&path)?;
        let file = ConfigFile {
            client,
            scope: location.scope,
            path,
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
            EditError::Duplicate { key, line } => ClientError::Duplicate {
                path: self.path.clone(),
                key,
                line,
            },
        }
    }
}
