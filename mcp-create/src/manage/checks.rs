//! The checks of `test` on one connection: health, handshakes in both protocol eras, tools/list,
//! each tool's description and schema, errors for an unknown tool and invalid arguments, and calls.

use std::time::{Duration, Instant};

use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::ServiceError;
use serde_json::{Map, Value, json};

use super::schema;
use super::suite::Suite;
use super::tester::{Recorder, Target};
use crate::connect::{Connection, Endpoint, Protocol, http};

/// The name of a tool no server has, for the unknown-tool check.
const NO_SUCH_TOOL: &str = "mcp-create-test-no-such-tool";

/// The protocol checks on one target.
pub async fn check_target(
    rec: &mut Recorder<'_, '_>,
    target: &Target,
    base: Option<&str>,
    suite: &Suite,
    http_cases: bool,
    timeout: Duration,
) {
    let endpoint = target.endpoint();
    if let Some(base) = base {
        let started = Instant::now();
        let health = health_json(&format!("{base}/health")).await;
        rec.record("health", started, health);
    }
    let mut connection = None;
    for (protocol, label) in [
        (Protocol::Initialize2025, "2025-11-25"),
        (Protocol::Stateless2026, "2026-07-28"),
    ] {
        let started = Instant::now();
        match Connection::open(&endpoint, protocol, timeout).await {
            Ok(opened) => {
                let info = opened.client().peer_info();
                let who = info
                    .and_then(|i| i.server_info.clone())
                    .map(|s| format!("{} {}", s.name, s.version))
                    .unwrap_or_else(|| "a server without serverInfo".into());
                let listed =
                    match tokio::time::timeout(timeout, opened.client().list_all_tools()).await {
                        Ok(Ok(tools)) => Ok(format!("{who}, {} tools", tools.len())),
                        Ok(Err(e)) => Err(format!("handshake done, but tools/list failed: {e}")),
                        Err(_) => Err(format!(
                            "handshake done, but tools/list had no answer within {} s",
                            timeout.as_secs()
                        )),
                    };
                rec.record(&format!("handshake {label}"), started, listed);
                match connection {
                    None => connection = Some(opened),
                    Some(_) => opened.close().await,
                }
            }
            Err(error) => rec.record(
                &format!("handshake {label}"),
                started,
                Err(error.to_string()),
            ),
        }
    }
    let Some(connection) = connection else { return };
    let mut session = Session {
        endpoint,
        connection: Some(connection),
        timeout,
    };
    let started = Instant::now();
    let tools = match session.list().await {
        Ok(tools) => {
            let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
            rec.record(
                "tools/list",
                started,
                Ok(format!("{} tools: {}", tools.len(), names.join(", "))),
            );
            tools
        }
        Err(error) => {
            rec.record("tools/list", started, Err(error));
            return;
        }
    };
    for tool in &tools {
        let started = Instant::now();
        rec.record(
            &format!("tool {}: description and input schema", tool.name),
            started,
            describe(tool),
        );
    }
    let started = Instant::now();
    let answer = session.call(NO_SUCH_TOOL, Map::new()).await;
    rec.record("unknown tool is an error", started, expect_error(answer));
    let started = Instant::now();
    match invalid_call(&tools) {
        Some((tool, args)) => {
            let answer = session.call(&tool, args.clone()).await;
            let result =
                expect_error(answer).map(|how| format!("{tool} {}: {how}", Value::Object(args)));
            rec.record("invalid arguments are an error", started, result);
        }
        None => rec.record(
            "invalid arguments are an error",
            started,
            Ok("no tool takes typed arguments".into()),
        ),
    }
    for case in suite.tool_cases() {
        let started = Instant::now();
        let tool = case.tool.clone().unwrap_or_default();
        let answer = session.call(&tool, case.args.clone()).await;
        let result = match (answer, case.expects_error(), case.expected_text()) {
            (Ok(result), false, expected) if result.is_error != Some(true) => {
                let text = result_text(&result);
                match expected {
                    Some(expected) if !text.contains(&expected) => {
                        Err(format!("expected {expected:?} in {text:?}"))
                    }
                    _ => Ok(text),
                }
            }
            (Ok(result), false, _) => {
                Err(format!("answered with an error: {}", result_text(&result)))
            }
            (answer, true, _) => expect_error(answer),
            (Err(error), false, _) => Err(error),
        };
        rec.record(&format!("case {}", case.name), started, result);
    }
    for tool in tools.iter().filter(|t| {
        !suite
            .tool_cases()
            .any(|c| c.tool.as_deref() == Some(t.name.as_ref()))
    }) {
        let started = Instant::now();
        let args = example_args(&tool.input_schema);
        let answer = session.call(&tool.name, args.clone()).await;
        let result = answer.map(|result| {
            let how = if result.is_error == Some(true) {
                "answered with isError"
            } else {
                "answered"
            };
            format!(
                "{} {how}: {}",
                Value::Object(args),
                short(&result_text(&result))
            )
        });
        rec.record(&format!("call {}", tool.name), started, result);
    }
    for case in suite.http_cases().filter(|_| http_cases) {
        let started = Instant::now();
        let expected = case.expected_status.unwrap_or(200);
        let result = match base {
            None => {
                Err("an http case needs an HTTP server: test a running server or pass --url".into())
            }
            Some(base) => {
                let url = format!("{base}{}", case.endpoint.as_deref().unwrap_or("/"));
                match http::request(&case.method, &url, timeout).await {
                    Ok(answer) if answer.status == expected => {
                        Ok(format!("{} {url}: {expected}", case.method))
                    }
                    Ok(answer) => Err(format!(
                        "{} {url}: expected {expected}, got {}",
                        case.method, answer.status
                    )),
                    Err(error) => Err(error.to_string()),
                }
            }
        };
        rec.record(&format!("case {}", case.name), started, result);
    }
    if let Some(connection) = session.connection.take() {
        connection.close().await;
    }
}

