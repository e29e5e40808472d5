//! Editing one entry of a YAML file in place. serde_norway reads the file (and checks every
//! result); the edit itself is a byte splice of the entry's lines under the top-level key, so
//! comments, order and formatting elsewhere stay as they were, and removing what [`upsert`] added
//! gives back the original bytes. The container is a mapping (`extensions:` of Goose, one key per
//! server) or a list (`mcpServers:` of Continue, items carrying `name`), written in block style.

use serde_json::{Map, Value};

use super::json_edit::EditError;

/// One line of the file.
struct Line<'a> {
    start: usize,
    /// After the line's newline.
    end: usize,
    indent: usize,
    /// The text without indentation and newline.
    body: &'a str,
}

impl Line<'_> {
    /// Empty or only a comment.
    fn blank(&self) -> bool {
        self.body.is_empty() || self.body.starts_with('#')
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(|raw| {
            let start = at;
            at += raw.len();
            let content = raw.trim_end_matches(['\n', '\r']);
            let body = content.trim_start_matches(' ');
            Line {
                start,
                end: at,
                indent: content.len() - body.len(),
                body: body.trim_end(),
            }
        })
        .collect()
}

fn parse(text: &str) -> Result<Value, EditError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_norway::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |at| (at.line(), at.column()));
        EditError::Syntax {
            line,
            column,
            message: error.to_string(),
        }
    })
}

/// The entries under `key` by name: a mapping's members, or a list's items by their `name`.
pub fn servers(text: &str, key: &str, list: bool) -> Result<Map<String, Value>, EditError> {
    let servers = match parse(text)? {
        Value::Null => return Ok(Map::new()),
        Value::Object(mut root) => root.remove(key).unwrap_or(Value::Null),
        _ => return Err(EditError::Shape("the top level is not a mapping".into())),
    };
    match (servers, list) {
        (Value::Null, _) => Ok(Map::new()),
        (Value::Object(map), false) => Ok(map),
        (Value::Array(items), true) => Ok(items
            .into_iter()
            .filter_map(|item| Some((item.get("name")?.as_str()?.to_owned(), item)))
            .collect()),
        (_, false) => Err(EditError::Shape(format!("`{key}` is not a mapping"))),
        (_, true) => Err(EditError::Shape(format!("`{key}` is not a list"))),
    }
}

/// Where the container and its entries are.
struct Block {
    /// The `key:` line's index, if the key is there.
    header: Option<usize>,
    /// Each entry's name and byte range (without trailing blank and comment lines).
    entries: Vec<(String, usize, usize)>,
    /// The indentation of the entries.
    indent: usize,
    /// The indentation step inside an entry.
    unit: usize,
}

fn block(text: &str, key: &str, list: bool) -> Result<Block, EditError> {
    let lines = lines(text);
    let top = |line: &Line<'_>| line.indent == 0 && !line.blank();
    let header = lines.iter().position(|line| {
        top(line)
            && [key.to_owned(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .any(|k| {
                    line.body
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.starts_with(':'))
                })
    });
    let Some(header) = header else {
        return Ok(Block {
            header: None,
            entries: Vec::new(),
            indent: if list { 0 } else { 2 },
            unit: 2,
        });
    };
    let value = lines[header]
        .body
        .split_once(':')
        .map_or("", |(_, v)| v)
        .trim();
    if !(value.is_empty() || value.starts_with('#')) {
        return Err(EditError::Shape(format!(
            "`{key}` is written on one line ({value}); write it as an indented block to let \
             mcp-create edit it"
        )));
    }
    let inside: Vec<&Line<'_>> = lines[header + 1..]
        .iter()
        .take_while(|line| !top(line) || (list && line.body.starts_with('-')))
        .collect();
    let Some(first) = inside.iter().find(|line| !line.blank()) else {
        return Ok(Block {
            header: Some(header),
            entries: Vec::new(),
            indent: if list { 0 } else { 2 },
            unit: 2,
        });
    };
    let indent = first.indent;
    let starts = |line: &Line<'_>| {
        !line.blank() && line.indent == indent && (!list || line.body.starts_with('-'))
    };
    let mut entries = Vec::new();
    let mut unit = 2;
    for (i, line) in inside.iter().enumerate() {
        if !starts(line) {
            continue;
        }
        let rest = &inside[i + 1..];
        let body: Vec<&&Line<'_>> = rest.iter().take_while(|l| !starts(l)).collect();
        let last = body.iter().rposition(|l| !l.blank());
        let end = last.map_or(line.end, |at| body[at].end);
        if let Some(field) = body.iter().find(|l| !l.blank() && l.indent > indent) {
            unit = field.indent - indent;
        }
        let item = parse(&text[line.start..end])?;
        let name = match (list, item) {
            (false, Value::Object(map)) if map.len() == 1 => map.keys().next().cloned(),
            (true, Value::Array(items)) => items
                .first()
                .and_then(|item| item.get("name")?.as_str().map(str::to_owned)),
            _ => None,
        };
        if let Some(name) = name {
            entries.push((name, line.start, end));
        }
    }
    if list {
        // Inside a list item, fields sit after "- ".
        unit = 2;
    }
    Ok(Block {
        header: Some(header),
        entries,
        indent,
        unit,
    })
}

