//! What {{ display_name }} serves: tools, resources and a prompt.
//!
//! Add a tool by writing a documented `async fn` under `#[tool]` and registering it in
//! [`server`]: the doc comment becomes the tool's description, each argument's doc comment the
//! description of its property in the input schema, and the return type the output schema.
//! Tools stay `pub(crate)`, so rustc warns "function is never used" about one you forget to
//! register.

use mcp_sdk::prelude::*;
use serde_json::{Value, json};

/// The package name, which is also the server's name in `serverInfo` and `/health`.
pub const NAME: &str = env!("CARGO_PKG_NAME");
/// The package version (Cargo.toml is the one place for it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The package description.
pub const DESCRIPTION: &str = env!("CARGO_PKG_DESCRIPTION");
/// The name people read in a client's list of servers.
pub const TITLE: &str = "{{ display_name }}";

/// Largest integer a JSON number carries exactly in every client (JavaScript's
/// `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Add two integers and return their sum.
#[tool(read_only, idempotent)]
pub(crate) async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> mcp_sdk::Result<i64> {
    let sum = a
        .checked_add(b)
        .filter(|sum| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(sum));
    // An `Error::tool` (or `bail!`, `ensure!`) reaches the model as an `isError` result with
    // this message.
    sum.ok_or_else(|| {
        Error::tool(format!(
            "the sum of {a} and {b} does not fit in a JSON number; keep |a + b| <= {MAX_SAFE_INTEGER}"
        ))
    })
}

/// Return the message unchanged.
#[tool(read_only, idempotent)]
pub(crate) async fn echo(
    /// The text to send back.
    message: String,
) -> String {
    message
}

/// Name, version and description of this server.
#[resource("info://server", name = "info", mime_type = "application/json")]
pub(crate) async fn info() -> Value {
    json!({"name": NAME, "version": VERSION, "description": DESCRIPTION})
}

/// A greeting for the given name.
#[resource("greeting://{name}", name = "greeting", mime_type = "text/plain")]
pub(crate) async fn greeting(name: String) -> String {
    format!("Hello, {name}!")
}

/// Ask the model to summarize a text.
#[prompt]
pub(crate) async fn summarize(
    /// The text to summarize.
    text: String,
) -> String {
    format!("Please summarize the following text in a few sentences:\n\n{text}")
}

/// The server with everything above registered. `main.rs` serves it; the tests talk to it in
/// memory.
pub fn server() -> Server {
    Server::new()
        .name(NAME)
        .version(VERSION)
        .title(TITLE)
        .instructions(
            "Tools: add (sum of two integers), echo (returns its message). Resources: \
             info://server, greeting://{name}. Prompt: summarize.",
        )
        .tool(add)
        .tool(echo)
        .resource(info)
        .resource(greeting)
        .prompt(summarize)
}
