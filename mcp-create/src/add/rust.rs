//! Rust projects on mcp-sdk: a `#[tool]`, `#[resource]` or `#[prompt]` fn in src/lib.rs,
//! registered on the server builder in `server()`, and tests/<name>.rs calling it through
//! `mcp_sdk::testing::TestClient`.

use std::fs;
use std::path::Path;

use heck::ToSnakeCase;

use super::AddError;
use super::error::Result;
use super::{
    Change, Kind, insert_lines, keyword_argument, new_file, update_tests, uri_template, widen_lists,
};
use crate::error::Error;

/// The changes that add the `kind` named `name` to the project in `dir`.
pub fn add(dir: &Path, kind: Kind, name: &str) -> Result<Vec<Change>> {
    let lib = dir.join("src/lib.rs");
    let text = fs::read_to_string(&lib).map_err(Error::io("read", &lib))?;
    let layout = |reason: &str| AddError::Layout {
        kind: kind.name(),
        file: lib.clone(),
        reason: reason.into(),
    };
    let method = format!(".{}(", kind.name());
    let registered: Vec<String> = calls(&text, &method)
        .into_iter()
        .map(|function| explicit_name(&text, kind, &function).unwrap_or(function))
        .collect();
    if registered.iter().any(|t| t == name) || text.contains(&format!("fn {name}(")) {
        let kind = kind.name();
        return Err(AddError::Exists {
            kind,
            name: name.into(),
            file: lib,
        });
    }
    let lines: Vec<&str> = text.lines().collect();
    let builder = lines
        .iter()
        .position(|l| l.starts_with("pub fn server("))
        .ok_or_else(|| layout("no `pub fn server()` that builds the server"))?;
    let mut doc = builder;
    while doc > 0 && lines[doc - 1].trim_start().starts_with("///") {
        doc -= 1;
    }
    let body: Vec<usize> = (builder + 1..lines.len())
        .take_while(|&i| !lines[i].starts_with('}'))
        .collect();
    let any = |l: &str| {
        [".tool(", ".resource(", ".prompt("]
            .iter()
            .any(|m| l.starts_with(m))
    };
    let last = body
        .iter()
        .rfind(|&&i| lines[i].trim_start().starts_with(&method))
        .or_else(|| body.iter().rfind(|&&i| any(lines[i].trim_start())))
        .copied()
        .ok_or_else(|| layout("`server()` registers nothing to add after"))?;
    let indent = &lines[last][..lines[last].len() - lines[last].trim_start().len()];
    let line = format!("{indent}{method}{name})\n");
    let with_call = insert_lines(&text, last + 1, &line);
    let with_fn = insert_lines(&with_call, doc, &item(kind, name));

    let module = crate_name(dir, kind)?;
    let tests = dir.join("tests");
    let test = new_file(
        tests.join(format!("{name}.rs")),
        test_file(kind, name, &module),
        name,
    )?;
    let mut changes = vec![Change::update(lib.clone(), &text, with_fn), test];
    let templates = resource_templates(&text);
    let update = |test: &str| {
        match kind {
        Kind::Tool => widen_lists(test, &registered, name, true),
        Kind::Resource => widen_lists(test, &templates, &uri_template(name), false),
        Kind::Prompt => test.replace(
            "client.list_prompts().await.unwrap()",
            &format!(
                "client.list_prompts().await.unwrap().into_iter().filter(|p| p.name != \"{name}\").collect::<Vec<_>>()"
            ),
        ),
    }
    };
    changes.extend(update_tests(&tests, |f| f.ends_with(".rs"), update)?);
    Ok(changes)
}

/// The arguments of `method(x)` lines: what the builder registers.
fn calls(text: &str, method: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(method)?.strip_suffix(')'))
        .map(str::to_owned)
        .collect()
}

/// The `name = "..."` of the `#[tool(..)]` (or resource, prompt) attribute on `fn function`
/// (the lines right above it, up to a blank line or a closing brace).
fn explicit_name(text: &str, kind: Kind, function: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let def = lines.iter().position(|l| {
        let l = l.trim_start().trim_start_matches("pub ");
        let l = l.trim_start_matches("async ");
        l.starts_with(&format!("fn {function}("))
    })?;
    let attribute = format!("#[{}", kind.name());
    let start = (0..def)
        .rev()
        .take_while(|&i| !matches!(lines[i].trim(), "" | "}"))
        .find(|&i| lines[i].trim_start().starts_with(&attribute))?;
    keyword_argument(&lines[start..def].join("\n"), "name")
}

