//! Replacing a client config: a unified diff for `--dry-run`, else a timestamped backup of the old
//! file and an atomic write (temporary file + rename, permissions kept) through symbolic links,
//! refused if the file changed since it was read.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::ClientError;
use crate::atomic;
use crate::error::{Error, Result};

/// What [`commit`] did.
#[derive(Debug)]
pub enum Written {
    /// `--dry-run`: the diff was printed.
    DryRun,
    /// Written; the old file was saved here, if there was one.
    Written { backup: Option<PathBuf> },
}

/// Writes `new` over `path` (whose current text is `old`), or only prints the diff on `dry_run`.
pub fn commit(
    path: &Path,
    old: Option<&str>,
    new: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<Written> {
    if dry_run {
        let printed = write!(out, "{}", diff(path, old.unwrap_or_default(), new));
        printed.map_err(Error::io("write to", "standard output"))?;
        return Ok(Written::DryRun);
    }
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    // The client may have rewritten its file since it was read (Claude Code often does).
    let now = match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", &path)(e)),
    };
    if now.as_deref() != old {
        return Err(ClientError::Changed { path }.into());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(Error::io("create the folder", dir))?;
    }
    let backup = match old {
        Some(old) => {
            let backup = backup_path(&path, &timestamp(SystemTime::now()));
            atomic::write(&backup, old.as_bytes())?;
            Some(backup)
        }
        None => None,
    };
    atomic::write(&path, new.as_bytes())?;
    Ok(Written::Written { backup })
}

/// `<file>.<stamp>.bak` beside `path`, or `<file>.<stamp>-<n>.bak` when that exists already
/// (two writes in one second keep both previous versions).
fn backup_path(path: &Path, stamp: &str) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    (0..)
        .map(|n| match n {
            0 => path.with_file_name(format!("{name}.{stamp}.bak")),
            n => path.with_file_name(format!("{name}.{stamp}-{n}.bak")),
        })
        .find(|candidate| !candidate.exists())
        .expect("some name is free")
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

/// UTC `YYYYMMDDTHHMMSSZ`, for backup names that sort by time.
fn timestamp(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{year:04}{month:02}{day:02}T{h:02}{m:02}{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "{\"a\": 2}").unwrap();
        let err = commit(&path, Some("{\"a\": 1}"), "{}", false, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("changed while"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"a\": 2}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no backup");
        let err = commit(&path, None, "{}", false, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("run the command again"), "{err}");
    }

    #[test]
    fn backups_in_the_same_second_keep_both_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "1").unwrap();
        commit(&path, Some("1"), "2", false, &mut Vec::new()).unwrap();
        commit(&path, Some("2"), "3", false, &mut Vec::new()).unwrap();
        let mut backups: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        backups.sort();
        assert_eq!(backups, ["1", "2", "3"], "two backups and the file");
        let stamp = "20260101T000000Z";
        assert!(backup_path(&path, stamp).ends_with(format!("mcp.json.{stamp}.bak")));
    }

    #[test]
    fn timestamps_are_utc_calendar_times() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(timestamp(at), "20231114T221320Z");
        assert_eq!(
            timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
    }
}
