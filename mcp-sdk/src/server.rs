//! The `Server` builder.

use std::{
    collections::BTreeMap,
    sync::{Arc, OnceLock},
};

use futures::future::BoxFuture;
use rmcp::model::Implementation;

use crate::{
    Error, HttpServer, Result, RunOptions, Transport,
    completion::Completions,
    handler::{Handler, Registry},
    prompt::{IntoPrompt, PromptEntry},
    resource::{IntoResource, ResourceEntry},
    state::{Needs, StateMap},
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
    resources: Vec<ResourceEntry>,
    prompts: Vec<PromptEntry>,
    completions: Completions,
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
    pub fn tool<M>(mut self, tool: impl IntoTool<M>) -> Self {
        self.tools.push(tool.into_tool());
        self
    }

    /// Registers a resource: a function marked `#[resource("uri")]`.
    pub fn resource<M>(mut self, resource: impl IntoResource<M>) -> Self {
        self.resources.push(resource.into_resource());
        self
    }

    /// Registers a prompt: a function marked `#[prompt]`.
    pub fn prompt<M>(mut self, prompt: impl IntoPrompt<M>) -> Self {
        self.prompts.push(prompt.into_prompt());
        self
    }

    /// Completes argument `argument` of `target` (a prompt's name, or a resource template's URI
    /// with `argument` one of its `{variables}`): `complete` gets what the user typed so far and
    /// returns suggestions. The server advertises `completions` once one is registered.
    pub fn completion(
        mut self,
        target: impl Into<String>,
        argument: impl Into<String>,
        complete: impl Fn(&str) -> Vec<String> + Send + Sync + 'static,
    ) -> Self {
        self.completions
            .insert(target.into(), argument.into(), Arc::new(complete));
        self
    }

    /// Shares `value` with every tool that takes a `State<T>` argument. A second value of the same
    /// type replaces the first.
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(value);
        self
    }

    /// Checks the server and makes it ready to serve: names (and resource URIs) must be unique
    /// and every `State<T>` an item takes must have been given.
    pub fn build(self) -> Result<Handler> {
        let package = MAIN_PACKAGE.get().copied().or_else(|| self.first_package());
        let mut info = Implementation::new(
            self.name
                .unwrap_or_else(|| package.map_or("mcp-server", |p| p.name).to_owned()),
            self.version
                .unwrap_or_else(|| package.map_or("0.0.0", |p| p.version).to_owned()),
        );
        info.title = self.title;

        let state = self.state;
        let check = |kind: &str, name: &str, needs: &Needs| match needs
            .states
            .iter()
            .find(|s| !state.contains(s))
        {
            Some(missing) => Err(Error::internal(format!(
                "{kind} `{name}` takes State<{0}> but the server has no {0}: add `.state(..)` with one to the Server builder",
                missing.name
            ))),
            None => Ok(()),
        };
        let duplicate = |kind: &str, name: &str, same_item: bool, how: &str| match same_item {
            true => Error::internal(format!(
                "{kind} `{name}` is registered twice: the Server builder has `.{kind}({name})` more \
                 than once; remove one"
            )),
            false => Error::internal(format!(
                "two {kind}s are named `{name}`; {kind} names must be unique: {how}"
            )),
        };

        let mut tools = BTreeMap::new();
        for entry in self.tools {
            let name = entry.tool.name.to_string();
            check("tool", &name, &entry.needs)?;
            let item = entry.item;
            if let Some(known) = tools.insert(name.clone(), entry) {
                return Err(duplicate(
                    "tool",
                    &name,
                    item.is_some() && known.item == item,
                    "rename one with #[tool(name = \"...\")]",
                ));
            }
        }
        let mut prompts = BTreeMap::new();
        for entry in self.prompts {
            let name = entry.prompt.name.clone();
            check("prompt", &name, &entry.needs)?;
            let item = entry.item;
            if let Some(known) = prompts.insert(name.clone(), entry) {
                return Err(duplicate(
                    "prompt",
                    &name,
                    item.is_some() && known.item == item,
                    "rename one with #[prompt(name = \"...\")]",
                ));
            }
        }
        let mut resources: Vec<ResourceEntry> = Vec::new();
        for entry in self.resources {
            check("resource", entry.uri(), &entry.needs)?;
            if let Some(known) = resources.iter().find(|known| known.uri() == entry.uri()) {
                let uri = entry.uri();
                return Err(Error::internal(
                    match entry.item.is_some() && known.item == entry.item {
                        true => format!(
                            "resource `{uri}` is registered twice: the Server builder has `.resource(..)` \
                         of the same function more than once; remove one"
                        ),
                        false => format!("two resources have the URI `{uri}`"),
                    },
                ));
            }
            resources.push(entry);
        }
        resources.sort_by_key(ResourceEntry::is_template);
        let registry = Registry {
            info,
            instructions: self.instructions,
            tools,
            resources,
            prompts,
            completions: self.completions,
        };
        Ok(Handler::new(registry, state))
    }

    fn first_package(&self) -> Option<Package> {
        let tools = self.tools.iter().map(|e| e.package);
        let resources = self.resources.iter().map(|e| e.package);
        tools
            .chain(resources)
            .chain(self.prompts.iter().map(|e| e.package))
            .next()
    }

    /// Builds the server and serves it on the transport chosen by `--transport stdio|http` (or
    /// `MCP_TRANSPORT`; stdio by default), with the HTTP settings of [`HttpOptions`]. stdio ends
    /// when the client disconnects; HTTP on SIGINT or SIGTERM, after in-flight calls finish.
    /// Any other argument is an error: a server with arguments of its own, or other defaults,
    /// uses [`run_with`](Self::run_with).
    ///
    /// [`HttpOptions`]: crate::HttpOptions
    pub fn run(self) -> BoxFuture<'static, Result<()>> {
        // `run_with` sets up logging.
        Box::pin(async move { self.run_with(RunOptions::from_process()?).await })
    }

    /// Builds the server and serves it with `options`, as they are (no flag or variable is read
    /// here): get them from [`RunOptions::read_process`] (your defaults, then the process's
    /// flags and environment) or [`RunOptions::split_process`] (the same, and your own arguments).
    ///
    /// ```no_run
    /// use mcp_sdk::{RunOptions, Server, Transport};
    ///
    /// #[mcp_sdk::main]
    /// async fn main() -> mcp_sdk::Result<()> {
    ///     let defaults = RunOptions::default().transport(Transport::Http).port(3000);
    ///     Server::new().run_with(defaults.read_process()?).await
    /// }
    /// ```
    ///
    /// The future is boxed so that the serving code (rmcp's service loop, the HTTP stack) is
    /// compiled once, in mcp-sdk, instead of again in every server's binary: that is most of a
    /// release build of `main.rs`.
    pub fn run_with(self, options: RunOptions) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            crate::transport::init_logging();
            let handler = self.build()?;
            match options.transport {
                Transport::Stdio => crate::transport::serve_stdio(handler).await,
                Transport::Http => HttpServer::bind(handler, options.http).await?.serve().await,
            }
        })
    }
}
