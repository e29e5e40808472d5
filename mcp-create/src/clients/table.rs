//! The MCP clients as data: where each keeps its config, under which key, in which format, and
//! the shape of a stdio and an HTTP entry. Everything else reads this one table.

use clap::ValueEnum;

/// How a config file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Strict JSON: no comments, no trailing commas.
    Json,
    /// JSON with comments and trailing commas.
    Jsonc,
    /// TOML, edited with toml_edit.
    Toml,
}

impl Format {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Jsonc => "JSON with comments",
            Format::Toml => "TOML",
        }
    }
}

/// Whose config: the user's (every project) or the current directory's project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// The user's config, for every project
    User,
    /// The config inside the current directory
    Project,
}

impl Scope {
    /// `user` or `project`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
        }
    }
}

/// The directory a config path starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// `$HOME`.
    Home,
    /// Application data: `~/Library/Application Support` (macOS), `%APPDATA%` (Windows),
    /// `$XDG_CONFIG_HOME` or `~/.config` (elsewhere).
    AppData,
    /// `%APPDATA%` (Windows), else `$XDG_CONFIG_HOME` or `~/.config` (Zed uses it on macOS too).
    XdgConfig,
    /// `$CODEX_HOME`, else `~/.codex`.
    CodexHome,
    /// The current directory.
    Project,
}

/// One config file of a client.
#[derive(Clone, Copy, Debug)]
pub struct Location {
    pub scope: Scope,
    pub base: Base,
    /// Relative to `base`, with `/` separators.
    pub path: &'static str,
}

