//! Test suites in the seed's style, as TOML (`[[tests]]`) or JSON (`{"tests": [...]}` or a list):
//! cases of type `tool` (tool, args, expected text or "error") or `http` (endpoint, method,
//! expected_status).

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::ManageError;

/// A suite file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Suite {
    /// The cases, in order.
    #[serde(default)]
    pub tests: Vec<Case>,
}

/// One case.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Case {
    /// Its name, shown in the report.
    pub name: String,
    /// `tool` (default) or `http`.
    #[serde(rename = "type", default = "tool")]
    pub kind: String,
    /// The tool to call.
    pub tool: Option<String>,
    /// Its arguments.
    #[serde(default)]
    pub args: Map<String, Value>,
    /// Text the result must contain, or "error" when the call must fail.
    pub expected: Option<Value>,
    /// The path to request, for `http` cases.
    pub endpoint: Option<String>,
    /// The HTTP method [default: GET].
    #[serde(default = "get")]
    pub method: String,
    /// The status to expect [default: 200].
    pub expected_status: Option<u16>,
}

fn tool() -> String {
    "tool".into()
}

fn get() -> String {
    "GET".into()
}

impl Suite {
    /// Reads `path`: `.toml` as TOML, anything else as JSON.
    pub fn read(path: &Path) -> Result<Suite, ManageError> {
        let bad =
            |reason: String| ManageError::Usage(format!("suite {}: {reason}", path.display()));
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let suite = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => {
                toml_edit::de::from_str::<Suite>(&text).map_err(|e| bad(e.to_string()))?
            }
            _ => match serde_json::from_str::<Value>(&text).map_err(|e| bad(e.to_string()))? {
                Value::Array(tests) => Suite::deserialize(serde_json::json!({ "tests": tests })),
                other => Suite::deserialize(other),
            }
            .map_err(|e| bad(e.to_string()))?,
        };
        for case in &suite.tests {
            match (case.kind.as_str(), &case.tool, &case.endpoint) {
                ("tool", Some(_), _) | ("http", _, Some(_)) => {}
                ("tool", None, _) => {
                    return Err(bad(format!(
                        "case {:?} has type tool but no `tool`",
                        case.name
                    )));
                }
                ("http", _, None) => {
                    return Err(bad(format!(
                        "case {:?} has type http but no `endpoint`",
                        case.name
                    )));
                }
                (other, _, _) => {
                    return Err(bad(format!(
                        "case {:?} has type {other:?}; use \"tool\" or \"http\"",
                        case.name
                    )));
                }
            }
        }
        Ok(suite)
    }

    /// The tool cases.
    pub fn tool_cases(&self) -> impl Iterator<Item = &Case> {
        self.tests.iter().filter(|case| case.kind == "tool")
    }

    /// The HTTP cases.
    pub fn http_cases(&self) -> impl Iterator<Item = &Case> {
        self.tests.iter().filter(|case| case.kind == "http")
    }
}

impl Case {
    /// Whether the case expects the call to fail.
    pub fn expects_error(&self) -> bool {
        self.expected.as_ref().and_then(Value::as_str) == Some("error")
    }

    /// The text the result must contain, if any.
    pub fn expected_text(&self) -> Option<String> {
        match &self.expected {
            None => None,
            Some(Value::String(text)) if text == "error" => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => Some(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_suites_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("s.toml");
        std::fs::write(
            &toml,
            "[[tests]]\nname = \"sum\"\ntool = \"add\"\nargs = { a = 2, b = 3 }\nexpected = \"5\"\n\n\
             [[tests]]\nname = \"health\"\ntype = \"http\"\nendpoint = \"/health\"\nexpected_status = 200\n",
        )
        .unwrap();
        let json = dir.path().join("s.json");
        std::fs::write(
            &json,
            r#"[{"name": "sum", "type": "tool", "tool": "add", "args": {"a": 2, "b": 3}, "expected": "5"},
                {"name": "health", "type": "http", "endpoint": "/health", "method": "GET", "expected_status": 200}]"#,
        )
        .unwrap();
        let (a, b) = (Suite::read(&toml).unwrap(), Suite::read(&json).unwrap());
        assert_eq!(a, b);
        assert_eq!(
            a.tool_cases().next().unwrap().expected_text().as_deref(),
            Some("5")
        );
    }

    #[test]
    fn a_case_without_its_target_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("s.json");
        std::fs::write(&json, r#"{"tests": [{"name": "x", "type": "tool"}]}"#).unwrap();
        let error = Suite::read(&json).unwrap_err();
        assert!(error.to_string().contains("no `tool`"), "{error}");
        assert_eq!(error.exit_code(), 2);
    }
}
