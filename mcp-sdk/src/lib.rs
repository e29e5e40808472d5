//! # mcp-sdk
//!
//! MCP servers in Rust as plain, documented async functions, on top of the official
//! [`rmcp`](https://docs.rs/rmcp) crate.
//!
//! ```no_run
//! use mcp_sdk::prelude::*;
//!
//! /// Adds two numbers.
//! #[tool(read_only)]
//! async fn add(
//!     /// The first number.
//!     a: i64,
//!     /// The second number.
//!     b: i64,
//! ) -> i64 {
//!     a + b
//! }
//!
//! #[mcp_sdk::main]
//! async fn main() -> mcp_sdk::Result<()> {
//!     Server::new().tool(add).run().await
//! }
//! ```
//!
//! The guide is `docs/sdk.md` in the repository; every example in it is compiled as a doctest.
#![warn(missing_docs)]
#![doc(test(attr(deny(warnings))))]

/// `docs/sdk.md`, compiled and run as doctests (only then: a vendored copy needs no docs folder).
#[cfg(doctest)]
#[doc = include_str!("../../docs/sdk.md")]
mod guide {}

mod base64;
mod client;
mod completion;
mod content;
mod context;
mod error;
mod handler;
mod http;
mod options;
mod prompt;
mod registration;
mod resource;
mod rounds;
mod runtime;
mod schema;
mod server;
mod state;
mod subscriptions;
pub mod testing;
mod tool;
mod transport;
mod uri_template;

pub use client::{Elicitation, Root, Sample, Sampling};
pub use content::{Audio, Content, Embedded, Image, ResourceLink};
pub use context::{Context, LogLevel};
pub use error::{Error, ErrorKind, Result};
pub use handler::Handler;
pub use http::{HttpServer, Sessions, shutdown_signal};
pub use mcp_sdk_macros::{main, prompt, resource, test, tool};
pub use options::{HttpOptions, RunOptions, Transport};
pub use prompt::{IntoPrompt, IntoPromptOutput, PromptBuilder, PromptEntry};
pub use resource::{
    Blob, IntoResource, IntoResourceOutput, ResourceBuilder, ResourceCall, ResourceEntry,
};
pub use server::Server;
pub use state::State;
pub use tool::{
    IntoTool, IntoToolOutput, Package, Presence, Structured, ToolArgument, ToolBuilder, ToolCall,
    ToolEntry, ToolOutput,
};
pub use transport::{init_logging, serve_stdio};

/// rmcp itself, for the parts of MCP this crate does not wrap (content types, raw requests).
pub use rmcp;
/// JSON values, for resources and tools that build JSON by hand: `mcp_sdk::serde_json::json!(..)`.
pub use serde_json;
/// The Tokio runtime servers run on (`tokio::time::sleep`, `tokio::select!`, `tokio::fs`, ...),
/// with the features `fs`, `io-util`, `net`, `process`, `signal`, `sync`, `time` and `macros`.
pub use tokio;
/// The logging facade the SDK logs through (to stderr): `mcp_sdk::tracing::warn!(..)`.
pub use tracing;

/// What a server file needs: `use mcp_sdk::prelude::*;`.
pub mod prelude {
    pub use crate::{
        Audio, Blob, Content, Context, Elicitation, Error, ErrorKind, Image, LogLevel, Sampling,
        Server, State, bail, ensure, prompt, resource, tool,
    };
}

/// What the macros' generated code uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::{
        Error, IntoPromptOutput, IntoResourceOutput, IntoToolOutput, Presence, PromptBuilder,
        PromptEntry, ResourceBuilder, ResourceCall, ResourceEntry, Structured, ToolBuilder,
        ToolCall, ToolEntry,
        prompt::PromptItem,
        registration::Marker,
        resource::ResourceItem,
        tool::{Package, ToolItem, default_json, generated as tool_fn},
    };
    pub use rmcp;
    pub use schemars;
    pub use serde;
    pub use serde_json;
    pub use tokio;

    /// The package of the crate the macro expands in.
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __package {
        () => {
            $crate::__private::Package {
                name: ::core::env!("CARGO_PKG_NAME"),
                version: ::core::env!("CARGO_PKG_VERSION"),
            }
        };
    }
    pub use __package as package;

    /// Records the binary crate's identity (`#[mcp_sdk::main]`).
    pub fn set_package(name: &'static str, version: &'static str) {
        crate::server::set_main_package(Package { name, version });
    }

    /// Runs `main`'s body on a multi-threaded Tokio runtime.
    pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("the Tokio runtime starts")
            .block_on(future)
    }
}
