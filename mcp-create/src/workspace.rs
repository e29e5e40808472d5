//! Membership of a generated Rust project in the Cargo workspace around it, edited with toml_edit
//! the way `cargo new` does: comments and formatting kept, `exclude` honoured, a sorted members
//! list kept sorted, the manifest replaced atomically.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::error::{Error, Result};
use crate::writer::{self, Backup};

/// What happens to the enclosing workspace (there is none when the plan holds no change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkspaceChange {
    /// `member` is added to `[workspace] members` of `manifest`.
    Add { manifest: PathBuf, member: String },
    /// `member` is already a member, listed as or matched by `by`.
    Covered {
        manifest: PathBuf,
        member: String,
        by: String,
    },
    /// `member` is left out: `exclude` lists `by`.
    Excluded {
        manifest: PathBuf,
        member: String,
        by: String,
    },
    /// `--no-workspace`: the project gets an empty `[workspace]` table so that it builds on its
    /// own wherever it is; no enclosing manifest is read.
    Standalone,
}

/// How [`add_member`] left the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    Added,
    Covered(String),
    Excluded(String),
}

/// The change to make for a Rust project at `dest` (absolute, its parent existing).
pub fn plan(dest: &Path, join_workspace: bool) -> Result<Option<WorkspaceChange>> {
    if !join_workspace {
        return Ok(Some(WorkspaceChange::Standalone));
    }
    let Some(parent) = dest.parent() else {
        return Ok(None);
    };
    let Some((manifest, mut doc)) = find_root(parent)? else {
        return Ok(None);
    };
    let root = manifest.parent().expect("a manifest path has a folder");
    let member = relative(root, dest);
    let membership =
        add_member(&mut doc, &member).map_err(|reason| shape_error(&manifest, reason))?;
    Ok(Some(match membership {
        Membership::Excluded(by) => WorkspaceChange::Excluded {
            manifest,
            member,
            by,
        },
        Membership::Covered(by) => WorkspaceChange::Covered {
            manifest,
            member,
            by,
        },
        Membership::Added => WorkspaceChange::Add { manifest, member },
    }))
}

/// Carries out an [`WorkspaceChange::Add`]: re-reads the manifest and writes it back with the
/// member added. The other changes need nothing written here.
pub fn apply(change: &WorkspaceChange) -> Result<()> {
    let WorkspaceChange::Add { manifest, member } = change else {
        return Ok(());
    };
    writer::update(manifest, Backup::None, |current| {
        let text = std::str::from_utf8(current.unwrap_or_default()).map_err(|e| {
            Error::io("read", manifest)(std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })?;
        let mut doc = parse(manifest, text)?;
        let membership = add_member(&mut doc, member).map_err(|r| shape_error(manifest, r))?;
        Ok::<_, Error>((membership == Membership::Added).then(|| doc.to_string().into_bytes()))
    })?;
    Ok(())
}

/// The nearest manifest with a `[workspace]` table in `start` or above it.
pub fn find_root(start: &Path) -> Result<Option<(PathBuf, DocumentMut)>> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        if !text.contains("workspace") {
            continue;
        }
        let doc = parse(&manifest, &text)?;
        if doc.get("workspace").is_some_and(Item::is_table_like) {
            return Ok(Some((manifest, doc)));
        }
    }
    Ok(None)
}

/// Adds `member` to `[workspace] members` of `doc` unless excluded or already covered; a sorted
/// list stays sorted, otherwise the member is appended. Errors describe an unexpected shape.
pub fn add_member(doc: &mut DocumentMut, member: &str) -> Result<Membership, String> {
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or("there is no [workspace] table")?;
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match workspace.get(key) {
            None => Ok(Vec::new()),
            Some(item) => item
                .as_array()
                .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect())
                .ok_or_else(|| format!("[workspace] {key} is not an array of strings")),
        }
    };
    for excluded in strings("exclude")? {
        let prefix = excluded.trim_end_matches('/');
        if member == prefix || member.starts_with(&format!("{prefix}/")) {
            return Ok(Membership::Excluded(excluded));
        }
    }
    for listed in strings("members")? {
        if listed.trim_end_matches('/') == member || glob_matches(&listed, member) {
            return Ok(Membership::Covered(listed));
        }
    }
    if workspace.get("members").is_none() {
        workspace.insert("members", Item::Value(Value::Array(Array::new())));
    }
    let members = workspace
        .get_mut("members")
        .and_then(Item::as_array_mut)
        .expect("checked above");
    insert_member(members, member);
    Ok(Membership::Added)
}

