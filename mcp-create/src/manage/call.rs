//! `call NAME TOOL [JSON_ARGS]`: one tool call, over HTTP when the server runs, else over stdio.

use std::time::Duration;

use rmcp::model::{CallToolRequestParams, CallToolResult};
use serde_json::{Map, Value};

use super::{Context, ManageError};
use crate::connect::{Connection, Endpoint, Protocol, block_on};
use crate::registry::Server;
use crate::transport::Transport;

/// Parses the arguments, calls the tool, prints the result.
pub fn run(
    ctx: &mut Context<'_>,
    name: &str,
    tool: &str,
    args: &str,
    timeout: u64,
) -> Result<(), ManageError> {
    let args = parse_args(args)?;
    let server = ctx.server(name)?;
    let endpoint = endpoint(ctx, &server)?;
    let timeout = Duration::from_secs(timeout);
    let result = block_on(async {
        let connection = Connection::open(&endpoint, Protocol::Initialize2025, timeout).await?;
        let params = CallToolRequestParams::new(tool.to_owned()).with_arguments(args);
        let answer = tokio::time::timeout(timeout, connection.client().call_tool(params)).await;
        let stderr = connection.stderr();
        connection.close().await;
        let request = |reason: String| ManageError::Request {
            server: server.key.clone(),
            what: format!("calling {tool}"),
            reason,
        };
        match answer {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(error)) => Err(request(with_stderr(error.to_string(), &stderr))),
            Err(_) => Err(request(format!("no answer within {} s", timeout.as_secs()))),
        }
    })?;
    let shown = render(&result);
    if crate::output::json() {
        let answer = serde_json::to_value(&result).expect("a tool result serializes");
        let fields = serde_json::json!({"server": server.key, "tool": tool,
            "is_error": result.is_error == Some(true), "text": shown, "result": answer});
        ctx.print_json("call", fields);
    }
    if result.is_error == Some(true) {
        return Err(ManageError::ToolFailed {
            server: server.key,
            tool: tool.to_owned(),
            message: shown,
        });
    }
    ctx.say(shown);
    Ok(())
}

/// `JSON_ARGS` as an object, or a usage error (before anything is started).
pub fn parse_args(text: &str) -> Result<Map<String, Value>, ManageError> {
    let example = r#"'{"a": 2, "b": 3}'"#;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(args)) => Ok(args),
        Ok(other) => Err(ManageError::Usage(format!(
            "JSON_ARGS must be a JSON object such as {example}, not {other}"
        ))),
        Err(error) => Err(ManageError::Usage(format!(
            "JSON_ARGS is not valid JSON ({error}): {text:?}; pass an object such as {example}, quoted for the shell"
        ))),
    }
}

/// The running server's URL, else its stdio command; an HTTP-only server must be running.
pub fn endpoint(ctx: &Context<'_>, server: &Server) -> Result<Endpoint, ManageError> {
    if let (Some(_), Some(url)) = (ctx.runtime.running(&server.key), server.url()) {
        return Ok(Endpoint::Http { url, token: None });
    }
    match server.transport() {
        Transport::Stdio => Ok(Endpoint::Stdio(server.launch()?)),
        Transport::Http => Err(ManageError::NotRunning {
            name: server.key.clone(),
        }),
    }
}

/// Structured content as pretty JSON, else the text blocks, else each block as JSON.
pub fn render(result: &CallToolResult) -> String {
    if let Some(structured) = &result.structured_content {
        return serde_json::to_string_pretty(structured).expect("JSON values serialize");
    }
    let blocks: Vec<String> = result
        .content
        .iter()
        .map(|block| match block.as_text() {
            Some(text) => text.text.clone(),
            None => serde_json::to_string_pretty(block).unwrap_or_default(),
        })
        .collect();
    blocks.join("\n")
}

fn with_stderr(reason: String, stderr: &str) -> String {
    match stderr.trim() {
        "" => reason,
        text => format!("{reason}\nthe server's stderr:\n{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_are_usage_errors() {
        assert_eq!(parse_args("{\"a\": 1}").unwrap().len(), 1);
        let error = parse_args("{a: 1}").unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("not valid JSON"), "{error}");
        assert!(
            parse_args("[1]")
                .unwrap_err()
                .to_string()
                .contains("JSON object")
        );
    }
}
