//! The one golden-file mechanism: a test compares what it produced with a committed file, and
//! `MCP_CREATE_UPDATE_GOLDEN=1` makes it write the file instead (then review and commit the diff).
//! The client configs of tests/fixtures/clients/golden, the code blocks of docs/clients.md and
//! templates/*/reserved-names.txt all go through it.

use std::fs;
use std::path::Path;

/// The variable that rewrites every golden file instead of comparing.
pub const UPDATE: &str = "MCP_CREATE_UPDATE_GOLDEN";

/// Whether this run rewrites golden files. The variables of earlier versions fail loudly, so that
/// nobody believes a file was rewritten.
pub fn updating() -> bool {
    for old in ["UPDATE_GOLDEN", "UPDATE_DOCS", "MCP_CREATE_UPDATE_RESERVED"] {
        assert!(
            std::env::var_os(old).is_none(),
            "{old} is gone: set {UPDATE}=1 to rewrite golden files"
        );
    }
    std::env::var_os(UPDATE).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `actual` with the file at `path`, or writes it there when [`updating`].
pub fn check(path: &Path, actual: &str) -> Result<(), String> {
    if updating() {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).unwrap();
        }
        fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return Ok(());
    }
    let expected = fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e}; create it with {UPDATE}=1 and commit it",
            path.display()
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{} differs from what the test produced ({UPDATE}=1 rewrites it; review and commit):\n{}",
        path.display(),
        diff(&expected, actual)
    ))
}

/// Where `expected` and `actual` part: the first differing line and up to [`SHOWN`] lines after
/// it, `-` expected, `+` actual.
pub fn diff(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let same = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let mut text = format!("first difference at line {}:\n", same + 1);
    for (sign, lines) in [('-', &old[same..]), ('+', &new[same..])] {
        for line in lines.iter().take(SHOWN) {
            text.push_str(&format!("{sign}{line}\n"));
        }
        if lines.len() > SHOWN {
            text.push_str(&format!("{sign}... ({} more lines)\n", lines.len() - SHOWN));
        }
    }
    if old.len() == new.len() && old[same..].is_empty() {
        text.push_str("(only the line ends or the final newline differ)\n");
    }
    text
}

/// How many lines of each side [`diff`] shows.
const SHOWN: usize = 8;