/// `manifest` (a generated Cargo.toml) with an empty `[workspace]` table when `standalone`, and
/// without an empty one otherwise, so that it builds on its own or as a member.
pub fn set_standalone(manifest: &str, standalone: bool) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = manifest.parse()?;
    let has_empty = doc
        .get("workspace")
        .and_then(Item::as_table_like)
        .is_some_and(|w| w.is_empty());
    match (standalone, doc.contains_key("workspace")) {
        (true, false) => {
            doc.insert("workspace", Item::Table(Table::new()));
        }
        (false, true) if has_empty => {
            doc.remove("workspace");
        }
        _ => {}
    }
    Ok(doc.to_string())
}

/// Inserts at the sorted position when the list is sorted, else at the end, formatted like its
/// neighbours (one per line, or inline). A comment on the line of the previous member stays there.
fn insert_member(members: &mut Array, member: &str) {
    let values: Vec<&str> = members.iter().filter_map(Value::as_str).collect();
    let sorted = values.len() == members.len() && values.is_sorted();
    let index = if sorted {
        values.partition_point(|v| *v < member)
    } else {
        members.len()
    };
    let line_prefix = members
        .iter()
        .filter_map(|v| v.decor().prefix()?.as_str())
        .filter_map(|prefix| {
            prefix
                .rsplit_once('\n')
                .map(|(_, indent)| format!("\n{indent}"))
        })
        .last();
    let mut value = Value::from(member);
    value.decor_mut().set_suffix("");
    let Some(line_prefix) = line_prefix else {
        value
            .decor_mut()
            .set_prefix(if index == 0 { "" } else { " " });
        if let Some(first) = members.get_mut(0).filter(|_| index == 0) {
            first.decor_mut().set_prefix(" ");
        }
        members.insert_formatted(index, value);
        return;
    };
    // What follows the previous member on its line (after its comma) moves before the new one.
    let following = match members.get(index) {
        Some(next) => next.decor().prefix().and_then(|p| p.as_str()),
        None => members.trailing().as_str(),
    }
    .unwrap_or_default()
    .to_owned();
    let (same_line, rest) = match following.split_once('\n') {
        Some((same_line, rest)) if same_line.contains('#') => (same_line, format!("\n{rest}")),
        _ => ("", following.clone()),
    };
    value
        .decor_mut()
        .set_prefix(format!("{same_line}{line_prefix}"));
    match members.get_mut(index) {
        Some(next) => next.decor_mut().set_prefix(rest),
        None => members.set_trailing(rest),
    }
    members.insert_formatted(index, value);
}

/// Cargo's member globs: `*`, `?` and `[...]` within one path component.
fn glob_matches(pattern: &str, path: &str) -> bool {
    globset::GlobBuilder::new(pattern.trim_end_matches('/'))
        .literal_separator(true)
        .build()
        .is_ok_and(|glob| glob.compile_matcher().is_match(path))
}

/// `path` relative to `root`, '/'-separated.
fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parse(manifest: &Path, text: &str) -> Result<DocumentMut> {
    text.parse().map_err(|source| Error::WorkspaceSyntax {
        path: manifest.to_owned(),
        source: Box::new(source),
    })
}

