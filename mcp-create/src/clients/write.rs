//! Changing a client config through [`crate::writer`]: a unified diff for `--dry-run`, else the
//! edit runs under the file's lock on what the file holds then, and the old file is kept as a
//! timestamped backup.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::config_file::ConfigFile;
use super::error::{ClientError, Result};
use crate::error::Error;
use crate::writer::{self, Backup, Outcome};

/// What [`commit`] did.
#[derive(Debug)]
pub enum Committed {
    /// `--dry-run`: the diff was printed.
    DryRun,
    /// The edit asked for no change (the file already holds what it would write).
    Unchanged,
    /// Written; the old file was saved here, if there was one.
    Written { backup: Option<PathBuf> },
}

/// Applies `edit` to `file`: on `dry_run` to the text read already, printing the diff; else under
/// the file's lock to its current content (re-read), writing the result. `edit` returns the new
/// text, or `None` for no change; it may run more than once.
pub fn commit(
    file: &ConfigFile,
    dry_run: bool,
    out: &mut dyn Write,
    mut edit: impl FnMut(&ConfigFile) -> Result<Option<String>>,
) -> Result<Committed> {
    if dry_run {
        let Some(new) = edit(file)? else {
            return Ok(Committed::Unchanged);
        };
        let printed = write!(out, "{}", diff(&file.path, file.text(), &new));
        printed.map_err(Error::io("write to", "standard output"))?;
        return Ok(Committed::DryRun);
    }
    let outcome = writer::update(&file.path, Backup::Timestamped, |current| {
        let now = file.reread(current)?;
        Ok::<_, ClientError>(edit(&now)?.map(|text| now.encode(&text)))
    })?;
    Ok(match outcome {
        Outcome::Unchanged => Committed::Unchanged,
        Outcome::Written { backup } => Committed::Written { backup },
    })
}

/// A unified diff from `old` to `new`, with `path` in its header.
pub fn diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&shown, &shown)
        .to_string()
}
