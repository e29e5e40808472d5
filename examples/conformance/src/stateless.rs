//! The 2026-07-28 suite's `server-stateless` diagnostic tools.

use std::sync::{Arc, OnceLock};

use mcp_sdk::{Handler, Result, prelude::*};

/// The running server, for the tools that change its lists (set once it is built).
#[derive(Clone, Default)]
pub struct Live(Arc<OnceLock<Handler>>);

impl Live {
    /// Hands the built server to the tools.
    pub fn set(&self, handler: Handler) {
        let _ = self.0.set(handler);
    }

    fn handler(&self) -> Result<&Handler> {
        self.0
            .get()
            .ok_or_else(|| Error::internal("the server is not running yet"))
    }
}

/// Needs the client's sampling capability (a client that did not declare it gets -32021).
#[tool]
async fn test_missing_capability(ctx: Context) -> Result<String> {
    Ok(ctx.sample("Say hi").await?.text)
}

/// Asks the user a question (2026 clients get it in an `input_required` result, never as a
/// request on the response stream).
#[tool]
async fn test_streaming_elicitation(ctx: Context) -> Result<String> {
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Answer {
        /// Anything.
        answer: String,
    }
    Ok(match ctx.elicit::<Answer>("Say something").await? {
        Elicitation::Accepted(form) => form.answer,
        _ => "nothing".to_owned(),
    })
}

/// Logs at info level (a 2026 client that set no log level hears nothing).
#[tool]
async fn test_logging_tool(ctx: Context) -> &'static str {
    ctx.info("test_logging_tool ran").await;
    "logged"
}

/// Hides and shows `test_simple_text`: listeners hear `notifications/tools/list_changed`.
#[tool]
async fn test_trigger_tool_change(live: State<Live>) -> Result<&'static str> {
    let handler = live.handler()?;
    handler.enable_tool("test_simple_text", false).await;
    handler.enable_tool("test_simple_text", true).await;
    Ok("tools changed")
}

/// Hides and shows `test_simple_prompt`: listeners hear `notifications/prompts/list_changed`.
#[tool]
async fn test_trigger_prompt_change(live: State<Live>) -> Result<&'static str> {
    let handler = live.handler()?;
    handler.enable_prompt("test_simple_prompt", false).await;
    handler.enable_prompt("test_simple_prompt", true).await;
    Ok("prompts changed")
}

/// `server` with the diagnostic tools, which reach the running server through `live`.
pub fn fixtures(server: Server, live: Live) -> Server {
    server
        .tool(test_missing_capability)
        .tool(test_streaming_elicitation)
        .tool(test_logging_tool)
        .tool(test_trigger_tool_change)
        .tool(test_trigger_prompt_change)
        .state(live)
}