fn shape_error(manifest: &Path, reason: String) -> Error {
    Error::WorkspaceShape {
        path: manifest.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(manifest: &str, member: &str) -> String {
        let mut doc: DocumentMut = manifest.parse().unwrap();
        assert_eq!(add_member(&mut doc, member), Ok(Membership::Added));
        let text = doc.to_string();
        text.parse::<DocumentMut>()
            .expect("the result still parses");
        text
    }

    const SORTED: &str = r#"[workspace]
resolver = "3"
# Crates of this repository, kept in order.
members = [
    "crates/alpha", # the first one
    # servers live here
    "servers/zeta",
]

[workspace.package]
edition = "2024"
"#;

    #[test]
    fn sorted_list_stays_sorted_with_comments_kept() {
        insta::assert_snapshot!(added(SORTED, "servers/weather"));
    }

    #[test]
    fn unsorted_list_gets_the_member_appended() {
        let manifest = "[workspace]\nmembers = [\"b\", \"a\"] # keep\n";
        insta::assert_snapshot!(added(manifest, "c"));
    }

    #[test]
    fn appending_keeps_a_comment_on_the_last_line() {
        let manifest = "[workspace]\nmembers = [\n  \"b\",\n  \"a\", # last\n]\n";
        assert_eq!(
            added(manifest, "c"),
            "[workspace]\nmembers = [\n  \"b\",\n  \"a\", # last\n  \"c\",\n]\n"
        );
    }

    #[test]
    fn inline_sorted_list_inserts_at_the_front() {
        assert_eq!(
            added("[workspace]\nmembers = [\"b\", \"c\"]\n", "a"),
            "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n"
        );
    }

    #[test]
    fn missing_members_list_is_created() {
        assert_eq!(
            added("[workspace]\nresolver = \"3\"\n", "w"),
            "[workspace]\nresolver = \"3\"\nmembers = [\"w\"]\n"
        );
    }

    #[test]
    fn exclude_and_globs_are_honoured() {
        let mut doc: DocumentMut =
            "[workspace]\nmembers = [\"examples/*\"]\nexclude = [\"scratch/\"]\n"
                .parse()
                .unwrap();
        let before = doc.to_string();
        assert_eq!(
            add_member(&mut doc, "scratch/weather"),
            Ok(Membership::Excluded("scratch/".into()))
        );
        assert_eq!(
            add_member(&mut doc, "examples/weather"),
            Ok(Membership::Covered("examples/*".into()))
        );
        assert_eq!(doc.to_string(), before);
        assert_eq!(
            add_member(&mut doc, "examples/deep/weather"),
            Ok(Membership::Added)
        );
    }

    #[test]
    fn odd_shapes_are_reported() {
        let mut doc: DocumentMut = "[workspace]\nmembers = \"a\"\n".parse().unwrap();
        assert!(
            add_member(&mut doc, "b")
                .unwrap_err()
                .contains("members is not an array")
        );
    }

    #[test]
    fn plan_and_apply_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("Cargo.toml"), SORTED).unwrap();
        fs::create_dir_all(root.join("servers")).unwrap();
        let dest = root.join("servers/weather");
        let manifest = root.join("Cargo.toml");
        assert_eq!(
            plan(&dest, false).unwrap(),
            Some(WorkspaceChange::Standalone)
        );
        let change = plan(&dest, true).unwrap().unwrap();
        assert_eq!(
            change,
            WorkspaceChange::Add {
                manifest: manifest.clone(),
                member: "servers/weather".into()
            }
        );
        apply(&change).unwrap();
        assert!(
            fs::read_to_string(&manifest)
                .unwrap()
                .contains("\"servers/weather\",")
        );
        let covered = WorkspaceChange::Covered {
            manifest,
            member: "servers/weather".into(),
            by: "servers/weather".into(),
        };
        assert_eq!(plan(&dest, true).unwrap(), Some(covered));
    }

    #[test]
    fn standalone_table_is_added_or_removed() {
        let with = set_standalone("[package]\nname = \"w\"\n", true).unwrap();
        assert_eq!(with, "[package]\nname = \"w\"\n\n[workspace]\n");
        assert_eq!(
            set_standalone(&with, false).unwrap(),
            "[package]\nname = \"w\"\n"
        );
        let kept = "[package]\nname = \"w\"\n\n[workspace]\nmembers = [\"x\"]\n";
        assert_eq!(set_standalone(kept, false).unwrap(), kept);
    }
}
