//! Python projects on the official SDK: an `@mcp.tool()`, `@mcp.resource(..)` or `@mcp.prompt()`
//! function in src/<package>/server.py, and tests/test_<name>.py calling it through an in-memory
//! `mcp.Client`.

use std::fs;
use std::path::{Path, PathBuf};

use super::AddError;
use super::error::Result;
use super::{
    Change, Kind, insert_lines, keyword_argument, new_file, update_tests, uri_template, widen_lists,
};
use crate::error::Error;

/// The changes that add the `kind` named `name` to the project in `dir`.
pub fn add(dir: &Path, kind: Kind, name: &str) -> Result<Vec<Change>> {
    let (module, server) = server_file(dir, kind)?;
    let text = fs::read_to_string(&server).map_err(Error::io("read", &server))?;
    let decorator = format!("@mcp.{}(", kind.name());
    let existing = decorated(&text, &decorator);
    if existing.iter().any(|t| t == name) || text.contains(&format!("def {name}(")) {
        let kind = kind.name();
        return Err(AddError::Exists {
            kind,
            name: name.into(),
            file: server,
        });
    }
    if let Some(what) = top_level(&text, name) {
        return Err(AddError::Taken {
            kind: kind.name(),
            name: name.into(),
            what,
            file: server,
        });
    }
    let lines: Vec<&str> = text.lines().collect();
    let any = |l: &str| {
        ["@mcp.tool(", "@mcp.resource(", "@mcp.prompt("]
            .iter()
            .any(|d| l.starts_with(d))
    };
    let last = lines
        .iter()
        .rposition(|l| l.starts_with(&decorator))
        .or_else(|| lines.iter().rposition(|l| any(l)))
        .ok_or_else(|| AddError::Layout {
            kind: kind.name(),
            file: server.clone(),
            reason: "no `@mcp.tool()` function to add one after".into(),
        })?;
    let header_end = (last..lines.len())
        .find(|&i| !lines[i].starts_with([' ', '\t', '@']) && lines[i].trim_end().ends_with(':'))
        .unwrap_or(last);
    let after = (header_end + 1..lines.len())
        .find(|&i| !lines[i].is_empty() && !lines[i].starts_with([' ', '\t']))
        .unwrap_or(lines.len());
    let mut updated = insert_lines(&text, after, &function(kind, name));
    if kind == Kind::Tool && !updated.contains("import ToolError") {
        let import = "from mcp.server.mcpserver.exceptions import ToolError\n";
        let first = updated
            .lines()
            .position(|l| l.starts_with("from ") || l.starts_with("import "));
        updated = insert_lines(&updated, first.unwrap_or(0), import);
    }
    let tests = dir.join("tests");
    let test = new_file(
        tests.join(format!("test_{name}.py")),
        test_file(kind, name, &module),
        name,
    )?;
    let mut changes = vec![Change::update(server, &text, updated), test];
    let templates = resource_templates(&text);
    let update = |test: &str| match kind {
        Kind::Tool => widen_lists(test, &existing, name, true),
        Kind::Resource => widen_lists(test, &templates, &uri_template(name), false),
        Kind::Prompt => test.replace(
            "(await client.list_prompts()).prompts",
            &format!("[p for p in (await client.list_prompts()).prompts if p.name != \"{name}\"]"),
        ),
    };
    changes.extend(update_tests(&tests, |f| f.ends_with(".py"), update)?);
    Ok(changes)
}

/// The package under src/ that holds server.py, and that file.
fn server_file(dir: &Path, kind: Kind) -> Result<(String, PathBuf)> {
    let src = dir.join("src");
    let entries = fs::read_dir(&src).map_err(Error::io("read", &src))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path().join("server.py")))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    let server = found.into_iter().next().ok_or_else(|| AddError::Layout {
        kind: kind.name(),
        file: src.clone(),
        reason: "no src/<package>/server.py".into(),
    })?;
    let module = server
        .parent()
        .and_then(|p| p.file_name())
        .unwrap_or_default();
    Ok((module.to_string_lossy().into_owned(), server))
}

/// The names registered by `decorator` lines: the decorator's `name="..."` (or first argument),
/// else the name of the function under it.
fn decorated(text: &str, decorator: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut names = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(decorator) {
            continue;
        }
        let Some(def) = (i..lines.len()).find(|&j| {
            let l = lines[j].strip_prefix("async ").unwrap_or(lines[j]);
            l.starts_with("def ")
        }) else {
            continue;
        };
        let header = lines[i..def].join("\n");
        let function = lines[def]
            .trim_start_matches("async ")
            .trim_start_matches("def ")
            .split('(')
            .next()
            .map(str::to_owned);
        // `@mcp.tool("weather")`: a tool's or prompt's first argument is its name.
        let positional = header[decorator.len()..]
            .trim_start()
            .strip_prefix(['"', '\''])
            .filter(|_| decorator != "@mcp.resource(")
            .and_then(|rest| rest.split(['"', '\'']).next())
            .map(str::to_owned);
        names.extend(
            keyword_argument(&header, "name")
                .or(positional)
                .or(function),
        );
    }
    names
}

