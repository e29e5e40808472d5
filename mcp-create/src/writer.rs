//! The one way mcp-create changes a file it does not create from scratch: the registry, client
//! configs, Cargo manifests, project sources.
//!
//! [`update`] holds an advisory lock across read-modify-write, so two mcp-create processes never
//! lose each other's change; it reads the file under that lock and asks the caller for the new
//! content; writes a temporary file beside the target and renames it into place (readers see the
//! old content or the new, never a mix), keeping the file's permissions; keeps a backup of the
//! previous content. A program that does not take the lock (a client saving its own config) is
//! detected: the file is compared with what was read just before the rename and read back after
//! it, and on a difference the whole read-modify-write runs again on the new content. After a few
//! attempts it fails, saying so: a change either lands next to the other writer's, or the command
//! fails. (A write that lands in the microseconds between the last check and the rename cannot be
//! seen without the other program's cooperation.)
//!
//! Symbolic links are written through: the file they point to changes, the link stays. A dangling
//! link gets the file it points to created, if that file's folder exists. A file without write
//! permission is refused, never replaced.
//!
//! [`commit_all`] writes several files together, each based on what its caller read: all of them,
//! or none (each restored to its bytes, the files and folders it created removed).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How many times a read-modify-write runs when another program keeps changing the file.
const ATTEMPTS: u32 = 5;

/// How long to wait for another mcp-create that is writing the same file (its writes take
/// milliseconds: one that holds the lock this long is stuck).
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// Test hook: milliseconds to wait between reading a file and writing it, so that tests can change
/// the file in that window as a client would.
pub const PAUSE_VAR: &str = "MCP_CREATE_TEST_WRITE_PAUSE_MS";

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file has no write permission; it was left as it is.
    #[error(
        "{} is read-only (no write permission); mcp-create does not replace it: make it writable \
         (chmod u+w) and run again",
        .path.display()
    )]
    ReadOnly { path: PathBuf },

    /// Another program changed the file during every attempt.
    #[error(
        "{} changed again each time mcp-create tried to write it ({attempts} attempts): another \
         program is saving it (is the client running?); mcp-create's change was not written: close \
         that program and run the command again",
        .path.display()
    )]
    Raced { path: PathBuf, attempts: u32 },

    /// Another mcp-create holds the file's lock and does not let go.
    #[error(
        "another mcp-create has been writing {} for {seconds} s and still holds {}: if no \
         mcp-create is running any more, it is stuck; stop it, and run again",
        .path.display(),
        .lock.display()
    )]
    Busy {
        path: PathBuf,
        lock: PathBuf,
        seconds: u64,
    },

    /// A symbolic link to a file in a folder that does not exist.
    #[error(
        "{} is a symbolic link to {}, whose folder does not exist; create the folder or remove \
         the link, and run again",
        .link.display(),
        .target.display()
    )]
    DanglingLink { link: PathBuf, target: PathBuf },

    /// The target is there but is not a regular file.
    #[error("{} is not a regular file; mcp-create only writes files", .path.display())]
    NotAFile { path: PathBuf },

    /// A file system operation failed.
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// A file changed between the caller reading it and [`commit_all`] writing it (or a file
    /// that was to be new exists).
    #[error(
        "{} changed since mcp-create read it (another program saved it meanwhile): run the same \
         command again",
        .path.display()
    )]
    Changed { path: PathBuf },

    /// A file cannot be created because something that is not a folder is where its folder must be.
    #[error(
        "{} cannot be created: {} is not a folder; move it aside and run again",
        .path.display(),
        .dir.display()
    )]
    NotAFolder { path: PathBuf, dir: PathBuf },

    /// [`commit_all`] failed; every file and folder is as it was (what it had written was
    /// restored).
    #[error("nothing was changed (every file is as it was)")]
    RolledBack {
        #[source]
        cause: Box<WriteError>,
    },

    /// [`commit_all`] failed after writing some files, and restoring some of them failed too.
    #[error(
        "a write failed and these could not be restored: {} (restore them from version control \
         or a backup)",
        .unrestored.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Unrestored {
        #[source]
        cause: Box<WriteError>,
        unrestored: Vec<PathBuf>,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let path = path.to_owned();
    move |source| WriteError::Io {
        action,
        path,
        source,
    }
}