/// `text` with the entry `name` set to `entry`.
pub fn upsert(
    text: &str,
    key: &str,
    list: bool,
    name: &str,
    entry: &Value,
) -> Result<String, EditError> {
    let mut others = servers(text, key, list)?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let found = block(text, key, list)?;
    let rendered = render(name, entry, list, found.indent, found.unit, newline);
    let new = match (found.entries.iter().find(|(n, ..)| n == name), found.header) {
        (Some((_, start, end)), _) => splice(text, *start, *end, &rendered),
        (None, Some(header)) => {
            let at = match found.entries.last() {
                Some((_, _, end)) => *end,
                None => lines(text)[header].end,
            };
            let before = if text[..at].ends_with('\n') {
                ""
            } else {
                newline
            };
            splice(text, at, at, &format!("{before}{rendered}"))
        }
        (None, None) => {
            let before = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                newline
            };
            format!("{text}{before}{key}:{newline}{rendered}")
        }
    };
    others.insert(name.to_owned(), entry.clone());
    check(&new, key, list, &others)?;
    Ok(new)
}

/// `text` without the entry `name`, or `None` when there is no such entry. When it was the only
/// entry and the key holds nothing else, the `key:` line goes too.
pub fn remove(text: &str, key: &str, list: bool, name: &str) -> Result<Option<String>, EditError> {
    let mut others = servers(text, key, list)?;
    if others.remove(name).is_none() {
        return Ok(None);
    }
    let found = block(text, key, list)?;
    let Some((_, start, end)) = found.entries.iter().find(|(n, ..)| n == name) else {
        return Err(EditError::Shape(format!(
            "the entry {name:?} under `{key}` is not written as a block mcp-create can edit"
        )));
    };
    let mut new = splice(text, *start, *end, "");
    if let (true, Some(header)) = (others.is_empty(), found.header) {
        let all = lines(&new);
        let after = &all[header + 1..];
        let rest_of_block = after
            .iter()
            .take_while(|l| l.indent > 0 || l.body.is_empty())
            .count();
        if rest_of_block == 0 {
            let line = &all[header];
            new = splice(&new, line.start, line.end, "");
        }
    }
    check(&new, key, list, &others)?;
    Ok(Some(new))
}

/// Reads `text` back and checks that it holds exactly `expected` under `key`.
fn check(
    text: &str,
    key: &str,
    list: bool,
    expected: &Map<String, Value>,
) -> Result<(), EditError> {
    let actual = servers(text, key, list)?;
    if &actual == expected {
        Ok(())
    } else {
        Err(EditError::Shape(format!(
            "`{key}` is laid out in a way mcp-create cannot edit safely; edit it by hand"
        )))
    }
}

/// The entry as YAML lines at `indent`, fields stepping in by `unit`.
fn render(name: &str, entry: &Value, list: bool, indent: usize, unit: usize, nl: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    match (list, entry) {
        (true, Value::Object(fields)) => {
            let inner = indent + 2;
            let mut body = String::new();
            for (k, v) in fields {
                field(&mut body, k, v, inner, 2, nl);
            }
            // The first field goes after "- ".
            out.push_str(&format!("{pad}- {}", &body[inner..]));
        }
        _ => {
            out.push_str(&format!("{pad}{}:{nl}", key_text(name)));
            if let Value::Object(fields) = entry {
                for (k, v) in fields {
                    field(&mut out, k, v, indent + unit, unit, nl);
                }
            }
        }
    }
    out
}

