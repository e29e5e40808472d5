//! Editing one `[container.NAME]` table of a TOML file with toml_edit, which keeps every other
//! table, key, comment and blank as it was. An inline `container = { .. }` table is edited in
//! place (the entry goes in as an inline table); a file with CRLF line ends keeps them.

use serde_json::{Map, Value};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike};

use super::json_edit::EditError;

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>().map_err(|error| {
        let at = error.span().map_or(0, |span| span.start);
        let before = &text[..at.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        let message = error.message().trim().to_owned();
        EditError::Syntax {
            line,
            column,
            message,
        }
    })
}

fn container<'d>(doc: &'d DocumentMut, key: &str) -> Result<Option<&'d dyn TableLike>, EditError> {
    match doc.get(key) {
        None => Ok(None),
        Some(item) => item
            .as_table_like()
            .map(Some)
            .ok_or_else(|| EditError::Shape(format!("`{key}` is not a table"))),
    }
}

/// `doc` as text, with CRLF line ends if `original` has only those.
fn finish(original: &str, doc: &DocumentMut) -> String {
    let text = doc.to_string();
    let crlf = original.contains("\r\n") && !original.replace("\r\n", "").contains('\n');
    if crlf {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text
    }
}

/// The entries of `[key]` as JSON values.
pub fn servers(text: &str, key: &str) -> Result<Map<String, Value>, EditError> {
    let doc = parse(text)?;
    let Some(table) = container(&doc, key)? else {
        return Ok(Map::new());
    };
    Ok(table
        .iter()
        .map(|(name, item)| (name.to_owned(), json_item(item)))
        .collect())
}

fn json_item(item: &Item) -> Value {
    match item {
        Item::Value(value) => json_value(value),
        Item::Table(table) => table
            .iter()
            .map(|(k, v)| (k.to_owned(), json_item(v)))
            .collect(),
        Item::ArrayOfTables(tables) => tables
            .iter()
            .map(|t| json_item(&Item::Table(t.clone())))
            .collect(),
        Item::None => Value::Null,
    }
}

fn json_value(value: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match value {
        T::String(s) => Value::String(s.value().clone()),
        T::Integer(i) => (*i.value()).into(),
        T::Float(f) => (*f.value()).into(),
        T::Boolean(b) => (*b.value()).into(),
        T::Datetime(d) => Value::String(d.value().to_string()),
        T::Array(items) => items.iter().map(json_value).collect(),
        T::InlineTable(table) => table
            .iter()
            .map(|(k, v)| (k.to_owned(), json_value(v)))
            .collect(),
    }
}

/// `text` with `[key.name]` set to `entry` (a JSON object of strings, arrays and objects).
pub fn upsert(text: &str, key: &str, name: &str, entry: &Value) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    container(&doc, key)?;
    if doc.get(key).is_none() {
        let mut table = Table::new();
        table.set_implicit(true);
        doc.insert(key, Item::Table(table));
    }
    if let Some(inline) = doc[key].as_inline_table_mut() {
        inline.insert(name, toml_value(entry));
        return Ok(finish(text, &doc));
    }
    let servers = doc[key].as_table_mut().expect("checked above");
    let mut table = Table::new();
    if let Value::Object(fields) = entry {
        for (field, value) in fields {
            table.insert(field, toml_item(value));
        }
    }
    match servers.get_mut(name) {
        Some(existing) => *existing = Item::Table(table),
        None => {
            servers.insert(name, Item::Table(table));
        }
    }
    Ok(finish(text, &doc))
}

/// `text` without `[key.name]`, or `None` when there is no such table.
pub fn remove(text: &str, key: &str, name: &str) -> Result<Option<String>, EditError> {
    let mut doc = parse(text)?;
    container(&doc, key)?;
    let Some(servers) = doc.get_mut(key).and_then(Item::as_table_like_mut) else {
        return Ok(None);
    };
    if servers.remove(name).is_none() {
        return Ok(None);
    }
    if doc[key]
        .as_table()
        .is_some_and(|t| t.is_empty() && t.is_implicit())
    {
        doc.remove(key);
    }
    Ok(Some(finish(text, &doc)))
}

fn toml_item(value: &Value) -> Item {
    toml_edit::value(toml_value(value))
}

fn toml_value(value: &Value) -> toml_edit::Value {
    match value {
        Value::String(s) => s.as_str().into(),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or_default().into(),
        },
        Value::Array(items) => Array::from_iter(items.iter().map(toml_value)).into(),
        Value::Object(fields) => {
            let mut table = InlineTable::new();
            for (k, v) in fields {
                table.insert(k, toml_value(v));
            }
            table.into()
        }
        Value::Null => "".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CODEX: &str = "# my settings\nmodel = \"o3\"\n\n[mcp_servers.other]\ncommand = \"x\" # keep\n\n[profiles.fast]\nmodel = \"mini\"\n";

    #[test]
    fn round_trips_and_reads_back() {
        let entry = json!({"command": "/bin/w", "args": ["-v"], "env": {"A": "1"}});
        let added = upsert(CODEX, "mcp_servers", "w", &entry).unwrap();
        assert!(
            added.contains(
                "[mcp_servers.w]\ncommand = \"/bin/w\"\nargs = [\"-v\"]\nenv = { A = \"1\" }\n"
            ),
            "{added}"
        );
        assert_eq!(servers(&added, "mcp_servers").unwrap()["w"], entry);
        assert_eq!(remove(&added, "mcp_servers", "w").unwrap().unwrap(), CODEX);
        let fresh = upsert("", "mcp_servers", "w", &entry).unwrap();
        assert_eq!(remove(&fresh, "mcp_servers", "w").unwrap().unwrap(), "");
    }

    #[test]
    fn crlf_stays_crlf() {
        let crlf = CODEX.replace('\n', "\r\n");
        let added = upsert(&crlf, "mcp_servers", "w", &json!({"command": "/bin/w"})).unwrap();
        assert!(
            added.contains("[mcp_servers.w]\r\ncommand = \"/bin/w\"\r\n"),
            "{added:?}"
        );
        assert!(!added.replace("\r\n", "").contains('\n'), "{added:?}");
        assert_eq!(remove(&added, "mcp_servers", "w").unwrap().unwrap(), crlf);
    }

    #[test]
    fn an_inline_table_is_edited_in_place() {
        let inline = "model = \"o3\"\nmcp_servers = { other = { command = \"x\" } }\n";
        let entry = json!({"command": "/bin/w", "args": ["-v"]});
        let added = upsert(inline, "mcp_servers", "w", &entry).unwrap();
        let found = servers(&added, "mcp_servers").unwrap();
        assert_eq!(found["w"], entry);
        assert_eq!(found["other"], json!({"command": "x"}));
        assert!(
            added.starts_with("model = \"o3\"\nmcp_servers = {"),
            "{added}"
        );
        let removed = remove(&added, "mcp_servers", "w").unwrap().unwrap();
        assert_eq!(
            servers(&removed, "mcp_servers")
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["other"]
        );
        assert!(remove(&removed, "mcp_servers", "w").unwrap().is_none());
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let err = upsert("a = 1\nb = \n", "mcp_servers", "w", &json!({})).unwrap_err();
        assert!(matches!(err, EditError::Syntax { line: 2, .. }), "{err:?}");
    }
}
