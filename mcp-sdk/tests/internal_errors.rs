//! Internal errors: the client sees a reference id, the log sees the whole chain. In a test binary of
//! its own because it installs a tracing subscriber, which other tests running beside it would race.
#![deny(warnings, missing_docs)]

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use mcp_sdk::{
    prelude::*,
    testing::{TestClient, result_text},
};
use serde_json::json;

/// Reads a settings file.
#[tool]
async fn read_settings(
    /// Path of the file.
    path: String,
) -> mcp_sdk::Result<String> {
    Ok(std::fs::read_to_string(&path)?)
}

/// Reads a station's file; a failure is the station's, told to the model.
#[tool]
async fn station(
    /// Path of the file.
    path: String,
) -> mcp_sdk::Result<String> {
    std::fs::read_to_string(&path)
        .map_err(|e| Error::tool("the station is offline; try again later").with_source(e))
}

/// A log sink shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Captures this thread's log lines until the guard drops.
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let sink = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    /// What was logged.
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn internal_errors_show_a_reference_and_log_the_chain() {
    let log = Captured::default();
    let _guard = log.capture();

    let client = TestClient::start(Server::new().tool(read_settings))
        .await
        .unwrap();
    let missing = "/nonexistent/mcp-sdk-test/settings.toml";
    let result = client
        .call("read_settings", json!({"path": missing}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    let text = result_text(&result);
    assert!(
        text.starts_with("internal error in tool `read_settings` (reference "),
        "{text}"
    );
    assert!(
        !text.contains("No such file"),
        "the client must not see the cause: {text}"
    );
    let reference = text
        .split("reference ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(reference.len(), 8);

    let log = log.text();
    let line = log
        .lines()
        .find(|line| line.contains(&reference))
        .unwrap_or_else(|| panic!("the log names the reference {reference}:\n{log}"));
    assert!(line.contains("No such file or directory"), "{line}");
    assert!(line.contains("read_settings"), "{line}");
}

#[tokio::test(flavor = "current_thread")]
async fn tool_errors_with_a_source_show_the_message_and_log_the_cause() {
    let log = Captured::default();
    let _guard = log.capture();

    let client = TestClient::start(Server::new().tool(station))
        .await
        .unwrap();
    let missing = "/nonexistent/mcp-sdk-test/celsius";
    let result = client
        .call("station", json!({"path": missing}))
        .await
        .unwrap();
    assert_eq!(result.is_error, Some(true));
    assert_eq!(
        result_text(&result),
        "the station is offline; try again later"
    );

    let log = log.text();
    let line = log
        .lines()
        .find(|line| line.contains("the station is offline"))
        .unwrap_or_else(|| panic!("the log has the error:\n{log}"));
    assert!(line.contains("WARN") && line.contains("station"), "{line}");
    assert!(line.contains("cause: No such file or directory"), "{line}");
}
