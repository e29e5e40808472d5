//! Watching a project's sources: every change outside build output and caches, as a tick on a
//! channel (the front debounces them).

use std::path::{Component, Path, PathBuf};

use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::DevError;

/// Folders whose changes never trigger a reload.
pub const IGNORED: &[&str] = &[
    "target",
    "node_modules",
    ".venv",
    "dist",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
];

/// Whether a change to `path` (inside `root`) is a change to the sources: it is in no
/// [`IGNORED`] folder and not under `build_dir` (a build folder of another name, such as Cargo's
/// `build.target-dir`).
fn is_source(root: &Path, build_dir: Option<&Path>, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let in_ignored = relative.components().any(|c| match c {
        Component::Normal(name) => IGNORED.iter().any(|i| name == *i),
        _ => false,
    });
    !in_ignored && !build_dir.is_some_and(|dir| path.starts_with(dir))
}

/// Starts watching `root`, where builds go to `build_dir` if it is not `target`; keep the watcher
/// alive as long as the ticks are wanted.
pub fn start(
    root: &Path,
    build_dir: Option<PathBuf>,
) -> Result<(notify::RecommendedWatcher, UnboundedReceiver<()>), DevError> {
    let (ticks, received) = unbounded_channel();
    let owned = root.to_owned();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        if event
            .paths
            .iter()
            .any(|p| is_source(&owned, build_dir.as_deref(), p))
        {
            let _ = ticks.send(());
        }
    })
    .map_err(|e| DevError::Watch {
        dir: root.to_owned(),
        reason: e.to_string(),
    })?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| DevError::Watch {
            dir: root.to_owned(),
            reason: e.to_string(),
        })?;
    Ok((watcher, received))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_and_caches_are_not_sources() {
        let root = Path::new("/p");
        assert!(is_source(root, None, Path::new("/p/src/server.py")));
        assert!(!is_source(root, None, Path::new("/p/target/release/x")));
        assert!(!is_source(
            root,
            None,
            Path::new("/p/src/__pycache__/a.pyc")
        ));
        assert!(!is_source(
            root,
            None,
            Path::new("/p/node_modules/x/index.js")
        ));
        // A build folder of another name (Cargo's `build.target-dir = "out"`).
        let out = Some(Path::new("/p/out"));
        assert!(!is_source(root, out, Path::new("/p/out/release/x")));
        assert!(is_source(root, out, Path::new("/p/src/main.rs")));
        assert!(is_source(root, out, Path::new("/p/outline.md")));
    }
}
