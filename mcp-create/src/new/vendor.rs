//! The mcp-sdk sources this binary carries, made standalone for `vendor/` in a generated project:
//! workspace inheritance resolved, path dependencies between the vendored crates fixed up,
//! dev-only parts removed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use include_dir::{Dir, include_dir};
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::error::{Error, Result};
use crate::new::render::OutFile;
use crate::new::stage;
use crate::new::tree::{self, SourceFile};
use crate::new::workspace::{self, Package, WorkspaceChange};

/// mcp-sdk/ of the checkout (with its macros crate), without build output (see build.rs).
static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed/mcp-sdk");
/// The workspace root manifest that the embedded crates inherit from.
const WORKSPACE_MANIFEST: &str = include_str!("../../../Cargo.toml");

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
    /// When its newest source file changed: the time its vendored files get.
    pub modified: Option<SystemTime>,
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
            modified: env!("MCP_CREATE_SDK_MODIFIED")
                .parse()
                .ok()
                .map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds)),
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
                modified: self.modified,
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

/// Where the mcp-sdk of a generated Rust project comes from. A Cargo workspace holds one package
/// of a name, so the SDK is vendored once per workspace and shared by its Rust servers.
#[derive(Debug, Clone)]
pub enum SdkSource {
    /// The project's own copy under `vendor/`: it is not a member of a Cargo workspace.
    Project(Sdk),
    /// The first Rust server of a workspace: the SDK is written to `<root>/vendor/`, where the
    /// workspace's later Rust servers find it.
    Workspace {
        /// The workspace folder.
        root: PathBuf,
        sdk: Sdk,
        /// The dependency path, relative to the project.
        path: String,
    },
    /// The workspace already has an `mcp-sdk` package (its own, or the copy vendored for an
    /// earlier server): used as it is.
    Existing {
        package: Package,
        /// The version this binary carries, which the template is written for.
        carried: String,
        /// The dependency path, relative to the project.
        path: String,
    },
}

impl SdkSource {
    /// Where the SDK comes from for a project at `dest` (absolute) whose place in a Cargo
    /// workspace is `workspace` (see [`crate::new::workspace::plan`]).
    pub fn new(sdk: Sdk, dest: &Path, workspace: Option<&WorkspaceChange>) -> Result<SdkSource> {
        let manifest = match workspace {
            Some(
                WorkspaceChange::Add { manifest, .. } | WorkspaceChange::Covered { manifest, .. },
            ) => manifest,
            _ => return Ok(SdkSource::Project(sdk)),
        };
        let root = manifest.parent().expect("a manifest path has a folder");
        let crates = sdk.crates()?;
        if let Some(package) = workspace::find_package(manifest, &crates[0].name)? {
            return Ok(SdkSource::Existing {
                path: workspace::path_from(dest, &package.dir),
                carried: sdk.version()?,
                package,
            });
        }
        for krate in &crates {
            let dir = root.join(VENDOR_DIR).join(&krate.name);
            if fs::symlink_metadata(&dir).is_ok() {
                return Err(vendor_error(format!(
                    "{} exists but is not the package {}, which this workspace's Rust servers \
                     share; move it away, or generate with --no-workspace",
                    dir.display(),
                    krate.name
                )));
            }
        }
        Ok(SdkSource::Workspace {
            path: workspace::path_from(dest, &root.join(VENDOR_DIR).join(&crates[0].name)),
            root: root.to_owned(),
            sdk,
        })
    }

    /// The `path` of the project's mcp-sdk dependency, relative to the project.
    pub fn path(&self) -> Result<String> {
        match self {
            SdkSource::Project(sdk) => sdk.path_in_project(),
            SdkSource::Workspace { path, .. } | SdkSource::Existing { path, .. } => {
                Ok(path.clone())
            }
        }
    }

    /// The files of the project's own `vendor/`; none when the SDK lives elsewhere.
    pub fn project_files(&self) -> Result<Vec<OutFile>> {
        match self {
            SdkSource::Project(sdk) => sdk.vendor(),
            _ => Ok(Vec::new()),
        }
    }

    /// Writes the workspace's shared copy (for [`SdkSource::Workspace`]); files another run wrote
    /// there meanwhile are kept.
    pub fn write_shared(&self) -> Result<()> {
        let SdkSource::Workspace { root, sdk, .. } = self else {
            return Ok(());
        };
        let files: Vec<OutFile> = sdk
            .vendor()?
            .into_iter()
            .map(|file| OutFile {
                path: file.path[VENDOR_DIR.len() + 1..].to_owned(),
                ..file
            })
            .collect();
        stage::write_project(&root.join(VENDOR_DIR), &files)?;
        Ok(())
    }

