//! The mcp-sdk sources this binary carries, made standalone for `vendor/` in a generated project:
//! workspace inheritance resolved, path dependencies between the vendored crates fixed up,
//! dev-only parts removed.

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::error::{Error, Result};
use crate::render::OutFile;
use crate::tree::{self, SourceFile};

/// mcp-sdk/ of the checkout (with its macros crate), without build output (see build.rs).
static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed/mcp-sdk");
/// The workspace root manifest that the embedded crates inherit from.
const WORKSPACE_MANIFEST: &str = include_str!("../../Cargo.toml");

/// Where vendored crates go in a generated project.
pub const VENDOR_DIR: &str = "vendor";
/// Dependency tables that the vendored crates keep; dev-dependencies are dropped.
const DEPENDENCY_TABLES: &[&str] = &["dependencies", "build-dependencies"];
/// Crate folders and manifest arrays that only serve the SDK's own development.
const DEV_DIRS: &[&str] = &["tests/", "benches/", "examples/"];
const DEV_TARGETS: &[&str] = &["test", "bench", "example"];

/// The SDK sources: the crate's files and the workspace it was cut from.
#[derive(Debug, Clone)]
pub struct Sdk {
    /// Files of the SDK crate's folder, paths relative to it; nested crates included.
    pub files: Vec<SourceFile>,
    /// The workspace root Cargo.toml.
    pub workspace_manifest: String,
    /// The SDK crate's folder relative to the workspace root ('/'-separated).
    pub dir_in_workspace: String,
}

/// One crate of the SDK tree.
struct Crate {
    /// Folder relative to the SDK's root folder ("" for the root crate).
    dir: String,
    name: String,
    manifest: DocumentMut,
}

impl Sdk {
    /// The SDK embedded in this binary.
    pub fn embedded() -> Sdk {
        Sdk {
            files: tree::embedded(&EMBEDDED),
            workspace_manifest: WORKSPACE_MANIFEST.to_owned(),
            dir_in_workspace: "mcp-sdk".to_owned(),
        }
    }