/// A connection that is opened again when the server went away (to go on after a crash).
struct Session {
    endpoint: Endpoint,
    connection: Option<Connection>,
    timeout: Duration,
}

impl Session {
    async fn connected(&mut self) -> Result<&Connection, String> {
        if self
            .connection
            .as_ref()
            .is_none_or(|c| c.client().is_closed())
        {
            let opened =
                Connection::open(&self.endpoint, Protocol::Initialize2025, self.timeout).await;
            self.connection = Some(opened.map_err(|e| format!("cannot reconnect: {e}"))?);
        }
        Ok(self.connection.as_ref().expect("just connected"))
    }

    async fn list(&mut self) -> Result<Vec<Tool>, String> {
        let timeout = self.timeout;
        let client = self.connected().await?.client();
        match tokio::time::timeout(timeout, client.list_all_tools()).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
        }
    }

    /// Calls `tool`; `Err` for a JSON-RPC error (kept as `McpError:` text) or a broken connection.
    async fn call(
        &mut self,
        tool: &str,
        args: Map<String, Value>,
    ) -> Result<CallToolResult, String> {
        let timeout = self.timeout;
        let client = self.connected().await?.client();
        let params = CallToolRequestParams::new(tool.to_owned()).with_arguments(args);
        let answer = tokio::time::timeout(timeout, client.call_tool(params)).await;
        match answer {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(ServiceError::McpError(error))) => Err(format!(
                "JSON-RPC error {}: {}",
                error.code.0, error.message
            )),
            Ok(Err(error)) => {
                if let Some(connection) = self.connection.take() {
                    let stderr = connection.stderr();
                    connection.close().await;
                    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
                    let tail: Vec<&str> = tail.into_iter().rev().collect();
                    if !tail.is_empty() {
                        return Err(format!(
                            "the connection broke ({error}); its stderr ends with: {}",
                            tail.join(" | ")
                        ));
                    }
                }
                Err(format!("the connection broke ({error})"))
            }
            Err(_) => {
                self.connection = None;
                Err(format!("no answer within {} s", timeout.as_secs()))
            }
        }
    }
}

