//! The log analytics server through a real MCP client, in-process: enum arguments, progress, and
//! a call the client cancels.

use logscan::Level;
use mcp_sdk::{LogLevel, serde_json::json, testing::TestClient};

const LOG: &str = "\
2026-01-02T10:00:00 INFO api: started
2026-01-02T10:00:01 WARN db: slow query (2.1 s)
2026-01-02T10:00:02 ERROR db: connection lost
2026-01-02T10:00:03 ERROR api: upstream timeout
";

#[mcp_sdk::test]
async fn levels_are_counted_with_progress_and_searched() -> mcp_sdk::Result<()> {
    let client = TestClient::start(logscan::server()).await?;
    let tools = client.list_tools().await?;
    let search = tools.iter().find(|t| t.name == "search").unwrap();
    // The allowed values, inline or under `$defs` (the client reads them either way).
    let schema = json!(search.input_schema).to_string();
    let values = r#""enum":["debug","info","warn","error"]"#;
    assert!(schema.contains(values), "{schema}");

    client.call("ingest", json!({"text": LOG})).await?;
    let counts: std::collections::BTreeMap<Level, usize> =
        client.call_typed("count_levels", json!({})).await?;
    let expected = [(Level::Info, 1), (Level::Warn, 1), (Level::Error, 2)];
    assert_eq!(counts, expected.into_iter().collect());
    let progress = client
        .next_progress()
        .await
        .expect("a progress notification");
    assert_eq!((progress.progress, progress.total), (4.0, Some(4.0)));

    let errors: Vec<String> = client
        .call_typed("search", json!({"level": "error", "contains": "DB"}))
        .await?;
    assert_eq!(errors, ["2026-01-02T10:00:02 ERROR db: connection lost"]);
    let wrong = client.call("search", json!({"level": "fatal"})).await?;
    assert_eq!(wrong.is_error, Some(true));
    Ok(())
}

#[mcp_sdk::test]
async fn a_wait_ends_with_the_line_or_when_the_client_cancels() -> mcp_sdk::Result<()> {
    let client = TestClient::start(logscan::server()).await?;

    let wait = client
        .start_call("wait_for", json!({"level": "error", "contains": "disk"}))
        .await?;
    let started = client.next_log().await.expect("the tool says it waits");
    assert!(started.data.as_str().unwrap().starts_with("waiting for"));
    client.call("ingest", json!({"text": LOG})).await?;
    assert_eq!(
        client.next_log().await.unwrap().data,
        "new lines, none matching yet"
    );
    client
        .call("ingest", json!({"text": "10:01 ERROR disk full"}))
        .await?;
    let result = wait.result().await?;
    assert_eq!(
        mcp_sdk::testing::result_text(&result),
        "10:01 ERROR disk full"
    );

    let wait = client
        .start_call("wait_for", json!({"level": "debug"}))
        .await?;
    client.next_log().await.expect("the tool says it waits");
    wait.cancel().await?;
    let stopped = client
        .next_log()
        .await
        .expect("the tool saw the cancellation");
    assert_eq!(
        (stopped.level, stopped.data),
        (LogLevel::Info, json!("cancelled: stopped waiting"))
    );
    Ok(())
}
