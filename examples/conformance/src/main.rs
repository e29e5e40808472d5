//! The official MCP conformance suite's "everything" server (its fixture tools, resources and
//! prompts), written only with mcp-sdk's public API. Serve it with
//! `cargo run -p conformance -- --transport http --port 3001` and point
//! `conformance server --url http://127.0.0.1:3001/mcp` at it.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use mcp_sdk::{
    Blob, Embedded, HttpServer, RunOptions, Transport, prelude::*, serde_json, serde_json::json,
};
use serde::Deserialize;

mod input_required;
mod stateless;

/// A 1x1 PNG.
const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 252, 207, 192, 240, 31, 0,
    5, 5, 2, 0, 95, 200, 241, 210, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// A silent WAV.
const WAV: [u8; 44] = [
    82, 73, 70, 70, 38, 0, 0, 0, 87, 65, 86, 69, 102, 109, 116, 32, 16, 0, 0, 0, 1, 0, 1, 0, 64,
    31, 0, 0, 0, 125, 0, 0, 2, 0, 16, 0, 100, 97, 116, 97, 2, 0, 0, 0,
];

/// Tests simple text content response
#[tool]
async fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Tests image content response
#[tool]
async fn test_image_content() -> Image {
    Image::png(PNG)
}

/// Tests audio content response
#[tool]
async fn test_audio_content() -> Audio {
    Audio::wav(WAV)
}

/// Tests embedded resource content response
#[tool]
async fn test_embedded_resource() -> Embedded {
    Embedded::text(
        "test://embedded-resource",
        "This is an embedded resource content.",
        "text/plain",
    )
}

/// Tests response with multiple content types (text, image, resource)
#[tool]
async fn test_multiple_content_types() -> (&'static str, Image, Embedded) {
    let data = json!({"test": "data", "value": 123}).to_string();
    (
        "Multiple content types test:",
        Image::png(PNG),
        Embedded::text("test://mixed-content-resource", data, "application/json"),
    )
}

/// Tests tool that emits log messages during execution
#[tool]
async fn test_tool_with_logging(ctx: Context) -> &'static str {
    for message in [
        "Tool execution started",
        "Tool processing data",
        "Tool execution completed",
    ] {
        ctx.info(message).await;
        mcp_sdk::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    "Tool with logging executed successfully"
}

/// Tests tool that reports progress notifications
#[tool]
async fn test_tool_with_progress(ctx: Context) -> &'static str {
    for done in [0.0, 50.0, 100.0] {
        let message = format!("Completed step {done} of 100");
        ctx.progress_message(done, 100.0, message).await;
        mcp_sdk::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    "Progress reported"
}

/// Tests error response handling
#[tool]
async fn test_error_handling() -> mcp_sdk::Result<()> {
    bail!("This tool intentionally returns an error for testing")
}

/// Tests server-initiated sampling (LLM completion request)
#[tool]
async fn test_sampling(
    /// The prompt to send to the LLM
    prompt: String,
    ctx: Context,
) -> String {
    match ctx
        .sample(Sampling::new().user(prompt).max_tokens(100))
        .await
    {
        Ok(sample) => format!("LLM response: {}", sample.text),
        Err(error) => format!("Sampling not supported or error: {error}"),
    }
}

/// The user's answer to `test_elicitation`.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
struct Response {
    /// User's response
    response: String,
}

/// Tests server-initiated elicitation (user input request)
#[tool]
async fn test_elicitation(
    /// The message to show the user
    message: String,
    ctx: Context,
) -> String {
    elicited(ctx.elicit::<Response>(message).await, "User response")
}

/// A user's status.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
enum Status {
    #[default]
    Active,
    Inactive,
    Pending,
}

/// The form with a default for every field (SEP-1034).
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[serde(default)]
struct Defaults {
    /// User name
    name: String,
    /// User age
    age: i64,
    /// User score
    score: f64,
    /// User status
    status: Status,
    /// Verification status
    verified: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            name: "John Doe".into(),
            age: 30,
            score: 95.5,
            status: Status::Active,
            verified: true,
        }
    }
}