/// What binds `name` at the top level of `text` besides a function: an import or an assignment.
fn top_level(text: &str, name: &str) -> Option<String> {
    let word = |s: &str| s.trim().trim_matches(['(', ')', ',']).trim().to_owned();
    for line in text.lines() {
        let imported: Vec<String> = if let Some(rest) = line.strip_prefix("import ") {
            rest.split(',')
                .map(|m| match m.split_once(" as ") {
                    Some((_, alias)) => word(alias),
                    None => word(m.trim().split('.').next().unwrap_or(m)),
                })
                .collect()
        } else if let Some((_, names)) = line
            .strip_prefix("from ")
            .and_then(|rest| rest.split_once(" import "))
        {
            names
                .split(',')
                .map(|n| word(n.split_once(" as ").map_or(n, |(_, alias)| alias)))
                .collect()
        } else {
            Vec::new()
        };
        if imported.iter().any(|i| i == name) {
            return Some(format!("imported (`{line}`)"));
        }
        let assigned = line
            .split_once('=')
            .map(|(left, _)| left.split(':').next().unwrap_or(left).trim());
        if assigned == Some(name) && !line.starts_with([' ', '\t', '#']) {
            return Some(format!("assigned (`{}`)", line.trim_end()));
        }
    }
    None
}

/// The URI templates of `@mcp.resource("...")` functions, in file order.
fn resource_templates(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("@mcp.resource(\"")?.split('"').next())
        .filter(|uri| uri.contains('{'))
        .map(str::to_owned)
        .collect()
}

fn function(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Tool => format!(
            r#"@mcp.tool()
def {name}(text: str) -> str:
    """Describe what {name} does: the model reads this to decide when to call it.

    `text` is the text to work on.
    """
    if not text.strip():
        raise ToolError("text must not be empty")
    return f"{name}: {{text}}"


"#
        ),
        Kind::Resource => format!(
            r#"@mcp.resource("{uri}", name="{name}", mime_type="text/plain")
def {name}(id: str) -> str:
    """Describe what {uri} holds: clients read this to decide when to fetch it."""
    return f"{name} {{id}}"


"#,
            uri = uri_template(name)
        ),
        Kind::Prompt => format!(
            r#"@mcp.prompt()
def {name}(text: str) -> str:
    """Describe what the {name} prompt asks the model to do.

    `text` is the text the prompt is about.
    """
    return f"{name}: {{text}}"


"#
        ),
    }
}

fn test_file(kind: Kind, name: &str, module: &str) -> String {
    let head = format!(
        r#""""The {name} {}, reached through a real MCP client connected in memory."""

import pytest
from mcp import Client
from mcp.types import TextContent, TextResourceContents

from {module}.server import mcp

pytestmark = pytest.mark.anyio

"#,
        kind.name()
    );
    let body = match kind {
        Kind::Tool => format!(
            r#"
async def test_{name}_answers() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("{name}", {{"text": "hello"}})
    assert not result.is_error, result.content
    (content,) = result.content
    assert isinstance(content, TextContent)
    assert content.text == "{name}: hello"


async def test_{name}_refuses_empty_text() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("{name}", {{"text": " "}})
    assert result.is_error
"#
        ),
        Kind::Resource => format!(
            r#"
async def test_{name}_is_listed_and_read() -> None:
    async with Client(mcp) as client:
        templates = (await client.list_resource_templates()).resource_templates
        assert "{uri}" in [t.uri_template for t in templates]
        (contents,) = (await client.read_resource("{scheme}://42")).contents
    assert isinstance(contents, TextResourceContents)
    assert contents.text == "{name} 42"
"#,
            uri = uri_template(name),
            scheme = name.replace('_', "-")
        ),
        Kind::Prompt => format!(
            r#"
async def test_{name}_asks_about_the_text() -> None:
    async with Client(mcp) as client:
        result = await client.get_prompt("{name}", {{"text": "hello"}})
    (message,) = result.messages
    assert isinstance(message.content, TextContent)
    assert message.content.text == "{name}: hello"
"#
        ),
    };
    head + &body
}
