//! Editing one entry of a JSON or JSONC file in place: jsonc-parser finds where things are, and only
//! the bytes of that entry change, so every other key, comment and blank stays as it was. Removing
//! what [`upsert`] added gives back the original text byte for byte.

use jsonc_parser::ast::{Object, ObjectProp, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde::Serialize;
use serde_json::{Map, Value};

/// Why a file cannot be edited.
#[derive(Debug, PartialEq)]
pub enum EditError {
    /// It does not parse.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// It parses, but not into the structure the client expects.
    Shape(String),
    /// A key the edit depends on appears more than once; `line` is that of the second.
    Duplicate { key: String, line: usize },
}

fn options(jsonc: bool) -> ParseOptions {
    ParseOptions {
        allow_comments: jsonc,
        allow_trailing_commas: jsonc,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn parse(text: &str, jsonc: bool) -> Result<Option<Ast<'_>>, EditError> {
    let collect = CollectOptions::default();
    match jsonc_parser::parse_to_ast(text, &collect, &options(jsonc)) {
        Ok(result) => Ok(result.value),
        Err(error) => Err(EditError::Syntax {
            line: error.line_display(),
            column: error.column_display(),
            message: error.kind().to_string(),
        }),
    }
}

/// The top-level object, or `None` for a file with nothing in it.
fn root<'a>(text: &'a str, jsonc: bool) -> Result<Option<Object<'a>>, EditError> {
    match parse(text, jsonc)? {
        Some(Ast::Object(object)) => Ok(Some(object)),
        Some(_) => Err(EditError::Shape("the top level is not an object".into())),
        None => Ok(None),
    }
}

/// The member `key` of `object` with its index; a key that appears twice is ambiguous (parsers
/// differ in which one they keep), so it is an error.
fn property<'o, 'a>(
    text: &str,
    object: &'o Object<'a>,
    key: &str,
) -> Result<Option<(usize, &'o ObjectProp<'a>)>, EditError> {
    let mut found = object
        .properties
        .iter()
        .enumerate()
        .filter(|(_, prop)| prop.name.as_str() == key);
    let first = found.next();
    match found.next() {
        Some((_, again)) => Err(EditError::Duplicate {
            key: key.to_owned(),
            line: text[..again.range.start].matches('\n').count() + 1,
        }),
        None => Ok(first),
    }
}

/// The objects along `path` from `root` (root first), as far as they exist.
fn walk<'o, 'a>(
    text: &str,
    root: &'o Object<'a>,
    path: &[&str],
) -> Result<Vec<&'o Object<'a>>, EditError> {
    let mut chain = vec![root];
    for key in path {
        let object = chain[chain.len() - 1];
        match property(text, object, key)? {
            None => break,
            Some((
                _,
                ObjectProp {
                    value: Ast::Object(inner),
                    ..
                },
            )) => chain.push(inner),
            Some(_) => return Err(EditError::Shape(format!("\"{key}\" is not an object"))),
        }
    }
    Ok(chain)
}

/// The object at `path`, if it exists.
fn container<'o, 'a>(
    text: &str,
    root: &'o Object<'a>,
    path: &[&str],
) -> Result<Option<&'o Object<'a>>, EditError> {
    let chain = walk(text, root, path)?;
    Ok((chain.len() == path.len() + 1).then(|| chain[chain.len() - 1]))
}

/// The entries of the object at `path` (empty when the file or the object is missing).
pub fn servers(text: &str, jsonc: bool, path: &[&str]) -> Result<Map<String, Value>, EditError> {
    let Some(root) = root(text, jsonc)? else {
        return Ok(Map::new());
    };
    if container(text, &root, path)?.is_none() {
        return Ok(Map::new());
    }
    let value: Value = jsonc_parser::parse_to_serde_value(text, &options(jsonc)).map_err(|e| {
        EditError::Syntax {
            line: e.line_display(),
            column: e.column_display(),
            message: e.kind().to_string(),
        }
    })?;
    match path.iter().try_fold(&value, |value, key| value.get(key)) {
        Some(Value::Object(servers)) => Ok(servers.clone()),
        _ => Ok(Map::new()),
    }
}