/// Tests elicitation with default values per SEP-1034
#[tool]
async fn test_elicitation_sep1034_defaults(ctx: Context) -> String {
    let message = "Please review and update the form fields with defaults";
    elicited(
        ctx.elicit::<Defaults>(message).await,
        "Elicitation completed",
    )
}

/// Untitled options.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Plain {
    Option1,
    Option2,
    Option3,
}

/// Options with titles.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Titled {
    /// First Option
    Value1,
    /// Second Option
    Value2,
    /// Third Option
    Value3,
}

/// Choices with titles.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Choice {
    /// First Choice
    Value1,
    /// Second Choice
    Value2,
    /// Third Choice
    Value3,
}

/// Legacy titled options.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[schemars(extend("enumNames" = ["Option One", "Option Two", "Option Three"]))]
enum Legacy {
    Opt1,
    Opt2,
    Opt3,
}

/// The enum forms of SEP-1330.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
struct Enums {
    /// Select one option
    #[serde(rename = "untitledSingle")]
    untitled_single: Option<Plain>,
    /// Select one option with titles
    #[serde(rename = "titledSingle")]
    titled_single: Option<Titled>,
    /// Select one option (legacy)
    #[serde(rename = "legacyEnum")]
    legacy_enum: Option<Legacy>,
    /// Select multiple options
    #[serde(rename = "untitledMulti", default)]
    #[schemars(length(min = 1, max = 3))]
    untitled_multi: Vec<Plain>,
    /// Select multiple options with titles
    #[serde(rename = "titledMulti", default)]
    #[schemars(length(min = 1, max = 3))]
    titled_multi: Vec<Choice>,
}

/// Tests elicitation with enum schema improvements per SEP-1330
#[tool]
async fn test_elicitation_sep1330_enums(ctx: Context) -> String {
    let message = "Please select options from the enum fields";
    elicited(ctx.elicit::<Enums>(message).await, "Elicitation completed")
}

/// The text the fixture tools answer an elicitation with.
fn elicited<T: serde::Serialize>(answer: mcp_sdk::Result<Elicitation<T>>, prefix: &str) -> String {
    let (action, content) = match answer {
        Ok(Elicitation::Accepted(value)) => ("accept", serde_json::to_value(value).ok()),
        Ok(Elicitation::Declined) => ("decline", None),
        Ok(Elicitation::Cancelled) => ("cancel", None),
        Err(error) => return format!("Elicitation not supported or error: {error}"),
    };
    let content = content.unwrap_or_else(|| json!({}));
    format!("{prefix}: action={action}, content={content}")
}

/// A street address.
#[derive(Deserialize, schemars::JsonSchema, serde::Serialize)]
#[schemars(rename = "address")]
struct Address {
    street: Option<String>,
    city: Option<String>,
}

/// `Address` as a `$ref` into `$defs`, which this scenario checks the server keeps. The SDK writes
/// every other type inline; a type whose schema is a `$ref` keeps its definition in `$defs`.
struct AddressRef(Address);

impl<'de> Deserialize<'de> for AddressRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Address::deserialize(deserializer).map(AddressRef)
    }
}

impl schemars::JsonSchema for AddressRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AddressRef".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let address = Address::json_schema(generator);
        generator
            .definitions_mut()
            .insert("address".into(), address.to_value());
        schemars::json_schema!({ "$ref": "#/$defs/address" })
    }
}

/// Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)
#[tool]
async fn json_schema_2020_12_tool(
    /// The name.
    name: Option<String>,
    /// The address.
    address: Option<AddressRef>,
) -> String {
    let address = address.map(|AddressRef(address)| address);
    let args = json!({"name": name, "address": address});
    format!("JSON Schema 2020-12 tool called with: {args}")
}

