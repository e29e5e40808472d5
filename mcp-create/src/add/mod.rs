//! `mcp-create add tool|resource|prompt NAME`: add a documented skeleton and a test for it to a
//! generated project, in the project's language and style, keeping its existing tests green: the
//! tests that list every tool or resource template get the new name, and the listing of prompts
//! in existing tests leaves the new prompt out (it has its own test).

mod error;
mod python;
mod rust;
mod typescript;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use heck::ToSnakeCase;

pub use error::AddError;

use crate::error::{Error, Result};
use crate::manifest::Language;

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
    let staged: Vec<Staged> = changes
        .iter()
        .map(|c| {
            let original = c.original.as_ref().map(|t| t.clone().into_bytes());
            (c.path.clone(), original, c.text.clone().into_bytes())
        })
        .collect();
    commit_all(&staged)?;
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
        .map_err(Error::io("write to", "standard output"))
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
    let why = if let Some(reason) = crate::names::keyword(&snake, language) {
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

/// One file of a change set: its path, its bytes when read (`None`: the file is new) and the
/// bytes it gets. The same shape as the shared writer's `writer::commit_all`, which can replace
/// [`commit_all`].
pub(crate) type Staged = (PathBuf, Option<Vec<u8>>, Vec<u8>);

/// Writes every file of `files` or none: first checks that each one still holds what was read
/// (a new one: does not exist) and that its folder takes a new file; then writes them one by
/// one, and when a write fails, puts back every file already written and removes the files and
/// folders it created.
pub(crate) fn commit_all(files: &[Staged]) -> Result<(), AddError> {
    let mut targets = Vec::new();
    for (path, original, _) in files {
        targets.push(check(path, original.as_deref())?);
    }
    let plan: Vec<Staged> = targets
        .into_iter()
        .zip(files)
        .map(|(target, (_, original, text))| (target, original.clone(), text.clone()))
        .collect();
    apply(&plan)
}

/// Where `path` is written (a symlink's target: the link is kept), after checking it can be.
fn check(path: &Path, original: Option<&[u8]>) -> Result<PathBuf, AddError> {
    let fail = |action, source| AddError::Write {
        action,
        path: path.to_owned(),
        source,
    };
    let target = match original {
        Some(original) => {
            let target = fs::canonicalize(path).map_err(|e| fail("read", e))?;
            let now = fs::read(&target).map_err(|e| fail("read", e))?;
            if now != original {
                return Err(AddError::Changed {
                    path: path.to_owned(),
                });
            }
            let meta = fs::metadata(&target).map_err(|e| fail("read", e))?;
            if meta.permissions().readonly() {
                let source = io::Error::new(io::ErrorKind::PermissionDenied, "it is read-only");
                return Err(fail("write", source));
            }
            target
        }
        None => {
            if fs::symlink_metadata(path).is_ok() {
                let source = io::Error::new(io::ErrorKind::AlreadyExists, "it exists already");
                return Err(fail("create", source));
            }
            path.to_owned()
        }
    };
    // The nearest folder that exists: the missing ones are created when writing.
    let dir = target
        .ancestors()
        .skip(1)
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .find(|d| fs::symlink_metadata(d).is_ok())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let reason = format!("{} is not a folder", dir.display());
        return Err(fail(
            "create",
            io::Error::new(io::ErrorKind::NotADirectory, reason),
        ));
    }
    tempfile::tempfile_in(dir).map_err(|e| fail("create a file in the folder of", e))?;
    Ok(target)
}

/// Writes `files` in order; on the first failure restores what it wrote (see [`commit_all`]).
fn apply(files: &[Staged]) -> Result<(), AddError> {
    let mut written: Vec<(&Path, Option<&[u8]>)> = Vec::new();
    let mut made: Vec<PathBuf> = Vec::new();
    for (path, original, text) in files {
        let result = make_parents(path, &mut made)
            .map_err(|e| ("create the folder of", e))
            .and_then(|()| write_file(path, text).map_err(|e| ("write", e)));
        if let Err((action, source)) = result {
            let mut unrestored = Vec::new();
            for (path, original) in written.into_iter().rev() {
                let undone = match original {
                    Some(bytes) => write_file(path, bytes),
                    None => fs::remove_file(path),
                };
                if undone.is_err() {
                    unrestored.push(path.to_owned());
                }
            }
            for dir in made.iter().rev() {
                if fs::remove_dir(dir).is_err() {
                    unrestored.push(dir.clone());
                }
            }
            let path = path.clone();
            return Err(if unrestored.is_empty() {
                AddError::Write {
                    action,
                    path,
                    source,
                }
            } else {
                AddError::Partial {
                    action,
                    path,
                    source,
                    unrestored,
                }
            });
        }
        written.push((path, original.as_deref()));
    }
    Ok(())
}