    /// The root crate's version, resolved against the workspace.
    pub fn version(&self) -> Result<String> {
        let workspace = Workspace::parse(&self.workspace_manifest)?;
        let mut root = self.crates()?.swap_remove(0);
        workspace.resolve_package(&root.name, &mut root.manifest)?;
        Ok(root.manifest["package"]["version"]
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Where the root crate goes in a project: `vendor/<name>`.
    pub fn path_in_project(&self) -> Result<String> {
        Ok(format!("{VENDOR_DIR}/{}", self.crates()?[0].name))
    }

    /// Every crate of the SDK as files under `vendor/<crate name>/`, manifests made standalone.
    pub fn vendor(&self) -> Result<Vec<OutFile>> {
        let workspace = Workspace::parse(&self.workspace_manifest)?;
        let crates = self.crates()?;
        let names_by_dir: BTreeMap<String, &str> = crates
            .iter()
            .map(|c| (join(&self.dir_in_workspace, &c.dir), c.name.as_str()))
            .collect();
        let mut out = Vec::new();
        for file in &self.files {
            let owner = crates
                .iter()
                .filter(|c| c.dir.is_empty() || file.path.starts_with(&format!("{}/", c.dir)))
                .max_by_key(|c| c.dir.len())
                .expect("the root crate owns every file");
            let relative = file.path[owner.dir.len()..].trim_start_matches('/');
            if DEV_DIRS.iter().any(|dir| relative.starts_with(dir)) {
                continue;
            }
            let contents = if relative == "Cargo.toml" {
                let mut manifest = owner.manifest.clone();
                let crate_dir = join(&self.dir_in_workspace, &owner.dir);
                workspace.standalone(&owner.name, &crate_dir, &mut manifest, &names_by_dir)?;
                manifest.to_string().into_bytes()
            } else {
                file.contents.to_vec()
            };
            out.push(OutFile {
                path: format!("{VENDOR_DIR}/{}/{relative}", owner.name),
                contents,
            });
        }
        Ok(out)
    }

    /// The crates of the tree, the root crate first.
    fn crates(&self) -> Result<Vec<Crate>> {
        let mut crates = Vec::new();
        for file in &self.files {
            let dir = match file.path.strip_suffix("Cargo.toml") {
                Some("") => "",
                Some(dir) if dir.ends_with('/') => dir.trim_end_matches('/'),
                _ => continue,
            };
            let text = String::from_utf8_lossy(&file.contents);
            let manifest: DocumentMut = text.parse().map_err(|e| {
                vendor_error(format!("{}/{}: {e}", self.dir_in_workspace, file.path))
            })?;
            let name = manifest
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(Item::as_str)
                .ok_or_else(|| {
                    vendor_error(format!(
                        "{}/{} has no package.name",
                        self.dir_in_workspace, file.path
                    ))
                })?
                .to_owned();
            crates.push(Crate {
                dir: dir.to_owned(),
                name,
                manifest,
            });
        }
        crates.sort_by(|a, b| a.dir.cmp(&b.dir));
        match crates.first() {
            Some(root) if root.dir.is_empty() => Ok(crates),
            _ => Err(vendor_error(format!(
                "{}/Cargo.toml is missing from this build of mcp-create",
                self.dir_in_workspace
            ))),
        }
    }
}

/// The parts of the workspace root manifest that members inherit.
struct Workspace {
    package: Table,
    dependencies: Table,
}

impl Workspace {
    fn parse(text: &str) -> Result<Workspace> {
        let doc: DocumentMut = text
            .parse()
            .map_err(|e| vendor_error(format!("workspace Cargo.toml: {e}")))?;
        let table = |key: &str| {
            doc.get("workspace")
                .and_then(|w| w.get(key))
                .and_then(Item::as_table)
                .cloned()
                .unwrap_or_default()
        };
        Ok(Workspace {
            package: table("package"),
            dependencies: table("dependencies"),
        })
    }

    /// Replaces every `key.workspace = true` of `[package]` with the workspace's value.
    fn resolve_package(&self, krate: &str, manifest: &mut DocumentMut) -> Result<()> {
        let Some(package) = manifest.get_mut("package").and_then(Item::as_table_mut) else {
            return Ok(());
        };
        package.remove("workspace");
        for (key, item) in package.iter_mut() {
            if inherits(item) {
                let key = key.get();
                let value = self
                    .package
                    .get(key)
                    .and_then(Item::as_value)
                    .ok_or_else(|| {
                        vendor_error(format!(
                            "{krate}: {key}.workspace = true, but [workspace.package] has no {key}"
                        ))
                    })?;
                *item = Item::Value(value.clone());
            }
        }
        Ok(())
    }

    /// Rewrites `manifest` of the crate at `crate_dir` (workspace-relative) to build on its own.
    fn standalone(
        &self,
        krate: &str,
        crate_dir: &str,
        manifest: &mut DocumentMut,
        vendored: &BTreeMap<String, &str>,
    ) -> Result<()> {
        self.resolve_package(krate, manifest)?;
        for key in DEV_TARGETS {
            manifest.remove(key);
        }
        if manifest
            .get("lints")
            .and_then(Item::as_table_like)
            .is_some_and(|lints| lints.contains_key("workspace"))
        {
            manifest.remove("lints");
        }
        self.resolve_tables(krate, crate_dir, manifest.as_table_mut(), vendored)?;
        if let Some(target) = manifest.get_mut("target").and_then(Item::as_table_like_mut) {
            for (_, platform) in target.iter_mut() {
                if let Some(platform) = platform.as_table_like_mut() {
                    self.resolve_tables(krate, crate_dir, platform, vendored)?;
                }
            }
        }
        Ok(())
    }

    /// The dependency tables of `table` (the manifest or one `[target.'cfg'...]`) resolved.
    fn resolve_tables(
        &self,
        krate: &str,
        crate_dir: &str,
        table: &mut dyn TableLike,
        vendored: &BTreeMap<String, &str>,
    ) -> Result<()> {
        table.remove("dev-dependencies");
        for deps in DEPENDENCY_TABLES {
            if let Some(deps) = table.get_mut(deps).and_then(Item::as_table_like_mut) {
                self.resolve_dependencies(krate, crate_dir, deps, vendored)?;
            }
        }
        Ok(())
    }

    /// Inherited dependencies get the workspace's entry (plus the member's features and
    /// optional); path dependencies point to the vendored sibling.
    fn resolve_dependencies(
        &self,
        krate: &str,
        crate_dir: &str,
        deps: &mut dyn TableLike,
        vendored: &BTreeMap<String, &str>,
    ) -> Result<()> {
        for (name, item) in deps.iter_mut() {
            let name = name.get();
            let (mut dep, base) = if inherits(item) {
                let shared = self.dependencies.get(name).ok_or_else(|| {
                    vendor_error(format!("{krate}: {name}.workspace = true, but [workspace.dependencies] has no {name}"))
                })?;
                (merge(to_inline(shared), item), "")
            } else if item.get("path").is_some() {
                (to_inline(item), crate_dir)
            } else {
                continue;
            };
            if let Some(path) = dep.get("path").and_then(Value::as_str) {
                let target = join(base, path);
                let sibling = vendored.get(&target).ok_or_else(|| {
                    vendor_error(format!(
                        "{krate} depends on {name} at {target}, outside the SDK; only the SDK's own crates can be vendored"
                    ))
                })?;
                dep.insert("path", format!("../{sibling}").into());
            }
            *item = Item::Value(collapse(dep));
        }
        Ok(())
    }
}

/// `true` for `{ workspace = true, ... }` in any of its spellings.
fn inherits(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// A dependency entry as an inline table (`"1"` becomes `{ version = "1" }`).
fn to_inline(item: &Item) -> InlineTable {
    match item {
        Item::Value(Value::String(version)) => {
            let mut table = InlineTable::new();
            table.insert("version", Value::from(version.value().as_str()));
            table
        }
        Item::Value(Value::InlineTable(table)) => table.clone(),
        Item::Table(table) => table.clone().into_inline_table(),
        _ => InlineTable::new(),
    }
}

/// The workspace's entry with the member's additions: features are added, other keys set.
fn merge(mut shared: InlineTable, member: &Item) -> InlineTable {
    let Some(member) = member.as_table_like() else {
        return shared;
    };
    for (key, item) in member.iter().filter(|(key, _)| *key != "workspace") {
        let Some(value) = item.as_value() else {
            continue;
        };
        match (
            key,
            value.as_array(),
            shared.get_mut("features").and_then(Value::as_array_mut),
        ) {
            ("features", Some(extra), Some(features)) => {
                for feature in extra {
                    if !features.iter().any(|f| f.as_str() == feature.as_str()) {
                        features.push(feature.clone());
                    }
                }
            }
            _ => {
                shared.insert(key, value.clone());
            }
        }
    }
    shared
}

/// `{ version = "1" }` back to `"1"`; anything else stays a formatted inline table.
fn collapse(mut dep: InlineTable) -> Value {
    if dep.len() == 1
        && let Some(version) = dep.get("version").and_then(Value::as_str)
    {
        return Value::from(version);
    }
    dep.fmt();
    if let Some(features) = dep.get_mut("features").and_then(Value::as_array_mut) {
        features.fmt();
    }
    Value::InlineTable(dep)
}

/// `base/relative`, with `.` and `..` resolved; '/'-separated.
fn join(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn vendor_error(reason: String) -> Error {
    Error::Vendor { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture() -> Sdk {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake-workspace");
        Sdk {
            files: tree::from_disk(&root.join("mcp-sdk")).unwrap(),
            workspace_manifest: std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
            dir_in_workspace: "mcp-sdk".into(),
        }
    }

    fn manifest<'a>(files: &'a [OutFile], path: &str) -> &'a str {
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is vendored"));
        std::str::from_utf8(&file.contents).unwrap()
    }

    #[test]
    fn fixture_crates_become_standalone_siblings() {
        let files = fixture().vendor().unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "vendor/mcp-sdk/Cargo.toml",
                "vendor/mcp-sdk-macros/Cargo.toml",
                "vendor/mcp-sdk-macros/src/lib.rs",
                "vendor/mcp-sdk/src/lib.rs",
            ]
        );
        insta::assert_snapshot!(
            "fixture_sdk_manifest",
            manifest(&files, "vendor/mcp-sdk/Cargo.toml")
        );
        insta::assert_snapshot!(
            "fixture_macros_manifest",
            manifest(&files, "vendor/mcp-sdk-macros/Cargo.toml")
        );
    }

    #[test]
    fn fixture_version_and_path() {
        assert_eq!(fixture().version().unwrap(), "0.4.2");
        assert_eq!(fixture().path_in_project().unwrap(), "vendor/mcp-sdk");
    }

    #[test]
    fn missing_inherited_value_is_named() {
        let mut sdk = fixture();
        sdk.workspace_manifest = sdk.workspace_manifest.replace("license = \"MIT\"\n", "");
        let err = sdk.vendor().unwrap_err().to_string();
        assert!(
            err.contains(
                "mcp-sdk: license.workspace = true, but [workspace.package] has no license"
            ),
            "{err}"
        );
    }

    #[test]
    fn path_dependency_outside_the_sdk_is_refused() {
        let mut sdk = fixture();
        sdk.workspace_manifest = sdk
            .workspace_manifest
            .replace("quote = \"1\"", "quote = { path = \"elsewhere\" }");
        let err = sdk.vendor().unwrap_err().to_string();
        assert!(
            err.contains("depends on quote at elsewhere, outside the SDK"),
            "{err}"
        );
    }

    #[test]
    fn embedded_sdk_manifests_inherit_nothing_from_the_workspace() {
        let sdk = Sdk::embedded();
        let files = sdk.vendor().unwrap();
        let manifests: Vec<_> = files
            .iter()
            .filter(|f| f.path.ends_with("/Cargo.toml"))
            .collect();
        assert!(
            manifests.len() >= 2,
            "mcp-sdk and mcp-sdk-macros are vendored"
        );
        for file in manifests {
            let text = std::str::from_utf8(&file.contents).unwrap();
            let doc: DocumentMut = text.parse().unwrap();
            assert!(
                !text.contains("workspace"),
                "{} still mentions the workspace:\n{text}",
                file.path
            );
            assert!(
                doc.get("dev-dependencies").is_none() && doc.get("lints").is_none(),
                "{}",
                file.path
            );
        }
        assert!(
            files
                .iter()
                .all(|f| !f.path.contains("/tests/") && !f.path.contains("/target/"))
        );
        assert!(
            manifest(&files, "vendor/mcp-sdk/Cargo.toml").contains("path = \"../mcp-sdk-macros\"")
        );
        assert_eq!(sdk.version().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
