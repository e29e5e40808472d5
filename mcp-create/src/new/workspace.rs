//! Membership of a generated Rust project in the Cargo workspace around it, edited with toml_edit
//! the way `cargo new` does: comments and formatting kept, `exclude` honoured, a sorted members
//! list kept sorted, the manifest replaced atomically.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item, Table, TableLike, Value};

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

/// A package found in a workspace by [`find_package`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Its folder (absolute).
    pub dir: PathBuf,
    /// Its version (`version.workspace = true` resolved; Cargo's `0.0.0` when absent).
    pub version: String,
}

/// The package called `name` in the workspace whose root manifest is `manifest`, the way Cargo
/// sees the workspace: the root package, the members (globs expanded), and the path dependencies
/// of those inside the workspace folder, which Cargo makes members too; also
/// `<root>/vendor/<name>`, where [`crate::new::vendor`] puts a shared copy. Manifests that cannot be
/// read are passed over: Cargo reports those itself.
pub fn find_package(manifest: &Path, name: &str) -> Result<Option<Package>> {
    let root = manifest.parent().expect("a manifest path has a folder");
    let doc = read(manifest)?;
    let workspace = doc.get("workspace").and_then(Item::as_table_like);
    let strings = |key: &str| -> Vec<String> {
        workspace
            .and_then(|w| w.get(key))
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let excluded: Vec<PathBuf> = strings("exclude")
        .iter()
        .map(|e| normalize(&root.join(e)))
        .collect();
    let inherited_version = workspace
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(Item::as_str);

    let mut pending: Vec<PathBuf> = Vec::new();
    if doc.contains_key("package") {
        pending.push(root.to_owned());
    }
    for pattern in strings("members") {
        pending.extend(expand(root, &pattern));
    }
    if let Some(shared) = workspace
        .and_then(|w| w.get("dependencies"))
        .and_then(Item::as_table_like)
    {
        pending.extend(path_dependencies(root, shared));
    }
    pending.push(root.join("vendor").join(name));

    let mut seen = std::collections::BTreeSet::new();
    let mut queue = std::collections::VecDeque::from(pending);
    while let Some(dir) = queue.pop_front() {
        let dir = normalize(&dir);
        if !seen.insert(dir.clone()) {
            continue;
        }
        let Some(package_doc) = fs::read_to_string(dir.join("Cargo.toml"))
            .ok()
            .and_then(|text| text.parse::<DocumentMut>().ok())
        else {
            continue;
        };
        let Some(package) = package_doc.get("package") else {
            continue;
        };
        if package.get("name").and_then(Item::as_str) == Some(name) {
            let version = match package.get("version") {
                Some(item) if item.get("workspace").and_then(Item::as_bool) == Some(true) => {
                    inherited_version.unwrap_or("0.0.0")
                }
                Some(item) => item.as_str().unwrap_or("0.0.0"),
                None => "0.0.0",
            };
            return Ok(Some(Package {
                dir,
                version: version.to_owned(),
            }));
        }
        for table in dependency_tables(&package_doc) {
            queue.extend(
                path_dependencies(&dir, table)
                    .map(|dep| normalize(&dep))
                    .filter(|dep| {
                        dep.starts_with(root) && !excluded.iter().any(|e| dep.starts_with(e))
                    }),
            );
        }
    }
    Ok(None)
}

/// `to` relative to the folder `from` ('/'-separated, `..` where needed); both absolute.
pub fn path_from(from: &Path, to: &Path) -> String {
    let (from, to) = (normalize(from), normalize(to));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let up = from.components().count() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), up)
        .chain(
            to.components()
                .skip(common)
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The folders a `members` entry names: itself, or for a glob the folders under `root` it
/// matches that hold a Cargo.toml.
fn expand(root: &Path, pattern: &str) -> Vec<PathBuf> {
    if !pattern.contains(['*', '?', '[']) {
        return vec![root.join(pattern)];
    }
    let depth = pattern.trim_end_matches('/').split('/').count();
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .max_depth(depth)
        .into_iter()
        .filter_entry(|e| {
            e.file_type().is_dir() && !e.file_name().to_string_lossy().starts_with('.')
        })
        .flatten()
        .map(|e| e.into_path())
        .filter(|dir| {
            glob_matches(pattern, &relative(root, dir)) && dir.join("Cargo.toml").is_file()
        })
        .collect()
}

/// The dependency tables of a manifest, those of `[target.'cfg'.*]` included.
fn dependency_tables(doc: &DocumentMut) -> Vec<&dyn TableLike> {
    const TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let targets = doc
        .get("target")
        .and_then(Item::as_table_like)
        .into_iter()
        .flat_map(|t| {
            t.iter()
                .filter_map(|(_, platform)| platform.as_table_like())
        });
    std::iter::once(doc.as_table() as &dyn TableLike)
        .chain(targets)
        .flat_map(|table| {
            TABLES
                .iter()
                .filter_map(|key| table.get(key)?.as_table_like())
        })
        .collect()
}

/// The folders of the `path` dependencies in `table`, resolved against `base`.
fn path_dependencies<'a>(
    base: &'a Path,
    table: &'a dyn TableLike,
) -> impl Iterator<Item = PathBuf> + 'a {
    table
        .iter()
        .filter_map(|(_, dep)| dep.get("path")?.as_str())
        .map(|path| base.join(path))
}