fn field(out: &mut String, key: &str, value: &Value, indent: usize, unit: usize, nl: &str) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}{}:", key_text(key)));
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str(nl);
            for item in items {
                out.push_str(&format!("{pad}{}- {}{nl}", " ".repeat(unit), scalar(item)));
            }
        }
        Value::Object(fields) if !fields.is_empty() => {
            out.push_str(nl);
            for (k, v) in fields {
                field(out, k, v, indent + unit, unit, nl);
            }
        }
        other => out.push_str(&format!(" {}{nl}", scalar(other))),
    }
}

/// A scalar (or an empty collection) in flow style; strings in double quotes, as JSON writes them
/// (a JSON string is a YAML double-quoted scalar).
fn scalar(value: &Value) -> String {
    match value {
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Object(fields) if fields.is_empty() => "{}".into(),
        Value::Null => "null".into(),
        other => serde_json::to_string(other).expect("JSON values serialize"),
    }
}

fn key_text(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        key.to_owned()
    } else {
        serde_json::to_string(key).expect("a string serializes")
    }
}

fn splice(text: &str, start: usize, end: usize, with: &str) -> String {
    format!("{}{with}{}", &text[..start], &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const GOOSE: &str = "# goose\nGOOSE_PROVIDER: openai\nextensions:\n  developer:\n    enabled: true # on\n    name: developer\n    type: builtin\n\n# after\nGOOSE_MODE: auto\n";
    const CONTINUE: &str =
        "name: Local\nmcpServers:\n- name: other\n  command: x\n  # keep\nmodels: []\n";

    #[test]
    fn a_mapping_entry_round_trips_and_reads_back() {
        let entry = json!({"name": "w", "cmd": "/bin/w", "args": ["-v"], "envs": {"A": "1"}, "timeout": 300});
        let added = upsert(GOOSE, "extensions", false, "w", &entry).unwrap();
        assert!(
            added.contains("    type: builtin\n  w:\n    name: \"w\"\n    cmd: \"/bin/w\"\n    args:\n      - \"-v\"\n    envs:\n      A: \"1\"\n    timeout: 300\n\n# after"),
            "{added}"
        );
        assert_eq!(servers(&added, "extensions", false).unwrap()["w"], entry);
        assert_eq!(
            remove(&added, "extensions", false, "w").unwrap().unwrap(),
            GOOSE
        );
        let replaced = upsert(&added, "extensions", false, "w", &json!({"cmd": "y"})).unwrap();
        assert_eq!(
            servers(&replaced, "extensions", false).unwrap()["w"],
            json!({"cmd": "y"})
        );
        let fresh = upsert("", "extensions", false, "w", &entry).unwrap();
        assert_eq!(
            remove(&fresh, "extensions", false, "w").unwrap().unwrap(),
            ""
        );
    }

    #[test]
    fn a_list_item_round_trips() {
        let entry = json!({"name": "w", "command": "/bin/w", "args": []});
        let added = upsert(CONTINUE, "mcpServers", true, "w", &entry).unwrap();
        assert!(
            added.contains(
                "  command: x\n- name: \"w\"\n  command: \"/bin/w\"\n  args: []\n  # keep\nmodels"
            ),
            "{added}"
        );
        assert_eq!(servers(&added, "mcpServers", true).unwrap()["w"], entry);
        assert_eq!(
            remove(&added, "mcpServers", true, "w").unwrap().unwrap(),
            CONTINUE
        );
    }

    #[test]
    fn crlf_stays_crlf_and_round_trips() {
        let crlf = GOOSE.replace('\n', "\r\n");
        let entry = json!({"cmd": "/bin/w", "args": ["a"]});
        let added = upsert(&crlf, "extensions", false, "w", &entry).unwrap();
        assert!(!added.replace("\r\n", "").contains('\n'), "{added:?}");
        assert_eq!(servers(&added, "extensions", false).unwrap()["w"], entry);
        assert_eq!(
            remove(&added, "extensions", false, "w").unwrap().unwrap(),
            crlf
        );
    }

    #[test]
    fn flow_style_and_bad_yaml_are_refused() {
        let err = upsert("extensions: {a: 1}\n", "extensions", false, "w", &json!({})).unwrap_err();
        assert!(matches!(err, EditError::Shape(_)), "{err:?}");
        let err = upsert("a: 1\nb: [\n", "extensions", false, "w", &json!({})).unwrap_err();
        assert!(matches!(err, EditError::Syntax { .. }), "{err:?}");
    }
}
