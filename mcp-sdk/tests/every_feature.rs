#![deny(warnings, missing_docs)]
//! Every supported argument and return form compiles without warnings (or missing docs) and serves.

use mcp_sdk::prelude::*;
use mcp_sdk::testing::TestClient;
use serde_json::json;

/// Shared configuration.
pub struct Config;

/// Uses every argument form.
#[tool(
    name = "all_forms",
    title = "All forms",
    read_only,
    destructive = false,
    idempotent,
    open_world
)]
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

/// Every form above is listed and answers through a real client.
#[tokio::test]
async fn every_form_serves() {
    let server = Server::new()
        .tool(every_form)
        .tool(nothing)
        .tool(content)
        .tool(fixed)
        .resource(day)
        .prompt(greeting)
        .state(Config);
    let client = TestClient::start(server).await.expect("the server starts");
    let mut names: Vec<_> = client
        .list_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["all_forms", "content", "fixed", "nothing"]);
    let answer: Vec<String> = client
        .call_typed("all_forms", json!({"type": "t", "count": 1}))
        .await
        .unwrap();
    assert_eq!(answer, ["t", "None 3 2"]);
    assert_eq!(
        client.read_resource_text("days://4").await.unwrap(),
        "day 4"
    );
    let prompt = client
        .get_prompt("greet", json!({"name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(prompt.messages.len(), 1);
}