/// `path` with `.` and `..` resolved without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `manifest` (a generated Cargo.toml) with an empty `[workspace]` table when `standalone`, and
/// without an empty one otherwise, so that it builds on its own or as a member. A member's
/// `[profile]` tables go: Cargo ignores them, with a warning on every build, and uses the
/// workspace's.
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
    if !standalone {
        doc.remove("profile");
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

fn read(manifest: &Path) -> Result<DocumentMut> {
    let text = fs::read_to_string(manifest).map_err(Error::io("read", manifest))?;
    parse(manifest, &text)
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

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn package(name: &str, version: &str, deps: &str) -> String {
        format!("[package]\nname = \"{name}\"\nversion = {version}\n\n[dependencies]\n{deps}")
    }

    #[test]
    fn a_member_matched_by_a_glob_is_found_with_its_inherited_version() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"crates/*\"]\n[workspace.package]\nversion = \"2.3.4\"\n",
        );
        write(
            &root.join("crates/app/Cargo.toml"),
            &package("app", "\"1.0.0\"", ""),
        );
        write(
            &root.join("crates/sdk/Cargo.toml"),
            &package("mcp-sdk", "{ workspace = true }", ""),
        );
        write(
            &root.join("scratch/mcp-sdk/Cargo.toml"),
            &package("mcp-sdk", "\"9.9.9\"", ""),
        );
        let found = find_package(&root.join("Cargo.toml"), "mcp-sdk")
            .unwrap()
            .unwrap();
        assert_eq!(
            found,
            Package {
                dir: root.join("crates/sdk"),
                version: "2.3.4".into()
            }
        );
        assert_eq!(
            find_package(&root.join("Cargo.toml"), "nope").unwrap(),
            None
        );
    }

    /// Cargo makes a path dependency inside the workspace folder a member: a server vendoring its
    /// own SDK (as mcp-create did before) already brings an mcp-sdk into the workspace.
    #[test]
    fn a_path_dependency_of_a_member_is_found_unless_excluded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manifest = root.join("Cargo.toml");
        write(&manifest, "[workspace]\nmembers = [\"old\"]\n");
        write(
            &root.join("old/Cargo.toml"),
            &package(
                "old",
                "\"0.1.0\"",
                "mcp-sdk = { path = \"vendor/mcp-sdk\" }\n",
            ),
        );
        write(
            &root.join("old/vendor/mcp-sdk/Cargo.toml"),
            &package("mcp-sdk", "\"0.0.7\"", ""),
        );
        let found = find_package(&manifest, "mcp-sdk").unwrap().unwrap();
        assert_eq!(found.dir, root.join("old/vendor/mcp-sdk"));
        assert_eq!(found.version, "0.0.7");
        write(
            &manifest,
            "[workspace]\nmembers = [\"old\"]\nexclude = [\"old/vendor\"]\n",
        );
        assert_eq!(find_package(&manifest, "mcp-sdk").unwrap(), None);
    }

    #[test]
    fn paths_between_folders_are_relative() {
        let at = |p: &str| Path::new("/ws").join(p);
        assert_eq!(
            path_from(&at("servers/a"), &at("vendor/mcp-sdk")),
            "../../vendor/mcp-sdk"
        );
        assert_eq!(
            path_from(&at("a"), &at("a/vendor/mcp-sdk")),
            "vendor/mcp-sdk"
        );
        assert_eq!(path_from(&at("a/./b/.."), &at("c")), "../c");
        assert_eq!(path_from(&at("a"), &at("a")), ".");
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
        let profiled = "[package]\nname = \"w\"\n\n# why\n[profile.dev]\ndebug = false\n";
        assert_eq!(
            set_standalone(profiled, false).unwrap(),
            "[package]\nname = \"w\"\n",
            "a member's profile is the workspace's"
        );
        assert!(
            set_standalone(profiled, true)
                .unwrap()
                .contains("[profile.dev]")
        );
    }
}
