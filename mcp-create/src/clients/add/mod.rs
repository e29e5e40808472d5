//! `mcp-create add tool|resource|prompt NAME`: add a documented skeleton and a test for it to a
//! generated project, in the project's language and style, keeping its existing tests green: the
//! tests that list every tool or resource template get the new name, and the listing of prompts
//! in existing tests leaves the new prompt out (it has its own test).

mod python;
mod rust;
mod typescript;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use heck::ToSnakeCase;

use super::ClientError;
use crate::error::{Error, Result};

/// What `add` adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A tool the model can call
    Tool,
    /// A resource template, `<name>://{id}`, that clients read
    Resource,
    /// A prompt the user can pick
    Prompt,
}

impl Kind {
    /// `tool`, `resource` or `prompt`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Tool => "tool",
            Kind::Resource => "resource",
            Kind::Prompt => "prompt",
        }
    }
}

/// The URI template of the resource `name`: `word-count://{id}` for `word_count`.
fn uri_template(name: &str) -> String {
    format!("{}://{{id}}", name.replace('_', "-"))
}

/// Arguments of `mcp-create add`.
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// What to add
    #[arg(value_enum)]
    pub kind: Kind,
    /// Its name, as you would say it ("Get Forecast" becomes get_forecast)
    pub name: String,
    /// The project folder [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

/// The project's language, told from its manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Cargo.toml that depends on mcp-sdk.
    Rust,
    /// pyproject.toml.
    Python,
    /// package.json.
    TypeScript,
}

/// The language of the project in `dir`.
pub fn detect(dir: &Path) -> Result<Language, ClientError> {
    let read = |file: &str| fs::read_to_string(dir.join(file)).ok();
    if read("Cargo.toml").is_some_and(|text| text.contains("mcp-sdk")) {
        Ok(Language::Rust)
    } else if read("pyproject.toml").is_some() {
        Ok(Language::Python)
    } else if read("package.json").is_some() {
        Ok(Language::TypeScript)
    } else {
        Err(ClientError::UnknownProject {
            dir: dir.to_owned(),
        })
    }
}

/// A file to write: its path and full new text.
pub(crate) struct Change {
    path: PathBuf,
    text: String,
    created: bool,
}

/// `mcp-create add`.
pub fn add(args: &AddArgs, out: &mut dyn Write) -> Result<()> {
    let dir = match &args.project {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_err(Error::io("read", "the current directory"))?,
    };
    let name = identifier(&args.name)?;
    let language = detect(&dir)?;
    let changes = match language {
        Language::Rust => rust::add(&dir, args.kind, &name)?,
        Language::Python => python::add(&dir, args.kind, &name)?,
        Language::TypeScript => typescript::add(&dir, args.kind, &name)?,
    };
    let writes: Vec<crate::writer::Change> = changes
        .iter()
        .map(|change| crate::writer::Change {
            path: change.path.clone(),
            contents: change.text.clone().into_bytes(),
        })
        .collect();
    crate::writer::commit_all(&writes)?;
    let mut lines = vec![format!(
        "Added the {} `{name}` to {} ({language:?}):",
        args.kind.name(),
        dir.display()
    )];
    for change in &changes {
        let verb = if change.created { "created" } else { "updated" };
        let shown = change.path.strip_prefix(&dir).unwrap_or(&change.path);
        lines.push(format!("  {verb} {}", shown.display()));
    }
    lines.push("Describe what it does in its doc comment, then run the project's tests.".into());
    lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .map_err(Error::io("write to", "standard output"))
}

/// Words every language reserves, or that would shadow what the generated code uses.
const RESERVED: &[&str] = &[
    "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "def", "del",
    "do", "else", "enum", "except", "false", "finally", "fn", "for", "from", "function", "global",
    "if", "impl", "import", "in", "is", "let", "loop", "match", "mod", "mut", "new", "none", "not",
    "null", "or", "pass", "pub", "raise", "ref", "return", "self", "server", "static", "struct",
    "super", "switch", "this", "throw", "trait", "true", "try", "type", "use", "var", "void",
    "where", "while", "with", "yield", "mcp", "main", "test",
];