    /// What the user should know when the SDK is not the project's own copy.
    pub fn describe(&self, dry_run: bool) -> Option<String> {
        match self {
            SdkSource::Project(_) => None,
            SdkSource::Workspace { root, path, .. } => Some(format!(
                "{} mcp-sdk once for the workspace at {}, shared by its Rust servers (dependency \
                 path {path}).",
                if dry_run { "Would vendor" } else { "Vendored" },
                root.join(VENDOR_DIR).display()
            )),
            SdkSource::Existing {
                package,
                carried,
                path,
            } if package.version == *carried => Some(format!(
                "Uses the workspace's mcp-sdk {carried} at {} (dependency path {path}).",
                package.dir.display()
            )),
            SdkSource::Existing {
                package,
                carried,
                path,
            } => Some(format!(
                "Note: uses the workspace's mcp-sdk {} at {} as it is (dependency path {path}), \
                 but this mcp-create carries mcp-sdk {carried}, which the generated code is \
                 written for; if the project does not build, bring that package to {carried} or \
                 generate with --no-workspace.",
                package.version,
                package.dir.display()
            )),
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
        // Its tests need the dev-dependencies dropped here: `cargo test --workspace` in the
        // project's workspace leaves the vendored crate's tests out.
        let lib = manifest
            .entry("lib")
            .or_insert_with(|| Item::Table(Table::new()));
        if let Some(lib) = lib.as_table_like_mut() {
            lib.insert("test", toml_edit::value(false));
            lib.insert("doctest", toml_edit::value(false));
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
            modified: None,
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

    /// A Cargo workspace in a temporary folder, planned for a member at `servers/<name>`.
    fn in_workspace(root: &Path, name: &str) -> (PathBuf, Option<WorkspaceChange>) {
        std::fs::create_dir_all(root.join("servers")).unwrap();
        let dest = root.join("servers").join(name);
        (dest.clone(), workspace::plan(&dest, true).unwrap())
    }

    #[test]
    fn outside_a_workspace_the_project_vendors_its_own_copy() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().canonicalize().unwrap().join("w");
        let source = SdkSource::new(fixture(), &dest, None).unwrap();
        assert_eq!(source.path().unwrap(), "vendor/mcp-sdk");
        assert!(!source.project_files().unwrap().is_empty());
        assert_eq!(source.describe(false), None);
        let standalone = SdkSource::new(fixture(), &dest, Some(&WorkspaceChange::Standalone));
        assert!(matches!(standalone.unwrap(), SdkSource::Project(_)));
    }

    #[test]
    fn the_first_server_of_a_workspace_vendors_it_once_and_the_next_reuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();

        let (dest, change) = in_workspace(&root, "first");
        let first = SdkSource::new(fixture(), &dest, change.as_ref()).unwrap();
        assert!(matches!(first, SdkSource::Workspace { .. }), "{first:?}");
        assert_eq!(first.path().unwrap(), "../../vendor/mcp-sdk");
        assert!(first.project_files().unwrap().is_empty());
        first.write_shared().unwrap();
        assert!(root.join("vendor/mcp-sdk/Cargo.toml").is_file());
        assert!(root.join("vendor/mcp-sdk-macros/src/lib.rs").is_file());
        assert!(
            first
                .describe(false)
                .unwrap()
                .contains("Vendored mcp-sdk once")
        );

        let (dest, change) = in_workspace(&root, "second");
        let second = SdkSource::new(fixture(), &dest, change.as_ref()).unwrap();
        let SdkSource::Existing { package, .. } = &second else {
            panic!("{second:?}");
        };
        assert_eq!(package.dir, root.join("vendor/mcp-sdk"));
        assert_eq!(second.path().unwrap(), "../../vendor/mcp-sdk");
        let note = second.describe(false).unwrap();
        assert!(
            note.starts_with("Uses the workspace's mcp-sdk 0.4.2"),
            "{note}"
        );
    }

    #[test]
    fn a_workspace_with_its_own_sdk_keeps_it_and_a_version_difference_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"sdk\"]\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("sdk")).unwrap();
        std::fs::write(
            root.join("sdk/Cargo.toml"),
            "[package]\nname = \"mcp-sdk\"\nversion = \"0.3.0\"\n",
        )
        .unwrap();
        let (dest, change) = in_workspace(&root, "w");
        let source = SdkSource::new(fixture(), &dest, change.as_ref()).unwrap();
        assert_eq!(source.path().unwrap(), "../../sdk");
        source.write_shared().unwrap();
        assert!(!root.join("vendor").exists(), "nothing vendored");
        let note = source.describe(false).unwrap();
        assert!(
            note.contains("mcp-sdk 0.3.0") && note.contains("carries mcp-sdk 0.4.2"),
            "{note}"
        );
    }

    #[test]
    fn a_foreign_folder_where_the_shared_copy_goes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
        std::fs::create_dir_all(root.join("vendor/mcp-sdk-macros")).unwrap();
        let (dest, change) = in_workspace(&root, "w");
        let err = SdkSource::new(fixture(), &dest, change.as_ref())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("vendor/mcp-sdk-macros exists but is not the package mcp-sdk-macros"),
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
