use mcp_sdk::prelude::*;

#[prompt]
async fn summarize(
    /// The text to summarize.
    text: String,
) -> String {
    format!("Summarize: {text}")
}

fn main() {
    let _ = Server::new().prompt(summarize);
}
