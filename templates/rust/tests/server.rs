//! Every tool, resource and prompt, called through a real MCP client connected in memory.
//!
//! Each test runs twice: once with the 2025-11-25 `initialize` handshake that today's desktop
//! clients use, once with the stateless 2026-07-28 protocol.

use mcp_sdk::rmcp::model::{ResourceContents, Role};
use mcp_sdk::testing::{Protocol, TestClient, result_text};
use serde_json::{Value, json};
use {{ module_name }}::{DESCRIPTION, NAME, VERSION, server};

/// A client connected to a fresh server, for each protocol revision.
async fn clients() -> Vec<(Protocol, TestClient)> {
    let mut clients = Vec::new();
    for protocol in [Protocol::Initialize2025, Protocol::Stateless2026] {
        let client = TestClient::start_with(server(), protocol)
            .await
            .expect("the client connects");
        clients.push((protocol, client));
    }
    clients
}

#[tokio::test]
async fn server_identifies_itself() {
    for (protocol, client) in clients().await {
        let info = client.server_info().expect("the server sends serverInfo");
        assert_eq!(
            (info.name.as_str(), info.version.as_str()),
            (NAME, VERSION),
            "{protocol:?}"
        );
    }
}

#[tokio::test]
async fn lists_the_tools_with_their_schemas() {
    for (protocol, client) in clients().await {
        let tools = client.list_tools().await.unwrap();
        let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
        assert_eq!(names, ["add", "echo"], "{protocol:?}");
        let add = Value::Object((*tools[0].input_schema).clone());
        assert_eq!(add["required"], json!(["a", "b"]));
        assert_eq!(add["properties"]["a"]["type"], "integer");
        assert_eq!(add["properties"]["b"]["type"], "integer");
    }
}

#[tokio::test]
async fn add_returns_the_sum_as_text_and_structured_content() {
    for (protocol, client) in clients().await {
        let result = client.call("add", json!({"a": 2, "b": 3})).await.unwrap();
        assert_ne!(result.is_error, Some(true), "{protocol:?}");
        assert_eq!(result_text(&result), "5");
        assert_eq!(result.structured_content, Some(json!({"result": 5})));
        let sum: i64 = client
            .call_typed("add", json!({"a": -2, "b": 3}))
            .await
            .unwrap();
        assert_eq!(sum, 1);
    }
}

#[tokio::test]
async fn add_rejects_arguments_that_are_not_integers() {
    for (protocol, client) in clients().await {
        let result = client
            .call("add", json!({"a": "two", "b": 3}))
            .await
            .unwrap();
        assert_eq!(result.is_error, Some(true), "{protocol:?}");
        assert!(
            result_text(&result).contains("`a`"),
            "{}",
            result_text(&result)
        );
    }
}

#[tokio::test]
async fn add_reports_a_sum_too_large_for_json() {
    for (protocol, client) in clients().await {
        let result = client
            .call("add", json!({"a": 1_i64 << 53, "b": 1}))
            .await
            .unwrap();
        assert_eq!(result.is_error, Some(true), "{protocol:?}");
        assert!(result_text(&result).contains("does not fit in a JSON number"));
    }
}

#[tokio::test]
async fn echo_returns_the_message_unchanged() {
    let message = "  Hello, MCP! {braces} ünïcødé\n";
    for (protocol, client) in clients().await {
        let result = client
            .call("echo", json!({"message": message}))
            .await
            .unwrap();
        assert_ne!(result.is_error, Some(true), "{protocol:?}");
        assert_eq!(result_text(&result), message);
    }
}

#[tokio::test]
async fn info_resource_describes_the_server() {
    for (protocol, client) in clients().await {
        let resources = client.list_resources().await.unwrap();
        let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
        assert_eq!(uris, ["info://server"], "{protocol:?}");

        let result = client.read_resource("info://server").await.unwrap();
        let [
            ResourceContents::TextResourceContents {
                mime_type, text, ..
            },
        ] = &result.contents[..]
        else {
            panic!("one text content: {:?}", result.contents);
        };
        assert_eq!(mime_type.as_deref(), Some("application/json"));
        let info: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            info,
            json!({"name": NAME, "version": VERSION, "description": DESCRIPTION})
        );
    }
}

#[tokio::test]
async fn greeting_template_greets_by_name() {
    for (protocol, client) in clients().await {
        let templates = client.list_resource_templates().await.unwrap();
        let uris: Vec<&str> = templates.iter().map(|t| t.uri_template.as_str()).collect();
        assert_eq!(uris, ["greeting://{name}"], "{protocol:?}");
        let text = client.read_resource_text("greeting://Ada").await.unwrap();
        assert_eq!(text, "Hello, Ada!");
    }
}

#[tokio::test]
async fn summarize_prompt_asks_to_summarize_the_text() {
    for (protocol, client) in clients().await {
        let prompts = client.list_prompts().await.unwrap();
        assert_eq!(prompts.len(), 1, "{protocol:?}");
        assert_eq!(prompts[0].name, "summarize");
        let arguments = prompts[0].arguments.clone().unwrap_or_default();
        let shape: Vec<(&str, Option<bool>)> = arguments
            .iter()
            .map(|a| (a.name.as_str(), a.required))
            .collect();
        assert_eq!(shape, [("text", Some(true))]);

        let text = "MCP connects models to tools.";
        let result = client
            .get_prompt("summarize", json!({"text": text}))
            .await
            .unwrap();
        assert_eq!(result.messages.len(), 1);
        assert_eq!(result.messages[0].role, Role::User);
        let message = &result.messages[0]
            .content
            .as_text()
            .expect("a text message")
            .text;
        assert!(
            message.contains("summarize") && message.contains(text),
            "{message}"
        );
    }
}