/// What to keep of the previous content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    /// Nothing.
    None,
    /// `<file>.bak`, replaced by each write (the registry).
    Sidecar,
    /// `<file>.<UTC time>.bak`, a new one per write (client configs).
    Timestamped,
}

/// What [`update`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The caller asked for no change (or the same bytes); nothing was written.
    Unchanged,
    /// Written; the previous content was saved here, if there was a file before.
    Written { backup: Option<PathBuf> },
}

/// Changes the file at `path`: under a lock, `edit` gets the current content (`None` when there is
/// no file) and returns the new content, or `None` to leave the file as it is. `edit` may run more
/// than once, each time on what the file holds then. Missing folders are created.
pub fn update<E: From<WriteError>>(
    path: &Path,
    backup: Backup,
    mut edit: impl FnMut(Option<&[u8]>) -> Result<Option<Vec<u8>>, E>,
) -> Result<Outcome, E> {
    let target = locate(path)?;
    let dir = parent(&target);
    fs::create_dir_all(dir).map_err(io_error("create the folder", dir))?;
    let _lock = Lock::acquire(&target, LOCK_WAIT)?;
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(20 * u64::from(attempt)));
        }
        let current = read(&target)?;
        let new = match edit(current.as_deref())? {
            Some(new) if current.as_deref() != Some(new.as_slice()) => new,
            _ => return Ok(Outcome::Unchanged),
        };
        if current.is_some() {
            refuse_read_only(&target)?;
        }
        pause_for_tests();
        if let Replaced::Done { backup } = replace(&target, current.as_deref(), &new, backup)? {
            return Ok(Outcome::Written { backup });
        }
    }
    Err(WriteError::Raced {
        path: target,
        attempts: ATTEMPTS,
    }
    .into())
}

/// The content of `path`, `None` if there is no file.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => Err(WriteError::NotAFile {
            path: path.to_owned(),
        }),
        Err(e) => Err(io_error("read", path)(e)),
    }
}

/// One file of a [`commit_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    /// What the caller based `contents` on: the file's bytes when it read them, `None` for a file
    /// that must not exist yet.
    pub read: Option<Vec<u8>>,
    pub contents: Vec<u8>,
}

/// Writes every change, or none. Before writing anything, it checks that each file can be created
/// in its folder (the nearest one that exists, when some are missing) and creates the missing
/// folders; then, under the lock of every file (taken in one order, so two callers never
/// deadlock), that each file still holds what the caller read and is writable. It replaces the
/// files in turn; if one fails, the ones already written get their bytes back, the new files and
/// the folders it created are removed, and the error is [`WriteError::RolledBack`], or
/// [`WriteError::Unrestored`] naming what could not be put back.
pub fn commit_all(changes: &[Change]) -> Result<(), WriteError> {
    let mut made = Vec::new();
    let Err((cause, mut unrestored)) = write_all(changes, &mut made) else {
        return Ok(());
    };
    // The locks are released (their files gone): the folders are empty again.
    for dir in made.iter().rev() {
        if fs::remove_dir(dir).is_err() {
            unrestored.push(dir.clone());
        }
    }
    let cause = Box::new(cause);
    Err(if unrestored.is_empty() {
        WriteError::RolledBack { cause }
    } else {
        WriteError::Unrestored { cause, unrestored }
    })
}

/// [`commit_all`] up to releasing the locks: the error, and the files it could not restore.
/// The folders it creates are added to `made`.
fn write_all(
    changes: &[Change],
    made: &mut Vec<PathBuf>,
) -> Result<(), (WriteError, Vec<PathBuf>)> {
    let untouched = |e| (e, Vec::new());
    let mut targets = changes
        .iter()
        .map(|change| Ok((locate(&change.path)?, change)))
        .collect::<Result<Vec<_>, WriteError>>()
        .map_err(untouched)?;
    targets.sort_by(|a, b| a.0.cmp(&b.0));
    targets.dedup_by(|a, b| a.0 == b.0);
    for (target, _) in &targets {
        check_folder(target).map_err(untouched)?;
    }
    // Before the locks, whose files go beside the targets.
    for (target, _) in &targets {
        make_parents(target, made).map_err(untouched)?;
    }
    let _locks = targets
        .iter()
        .map(|(target, _)| Lock::acquire(target, LOCK_WAIT))
        .collect::<Result<Vec<_>, _>>()
        .map_err(untouched)?;
    for (target, change) in &targets {
        let now = read(target).map_err(untouched)?;
        if now != change.read {
            return Err(untouched(WriteError::Changed {
                path: change.path.clone(),
            }));
        }
        if now.is_some() {
            refuse_read_only(target).map_err(untouched)?;
        }
    }
    for (done, (target, change)) in targets.iter().enumerate() {
        let written = replace(
            target,
            change.read.as_deref(),
            &change.contents,
            Backup::None,
        );
        let cause = match written {
            Ok(Replaced::Done { .. }) => continue,
            Ok(Replaced::Raced) => WriteError::Raced {
                path: target.clone(),
                attempts: 1,
            },
            Err(e) => e,
        };
        let unrestored = targets[..done]
            .iter()
            .rev()
            .filter(|(target, change)| restore(target, change.read.as_deref()).is_err())
            .map(|(target, _)| target.clone())
            .collect();
        return Err((cause, unrestored));
    }
    Ok(())
}