/// `text` with `name` set to `entry` in the object at `path`: added after the last entry, or
/// replacing the value of an existing one; missing objects along `path` are added.
pub fn upsert(
    text: &str,
    jsonc: bool,
    path: &[&str],
    name: &str,
    entry: &Value,
) -> Result<String, EditError> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let nested = |keys: &[&str]| {
        keys.iter().rev().fold(
            serde_json::json!({ name: entry }),
            |inner, key| serde_json::json!({ *key: inner }),
        )
    };
    let Some(root) = root(text, jsonc)? else {
        if !text.trim().is_empty() {
            return Err(EditError::Shape(
                "the file holds comments but no object".into(),
            ));
        }
        return Ok(format!(
            "{}{newline}",
            pretty(&nested(path), "", "  ", newline)
        ));
    };
    let chain = walk(text, &root, path)?;
    let found = chain.len() - 1;
    let object = chain[found];
    if found < path.len() {
        let wrapped = nested(&path[found + 1..]);
        return Ok(insert(text, &root, object, path[found], &wrapped, newline));
    }
    match property(text, object, name)? {
        Some((_, existing)) => {
            let indent = line_indent(text, existing.range.start);
            let unit = unit_of(text, &root);
            let value = pretty(entry, indent, &unit, newline);
            Ok(splice(
                text,
                existing.value.start(),
                existing.value.end(),
                &value,
            ))
        }
        None => Ok(insert(text, &root, object, name, entry, newline)),
    }
}

/// `text` without `name` in the object at `path`, or `None` when there is no such entry. Removing the only
/// entry leaves `{}`: what `upsert` added to `{}` goes back to `{}` byte for byte, while a blank
/// object spread over lines (`{\n}`) comes back as `{}`.
pub fn remove(
    text: &str,
    jsonc: bool,
    path: &[&str],
    name: &str,
) -> Result<Option<String>, EditError> {
    let Some(root) = root(text, jsonc)? else {
        return Ok(None);
    };
    let Some(servers) = container(text, &root, path)? else {
        return Ok(None);
    };
    let Some((index, member)) = property(text, servers, name)? else {
        return Ok(None);
    };
    let props = &servers.properties;
    let (start, end) = if props.len() == 1 {
        let (open, close) = (servers.range.start + 1, servers.range.end - 1);
        let before = &text[open..member.range.start];
        let after = text[member.range.end..close]
            .trim_start()
            .trim_start_matches(',');
        if before.trim().is_empty() && after.trim().is_empty() {
            (open, close)
        } else {
            let start = member.range.start - line_indent(text, member.range.start).len();
            let end = member.range.end + (text[member.range.end..].starts_with(',') as usize);
            (start, end)
        }
    } else if index == 0 {
        (member.range.start, props[1].range.start)
    } else {
        (props[index - 1].range.end, member.range.end)
    };
    Ok(Some(splice(text, start, end, "")))
}

/// Adds `"key": value` as the last member of `object`.
fn insert(
    text: &str,
    root: &Object<'_>,
    object: &Object<'_>,
    key: &str,
    value: &Value,
    newline: &str,
) -> String {
    let outer = line_indent(text, object.range.start);
    let unit = unit_of(text, root);
    let member_indent = match object.properties.first() {
        Some(first) if starts_line(text, first.range.start) => {
            line_indent(text, first.range.start).to_owned()
        }
        _ => format!("{outer}{unit}"),
    };
    let member = format!(
        "{}: {}",
        serde_json::to_string(key).expect("a string serializes"),
        pretty(value, &member_indent, &unit, newline)
    );
    match object.properties.last() {
        Some(last) => {
            let added = format!(",{newline}{member_indent}{member}");
            splice(text, last.range.end, last.range.end, &added)
        }
        None => {
            let (open, close) = (object.range.start + 1, object.range.end - 1);
            if text[open..close].trim().is_empty() {
                let inside = format!("{newline}{member_indent}{member}{newline}{outer}");
                splice(text, open, close, &inside)
            } else {
                splice(
                    text,
                    open,
                    open,
                    &format!("{newline}{member_indent}{member}"),
                )
            }
        }
    }
}

/// The indentation step of the file: that of the top level's first member, else two spaces.
fn unit_of(text: &str, root: &Object<'_>) -> String {
    match root.properties.first() {
        Some(first) if starts_line(text, first.range.start) => {
            let indent = line_indent(text, first.range.start);
            if indent.is_empty() {
                "  ".into()
            } else {
                indent.to_owned()
            }
        }
        _ => "  ".into(),
    }
}

