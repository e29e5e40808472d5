//! The `Server` builder.

use std::{collections::BTreeMap, sync::OnceLock};

use rmcp::model::Implementation;

use crate::{
    Error, Result,
    handler::Handler,
    state::StateMap,
    tool::{IntoTool, Package, ToolEntry},
};

static MAIN_PACKAGE: OnceLock<Package> = OnceLock::new();

/// Records the binary crate's identity; called by `#[mcp_sdk::main]`.
pub(crate) fn set_main_package(package: Package) {
    let _ = MAIN_PACKAGE.set(package);
}

/// An MCP server under construction: its identity, tools and shared state.
///
/// ```no_run
/// use mcp_sdk::prelude::*;
///
/// /// Says hello.
/// #[tool]
/// async fn hello(
///     /// Who to greet.
///     name: String,
/// ) -> String {
///     format!("Hello, {name}!")
/// }
///
/// #[mcp_sdk::main]
/// async fn main() -> mcp_sdk::Result<()> {
///     Server::new().tool(hello).run().await
/// }
/// ```
#[derive(Default)]
#[must_use = "a Server does nothing until it is run or built"]
pub struct Server {
    name: Option<String>,
    version: Option<String>,
    title: Option<String>,
    instructions: Option<String>,
    tools: Vec<ToolEntry>,
    state: StateMap,
}

impl Server {
    /// A server named after your crate: the package of `#[mcp_sdk::main]`, or else the crate that
    /// defines the first registered tool. Override with [`name`](Self::name) and
    /// [`version`](Self::version).
    pub fn new() -> Self {
        Self::default()
    }

    /// The same as [`Server::new`]: name and version of your crate, not of the SDK.
    pub fn from_env_pkg() -> Self {
        Self::new()
    }

    /// The name in `serverInfo`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The version in `serverInfo`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// A human-readable title in `serverInfo`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Instructions the client may show the model: how the tools fit together.
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Registers a tool: a function marked `#[tool]`, or a [`ToolEntry`](crate::ToolEntry).
    pub fn tool(mut self, tool: impl IntoTool) -> Self {
        self.tools.push(tool.into_tool());
        self
    }

    /// Shares `value` with every tool that takes a `State<T>` argument. A second value of the same
    /// type replaces the first.
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(value);
        self
    }

    /// Checks the server and makes it ready to serve: tool names must be unique and every
    /// `State<T>` a tool takes must have been given.
    pub fn build(self) -> Result<Handler> {
        let package = MAIN_PACKAGE.get().copied().or_else(|| self.tools.first().map(|tool| tool.package));
        let mut info = Implementation::new(
            self.name.unwrap_or_else(|| package.map_or("mcp-server", |p| p.name).to_owned()),
            self.version.unwrap_or_else(|| package.map_or("0.0.0", |p| p.version).to_owned()),
        );
        info.title = self.title;

        let mut tools = BTreeMap::new();
        for entry in self.tools {
            let name = entry.tool.name.to_string();
            for state in &entry.states {
                if !self.state.contains(state) {
                    return Err(Error::internal(format!(
                        "tool `{name}` takes State<{0}> but the server has no {0}: add `.state(..)` with one to the Server builder",
                        state.name
                    )));
                }
            }
            if tools.insert(name.clone(), entry).is_some() {
                return Err(Error::internal(format!(
                    "two tools are named `{name}`; tool names must be unique: rename one with #[tool(name = \"...\")]"
                )));
            }
        }
        Ok(Handler::new(info, self.instructions, tools, self.state))
    }

    /// Builds the server and serves it over stdio until the client disconnects.
    pub async fn run(self) -> Result<()> {
        crate::transport::init_logging();
        crate::transport::serve_stdio(self.build()?).await
    }
}
