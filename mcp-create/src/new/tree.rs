//! A tree of source files, embedded in the binary or read from disk, in one sorted shape.

use std::borrow::Cow;
use std::io;
use std::path::{Component, Path};

use include_dir::Dir;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::new::ignored::IGNORED_NAMES;

/// One file of a tree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// '/'-separated, relative to the tree's root.
    pub path: String,
    pub contents: Cow<'static, [u8]>,
}

/// Every file under an embedded directory, sorted by path.
pub fn embedded(dir: &'static Dir<'static>) -> Vec<SourceFile> {
    fn collect(dir: &'static Dir<'static>, out: &mut Vec<SourceFile>) {
        for file in dir.files() {
            out.push(SourceFile {
                path: slash_path(file.path()),
                contents: Cow::Borrowed(file.contents()),
            });
        }
        for sub in dir.dirs() {
            collect(sub, out);
        }
    }
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Every file under `root` on disk, sorted by path, without build output and caches.
pub fn from_disk(root: &Path) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    let walk = WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| !IGNORED_NAMES.iter().any(|name| entry.file_name() == *name));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_owned();
            Error::io("read", path)(e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .expect("walkdir yields paths under its root");
        if relative.to_str().is_none() {
            let invalid = io::Error::new(io::ErrorKind::InvalidData, "the file name is not UTF-8");
            return Err(Error::io("read", entry.path())(invalid));
        }
        let contents = std::fs::read(entry.path()).map_err(Error::io("read", entry.path()))?;
        files.push(SourceFile {
            path: slash_path(relative),
            contents: Cow::Owned(contents),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `path` with '/' between its components, whatever the platform.
fn slash_path(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}