/// A static text resource for testing
#[resource(
    "test://static-text",
    name = "static-text",
    title = "Static Text Resource"
)]
async fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource (image) for testing
#[resource(
    "test://static-binary",
    name = "static-binary",
    title = "Static Binary Resource",
    mime_type = "image/png"
)]
async fn static_binary() -> Blob {
    Blob::new(PNG)
}

/// A resource template with parameter substitution
#[resource(
    "test://template/{id}/data",
    name = "template",
    title = "Resource Template",
    mime_type = "application/json"
)]
async fn template(id: String) -> mcp_sdk::Result<String> {
    let data = format!("Data for ID: {id}");
    Ok(json!({"id": id, "templateTest": true, "data": data}).to_string())
}

/// How many times the watched resource changed.
static WATCHED: AtomicU64 = AtomicU64::new(0);

/// A resource that auto-updates every 3 seconds
#[resource(
    "test://watched-resource",
    name = "watched-resource",
    title = "Watched Resource"
)]
async fn watched_resource() -> String {
    format!(
        "Watched resource content, update {}",
        WATCHED.load(Ordering::Relaxed)
    )
}

/// A simple prompt without arguments
#[prompt(title = "Simple Test Prompt")]
async fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with required arguments
#[prompt(title = "Prompt With Arguments")]
async fn test_prompt_with_arguments(
    /// First test argument
    arg1: String,
    /// Second test argument
    arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

/// A prompt that includes an embedded resource
#[prompt(title = "Prompt With Embedded Resource")]
async fn test_prompt_with_embedded_resource(
    /// URI of the resource to embed
    #[allow(non_snake_case)]
    resourceUri: String,
) -> (Embedded, &'static str) {
    (
        Embedded::text(
            resourceUri,
            "Embedded resource content for testing.",
            "text/plain",
        ),
        "Please process the embedded resource above.",
    )
}

/// A prompt that includes image content
#[prompt(title = "Prompt With Image")]
async fn test_prompt_with_image() -> (Image, &'static str) {
    (Image::png(PNG), "Please analyze the image above.")
}

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    mcp_sdk::init_logging();
    let options = RunOptions::from_process()?;
    let live = stateless::Live::default();
    let server = stateless::fixtures(Server::new(), live.clone());
    let handler = input_required::fixtures(server)
        .name("mcp-conformance-test-server")
        .tool(test_simple_text)
        .tool(test_image_content)
        .tool(test_audio_content)
        .tool(test_embedded_resource)
        .tool(test_multiple_content_types)
        .tool(test_tool_with_logging)
        .tool(test_tool_with_progress)
        .tool(test_error_handling)
        .tool(test_sampling)
        .tool(test_elicitation)
        .tool(test_elicitation_sep1034_defaults)
        .tool(test_elicitation_sep1330_enums)
        .tool(json_schema_2020_12_tool)
        .resource(static_text)
        .resource(static_binary)
        .resource(template)
        .resource(watched_resource)
        .prompt(test_simple_prompt)
        .prompt(test_prompt_with_arguments)
        .prompt(test_prompt_with_embedded_resource)
        .prompt(test_prompt_with_image)
        .completion("test_prompt_with_arguments", "arg1", |typed| {
            ["paris", "park", "london"]
                .into_iter()
                .filter(|v| v.starts_with(typed))
                .map(str::to_owned)
                .collect()
        })
        .build()?;
    live.set(handler.clone());
    let watcher = handler.clone();
    mcp_sdk::tokio::spawn(async move {
        loop {
            mcp_sdk::tokio::time::sleep(Duration::from_secs(3)).await;
            WATCHED.fetch_add(1, Ordering::Relaxed);
            watcher
                .notify_resource_updated("test://watched-resource")
                .await;
        }
    });
    match options.transport {
        Transport::Stdio => mcp_sdk::serve_stdio(handler).await,
        Transport::Http => HttpServer::bind(handler, options.http).await?.serve().await,
    }
}
