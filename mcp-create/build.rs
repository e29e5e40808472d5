//! Copies ../templates and ../mcp-sdk into OUT_DIR without build output or caches, so that
//! `include_dir!` embeds only sources, and reruns whenever either tree changes.

use std::path::Path;
use std::{env, fs, io};

include!("src/new/ignored.rs");

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let root = Path::new(&manifest_dir).join("..");
    for (source, required) in [("templates", "README.md"), ("mcp-sdk", "Cargo.toml")] {
        let from = root.join(source);
        assert!(
            from.join(required).is_file(),
            "{} is missing: mcp-create embeds it and must be built from the workspace checkout",
            from.join(required).display()
        );
        println!("cargo::rerun-if-changed={}", from.display());
        let to = Path::new(&out_dir).join("embed").join(source);
        if to.exists() {
            fs::remove_dir_all(&to).expect("remove the previous copy in OUT_DIR");
        }
        copy_tree(&from, &to)
            .unwrap_or_else(|e| panic!("copy {} into OUT_DIR: {e}", from.display()));
        if source == "mcp-sdk" {
            let newest = newest_modification(&from)
                .unwrap_or_else(|e| panic!("read the times of {}: {e}", from.display()));
            println!("cargo::rustc-env=MCP_CREATE_SDK_MODIFIED={newest}");
        }
    }
}

/// Seconds since the epoch of the newest file under `dir`, leaving out `IGNORED_NAMES`.
fn newest_modification(dir: &Path) -> io::Result<u64> {
    let mut newest = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if IGNORED_NAMES
            .iter()
            .any(|ignored| entry.file_name() == *ignored)
        {
            continue;
        }
        let seconds = if entry.file_type()?.is_dir() {
            newest_modification(&entry.path())?
        } else {
            let modified = entry.metadata()?.modified()?;
            modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        };
        newest = newest.max(seconds);
    }
    Ok(newest)
}

/// Recursive copy that leaves out `IGNORED_NAMES`.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if IGNORED_NAMES.iter().any(|ignored| name == *ignored) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
