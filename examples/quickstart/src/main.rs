//! The smallest useful mcp-sdk server. Run it with `cargo run -p quickstart` (it speaks MCP on
//! stdin/stdout), or register it in a client with the path of `target/debug/quickstart`.

use std::time::Duration;

use mcp_sdk::prelude::*;

/// Adds two integers.
#[tool(read_only, idempotent)]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> mcp_sdk::Result<i64> {
    a.checked_add(b)
        .ok_or_else(|| Error::tool(format!("{a} + {b} does not fit in a 64-bit integer")))
}

/// Greets someone by name.
#[tool(read_only)]
async fn greet(
    /// Who to greet, e.g. "Ada".
    name: String,
    /// The greeting word.
    #[default("Hello".to_owned())]
    greeting: String,
    /// End with an exclamation mark.
    excited: Option<bool>,
) -> mcp_sdk::Result<String> {
    ensure!(!name.trim().is_empty(), InvalidParams: "name must not be empty");
    let end = if excited.unwrap_or(false) { "!" } else { "." };
    Ok(format!("{greeting}, {}{end}", name.trim()))
}

/// Counts to `to`, one step every `step_ms` milliseconds, reporting progress as it goes.
#[tool(read_only)]
async fn count(
    /// The number to count to (1 to 100).
    to: u32,
    /// Milliseconds between steps.
    #[default(10)]
    step_ms: u64,
    ctx: Context,
) -> mcp_sdk::Result<String> {
    ensure!((1..=100).contains(&to), InvalidParams: "`to` must be between 1 and 100, got {to}");
    ctx.info(format!("counting to {to}")).await;
    for step in 1..=to {
        mcp_sdk::tokio::time::sleep(Duration::from_millis(step_ms)).await;
        if ctx.is_cancelled() {
            bail!("cancelled at {step} of {to}");
        }
        ctx.progress_message(step.into(), to.into(), format!("{step} of {to}"))
            .await;
    }
    Ok(format!("counted to {to}"))
}

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    Server::new()
        .instructions("A calculator, a greeter and a counter that reports progress.")
        .tool(add)
        .tool(greet)
        .tool(count)
        .run()
        .await
}