/// Puts `original` back at `target`; `None`: removes the file.
fn restore(target: &Path, original: Option<&[u8]>) -> Result<(), WriteError> {
    #[cfg(test)]
    tests::fail_restore(target)?;
    match original {
        Some(bytes) => write_file(target, bytes).map(drop),
        None => fs::remove_file(target).map_err(io_error("remove", target)),
    }
}

/// Refuses a `target` that cannot be created: the nearest folder above it that exists must be a
/// folder that takes a new file.
fn check_folder(target: &Path) -> Result<(), WriteError> {
    let dir = target
        .ancestors()
        .skip(1)
        .find(|dir| fs::symlink_metadata(dir).is_ok())
        .unwrap_or(Path::new("/"));
    if !dir.is_dir() {
        return Err(WriteError::NotAFolder {
            path: target.to_owned(),
            dir: dir.to_owned(),
        });
    }
    tempfile::tempfile_in(dir).map_err(io_error("create a file in", dir))?;
    Ok(())
}

/// Creates the missing folders above `target`, outermost first, adding each to `made`.
fn make_parents(target: &Path, made: &mut Vec<PathBuf>) -> Result<(), WriteError> {
    let missing: Vec<&Path> = target
        .ancestors()
        .skip(1)
        .take_while(|dir| fs::symlink_metadata(dir).is_err())
        .collect();
    for dir in missing.into_iter().rev() {
        match fs::create_dir(dir) {
            Ok(()) => made.push(dir.to_owned()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(io_error("create the folder", dir)(e)),
        }
    }
    Ok(())
}

/// What [`replace`] did.
enum Replaced {
    /// `new` is in place; the previous content was saved here.
    Done { backup: Option<PathBuf> },
    /// Another program changed the file just before or just after the rename: the file is not
    /// known to hold `new` (a sidecar backup of an earlier version may stay).
    Raced,
}

/// Replaces `target` (whose content was `expected`) by `new`, checking just before the rename that
/// the file still holds `expected`, and just after it that it holds `new`.
fn replace(
    target: &Path,
    expected: Option<&[u8]>,
    new: &[u8],
    backup: Backup,
) -> Result<Replaced, WriteError> {
    #[cfg(test)]
    tests::fail_here(target)?;
    let temp = temp_file(target, new)?;
    let saved = match (expected, backup) {
        (Some(old), Backup::Sidecar) => Some(write_file(&sidecar(target, "bak"), old)?),
        (Some(old), Backup::Timestamped) => Some(write_new(target, old)?),
        _ => None,
    };
    if read(target)?.as_deref() != expected {
        if let (Some(saved), Backup::Timestamped) = (&saved, backup) {
            let _ = fs::remove_file(saved);
        }
        return Ok(Replaced::Raced);
    }
    let ours = identity(temp.as_file());
    temp.persist(target)
        .map_err(|e| io_error("replace", target)(e.error))?;
    sync_dir(target);
    // Read back: a program that replaced or rewrote the file right after us took our change away.
    let now = fs::File::open(target).map_err(io_error("read", target))?;
    if identity(&now) != ours || read(target)?.as_deref() != Some(new) {
        return Ok(Replaced::Raced);
    }
    Ok(Replaced::Done { backup: saved })
}

/// A temporary file beside `target` holding `contents`, flushed, with `target`'s permissions (a
/// new file is readable by its owner only).
fn temp_file(target: &Path, contents: &[u8]) -> Result<tempfile::NamedTempFile, WriteError> {
    let dir = parent(target);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_error("create a temporary file in", dir))?;
    temp.write_all(contents)
        .map_err(io_error("write", temp.path()))?;
    if let Ok(existing) = fs::metadata(target) {
        temp.as_file()
            .set_permissions(existing.permissions())
            .map_err(io_error("set permissions of", temp.path()))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(io_error("flush", temp.path()))?;
    Ok(temp)
}

/// Replaces `path` by `contents` (temporary file + rename); returns `path`.
fn write_file(path: &Path, contents: &[u8]) -> Result<PathBuf, WriteError> {
    temp_file(path, contents)?
        .persist(path)
        .map_err(|e| io_error("replace", path)(e.error))?;
    sync_dir(path);
    Ok(path.to_owned())
}

/// Writes `contents` to a new `<file>.<stamp>.bak` (or `<file>.<stamp>-<n>.bak`) beside `path`.
fn write_new(path: &Path, contents: &[u8]) -> Result<PathBuf, WriteError> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let stamp = timestamp(SystemTime::now());
    for n in 0.. {
        let candidate = match n {
            0 => path.with_file_name(format!("{name}.{stamp}.bak")),
            n => path.with_file_name(format!("{name}.{stamp}-{n}.bak")),
        };
        let temp = temp_file(path, contents)?;
        match temp.persist_noclobber(&candidate) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error("write the backup", &candidate)(e.error)),
        }
    }
    unreachable!("some backup name is free")
}