/// Ok when the call was refused: a JSON-RPC error or an `isError` result.
fn expect_error(answer: Result<CallToolResult, String>) -> Result<String, String> {
    match answer {
        Ok(result) if result.is_error == Some(true) => {
            Ok(format!("isError: {}", short(&result_text(&result))))
        }
        Ok(result) => Err(format!("it succeeded: {}", short(&result_text(&result)))),
        Err(error) if error.starts_with("JSON-RPC error") => Ok(error),
        Err(error) => Err(error),
    }
}

/// The description and schema check of one tool.
fn describe(tool: &Tool) -> Result<String, String> {
    if tool
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        return Err("it has no description: clients show it to the model to choose tools".into());
    }
    schema::check_input_schema(&tool.input_schema).map(|()| String::new())
}

/// A call that must be refused: a tool with required arguments called without them, else a typed
/// argument given a value of the wrong type.
fn invalid_call(tools: &[Tool]) -> Option<(String, Map<String, Value>)> {
    let required = tools.iter().find(|t| {
        t.input_schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty())
    });
    if let Some(tool) = required {
        return Some((tool.name.to_string(), Map::new()));
    }
    tools.iter().find_map(|tool| {
        let properties = tool.input_schema.get("properties")?.as_object()?;
        properties.iter().find_map(|(name, schema)| {
            let wrong = match schema.get("type")?.as_str()? {
                "string" => json!(12345),
                "integer" | "number" | "boolean" | "array" | "object" => {
                    json!("not the right type")
                }
                _ => return None,
            };
            Some((
                tool.name.to_string(),
                Map::from_iter([(name.clone(), wrong)]),
            ))
        })
    })
}

/// Arguments that fit `schema`: each required property gets a plain value of its type.
pub fn example_args(schema: &Map<String, Value>) -> Map<String, Value> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut args = Map::new();
    for name in required {
        let property = properties.and_then(|p| p.get(name));
        let kind = property.and_then(|p| p.get("type")).and_then(|t| {
            t.as_str().or_else(|| {
                t.as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|k| *k != "null")
            })
        });
        let value = match (
            property.and_then(|p| p.get("enum")).and_then(|e| e.get(0)),
            kind,
        ) {
            (Some(first), _) => first.clone(),
            (None, Some("integer")) => json!(2),
            (None, Some("number")) => json!(2.5),
            (None, Some("boolean")) => json!(true),
            (None, Some("array")) => json!([]),
            (None, Some("object")) => json!({}),
            (None, _) => json!("test"),
        };
        args.insert(name.to_owned(), value);
    }
    args
}

/// The text of a result: its text blocks, else its structured content.
pub fn result_text(result: &CallToolResult) -> String {
    let texts: Vec<&str> = result
        .content
        .iter()
        .filter_map(|c| c.as_text())
        .map(|t| t.text.as_str())
        .collect();
    match (texts.is_empty(), &result.structured_content) {
        (false, _) => texts.join("\n"),
        (true, Some(value)) => value.to_string(),
        (true, None) => String::new(),
    }
}

fn short(text: &str) -> String {
    let line: String = text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    line
}

/// GET /health: 200 with a JSON object whose `status` is "ok".
async fn health_json(url: &str) -> Result<String, String> {
    let answer = http::request("GET", url, Duration::from_secs(5))
        .await
        .map_err(|e| e.to_string())?;
    if answer.status != 200 {
        return Err(format!("{url} answered {}", answer.status));
    }
    let body: Value = serde_json::from_str(answer.body.trim())
        .map_err(|_| format!("{url} did not answer JSON: {}", short(&answer.body)))?;
    match body.get("status").and_then(Value::as_str) {
        Some("ok") => Ok(format!("{url}: {body}")),
        _ => Err(format!("{url} answered {body}, without \"status\": \"ok\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_args_fill_required_properties_by_type() {
        let schema = json!({"type": "object", "properties": {
            "a": {"type": "integer"}, "b": {"type": ["string", "null"]}, "c": {"enum": ["x", "y"]}, "d": {"type": "number"}},
            "required": ["a", "b", "c"]});
        let args = example_args(schema.as_object().unwrap());
        assert_eq!(Value::Object(args), json!({"a": 2, "b": "test", "c": "x"}));
    }
}
