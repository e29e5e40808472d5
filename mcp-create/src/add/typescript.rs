//! TypeScript projects on the official SDK: a `server.registerTool`, `registerResource` or
//! `registerPrompt` call in src/server.ts, and src/<name>.test.ts calling it through an in-memory
//! client.

use std::fs;
use std::path::Path;

use super::AddError;
use super::error::Result;
use super::{Change, Kind, insert_lines, new_file, update_tests, uri_template, widen_lists};
use crate::error::Error;

/// The register method of each kind.
fn method(kind: Kind) -> &'static str {
    match kind {
        Kind::Tool => "registerTool",
        Kind::Resource => "registerResource",
        Kind::Prompt => "registerPrompt",
    }
}

/// The changes that add the `kind` named `name` to the project in `dir`.
pub fn add(dir: &Path, kind: Kind, name: &str) -> Result<Vec<Change>> {
    let server = dir.join("src/server.ts");
    let text = fs::read_to_string(&server).map_err(Error::io("read", &server))?;
    let existing = registered(&text, method(kind));
    if existing.iter().any(|t| t == name) {
        let kind = kind.name();
        return Err(AddError::Exists {
            kind,
            name: name.into(),
            file: server,
        });
    }
    let layout = |reason: String| AddError::Layout {
        kind: kind.name(),
        file: server.clone(),
        reason,
    };
    if kind == Kind::Resource && !text.contains("ResourceTemplate") {
        return Err(layout("it does not import ResourceTemplate".into()));
    }
    let lines: Vec<&str> = text.lines().collect();
    let call = |method: &str| {
        let start = format!("server.{method}(");
        lines
            .iter()
            .rposition(|l| l.trim_start().starts_with(&start))
    };
    let last = call(method(kind))
        .or_else(|| {
            [Kind::Prompt, Kind::Resource, Kind::Tool]
                .into_iter()
                .find_map(|k| call(method(k)))
        })
        .ok_or_else(|| layout("no `server.registerTool(` call to add one after".into()))?;
    let indent = &lines[last][..lines[last].len() - lines[last].trim_start().len()];
    let end = (last..lines.len())
        .find(|&i| lines[i] == format!("{indent});"))
        .ok_or_else(|| {
            layout(format!(
                "the `server.{}(` call does not end with `);`",
                method(kind)
            ))
        })?;
    let block = registration(kind, name)
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("{indent}{l}\n")
            }
        })
        .collect::<String>();
    let updated = insert_lines(&text, end + 1, &format!("\n{block}"));
    let src = dir.join("src");
    let test = new_file(
        src.join(format!("{name}.test.ts")),
        test_file(kind, name),
        name,
    )?;
    let mut changes = vec![Change::update(server, &text, updated), test];
    let templates = resource_templates(&text);
    let update = |test: &str| {
        match kind {
        Kind::Tool => widen_lists(test, &existing, name, true),
        Kind::Resource => widen_lists(test, &templates, &uri_template(name), false),
        Kind::Prompt => test.replace(
            "await client.listPrompts()",
            &format!(
                "await client.listPrompts().then((r) => ({{ ...r, prompts: r.prompts.filter((p) => p.name !== '{name}') }}))"
            ),
        ),
    }
    };
    changes.extend(update_tests(&src, |f| f.ends_with(".test.ts"), update)?);
    Ok(changes)
}

/// The names that follow `method(` calls.
fn registered(text: &str, method: &str) -> Vec<String> {
    text.split(&format!("{method}("))
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let quote = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .collect()
}

/// The URI templates of `new ResourceTemplate('...'` calls, in file order.
fn resource_templates(text: &str) -> Vec<String> {
    text.split("new ResourceTemplate(")
        .skip(1)
        .filter_map(|rest| {
            let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .collect()
}

/// The call, indented as if at the top level.
fn registration(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Tool => format!(
            r#"server.registerTool(
  '{name}',
  {{
    description: 'Describe what {name} does: the model reads this to decide when to call it.',
    inputSchema: z.object({{ text: z.string().describe('The text to work on.') }}),
  }},
  async ({{ text }}) => {{
    if (!text.trim()) {{
      // A thrown error reaches the model as an `isError` result carrying its message.
      throw new Error('text must not be empty');
    }}
    return {{ content: [{{ type: 'text', text: `{name}: ${{text}}` }}] }};
  }},
);
"#
        ),
        Kind::Resource => format!(
            r#"server.registerResource(
  '{name}',
  new ResourceTemplate('{uri}', {{ list: undefined }}),
  {{ description: 'Describe what {uri} holds: clients read this to decide when to fetch it.', mimeType: 'text/plain' }},
  async (uri, {{ id }}) => ({{
    contents: [{{ uri: uri.href, mimeType: 'text/plain', text: `{name} ${{String(id)}}` }}],
  }}),
);
"#,
            uri = uri_template(name)
        ),
        Kind::Prompt => format!(
            r#"server.registerPrompt(
  '{name}',
  {{
    description: 'Describe what the {name} prompt asks the model to do.',
    argsSchema: z.object({{ text: z.string().describe('The text the prompt is about.') }}),
  }},
  ({{ text }}) => ({{
    messages: [{{ role: 'user', content: {{ type: 'text', text: `{name}: ${{text}}` }} }}],
  }}),
);
"#
        ),
    }
}

fn test_file(kind: Kind, name: &str) -> String {
    let head = format!(
        r#"/** The {name} {}, reached through a real MCP client connected in memory. */
import assert from 'node:assert/strict';
import {{ test }} from 'node:test';

import {{ Client, InMemoryTransport }} from '@modelcontextprotocol/client';
import {{ serveStdio }} from '@modelcontextprotocol/server/stdio';

import {{ createServer }} from './server.js';

async function withClient(run: (client: Client) => Promise<void>): Promise<void> {{
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(createServer, {{ transport: serverSide }});
  const client = new Client({{ name: 'test', version: '0.0.0' }});
  await client.connect(clientSide);
  try {{
    await run(client);
  }} finally {{
    await client.close();
    await served.close();
  }}
}}
"#,
        kind.name()
    );
    let body = match kind {
        Kind::Tool => format!(
            r#"
test('{name} answers', () =>
  withClient(async (client) => {{
    const result = await client.callTool({{ name: '{name}', arguments: {{ text: 'hello' }} }});
    assert.ok(!result.isError, JSON.stringify(result.content));
    assert.deepEqual(result.content, [{{ type: 'text', text: '{name}: hello' }}]);
  }}));

test('{name} refuses empty text', () =>
  withClient(async (client) => {{
    const result = await client.callTool({{ name: '{name}', arguments: {{ text: ' ' }} }});
    assert.equal(result.isError, true);
  }}));
"#
        ),
        Kind::Resource => format!(
            r#"
test('{name} is listed and read', () =>
  withClient(async (client) => {{
    const {{ resourceTemplates }} = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((template) => template.uriTemplate === '{uri}'));
    const [contents] = (await client.readResource({{ uri: '{scheme}://42' }})).contents;
    assert.ok(contents && 'text' in contents);
    assert.equal(contents.text, '{name} 42');
  }}));
"#,
            uri = uri_template(name),
            scheme = name.replace('_', "-")
        ),
        Kind::Prompt => format!(
            r#"
test('{name} asks about the text', () =>
  withClient(async (client) => {{
    const {{ messages }} = await client.getPrompt({{ name: '{name}', arguments: {{ text: 'hello' }} }});
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.ok(message?.content.type === 'text');
    assert.equal(message.content.text, '{name}: hello');
  }}));
"#
        ),
    };
    head + &body
}
