//! A structural check of tool input schemas against JSON Schema 2020-12, as MCP requires: an object
//! schema, well-formed keywords all the way down, `required` naming declared properties.

use serde_json::{Map, Value};

/// The dialect MCP uses when a schema names none.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

const TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

/// Checks a tool's input schema; the error says what is wrong and where (a JSON pointer).
pub fn check_input_schema(schema: &Map<String, Value>) -> Result<(), String> {
    if let Some(dialect) = schema.get("$schema") {
        let dialect = dialect.as_str().unwrap_or_default().trim_end_matches('#');
        if dialect != DRAFT_2020_12 {
            return Err(format!(
                "$schema is {dialect:?}; MCP tool schemas use JSON Schema 2020-12 ({DRAFT_2020_12})"
            ));
        }
    }
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err("the input schema's `type` must be \"object\"".into());
    }
    check(&Value::Object(schema.clone()), "")
}

/// Checks one (sub)schema at `at`.
fn check(schema: &Value, at: &str) -> Result<(), String> {
    let schema = match schema {
        Value::Bool(_) => return Ok(()),
        Value::Object(schema) => schema,
        _ => {
            return Err(format!(
                "{}: a schema must be an object or a boolean",
                pointer(at)
            ));
        }
    };
    let fail = |keyword: &str, what: &str| Err(format!("{}/{keyword}: {what}", at));
    if let Some(kind) = schema.get("type") {
        let known = |v: &Value| v.as_str().is_some_and(|t| TYPES.contains(&t));
        let ok = match kind {
            Value::Array(kinds) => !kinds.is_empty() && kinds.iter().all(known),
            other => known(other),
        };
        if !ok {
            return fail(
                "type",
                &format!("{kind} is not a JSON Schema type ({})", TYPES.join(", ")),
            );
        }
    }
    for keyword in [
        "properties",
        "$defs",
        "definitions",
        "patternProperties",
        "dependentSchemas",
    ] {
        match schema.get(keyword) {
            None => {}
            Some(Value::Object(children)) => {
                for (name, child) in children {
                    check(child, &format!("{at}/{keyword}/{name}"))?;
                }
            }
            Some(_) => return fail(keyword, "must be an object of schemas"),
        }
    }
    for keyword in [
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
    ] {
        if let Some(child) = schema.get(keyword) {
            check(child, &format!("{at}/{keyword}"))?;
        }
    }
    for keyword in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        match schema.get(keyword) {
            None => {}
            Some(Value::Array(children)) if !children.is_empty() => {
                for (i, child) in children.iter().enumerate() {
                    check(child, &format!("{at}/{keyword}/{i}"))?;
                }
            }
            Some(_) => return fail(keyword, "must be a non-empty array of schemas"),
        }
    }
    if schema.get("enum").is_some_and(|values| !values.is_array()) {
        return fail("enum", "must be an array");
    }
    if let Some(required) = schema.get("required") {
        let Some(names) = required
            .as_array()
            .filter(|n| n.iter().all(Value::is_string))
        else {
            return fail("required", "must be an array of property names");
        };
        let declared = schema.get("properties").and_then(Value::as_object);
        for name in names.iter().filter_map(Value::as_str) {
            if !declared.is_some_and(|p| p.contains_key(name)) {
                return fail(
                    "required",
                    &format!("{name:?} is required but not declared in `properties`"),
                );
            }
        }
    }
    Ok(())
}

fn pointer(at: &str) -> &str {
    if at.is_empty() { "/" } else { at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checked(schema: Value) -> Result<(), String> {
        check_input_schema(schema.as_object().unwrap())
    }

    #[test]
    fn good_schemas_pass() {
        checked(json!({"type": "object"})).unwrap();
        checked(json!({
            "$schema": DRAFT_2020_12, "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": ["string", "null"]}, "c": true},
            "required": ["a"], "additionalProperties": false
        }))
        .unwrap();
    }

    #[test]
    fn broken_schemas_are_named() {
        assert!(
            checked(json!({"type": "array"}))
                .unwrap_err()
                .contains("\"object\"")
        );
        let error =
            checked(json!({"type": "object", "properties": {"a": {"type": "int"}}})).unwrap_err();
        assert!(error.starts_with("/properties/a/type"), "{error}");
        let error = checked(json!({"type": "object", "required": ["x"]})).unwrap_err();
        assert!(error.contains("\"x\" is required"), "{error}");
        let error =
            checked(json!({"$schema": "http://json-schema.org/draft-07/schema", "type": "object"}))
                .unwrap_err();
        assert!(error.contains("2020-12"), "{error}");
    }
}
