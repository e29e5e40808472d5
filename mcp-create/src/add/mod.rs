//! `mcp-create add tool|resource|prompt NAME`: add a documented skeleton and a test for it to a
//! generated project, in the project's language and style, keeping its existing tests green: the
//! tests that list every tool or resource template get the new name, and the listing of prompts
//! in existing tests leaves the new prompt out (it has its own test).

mod error;
mod python;
mod rust;
mod typescript;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use heck::ToSnakeCase;

pub use error::{AddError, Result};

use crate::error::Error;
use crate::new::manifest::Language;
use crate::writer;

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

/// The language of the project in `dir`.
pub fn detect(dir: &Path) -> Result<Language, AddError> {
    let read = |file: &str| fs::read_to_string(dir.join(file)).ok();
    if read("Cargo.toml").is_some_and(|text| text.contains("mcp-sdk")) {
        Ok(Language::Rust)
    } else if read("pyproject.toml").is_some() {
        Ok(Language::Python)
    } else if read("package.json").is_some() {
        Ok(Language::Typescript)
    } else {
        Err(AddError::UnknownProject {
            dir: dir.to_owned(),
        })
    }
}

/// A file to write: its path, its bytes when read (`None`: a new file) and its full new text.
pub(crate) struct Change {
    path: PathBuf,
    original: Option<String>,
    text: String,
}

impl Change {
    /// `path`, read as `original`, to become `text`.
    fn update(path: PathBuf, original: &str, text: String) -> Change {
        Change {
            path,
            original: Some(original.to_owned()),
            text,
        }
    }
}

/// `mcp-create add`.
pub fn add(args: &AddArgs, out: &mut dyn Write) -> Result<()> {
    let dir = match &args.project {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_err(Error::io("read", "the current directory"))?,
    };
    let language = detect(&dir)?;
    let name = identifier(&args.name, args.kind, language)?;
    let changes = match language {
        Language::Rust => rust::add(&dir, args.kind, &name)?,
        Language::Python => python::add(&dir, args.kind, &name)?,
        Language::Typescript => typescript::add(&dir, args.kind, &name)?,
    };
    let staged: Vec<writer::Change> = changes
        .iter()
        .map(|c| writer::Change {
            path: c.path.clone(),
            read: c.original.as_ref().map(|t| t.clone().into_bytes()),
            contents: c.text.clone().into_bytes(),
        })
        .collect();
    writer::commit_all(&staged).map_err(AddError::Write)?;
    let shown = match language {
        Language::Rust => "Rust",
        Language::Python => "Python",
        Language::Typescript => "TypeScript",
    };
    let mut lines = vec![format!(
        "Added the {} `{name}` to {} ({shown}):",
        args.kind.name(),
        dir.display()
    )];
    for change in &changes {
        let verb = if change.original.is_none() {
            "created"
        } else {
            "updated"
        };
        let shown = change.path.strip_prefix(&dir).unwrap_or(&change.path);
        lines.push(format!("  {verb} {}", shown.display()));
    }
    lines.push("Describe what it does in its doc comment, then run the project's tests.".into());
    lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .map_err(|e| Error::io("write to", "standard output")(e).into())
}

/// Names the generated code of each language already uses at the top level of its source.
fn taken(language: Language) -> &'static [&'static str] {
    match language {
        Language::Rust => &["server", "main"],
        Language::Python => &["mcp", "main"],
        Language::Typescript => &[],
    }
}

/// Python's built-in types, which the annotations in server.py use: a function of that name
/// would shadow them.
const PYTHON_TYPES: &[&str] = &[
    "bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple",
];

/// `name` in snake_case, checked to be an identifier in `language` that the project can take.
fn identifier(name: &str, kind: Kind, language: Language) -> Result<String, AddError> {
    let snake = name.to_snake_case();
    let bad = |reason: String| AddError::BadName {
        name: name.into(),
        reason,
    };
    match snake.chars().next() {
        None => return Err(bad("it is empty; try e.g. get_forecast".into())),
        Some(c) if !c.is_ascii_lowercase() => {
            return Err(bad(
                "it must start with a letter; try e.g. get_forecast".into()
            ));
        }
        _ => {}
    }
    if !snake
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(bad("use ASCII letters, digits and _ only".into()));
    }
    let why = if let Some(reason) = crate::new::names::keyword(&snake, language) {
        Some(reason)
    } else if taken(language).contains(&snake.as_str()) {
        Some("a name the generated code already uses")
    } else if language == Language::Python && PYTHON_TYPES.contains(&snake.as_str()) {
        Some(
            "a Python built-in type that server.py uses, which a function of that name would shadow",
        )
    } else {
        None
    };
    match why {
        Some(reason) => Err(bad(format!(
            "\"{snake}\" is {reason}; pick another, e.g. \"{snake}_{}\"",
            kind.name()
        ))),
        None => Ok(snake),
    }
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
            changes.push(Change::update(path, &text, updated));
        }
    }
    Ok(changes)
}

