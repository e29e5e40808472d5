//! Read-only file tools over one root directory: list a directory, read a file, find files by
//! name. Paths are relative to the root; one that leads outside it (`..`, a symlink) is refused.

use std::path::{Path, PathBuf};

use mcp_sdk::{prelude::*, tokio::fs};

/// The directory the tools serve, canonical (symlinks resolved).
pub struct Root(PathBuf);

impl Root {
    /// The canonical path of `relative` if it exists inside the root.
    async fn resolve(&self, relative: &str) -> mcp_sdk::Result<PathBuf> {
        let path = fs::canonicalize(self.0.join(relative)).await.map_err(|_| {
            Error::not_found(format!(
                "`{relative}` does not exist under the root; list_dir shows what does"
            ))
        })?;
        ensure!(path.starts_with(&self.0), InvalidParams: "`{relative}` is outside the root");
        Ok(path)
    }

    fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.0).unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    }
}

/// The entries of a directory, directories with a trailing `/`, sorted.
#[tool(read_only)]
async fn list_dir(
    /// A directory, relative to the root.
    #[default(".".to_owned())]
    path: String,
    root: State<Root>,
) -> mcp_sdk::Result<Vec<String>> {
    let dir = root.resolve(&path).await?;
    ensure!(dir.is_dir(), InvalidParams: "`{path}` is a file; read it with read_file");
    let mut entries = fs::read_dir(&dir).await?;
    let mut names = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let slash = if entry.file_type().await?.is_dir() {
            "/"
        } else {
            ""
        };
        names.push(format!("{}{slash}", root.relative(&entry.path())));
    }
    names.sort();
    Ok(names)
}

/// The text of a file (UTF-8), up to a size.
#[tool(read_only)]
async fn read_file(
    /// A file, relative to the root.
    path: String,
    /// Read at most this many bytes.
    #[default(64 * 1024)]
    max_bytes: usize,
    root: State<Root>,
) -> mcp_sdk::Result<String> {
    let file = root.resolve(&path).await?;
    ensure!(file.is_file(), InvalidParams: "`{path}` is a directory; list it with list_dir");
    let bytes = fs::read(&file).await?;
    ensure!(
        bytes.len() <= max_bytes,
        "`{path}` has {} bytes, more than max_bytes ({max_bytes})",
        bytes.len()
    );
    String::from_utf8(bytes).map_err(|_| Error::tool(format!("`{path}` is not UTF-8 text")))
}

/// Files anywhere under the root whose name contains a text.
#[tool(read_only)]
async fn find_files(
    /// Part of the file name, e.g. ".toml".
    name_contains: String,
    root: State<Root>,
) -> mcp_sdk::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![root.0.clone()];
    while let Some(dir) = pending.pop() {
        let mut entries = fs::read_dir(&dir).await?;
        while let Some(entry) = entries.next_entry().await? {
            if entry.file_type().await?.is_dir() {
                pending.push(entry.path());
            } else if entry.file_name().to_string_lossy().contains(&name_contains) {
                found.push(root.relative(&entry.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The server over `root`, which must be a directory.
pub fn server(root: &Path) -> mcp_sdk::Result<Server> {
    let canonical = std::fs::canonicalize(root)
        .ok()
        .filter(|path| path.is_dir())
        .ok_or_else(|| {
            Error::invalid_params(format!("the root `{}` is not a directory", root.display()))
        })?;
    Ok(Server::new()
        .tool(list_dir)
        .tool(read_file)
        .tool(find_files)
        .state(Root(canonical)))
}