fn refuse_read_only(path: &Path) -> Result<(), WriteError> {
    let metadata = fs::metadata(path).map_err(io_error("read", path))?;
    if !metadata.is_file() {
        return Err(WriteError::NotAFile {
            path: path.to_owned(),
        });
    }
    // No write bit counts even for root; otherwise the system decides.
    let writable = !metadata.permissions().readonly()
        && match OpenOptions::new().append(true).open(path) {
            Ok(_) => true,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => false,
            Err(e) => return Err(io_error("open", path)(e)),
        };
    if writable {
        Ok(())
    } else {
        Err(WriteError::ReadOnly {
            path: path.to_owned(),
        })
    }
}

/// The file `path` names after following symbolic links (the path itself when it is no link);
/// relative paths are made absolute. A link into a folder that does not exist is refused.
fn locate(path: &Path) -> Result<PathBuf, WriteError> {
    let mut current = std::path::absolute(path).map_err(io_error("resolve", path))?;
    let mut linked = false;
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let points_to =
                    fs::read_link(&current).map_err(io_error("read the link", &current))?;
                current = parent(&current).join(points_to);
                linked = true;
            }
            Ok(_) => return Ok(current),
            // Missing, or under a file where a folder must be.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                if linked && !parent(&current).is_dir() {
                    return Err(WriteError::DanglingLink {
                        link: path.to_owned(),
                        target: current,
                    });
                }
                return Ok(current);
            }
            Err(e) => return Err(io_error("read", &current)(e)),
        }
    }
    Err(io_error("resolve", path)(io::Error::other(
        "too many levels of symbolic links",
    )))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `<file>.<extension>` beside `path`.
fn sidecar(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{extension}"));
    path.with_file_name(name)
}

/// The rename reaches the disk when the folder is flushed; not every platform can.
fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(parent(path)) {
        let _ = dir.sync_all();
    }
}

#[cfg(unix)]
fn identity(file: &File) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    file.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &File) -> Option<(u64, u64)> {
    None
}

