#![deny(warnings, missing_docs)]
//! A tool using every supported argument and return form compiles without warnings.

use mcp_sdk::prelude::*;

/// Shared configuration.
pub struct Config;

/// Uses every argument form.
#[tool(name = "all_forms", title = "All forms", read_only, destructive = false, idempotent, open_world)]
pub async fn every_form(
    /// A required argument.
    r#type: String,
    /// An optional argument.
    maybe: Option<u32>,
    /// An argument with a default.
    #[default(3)]
    days: u8,
    /// A mutable argument.
    mut count: i64,
    config: State<Config>,
    ctx: Context,
) -> mcp_sdk::Result<Vec<String>> {
    count += 1;
    let _ = (&config, ctx.is_cancelled());
    Ok(vec![r#type, format!("{maybe:?} {days} {count}")])
}

/// Returns nothing.
#[tool]
async fn nothing() {}

/// Returns rmcp content.
#[tool]
async fn content() -> Vec<mcp_sdk::rmcp::model::ContentBlock> {
    vec![mcp_sdk::rmcp::model::ContentBlock::text("hi")]
}

/// Returns a static string.
#[tool]
async fn fixed() -> &'static str {
    "fixed"
}

fn main() {
    let _ = Server::new().tool(every_form).tool(nothing).tool(content).tool(fixed).state(Config).build();
}

/// A resource whose variable shares its name.
#[resource("days://{day}", mime_type = "text/plain")]
async fn day(day: u8, ctx: Context) -> String {
    let _ = ctx.is_cancelled();
    format!("day {day}")
}

/// A prompt.
#[prompt(name = "greet", title = "Greet")]
async fn greeting(
    /// Who.
    name: String,
) -> String {
    let greeting = format!("Hello, {name}");
    greeting
}

#[allow(dead_code)]
fn more() {
    let _ = Server::new().resource(day).prompt(greeting);
}