/// Creates the missing folders above `path`, outermost first, adding each to `made`.
fn make_parents(path: &Path, made: &mut Vec<PathBuf>) -> io::Result<()> {
    let missing: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .filter(|dir| !dir.as_os_str().is_empty())
        .take_while(|dir| fs::symlink_metadata(dir).is_err())
        .collect();
    for dir in missing.into_iter().rev() {
        fs::create_dir(dir)?;
        made.push(dir.to_owned());
    }
    Ok(())
}

/// Replaces `path` by `bytes` through [`crate::writer::update`], its error as an `io::Error`.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::writer::update(path, crate::writer::Backup::None, |_| {
        Ok::<_, crate::writer::WriteError>(Some(bytes.to_vec()))
    })
    .map(drop)
    .map_err(|error| io::Error::other(error.to_string()))
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
        }
        .into());
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

    fn staged(path: &Path, original: Option<&str>, text: &str) -> Staged {
        let original = original.map(|t| t.as_bytes().to_vec());
        (path.to_owned(), original, text.as_bytes().to_vec())
    }

    #[test]
    fn all_files_are_written_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let server = dir.path().join("server.py");
        fs::write(&server, "old").unwrap();
        let test = dir.path().join("tests/test_x.py");
        commit_all(&[
            staged(&server, Some("old"), "new"),
            staged(&test, None, "test"),
        ])
        .unwrap();
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");
        assert_eq!(fs::read_to_string(&test).unwrap(), "test");

        // A file that changed since it was read: nothing is written.
        let other = dir.path().join("other.py");
        let err = commit_all(&[
            staged(&other, None, "x"),
            staged(&server, Some("old"), "newer"),
        ])
        .unwrap_err();
        assert!(matches!(err, AddError::Changed { .. }), "{err}");
        assert!(!other.exists());
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");
    }

    /// A write that fails after others succeeded: each written file gets its bytes back, each
    /// created file and folder goes (the checks of `commit_all` are skipped to get there).
    #[test]
    fn a_failed_write_undoes_the_earlier_ones() {
        let dir = tempfile::tempdir().unwrap();
        let server = dir.path().join("server.py");
        fs::write(&server, "old").unwrap();
        let created = dir.path().join("new/deeper/test_a.py");
        fs::write(dir.path().join("blocker"), "a file where a folder must be").unwrap();
        let blocked = dir.path().join("blocker/test_b.py");
        let err = apply(&[
            staged(&server, Some("old"), "new"),
            staged(&created, None, "a"),
            staged(&blocked, None, "b"),
        ])
        .unwrap_err();
        assert!(matches!(err, AddError::Write { .. }), "{err}");
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(fs::read_to_string(&server).unwrap(), "old");
        assert!(!dir.path().join("new").exists());
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["blocker", "server.py"]);
    }

    #[test]
    fn a_folder_that_cannot_take_the_file_is_refused_before_any_write() {
        let dir = tempfile::tempdir().unwrap();
        let server = dir.path().join("server.py");
        fs::write(&server, "old").unwrap();
        fs::write(dir.path().join("tests"), "").unwrap();
        let test = dir.path().join("tests/test_x.py");
        let err = commit_all(&[
            staged(&server, Some("old"), "new"),
            staged(&test, None, "test"),
        ])
        .unwrap_err();
        let cause = std::error::Error::source(&err).unwrap().to_string();
        assert!(cause.contains("is not a folder"), "{err}: {cause}");
        assert_eq!(fs::read_to_string(&server).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_source_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.py");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("server.py");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        commit_all(&[staged(&link, Some("old"), "new")]).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
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