/// `value` as indented JSON whose continuation lines start with `indent`.
fn pretty(value: &Value, indent: &str, unit: &str, newline: &str) -> String {
    let mut bytes = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    value
        .serialize(&mut serializer)
        .expect("JSON values serialize");
    let text = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    text.split('\n')
        .collect::<Vec<_>>()
        .join(&format!("{newline}{indent}"))
}

/// The blanks that start the line holding `at`.
fn line_indent(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

fn starts_line(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[start..at].trim().is_empty()
}

fn splice(text: &str, start: usize, end: usize, with: &str) -> String {
    format!("{}{with}{}", &text[..start], &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VSCODE: &str = "{\n\t// mine\n\t\"servers\": {\n\t\t\"other\": {\"type\": \"stdio\", \"command\": \"x\"}, // keep\n\t},\n\t\"inputs\": [],\n}\n";

    #[test]
    fn round_trips_with_comments_tabs_and_trailing_commas() {
        let entry = json!({"type": "stdio", "command": "/bin/w", "args": []});
        let added = upsert(VSCODE, true, &["servers"], "w", &entry).unwrap();
        assert!(
            added.contains("\t\t\"w\": {\n\t\t\t\"type\": \"stdio\",\n"),
            "{added}"
        );
        assert_eq!(servers(&added, true, &["servers"]).unwrap()["w"], entry);
        assert_eq!(
            remove(&added, true, &["servers"], "w").unwrap().unwrap(),
            VSCODE
        );
    }

    #[test]
    fn first_of_several_and_empty_objects_round_trip() {
        for text in [
            "{\"mcpServers\": {}}",
            "{\n  \"a\": 1\n}\n",
            "{}",
            "{\n  \"mcpServers\": {}\n}",
        ] {
            let added =
                upsert(text, false, &["mcpServers"], "w", &json!({"command": "c"})).unwrap();
            assert!(
                servers(&added, false, &["mcpServers"])
                    .unwrap()
                    .contains_key("w"),
                "{added}"
            );
            let removed = remove(&added, false, &["mcpServers"], "w")
                .unwrap()
                .unwrap();
            if text.contains("mcpServers") {
                assert_eq!(removed, text);
            }
        }
        let two = "{\"mcpServers\": {\"w\": 1, \"b\": 2}}";
        assert_eq!(
            remove(two, false, &["mcpServers"], "w").unwrap().unwrap(),
            "{\"mcpServers\": {\"b\": 2}}"
        );
    }

    #[test]
    fn strict_json_refuses_comments_with_the_line() {
        let err = upsert("{\n  // no\n}", false, &["mcpServers"], "w", &json!({})).unwrap_err();
        assert!(matches!(err, EditError::Syntax { line: 2, .. }), "{err:?}");
        let err = upsert("[1]", false, &["mcpServers"], "w", &json!({})).unwrap_err();
        assert!(matches!(err, EditError::Shape(_)));
    }

    #[test]
    fn a_duplicate_container_or_entry_is_ambiguous_and_refused() {
        let twice = "{\n  \"mcpServers\": {},\n  \"x\": 1,\n  \"mcpServers\": {\"a\": {}}\n}\n";
        let err = upsert(twice, false, &["mcpServers"], "w", &json!({})).unwrap_err();
        let expected = EditError::Duplicate {
            key: "mcpServers".into(),
            line: 4,
        };
        assert_eq!(err, expected);
        assert_eq!(
            remove(twice, false, &["mcpServers"], "a").unwrap_err(),
            expected
        );
        assert_eq!(
            servers(twice, false, &["mcpServers"]).unwrap_err(),
            expected
        );
        let entry_twice = "{\"mcpServers\": {\"w\": {},\n \"w\": {}}}";
        let err = remove(entry_twice, false, &["mcpServers"], "w").unwrap_err();
        assert!(
            matches!(err, EditError::Duplicate { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn replaces_an_existing_value_in_place() {
        let text = "{\"mcpServers\": {\"w\": {\"command\": \"old\"}, \"b\": 2}}";
        let new = upsert(
            text,
            false,
            &["mcpServers"],
            "w",
            &json!({"command": "new"}),
        )
        .unwrap();
        assert_eq!(
            servers(&new, false, &["mcpServers"]).unwrap()["w"],
            json!({"command": "new"})
        );
        assert!(new.ends_with(", \"b\": 2}}"), "{new}");
    }
}
