//! The memory server through a real MCP client, in-process.

use mcp_sdk::{serde_json::json, testing::TestClient};
use memory::Memory;

#[mcp_sdk::test]
async fn memories_are_added_found_read_and_forgotten() -> mcp_sdk::Result<()> {
    let client = TestClient::start(memory::server()).await?;
    let tea: Memory = client
        .call_typed(
            "add_memory",
            json!({"text": "Prefers tea over coffee", "tags": ["drinks"]}),
        )
        .await?;
    client
        .call_typed::<Memory>("add_memory", json!({"text": "Lives in Lyon"}))
        .await?;

    let found: Vec<Memory> = client
        .call_typed("search_memories", json!({"query": "DRINKS tea"}))
        .await?;
    assert_eq!(found, std::slice::from_ref(&tea));

    let all: Vec<Memory> = client.read_resource_json("memory://all").await?;
    assert_eq!(all.len(), 2);
    let prompt = client
        .get_prompt_text("recall", json!({"topic": "tea"}))
        .await?;
    assert!(
        prompt.ends_with("Your memories:\n- Prefers tea over coffee"),
        "{prompt}"
    );

    let forgot: String = client
        .call_typed("delete_memory", json!({"id": tea.id}))
        .await?;
    assert_eq!(forgot, "forgot: Prefers tea over coffee");
    let again = client
        .call_typed::<String>("delete_memory", json!({"id": tea.id}))
        .await;
    let error = again.unwrap_err().to_string();
    assert!(error.contains("no memory has id 1"), "{error}");
    Ok(())
}

#[mcp_sdk::test]
async fn an_empty_memory_is_refused_with_the_reason() -> mcp_sdk::Result<()> {
    let client = TestClient::start(memory::server()).await?;
    let result = client.call("add_memory", json!({"text": "  "})).await?;
    assert_eq!(result.is_error, Some(true));
    let text = mcp_sdk::testing::result_text(&result);
    assert_eq!(text, "text must not be empty");
    Ok(())
}
