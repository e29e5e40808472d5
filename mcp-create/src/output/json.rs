//! `--json` output: one document per command on stdout, each with `"version"` and `"command"`
//! first (shapes in docs/cli.md), and errors in one shape too.

use std::io::Write;

use serde_json::{Map, Value, json};

/// The version of every JSON shape; raised when a field changes meaning or goes away.
pub const VERSION: u64 = 1;

/// `fields` (an object) with `version` and `command` put first.
pub fn document(command: &str, fields: Value) -> Value {
    let mut object = Map::new();
    object.insert("version".into(), json!(VERSION));
    object.insert("command".into(), json!(command));
    match fields {
        Value::Object(fields) => object.extend(fields),
        other => {
            object.insert("result".into(), other);
        }
    }
    Value::Object(object)
}

/// Writes the document of `command` to `out`, pretty-printed, and remembers that it was written.
pub fn print(out: &mut dyn Write, command: &str, fields: Value) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&document(command, fields)).expect("JSON serializes");
    super::mark_json_written();
    writeln!(out, "{text}")?;
    out.flush()
}

/// The error document: `{"version", "command", "error": {"message", "exit_code"}}`.
pub fn error(command: Option<&str>, message: &str, exit_code: u8) -> Value {
    let mut document = document(
        command.unwrap_or_default(),
        json!({"error": {"message": message, "exit_code": exit_code}}),
    );
    if command.is_none() {
        document["command"] = Value::Null;
    }
    document
}

/// Whether `--json` appears among `args` before a `--` (for errors met before parsing succeeds).
pub fn requested(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}
