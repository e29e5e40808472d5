//! The same `add` and `echo` written by hand with rmcp's own macros.

use rmcp::{
    Json, ServerHandler,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{Implementation, ServerCapabilities, ServerConfig},
    tool, tool_handler, tool_router,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Arguments of `add`.
#[derive(Deserialize, JsonSchema)]
pub struct AddArgs {
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
}

/// Result of `add`: `{"result": sum}`, the shape mcp-sdk gives a bare integer.
#[derive(Serialize, JsonSchema)]
pub struct Sum {
    result: i64,
}

/// Arguments of `echo`.
#[derive(Deserialize, JsonSchema)]
pub struct EchoArgs {
    /// The message to send back.
    message: String,
}

/// The server.
#[derive(Clone)]
pub struct RmcpServer {
    tool_router: ToolRouter<Self>,
}

impl Default for RmcpServer {
    fn default() -> Self {
        Self {
            tool_router: Self::tool_router(),
        }
    }
}

#[tool_router]
impl RmcpServer {
    /// Adds two integers.
    #[tool(annotations(read_only_hint = true))]
    async fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> Json<Sum> {
        Json(Sum {
            result: a.wrapping_add(b),
        })
    }

    /// Sends the message back.
    #[tool(annotations(read_only_hint = true))]
    async fn echo(&self, Parameters(EchoArgs { message }): Parameters<EchoArgs>) -> String {
        message
    }
}

// The router is built once, in `default()`: rmcp's plain `#[tool_handler]` would call
// `Self::tool_router()`, rebuilding every route and schema on each call.
#[tool_handler(router = self.tool_router)]
impl ServerHandler for RmcpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build()).with_server_info(
            Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
        )
    }
}
