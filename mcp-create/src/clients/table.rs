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
    /// YAML, read with serde_norway and edited by splicing the entry's lines.
    Yaml,
}

impl Format {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Jsonc => "JSON with comments",
            Format::Toml => "TOML",
            Format::Yaml => "YAML",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json | Format::Jsonc => "json",
            Format::Toml => "toml",
            Format::Yaml => "yaml",
        }
    }
}

/// Whose config: the user's (every project), the current directory's project, or the user's
/// private settings for the current directory (Claude Code's `local`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// The user's config, for every project
    User,
    /// The config inside the current directory
    Project,
    /// The user's own settings for the current directory (Claude Code)
    Local,
}

impl Scope {
    /// `user`, `project` or `local`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
            Scope::Local => "local",
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
    /// `$XDG_CONFIG_HOME` or `~/.config` on every system (opencode, Goose).
    Xdg,
    /// Goose's: `%APPDATA%\Block\goose\config` (Windows), else `$XDG_CONFIG_HOME/goose` or
    /// `~/.config/goose`.
    Goose,
    /// Claude Desktop's: on Windows, the MSIX package's
    /// `%LOCALAPPDATA%\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming` when that package folder
    /// exists, else [`Base::AppData`].
    ClaudeDesktop,
    /// `$CODEX_HOME`, else `~/.codex`.
    CodexHome,
    /// `$COPILOT_HOME`, else `~/.copilot` (GitHub Copilot CLI).
    CopilotHome,
    /// Cline's data folder: `$CLINE_DATA_DIR`, else `$CLINE_DIR/data`, else `~/.cline/data`.
    ClineData,
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
    /// Keys above the client's container in this file; `{cwd}` stands for the current directory.
    pub nest: &'static [&'static str],
    /// The file used instead when it exists and `path` does not (opencode's `.jsonc`).
    pub or: Option<&'static str>,
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

/// Fields as `(key, JSON text)`, e.g. `("tools", r#"["*"]"#)`.
pub type Fields = &'static [(&'static str, &'static str)];

/// The shape of a stdio entry: `fixed`, the command, its arguments, `env`, then `after`.
#[derive(Clone, Copy, Debug)]
pub struct StdioShape {
    pub fixed: Fields,
    /// The key of the program: `command` or `cmd`.
    pub command: &'static str,
    /// The program and its arguments as one array under `command` (no `args`).
    pub array: bool,
    /// The key of the environment: `env`, `environment` or `envs`.
    pub env: &'static str,
    pub after: Fields,
}

/// The shape of an HTTP entry: `fixed`, the URL, the token, then `after`.
#[derive(Clone, Copy, Debug)]
pub struct HttpShape {
    pub fixed: Fields,
    /// The key of the URL: `url`, `httpUrl`, `serverUrl` or `uri`.
    pub url_key: &'static str,
    pub token: TokenRef,
    pub after: Fields,
}

/// Where the servers are in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// An object (table, mapping) under this top-level key, one member per server.
    Map(&'static str),
    /// A list under this top-level key, each item carrying the server's `name`.
    List(&'static str),
}

impl Container {
    /// The top-level key.
    pub fn key(self) -> &'static str {
        match self {
            Container::Map(key) | Container::List(key) => key,
        }
    }
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
    pub container: Container,
    /// The entry holds the server's name as `name`, first.
    pub named: bool,
    pub stdio: StdioShape,
    /// `Err`: the config file takes stdio servers only; the text says what to do instead.
    pub http: Result<HttpShape, &'static str>,
    /// Where the file, key and shape were read from (listed in docs/clients.md).
    pub source: &'static str,
}

const fn at(scope: Scope, base: Base, path: &'static str) -> Location {
    Location {
        scope,
        base,
        path,
        nest: &[],
        or: None,
    }
}

/// `command`, `args`, `env`, with `fixed` first.
const fn plain(fixed: Fields) -> StdioShape {
    StdioShape {
        fixed,
        command: "command",
        array: false,
        env: "env",
        after: &[],
    }
}

/// `fixed`, then the URL under `url_key`, then the token.
const fn http(fixed: Fields, url_key: &'static str, token: TokenRef) -> HttpShape {
    HttpShape {
        fixed,
        url_key,
        token,
        after: &[],
    }
}

use Base::*;
use Scope::{Local as L, Project as P, User as U};
use TokenRef::{Header, Unsupported};

const MCP_SERVERS: Container = Container::Map("mcpServers");
const NO_HTTP: &str = "its config file launches stdio servers only; install with --transport stdio, \
                       or add the URL under Settings > Connectors";