/// `name` in snake_case, checked to be an identifier in all three languages.
fn identifier(name: &str) -> Result<String, ClientError> {
    let snake = name.to_snake_case();
    let bad = |reason: &str| ClientError::BadName {
        name: name.into(),
        reason: reason.into(),
    };
    match snake.chars().next() {
        None => return Err(bad("it is empty; try e.g. get_forecast")),
        Some(c) if !c.is_ascii_lowercase() => {
            return Err(bad("it must start with a letter; try e.g. get_forecast"));
        }
        _ => {}
    }
    if !snake
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(bad("use ASCII letters, digits and _ only"));
    }
    if RESERVED.contains(&snake.as_str()) {
        return Err(bad(
            "it is a keyword or a name the project already uses; pick another",
        ));
    }
    Ok(snake)
}

/// `text` with every bracketed list of exactly the quoted `names` (any order, `"` or `'`,
/// `[...]` or `{...}`) replaced by the list with `added` (sorted, or `added` last in registration
/// order): the tests that list every tool or resource template.
fn widen_lists(text: &str, names: &[String], added: &str, sorted: bool) -> String {
    let mut want: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut widened: Vec<&str> = want.iter().copied().chain([added]).collect();
    want.sort();
    if sorted {
        widened.sort();
    }
    let mut result = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['[', '{']) {
        let close = if rest.as_bytes()[at] == b'[' {
            ']'
        } else {
            '}'
        };
        result.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let Some((mut items, quote, end)) = quoted_list(rest, close) else {
            continue;
        };
        items.sort();
        if !want.is_empty() && items == want {
            let joined: Vec<String> = widened
                .iter()
                .map(|n| format!("{quote}{n}{quote}"))
                .collect();
            result.push_str(&joined.join(", "));
            rest = &rest[end..];
        }
    }
    result.push_str(rest);
    result
}

/// The quoted strings of a list that `text` starts inside of, up to `close`: the strings, the
/// quote, and where `close` is.
fn quoted_list(text: &str, close: char) -> Option<(Vec<&str>, char, usize)> {
    let mut items = Vec::new();
    let mut quote = None;
    let mut at = 0;
    loop {
        at += text[at..].len() - text[at..].trim_start().len();
        let q = text[at..]
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))?;
        if *quote.get_or_insert(q) != q {
            return None;
        }
        let end = at + 1 + text[at + 1..].find(q)?;
        items.push(&text[at + 1..end]);
        at = end + 1;
        at += text[at..].len() - text[at..].trim_start().len();
        match text[at..].chars().next()? {
            ',' => at += 1,
            c if c == close => return Some((items, q, at)),
            _ => return None,
        }
    }
}

/// The test files directly under `dir` whose names pass `keep`, changed by `update`.
fn update_tests(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
    update: impl Fn(&str) -> String,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(changes);
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !keep(&file) {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(Error::io("read", &path))?;
        let updated = update(&text);
        if updated != text {
            changes.push(Change {
                path,
                text: updated,
                created: false,
            });
        }
    }
    Ok(changes)
}

/// A new file at `path`, refused when it exists.
fn new_file(path: PathBuf, text: String, name: &str) -> Result<Change> {
    if path.exists() {
        return Err(ClientError::Exists {
            kind: "test file",
            name: name.into(),
            file: path,
        }
        .into());
    }
    Ok(Change {
        path,
        text,
        created: true,
    })
}

/// Inserts `block` at line `index` of `text` (lines end with `\n`).
fn insert_lines(text: &str, index: usize, block: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    lines.insert(index.min(lines.len()), block);
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(identifier("Get Forecast").unwrap(), "get_forecast");
        assert!(identifier("3d").is_err());
        assert!(identifier("match").is_err());
        assert!(identifier("").is_err());
    }

    #[test]
    fn lists_of_exactly_the_tools_are_widened() {
        let names = vec!["add".to_owned(), "echo".to_owned()];
        let text = "assert x == [\"add\", \"echo\"]\ny = {'echo', 'add'}\nz = [\"add\"]\n";
        let templates = vec!["greeting://{name}".to_owned()];
        let listed = "assert.deepEqual(uris, ['greeting://{name}']);";
        assert_eq!(
            widen_lists(listed, &templates, "word-count://{id}", false),
            "assert.deepEqual(uris, ['greeting://{name}', 'word-count://{id}']);"
        );
        assert_eq!(
            widen_lists(text, &names, "clock", true),
            "assert x == [\"add\", \"clock\", \"echo\"]\ny = {'add', 'clock', 'echo'}\nz = [\"add\"]\n"
        );
    }
}
