//! The architecture holds: the top-level modules of mcp-create import each other without a cycle,
//! so each feature module can be read, tested and changed from the leaves up.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use walkdir::WalkDir;

/// The items lib.rs re-exports (`pub use error::{Error, Result};`), by the module they come from.
fn reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut items = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (module, names) = path.trim_end_matches(';').split_once("::").unwrap();
        for name in names.trim_matches(['{', '}']).split(',') {
            items.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    items
}

/// Top-level module of every source file, and the top-level modules it names with `crate::`
/// (directly, or through an item lib.rs re-exports). Comments are not read.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::support::checkout().join("mcp-create/src");
    let reexports = reexports(&src);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in WalkDir::new(&src).into_iter().map(Result::unwrap) {
        let path = file.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text: String = fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let used = graph.entry(module.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_module = src.join(format!("{name}.rs")).exists() || src.join(&name).is_dir();
            let target = match is_module {
                true => Some(name),
                false => reexports.get(&name).cloned(),
            };
            if let Some(target) = target.filter(|target| *target != module) {
                used.insert(target);
            }
        }
    }
    graph
}

/// A cycle through `node`, if the walk from it comes back to a module on the current path.
fn cycle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|n| n == node) {
        let mut found = path[start..].to_vec();
        found.push(node.to_owned());
        return Some(found);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_owned());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(found) = cycle(graph, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    done.insert(node.to_owned());
    None
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let graph = graph();
    assert!(graph.len() > 10, "the walk found the modules: {graph:?}");
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(found) = cycle(&graph, node, &mut Vec::new(), &mut done) {
            panic!("import cycle between modules: {}", found.join(" -> "));
        }
    }
}
