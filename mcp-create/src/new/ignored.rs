/// Names of directories and files that are never part of a template or of the embedded SDK: build
/// output, caches and dependency installs that may sit in a working copy. Shared with build.rs.
pub(crate) const IGNORED_NAMES: &[&str] = &[
    "target",
    "node_modules",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".git",
    ".DS_Store",
];