const BEARER: TokenRef = Header("Bearer ${{VAR}}");
const BEARER_ENV: TokenRef = Header("Bearer ${env:{VAR}}");
const STDIO_TYPE: Fields = &[("type", "\"stdio\"")];
const HTTP_TYPE: Fields = &[("type", "\"http\"")];

/// Every supported client.
pub const CLIENTS: &[Client] = &[
    Client {
        id: "claude-desktop",
        name: "Claude Desktop",
        format: Format::Json,
        locations: &[at(U, ClaudeDesktop, "Claude/claude_desktop_config.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Err(NO_HTTP),
        source: "https://modelcontextprotocol.io/docs/develop/connect-local-servers; the MSIX \
                 path from the Windows package (family Claude_pzs8sxrjxfjjc)",
    },
    Client {
        id: "claude-code",
        name: "Claude Code",
        format: Format::Json,
        locations: &[
            at(U, Home, ".claude.json"),
            at(P, Project, ".mcp.json"),
            Location {
                nest: &["projects", "{cwd}"],
                ..at(L, Home, ".claude.json")
            },
        ],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(STDIO_TYPE),
        http: Ok(http(HTTP_TYPE, "url", BEARER)),
        source: "https://docs.anthropic.com/en/docs/claude-code/mcp",
    },
    Client {
        id: "cursor",
        name: "Cursor",
        format: Format::Json,
        locations: &[
            at(U, Home, ".cursor/mcp.json"),
            at(P, Project, ".cursor/mcp.json"),
        ],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "url", BEARER_ENV)),
        source: "https://cursor.com/docs/context/mcp",
    },
    Client {
        id: "vscode",
        name: "VS Code",
        format: Format::Jsonc,
        locations: &[
            at(U, AppData, "Code/User/mcp.json"),
            at(P, Project, ".vscode/mcp.json"),
        ],
        container: Container::Map("servers"),
        named: false,
        stdio: plain(STDIO_TYPE),
        http: Ok(http(HTTP_TYPE, "url", BEARER_ENV)),
        source: "https://code.visualstudio.com/docs/copilot/customization/mcp-servers",
    },
    Client {
        id: "codex",
        name: "Codex",
        format: Format::Toml,
        locations: &[
            at(U, CodexHome, "config.toml"),
            at(P, Project, ".codex/config.toml"),
        ],
        container: Container::Map("mcp_servers"),
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "url", TokenRef::EnvField("bearer_token_env_var"))),
        source: "https://developers.openai.com/codex/mcp",
    },
    Client {
        id: "gemini",
        name: "Gemini CLI",
        format: Format::Json,
        locations: &[
            at(U, Home, ".gemini/settings.json"),
            at(P, Project, ".gemini/settings.json"),
        ],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "httpUrl", BEARER)),
        source: "https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md",
    },
    Client {
        id: "antigravity",
        name: "Antigravity CLI",
        format: Format::Json,
        locations: &[at(U, Home, ".gemini/config/mcp_config.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "serverUrl", Unsupported)),
        source: "https://antigravity.google/docs/mcp (key and shape); the file: see the \
                 Antigravity CLI section",
    },
    Client {
        id: "windsurf",
        name: "Windsurf",
        format: Format::Json,
        locations: &[at(U, Home, ".codeium/windsurf/mcp_config.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "serverUrl", BEARER_ENV)),
        source: "https://docs.windsurf.com/windsurf/cascade/mcp",
    },
    Client {
        id: "zed",
        name: "Zed",
        format: Format::Jsonc,
        locations: &[at(U, XdgConfig, "zed/settings.json")],
        container: Container::Map("context_servers"),
        named: false,
        stdio: plain(&[("source", "\"custom\"")]),
        http: Ok(http(&[], "url", Unsupported)),
        source: "https://zed.dev/docs/ai/mcp",
    },
    Client {
        id: "copilot-cli",
        name: "GitHub Copilot CLI",
        format: Format::Json,
        locations: &[at(U, CopilotHome, "mcp-config.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: StdioShape {
            after: &[("tools", "[\"*\"]")],
            ..plain(&[("type", "\"local\"")])
        },
        http: Ok(HttpShape {
            after: &[("tools", "[\"*\"]")],
            ..http(HTTP_TYPE, "url", Unsupported)
        }),
        source: "https://docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/add-mcp-servers \
                 (shape); https://code.visualstudio.com/docs/agents/reference/mcp-configuration \
                 (the file, $COPILOT_HOME)",
    },
    Client {
        id: "goose",
        name: "Goose",
        format: Format::Yaml,
        locations: &[at(U, Goose, "config.yaml")],
        container: Container::Map("extensions"),
        named: true,
        stdio: StdioShape {
            fixed: &[("type", "\"stdio\""), ("description", "\"\"")],
            command: "cmd",
            array: false,
            env: "envs",
            after: &[("enabled", "true"), ("timeout", "300")],
        },
        http: Ok(HttpShape {
            after: &[("enabled", "true"), ("timeout", "300")],
            ..http(
                &[("type", "\"streamable_http\""), ("description", "\"\"")],
                "uri",
                Unsupported,
            )
        }),
        source: "github:block/goose crates/goose/src/agents/extension.rs (ExtensionConfig) and \
                 crates/goose/src/config/extensions.rs (ExtensionEntry)",
    },
    Client {
        id: "kiro",
        name: "Kiro",
        format: Format::Json,
        locations: &[
            at(U, Home, ".kiro/settings/mcp.json"),
            at(P, Project, ".kiro/settings/mcp.json"),
        ],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "url", Unsupported)),
        source: "https://kiro.dev/docs/mcp/configuration/ and \
                 https://kiro.dev/docs/cli/mcp/configuration",
    },
    Client {
        id: "opencode",
        name: "opencode",
        format: Format::Jsonc,
        locations: &[
            Location {
                or: Some("opencode/opencode.jsonc"),
                ..at(U, Xdg, "opencode/opencode.json")
            },
            Location {
                or: Some("opencode.jsonc"),
                ..at(P, Project, "opencode.json")
            },
        ],
        container: Container::Map("mcp"),
        named: false,
        stdio: StdioShape {
            fixed: &[("type", "\"local\"")],
            command: "command",
            array: true,
            env: "environment",
            after: &[],
        },
        http: Ok(http(
            &[("type", "\"remote\"")],
            "url",
            Header("Bearer {env:{VAR}}"),
        )),
        source: "https://opencode.ai/docs/mcp-servers/",
    },
    Client {
        id: "cline",
        name: "Cline",
        format: Format::Json,
        locations: &[at(U, ClineData, "settings/cline_mcp_settings.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: StdioShape {
            after: &[("disabled", "false")],
            ..plain(&[])
        },
        http: Ok(HttpShape {
            after: &[("disabled", "false")],
            ..http(&[("type", "\"streamableHttp\"")], "url", Unsupported)
        }),
        source: "github:cline/cline apps/vscode/src/services/mcp/schemas.ts (shape) and \
                 apps/vscode/src/hosts/vscode/mcp-settings-legacy-migration.ts (file)",
    },
    Client {
        id: "roo-code",
        name: "Roo Code",
        format: Format::Json,
        locations: &[
            at(
                U,
                AppData,
                "Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
            ),
            at(P, Project, ".roo/mcp.json"),
        ],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[("type", "\"streamable-http\"")], "url", BEARER_ENV)),
        source: "github:RooCodeInc/Roo-Code src/services/mcp/McpHub.ts (shape, .roo/mcp.json, \
                 ${env:VAR}) and src/shared/globalFileNames.ts (the file)",
    },
    Client {
        id: "continue",
        name: "Continue",
        format: Format::Yaml,
        locations: &[at(U, Home, ".continue/config.yaml")],
        container: Container::List("mcpServers"),
        named: true,
        stdio: plain(&[]),
        http: Ok(http(&[("type", "\"streamable-http\"")], "url", Unsupported)),
        source: "github:continuedev/continue packages/config-yaml/src/schemas/mcp/index.ts and \
                 packages/config-yaml/src/schemas/index.ts",
    },
    Client {
        id: "lm-studio",
        name: "LM Studio",
        format: Format::Json,
        locations: &[at(U, Home, ".lmstudio/mcp.json")],
        container: MCP_SERVERS,
        named: false,
        stdio: plain(&[]),
        http: Ok(http(&[], "url", Unsupported)),
        source: "https://lmstudio.ai/docs/app/mcp (key and shape: Cursor's notation); the file \
                 is not confirmed",
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
        assert!(count >= 16, "{count} clients");
        for client in CLIENTS {
            assert!(!client.locations.is_empty(), "{}", client.id);
            let mut scopes: Vec<_> = client.locations.iter().map(|l| l.scope.name()).collect();
            scopes.sort();
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
            if client.format == Format::Toml {
                assert!(
                    matches!(client.container, Container::Map(_)),
                    "{}",
                    client.id
                );
            }
            assert!(!client.source.is_empty(), "{}", client.id);
        }
    }
}