fn pause_for_tests() {
    let pause = std::env::var(PAUSE_VAR).ok().and_then(|ms| ms.parse().ok());
    if let Some(ms) = pause {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// An exclusive advisory lock on `.<file>.mcp-create.lock` beside the target, held until dropped.
/// The lock file is removed on release; a waiter that then gets the lock on the removed file takes
/// the lock again on the new one, so no two holders ever overlap. (`<file>.lock` is avoided:
/// some clients use that name for their own lock folder.)
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Waits at most `wait` for another holder to finish.
    fn acquire(target: &Path, wait: Duration) -> Result<Lock, WriteError> {
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let path =
            target.with_file_name(format!(".{}.mcp-create.lock", name.trim_start_matches('.')));
        let deadline = Instant::now() + wait;
        loop {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io_error("create the lock file", &path))?;
            loop {
                match fs4::FileExt::try_lock(&file) {
                    Ok(()) => break,
                    Err(fs4::TryLockError::WouldBlock) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(fs4::TryLockError::WouldBlock) => {
                        return Err(WriteError::Busy {
                            path: target.to_owned(),
                            lock: path,
                            seconds: wait.as_secs(),
                        });
                    }
                    Err(fs4::TryLockError::Error(e)) => return Err(io_error("lock", &path)(e)),
                }
            }
            let on_disk = File::open(&path).ok();
            if cfg!(not(unix)) || on_disk.is_some_and(|f| identity(&f) == identity(&file)) {
                return Ok(Lock { file, path });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = fs4::FileExt::unlock(&self.file);
    }
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
    use std::sync::Arc;

    fn append(
        line: &'static str,
    ) -> impl FnMut(Option<&[u8]>) -> Result<Option<Vec<u8>>, WriteError> {
        move |current| {
            let mut bytes = current.unwrap_or_default().to_vec();
            bytes.extend_from_slice(line.as_bytes());
            Ok(Some(bytes))
        }
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_content_keeps_permissions_and_leaves_no_temporary_or_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let outcome = update(&path, Backup::None, append("new\n")).unwrap();
        assert_eq!(outcome, Outcome::Written { backup: None });
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\nnew\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(files(dir.path()), ["f.toml"]);
        let unchanged = update(&path, Backup::None, |_| Ok::<_, WriteError>(None)).unwrap();
        assert_eq!(unchanged, Outcome::Unchanged);
    }

    #[test]
    fn backups_are_sidecar_or_one_per_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        assert_eq!(
            update(&path, Backup::Sidecar, append("1")).unwrap(),
            Outcome::Written { backup: None },
            "a new file has no backup"
        );
        update(&path, Backup::Sidecar, append("2")).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("c.json.bak")).unwrap(),
            "1"
        );
        update(&path, Backup::Timestamped, append("3")).unwrap();
        update(&path, Backup::Timestamped, append("4")).unwrap();
        let mut backups: Vec<String> = files(dir.path())
            .into_iter()
            .filter(|n| n.ends_with(".bak") && n != "c.json.bak")
            .map(|n| fs::read_to_string(dir.path().join(n)).unwrap())
            .collect();
        backups.sort();
        assert_eq!(backups, ["12", "123"]);
    }

    #[test]
    fn a_lock_held_too_long_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let held = Lock::acquire(&path, LOCK_WAIT).unwrap();
        let err = Lock::acquire(&path, Duration::from_millis(50))
            .err()
            .unwrap();
        assert!(matches!(err, WriteError::Busy { .. }), "{err}");
        assert!(err.to_string().contains("still holds"), "{err}");
        drop(held);
        drop(Lock::acquire(&path, Duration::ZERO).unwrap());
        assert!(
            files(dir.path()).is_empty(),
            "the lock file goes with the lock"
        );
    }

    #[test]
    fn timestamps_are_utc_calendar_times() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(timestamp(at), "20231114T221320Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(timestamp(leap), "20000229T000000Z");
    }

    #[test]
    fn concurrent_updates_from_threads_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("list"));
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let path = Arc::clone(&path);
                std::thread::spawn(move || {
                    update(&path, Backup::Timestamped, move |current| {
                        let mut text =
                            String::from_utf8(current.unwrap_or_default().to_vec()).unwrap();
                        text.push_str(&format!("{i}\n"));
                        Ok::<_, WriteError>(Some(text.into_bytes()))
                    })
                    .unwrap()
                })
            })
            .collect();
        threads.into_iter().for_each(|t| drop(t.join().unwrap()));
        let text = fs::read_to_string(&*path).unwrap();
        assert_eq!(text.lines().count(), 16, "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through_and_dangling_ones_get_their_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles/real.json");
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("dotfiles/real.json", &link).unwrap();
        update(&link, Backup::None, append("a")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "a");
        update(&link, Backup::None, append("b")).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "ab");

        let nowhere = dir.path().join("nowhere.json");
        std::os::unix::fs::symlink(dir.path().join("missing/x.json"), &nowhere).unwrap();
        let err = update(&nowhere, Backup::None, append("c")).unwrap_err();
        assert!(matches!(err, WriteError::DanglingLink { .. }), "{err}");
        assert!(!dir.path().join("missing").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.json");
        fs::write(&path, "mine").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = update(&path, Backup::Timestamped, append("x")).unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(
            files(dir.path()),
            ["ro.json"],
            "no backup, no temporary file"
        );
    }

    #[test]
    fn an_outside_change_between_read_and_write_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.txt");
        fs::write(&path, "base\n").unwrap();
        let mut runs = 0;
        let outcome = update(&path, Backup::Timestamped, |current| {
            runs += 1;
            if runs == 1 {
                // Another program saves the file while we compute ours.
                fs::write(&path, "base\ntheirs\n").unwrap();
            }
            let mut bytes = current.unwrap_or_default().to_vec();
            bytes.extend_from_slice(b"ours\n");
            Ok::<_, WriteError>(Some(bytes))
        })
        .unwrap();
        assert!(matches!(outcome, Outcome::Written { .. }));
        assert_eq!(runs, 2, "the edit ran again on the new content");
        assert_eq!(fs::read_to_string(&path).unwrap(), "base\ntheirs\nours\n");
        let baks = files(dir.path())
            .into_iter()
            .filter(|n| n.ends_with(".bak"))
            .count();
        assert_eq!(baks, 1, "the abandoned attempt left no backup");
    }

    #[test]
    fn a_file_that_never_settles_fails_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.txt");
        fs::write(&path, "0").unwrap();
        let mut runs = 0;
        let err = update(&path, Backup::None, |_| {
            runs += 1;
            fs::write(&path, runs.to_string()).unwrap();
            Ok::<_, WriteError>(Some(b"ours".to_vec()))
        })
        .unwrap_err();
        assert!(
            matches!(
                err,
                WriteError::Raced {
                    attempts: ATTEMPTS,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("was not written"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), ATTEMPTS.to_string());
    }

    thread_local! {
        static FAIL_ON: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
        static FAIL_RESTORE: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
    }

    /// Fault injection for [`commit_all`]: replacing the file set in `FAIL_ON` fails.
    pub(super) fn fail_here(target: &Path) -> Result<(), WriteError> {
        match FAIL_ON.with(|f| f.borrow().clone()) {
            Some(path) if path == target => {
                Err(io_error("write", target)(io::Error::other("disk full")))
            }
            _ => Ok(()),
        }
    }

    /// Fault injection for [`commit_all`]: restoring the file set in `FAIL_RESTORE` fails.
    pub(super) fn fail_restore(target: &Path) -> Result<(), WriteError> {
        match FAIL_RESTORE.with(|f| f.borrow().clone()) {
            Some(path) if path == target => {
                Err(io_error("write", target)(io::Error::other("disk full")))
            }
            _ => Ok(()),
        }
    }

    /// Runs `f` with replacing `fail` (and restoring `unrestorable`) failing.
    fn failing<T>(fail: &Path, unrestorable: Option<&Path>, f: impl FnOnce() -> T) -> T {
        FAIL_ON.with(|f| *f.borrow_mut() = Some(fail.to_owned()));
        FAIL_RESTORE.with(|f| *f.borrow_mut() = unrestorable.map(Path::to_owned));
        let result = f();
        FAIL_ON.with(|f| *f.borrow_mut() = None);
        FAIL_RESTORE.with(|f| *f.borrow_mut() = None);
        result
    }

    fn change(path: &Path, read: Option<&str>, contents: &str) -> Change {
        Change {
            path: path.to_owned(),
            read: read.map(|t| t.as_bytes().to_vec()),
            contents: contents.as_bytes().to_vec(),
        }
    }

    /// The cause of a [`WriteError::RolledBack`].
    fn rolled_back(err: &WriteError) -> &WriteError {
        match err {
            WriteError::RolledBack { cause } => cause,
            other => panic!("not rolled back: {other}"),
        }
    }

    #[test]
    fn commit_all_writes_everything_or_restores_everything() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        let a = dir.join("a.py");
        let b = dir.join("b.py");
        let new = dir.join("c-new.py");
        let d = dir.join("d.py");
        fs::write(&a, "a0").unwrap();
        commit_all(&[change(&b, None, "b1"), change(&a, Some("a0"), "a1")]).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a1");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b1");

        // The last file fails to write: the three before it get their bytes back.
        fs::write(&d, "d0").unwrap();
        let err = failing(&d, None, || {
            commit_all(&[
                change(&d, Some("d0"), "d2"),
                change(&a, Some("a1"), "a2"),
                change(&b, Some("b1"), "b2"),
                change(&new, None, "n"),
            ])
            .unwrap_err()
        });
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        let shown = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ");
        assert!(
            matches!(rolled_back(&err), WriteError::Io { .. }) && shown.contains("disk full"),
            "{shown}"
        );
        assert_eq!(fs::read_to_string(&a).unwrap(), "a1");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b1");
        assert_eq!(fs::read_to_string(&d).unwrap(), "d0");
        assert!(!new.exists(), "a file that did not exist is removed again");
        assert_eq!(
            files(&dir),
            ["a.py", "b.py", "d.py"],
            "no lock or temporary file"
        );
    }

    #[test]
    fn all_files_are_written_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let server = dir.path().join("server.py");
        fs::write(&server, "old").unwrap();
        let test = dir.path().join("tests/test_x.py");
        commit_all(&[
            change(&server, Some("old"), "new"),
            change(&test, None, "test"),
        ])
        .unwrap();
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");
        assert_eq!(fs::read_to_string(&test).unwrap(), "test");

        // A file that changed since it was read: nothing is written, no folder stays.
        let other = dir.path().join("more/other.py");
        let err = commit_all(&[
            change(&other, None, "x"),
            change(&server, Some("old"), "newer"),
        ])
        .unwrap_err();
        assert!(
            matches!(rolled_back(&err), WriteError::Changed { .. }),
            "{err}"
        );
        assert!(!other.exists());
        assert!(
            !dir.path().join("more").exists(),
            "nor its lock file's folder"
        );
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");

        // A file that was to be new and exists now: nothing is written.
        let err = commit_all(&[
            change(&server, Some("new"), "newer"),
            change(&test, None, "another"),
        ])
        .unwrap_err();
        assert!(
            matches!(rolled_back(&err), WriteError::Changed { .. }),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");
        assert_eq!(fs::read_to_string(&test).unwrap(), "test");
    }

    /// A write that fails after others succeeded: each written file gets its bytes back, each
    /// created file and folder goes, and no lock file is left in them.
    #[test]
    fn a_failed_write_undoes_the_earlier_ones() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        let server = dir.join("server.py");
        fs::write(&server, "old").unwrap();
        let created = dir.join("new/deeper/test_a.py");
        let failed = dir.join("zz/test_b.py");
        let err = failing(&failed, None, || {
            commit_all(&[
                change(&server, Some("old"), "new"),
                change(&created, None, "a"),
                change(&failed, None, "b"),
            ])
            .unwrap_err()
        });
        assert!(matches!(err, WriteError::RolledBack { .. }), "{err}");
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(fs::read_to_string(&server).unwrap(), "old");
        assert!(!dir.join("new").exists());
        assert_eq!(files(&dir), ["server.py"]);
    }

    /// Restoring fails too: the error names what is left changed.
    #[test]
    fn what_cannot_be_restored_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().canonicalize().unwrap();
        let server = dir.join("server.py");
        fs::write(&server, "old").unwrap();
        let failed = dir.join("zz.py");
        let err = failing(&failed, Some(&server), || {
            commit_all(&[
                change(&server, Some("old"), "new"),
                change(&failed, None, "b"),
            ])
            .unwrap_err()
        });
        let WriteError::Unrestored { unrestored, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(unrestored, std::slice::from_ref(&server));
        assert!(err.to_string().contains("server.py"), "{err}");
        assert!(err.to_string().contains("version control"), "{err}");
        assert_eq!(fs::read_to_string(&server).unwrap(), "new");
    }

    #[test]
    fn a_folder_that_cannot_take_the_file_is_refused_before_any_write() {
        let dir = tempfile::tempdir().unwrap();
        let server = dir.path().join("server.py");
        fs::write(&server, "old").unwrap();
        fs::write(dir.path().join("tests"), "").unwrap();
        let test = dir.path().join("tests/deeper/test_x.py");
        let first = dir.path().join("a/test_a.py");
        let err = commit_all(&[
            change(&server, Some("old"), "new"),
            change(&first, None, "a"),
            change(&test, None, "test"),
        ])
        .unwrap_err();
        let cause = std::error::Error::source(&err).unwrap().to_string();
        assert!(cause.contains("is not a folder"), "{err}: {cause}");
        assert!(
            matches!(rolled_back(&err), WriteError::NotAFolder { .. }),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&server).unwrap(), "old");
        assert_eq!(files(dir.path()), ["server.py", "tests"], "no folder made");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_source_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.py");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("server.py");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        commit_all(&[change(&link, Some("old"), "new")]).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }
}