/// A new file at `path`, refused when it exists.
fn new_file(path: PathBuf, text: String, name: &str) -> Result<Change> {
    if fs::symlink_metadata(&path).is_ok() {
        return Err(AddError::Exists {
            kind: "test file",
            name: name.into(),
            file: path,
        });
    }
    Ok(Change {
        path,
        original: None,
        text,
    })
}

/// The string value of the keyword argument `key` in `text` (`name="weather"`,
/// `name = 'weather'`), when there is one.
fn keyword_argument(text: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = text[from..].find(key).map(|at| at + from) {
        from = at + key.len();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(rest) = text[from..].trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        return rest[1..].split(quote).next().map(str::to_owned);
    }
    None
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
    fn explicit_names_are_found() {
        assert_eq!(
            keyword_argument("@mcp.tool(title=\"T\", name=\"weather\")", "name").as_deref(),
            Some("weather")
        );
        assert_eq!(
            keyword_argument("#[tool(read_only, name = 'w')]", "name").as_deref(),
            Some("w")
        );
        assert_eq!(
            keyword_argument("@mcp.tool(display_name=\"x\")", "name"),
            None
        );
        assert_eq!(keyword_argument("@mcp.tool()", "name"), None);
    }

    #[test]
    fn names_become_identifiers() {
        let id = |name| identifier(name, Kind::Tool, Language::Python);
        assert_eq!(id("Get Forecast").unwrap(), "get_forecast");
        assert!(id("3d").is_err());
        assert!(id("match").is_err());
        assert!(id("").is_err());
    }

    /// Finding 4: every name that breaks a project of its language is refused, saying why and
    /// what would work.
    #[test]
    fn names_that_break_the_project_are_refused_with_a_reason() {
        let table = [
            (Language::Python, "and", "Python keyword"),
            (Language::Python, "lambda", "Python keyword"),
            (Language::Python, "elif", "Python keyword"),
            (Language::Python, "nonlocal", "Python keyword"),
            (Language::Python, "assert", "Python keyword"),
            (Language::Python, "match", "soft keyword"),
            (Language::Python, "str", "built-in type"),
            (Language::Python, "mcp", "already uses"),
            (Language::Rust, "move", "Rust keyword"),
            (Language::Rust, "unsafe", "Rust keyword"),
            (Language::Rust, "dyn", "Rust keyword"),
            (Language::Rust, "gen", "Rust keyword"),
            (Language::Rust, "box", "reserves"),
            (Language::Rust, "abstract", "reserves"),
            (Language::Rust, "become", "reserves"),
            (Language::Rust, "final", "reserves"),
            (Language::Rust, "macro", "reserves"),
            (Language::Rust, "override", "reserves"),
            (Language::Rust, "priv", "reserves"),
            (Language::Rust, "typeof", "reserves"),
            (Language::Rust, "unsized", "reserves"),
            (Language::Rust, "virtual", "reserves"),
            (Language::Rust, "yield", "reserves"),
            (Language::Rust, "try", "reserves"),
            (Language::Rust, "server", "already uses"),
            (Language::Typescript, "constructor", "Object.prototype"),
            (Language::Typescript, "toString", "Object.prototype"),
            (Language::Typescript, "hasOwnProperty", "Object.prototype"),
            (Language::Typescript, "valueOf", "Object.prototype"),
            (Language::Typescript, "class", "reserved word"),
        ];
        for (language, name, why) in table {
            let Err(AddError::BadName { reason, .. }) = identifier(name, Kind::Tool, language)
            else {
                panic!("{language}: {name} was accepted");
            };
            assert!(reason.contains(why), "{language} {name}: {reason}");
            assert!(reason.contains("_tool\""), "{language} {name}: {reason}");
        }
        assert_eq!(
            identifier("move", Kind::Prompt, Language::Python).unwrap(),
            "move"
        );
        assert!(identifier("weather", Kind::Tool, Language::Rust).is_ok());
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