/// How an HTTP entry carries the server's bearer token without holding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRef {
    /// `headers.Authorization` set to this text, `{VAR}` replaced by the variable's name.
    Header(&'static str),
    /// A field naming the environment variable that holds the token.
    EnvField(&'static str),
    /// The client cannot read a token from the environment.
    Unsupported,
}

/// The shape of an HTTP entry.
#[derive(Clone, Copy, Debug)]
pub struct HttpShape {
    /// Fields written first, e.g. `"type": "http"`.
    pub fixed: &'static [(&'static str, &'static str)],
    /// The key of the URL: `url` or `serverUrl`.
    pub url_key: &'static str,
    pub token: TokenRef,
}

/// One MCP client.
#[derive(Clone, Copy, Debug)]
pub struct Client {
    /// What `--client` takes.
    pub id: &'static str,
    /// The product's name.
    pub name: &'static str,
    pub format: Format,
    /// Config files, the default scope first.
    pub locations: &'static [Location],
    /// The top-level key holding the servers.
    pub container: &'static str,
    /// Fields written first in a stdio entry, before `command`, `args` and `env`.
    pub stdio_fixed: &'static [(&'static str, &'static str)],
    /// `Err`: the config file takes stdio servers only; the text says what to do instead.
    pub http: Result<HttpShape, &'static str>,
}

const fn at(scope: Scope, base: Base, path: &'static str) -> Location {
    Location { scope, base, path }
}

use Base::*;
use Scope::{Project as P, User as U};

/// Every supported client.
pub const CLIENTS: &[Client] = &[
    Client {
        id: "claude-desktop",
        name: "Claude Desktop",
        format: Format::Json,
        locations: &[at(U, AppData, "Claude/claude_desktop_config.json")],
        container: "mcpServers",
        stdio_fixed: &[],
        http: Err(
            "its config file launches stdio servers only; install with --transport stdio, \
                   or add the URL under Settings > Connectors",
        ),
    },
    Client {
        id: "claude-code",
        name: "Claude Code",
        format: Format::Json,
        locations: &[at(U, Home, ".claude.json"), at(P, Project, ".mcp.json")],
        container: "mcpServers",
        stdio_fixed: &[("type", "stdio")],
        http: Ok(HttpShape {
            fixed: &[("type", "http")],
            url_key: "url",
            token: TokenRef::Header("Bearer ${{VAR}}"),
        }),
    },
    Client {
        id: "cursor",
        name: "Cursor",
        format: Format::Json,
        locations: &[
            at(U, Home, ".cursor/mcp.json"),
            at(P, Project, ".cursor/mcp.json"),
        ],
        container: "mcpServers",
        stdio_fixed: &[],
        http: Ok(HttpShape {
            fixed: &[],
            url_key: "url",
            token: TokenRef::Header("Bearer ${env:{VAR}}"),
        }),
    },
    Client {
        id: "vscode",
        name: "VS Code",
        format: Format::Jsonc,
        locations: &[at(P, Project, ".vscode/mcp.json")],
        container: "servers",
        stdio_fixed: &[("type", "stdio")],
        http: Ok(HttpShape {
            fixed: &[("type", "http")],
            url_key: "url",
            token: TokenRef::Header("Bearer ${env:{VAR}}"),
        }),
    },
    Client {
        id: "codex",
        name: "Codex",
        format: Format::Toml,
        locations: &[at(U, CodexHome, "config.toml")],
        container: "mcp_servers",
        stdio_fixed: &[],
        http: Ok(HttpShape {
            fixed: &[],
            url_key: "url",
            token: TokenRef::EnvField("bearer_token_env_var"),
        }),
    },
    Client {
        id: "gemini",
        name: "Gemini CLI",
        format: Format::Json,
        locations: &[
            at(U, Home, ".gemini/settings.json"),
            at(P, Project, ".gemini/settings.json"),
        ],
        container: "mcpServers",
        stdio_fixed: &[],
        http: Ok(HttpShape {
            fixed: &[("type", "http")],
            url_key: "url",
            token: TokenRef::Header("Bearer ${{VAR}}"),
        }),
    },
    Client {
        id: "windsurf",
        name: "Windsurf",
        format: Format::Json,
        locations: &[at(U, Home, ".codeium/windsurf/mcp_config.json")],
        container: "mcpServers",
        stdio_fixed: &[],
        http: Ok(HttpShape {
            fixed: &[],
            url_key: "serverUrl",
            token: TokenRef::Header("Bearer ${env:{VAR}}"),
        }),
    },
    Client {
        id: "zed",
        name: "Zed",
        format: Format::Jsonc,
        locations: &[at(U, XdgConfig, "zed/settings.json")],
        container: "context_servers",
        stdio_fixed: &[("source", "custom")],
        http: Ok(HttpShape {
            fixed: &[],
            url_key: "url",
            token: TokenRef::Unsupported,
        }),
    },
];

/// The client `id` names, or an error listing the known ones.
pub fn find(id: &str) -> Result<&'static Client, super::ClientError> {
    CLIENTS
        .iter()
        .find(|client| client.id == id)
        .ok_or_else(|| super::ClientError::UnknownClient {
            name: id.to_owned(),
            known: ids().join(", "),
        })
}

/// Every client id, in table order.
pub fn ids() -> Vec<&'static str> {
    CLIENTS.iter().map(|client| client.id).collect()
}

impl Client {
    /// The location for `scope`, or the default (first) one.
    pub fn location(&self, scope: Option<Scope>) -> Result<Location, super::ClientError> {
        let Some(scope) = scope else {
            return Ok(self.locations[0]);
        };
        self.locations
            .iter()
            .find(|location| location.scope == scope)
            .copied()
            .ok_or(super::ClientError::NoScope {
                client: self.id,
                scope: scope.name(),
                other: self.locations[0].scope.name(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let mut ids = ids();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "client ids are unique");
        for client in CLIENTS {
            assert!(!client.locations.is_empty(), "{}", client.id);
            let mut scopes: Vec<_> = client.locations.iter().map(|l| l.scope.name()).collect();
            scopes.dedup();
            assert_eq!(
                scopes.len(),
                client.locations.len(),
                "{}: one file per scope",
                client.id
            );
            if let Ok(HttpShape {
                token: TokenRef::Header(text),
                ..
            }) = client.http
            {
                assert!(text.contains("{VAR}"), "{}", client.id);
            }
            assert_eq!(client.format == Format::Toml, client.id == "codex");
        }
    }
}