/// The URI templates of `#[resource("...")]` items, in file order.
fn resource_templates(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("#[resource(\"")?.split('"').next())
        .filter(|uri| uri.contains('{'))
        .map(str::to_owned)
        .collect()
}

/// The library's crate name: `[lib] name`, else the package name in snake_case.
fn crate_name(dir: &Path, kind: Kind) -> Result<String> {
    let path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&path).map_err(Error::io("read", &path))?;
    let layout = |reason: &str| AddError::Layout {
        kind: kind.name(),
        file: path.clone(),
        reason: reason.into(),
    };
    let manifest: toml_edit::DocumentMut = text.parse().map_err(|_| layout("it does not parse"))?;
    let lib = manifest
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str());
    let package = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    let name = lib.or(package).ok_or_else(|| layout("no package name"))?;
    Ok(name.to_snake_case())
}

fn item(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Tool => format!(
            r#"/// Describe what `{name}` does: the model reads this to decide when to call it.
#[tool]
pub(crate) async fn {name}(
    /// The text to work on.
    text: String,
) -> mcp_sdk::Result<String> {{
    ensure!(!text.trim().is_empty(), InvalidParams: "text must not be empty");
    Ok(format!("{name}: {{text}}"))
}}

"#
        ),
        Kind::Resource => format!(
            r#"/// Describe what `{uri}` holds: clients read this to decide when to fetch it.
#[resource("{uri}", name = "{name}", mime_type = "text/plain")]
pub(crate) async fn {name}(id: String) -> String {{
    format!("{name} {{id}}")
}}

"#,
            uri = uri_template(name)
        ),
        Kind::Prompt => format!(
            r#"/// Describe what the `{name}` prompt asks the model to do.
#[prompt]
pub(crate) async fn {name}(
    /// The text the prompt is about.
    text: String,
) -> String {{
    format!("{name}: {{text}}")
}}

"#
        ),
    }
}

fn test_file(kind: Kind, name: &str, module: &str) -> String {
    let head = format!(
        "//! The `{name}` {}, reached through a real MCP client connected in memory.\n\n",
        kind.name()
    );
    let body = match kind {
        Kind::Tool => format!(
            r#"use mcp_sdk::testing::{{TestClient, result_text}};
use serde_json::json;
use {module}::server;

#[tokio::test]
async fn {name}_answers() {{
    let client = TestClient::start(server()).await.expect("the client connects");
    let result = client.call("{name}", json!({{"text": "hello"}})).await.unwrap();
    assert_ne!(result.is_error, Some(true), "{{}}", result_text(&result));
    assert_eq!(result_text(&result), "{name}: hello");
}}

#[tokio::test]
async fn {name}_refuses_empty_text() {{
    let client = TestClient::start(server()).await.expect("the client connects");
    let result = client.call("{name}", json!({{"text": " "}})).await.unwrap();
    assert_eq!(result.is_error, Some(true));
}}
"#
        ),
        Kind::Resource => format!(
            r#"use mcp_sdk::testing::TestClient;
use {module}::server;

#[tokio::test]
async fn {name}_is_listed_and_read() {{
    let client = TestClient::start(server()).await.expect("the client connects");
    let templates = client.list_resource_templates().await.unwrap();
    assert!(templates.iter().any(|t| t.uri_template == "{uri}"));
    let text = client.read_resource_text("{scheme}://42").await.unwrap();
    assert_eq!(text, "{name} 42");
}}
"#,
            uri = uri_template(name),
            scheme = name.replace('_', "-")
        ),
        Kind::Prompt => format!(
            r#"use mcp_sdk::testing::TestClient;
use serde_json::json;
use {module}::server;

#[tokio::test]
async fn {name}_asks_about_the_text() {{
    let client = TestClient::start(server()).await.expect("the client connects");
    let result = client.get_prompt("{name}", json!({{"text": "hello"}})).await.unwrap();
    assert_eq!(result.messages.len(), 1);
    let message = &result.messages[0].content.as_text().expect("a text message").text;
    assert_eq!(message, "{name}: hello");
}}
"#
        ),
    };
    head + &body
}
