//! The runtime directory (`~/.mcp-runtime`, or `$MCP_RUNTIME_DIR`): per server a state record
//! (`<name>.state.json`: the fingerprint of the process mcp-create started, when and with which
//! command), the legacy pid file beside it (`<name>.pid`, the pid alone, as the original launcher
//! wrote it; never trusted on its own) and a log.
//!
//! Both files are replaced atomically, the record first: a crash leaves a record without a pid
//! file, never a pid file without a record.

use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::ManageError;
use super::process::{self, Fingerprint, Status};
use crate::writer::{self, Backup, WriteError};

/// The environment variable that overrides the runtime directory.
pub const ENV_VAR: &str = "MCP_RUNTIME_DIR";

/// What we know about a process we started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// How to recognise it: pid, process group, start time, boot, command line.
    #[serde(flatten)]
    pub process: Fingerprint,
    /// When it was started, in seconds since the Unix epoch.
    pub started_at: u64,
    /// The command line, for messages.
    pub command: String,
    /// The port it serves, when any.
    pub port: Option<u16>,
}

impl Record {
    /// Its pid.
    pub fn pid(&self) -> u32 {
        self.process.pid
    }

    /// Seconds since it started.
    pub fn uptime(&self) -> u64 {
        now().saturating_sub(self.started_at)
    }
}

/// What the runtime directory says about one server's process.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// Neither a pid file nor a record.
    Nothing,
    /// A valid record whose process runs: the only thing mcp-create signals.
    Running(Record),
    /// Files that prove nothing, or name a process that has ended. They have been removed;
    /// nothing was signalled.
    Stale(Stale),
}

/// Why the runtime files of a server were stale.
#[derive(Clone, Debug, PartialEq)]
pub struct Stale {
    /// What was wrong, naming the file.
    pub reason: String,
    /// A process that runs at the pid named and that mcp-create cannot prove it started (the
    /// user may own it).
    pub unproven: Option<u32>,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; nothing was signalled", self.reason)?;
        if let Some(pid) = self.unproven {
            write!(
                f,
                "; pid {pid} still runs: if it is yours, stop it yourself (kill {pid})"
            )?;
        }
        Ok(())
    }
}

/// The runtime directory.
#[derive(Clone, Debug)]
pub struct Runtime {
    /// Its path.
    pub dir: PathBuf,
}

impl Runtime {
    /// `$MCP_RUNTIME_DIR`, else `~/.mcp-runtime`.
    pub fn locate() -> Result<Runtime, ManageError> {
        let dir = match std::env::var_os(ENV_VAR) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => std::env::home_dir()
                .ok_or(ManageError::NoRuntimeDir)?
                .join(".mcp-runtime"),
        };
        Ok(Runtime {
            dir: std::path::absolute(&dir).unwrap_or(dir),
        })
    }

    /// Creates the directory if needed.
    pub fn create(&self) -> Result<(), ManageError> {
        fs::create_dir_all(&self.dir)
            .map_err(|e| ManageError::io("create the runtime directory", &self.dir, e))
    }

    /// `<name>.pid`.
    pub fn pid_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{}.pid", stem(name)))
    }

    /// `<name>.state.json`.
    pub fn state_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{}.state.json", stem(name)))
    }

    /// `<name>.log`.
    pub fn log_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{}.log", stem(name)))
    }

    /// A file of the runtime directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// What runs for `name`. A running process is reported only when its record is valid, agrees
    /// with the pid file (if any), and `/proc` shows the same start time, boot and command line;
    /// anything else is stale, and its files are removed here.
    pub fn find(&self, name: &str) -> Found {
        let found = self.inspect(name);
        if matches!(found, Found::Stale(_)) {
            self.forget(name);
        }
        found
    }

    /// The record of `name` if its process runs; stale files are removed.
    pub fn running(&self, name: &str) -> Option<Record> {
        match self.find(name) {
            Found::Running(record) => Some(record),
            Found::Nothing | Found::Stale(_) => None,
        }
    }

    fn inspect(&self, name: &str) -> Found {
        let (pid_file, state_file) = (self.pid_file(name), self.state_file(name));
        let pid = read(&pid_file).map(|text| text.and_then(|text| parse_pid(&pid_file, &text)));
        let record = read(&state_file).map(|text| text.and_then(|text| parse(&state_file, &text)));
        let runs = |pid: u32| (process::signallable(pid) && process::runs(pid)).then_some(pid);
        let stale =
            |reason: String, unproven: Option<u32>| Found::Stale(Stale { reason, unproven });
        match (pid, record) {
            (None, None) => Found::Nothing,
            (Some(Err(reason)), _) => stale(reason, None),
            (Some(Ok(pid)), None) => stale(
                format!(
                    "{} names pid {pid}, but there is no state record {}, so mcp-create did not start it",
                    pid_file.display(),
                    state_file.display()
                ),
                runs(pid),
            ),
            (Some(Ok(pid)), Some(Err(reason))) => stale(
                format!("{} names pid {pid}, but {reason}", pid_file.display()),
                runs(pid),
            ),
            (None, Some(Err(reason))) => stale(reason, None),
            (Some(Ok(pid)), Some(Ok(record))) if pid != record.pid() => stale(
                format!(
                    "{} names pid {pid}, but the state record {} names pid {}",
                    pid_file.display(),
                    state_file.display(),
                    record.pid()
                ),
                runs(pid),
            ),
            (_, Some(Ok(record))) => match record.process.status() {
                Status::Ours => Found::Running(record),
                Status::Gone(reason) => stale(reason, None),
                Status::Unproven(reason) => stale(reason, Some(record.pid())),
            },
        }
    }

    /// Writes the record of `name`, then its legacy pid file, each atomically.
    pub fn save(&self, name: &str, record: &Record) -> Result<(), ManageError> {
        self.create()?;
        let json = serde_json::to_vec_pretty(record).expect("a record serializes");
        write(&self.state_file(name), &json)?;
        write(
            &self.pid_file(name),
            format!("{}\n", record.pid()).as_bytes(),
        )
    }

    /// Updates the record of `name` to the command line its process shows now that it serves
    /// (see [`Fingerprint::settled`]). Nothing changes for a record that is not valid.
    pub fn settle(&self, name: &str) -> Result<(), ManageError> {
        let state_file = self.state_file(name);
        let Some(Ok(mut record)) =
            read(&state_file).map(|t| t.and_then(|t| parse(&state_file, &t)))
        else {
            return Ok(());
        };
        match record.process.settled() {
            Some(process) if process != record.process => {
                record.process = process;
                self.save(name, &record)
            }
            _ => Ok(()),
        }
    }

    /// Removes the pid file and the record of `name`.
    pub fn forget(&self, name: &str) {
        let _ = fs::remove_file(self.pid_file(name));
        let _ = fs::remove_file(self.state_file(name));
    }
}

/// The text of `path`: `None` when it does not exist, `Err` with a reason when it cannot be read.
fn read(path: &Path) -> Option<Result<String, String>> {
    match fs::read(path) {
        Ok(bytes) => Some(Ok(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => Some(Err(format!("cannot read {}: {e}", path.display()))),
    }
}

/// The pid a pid file holds: digits alone (whitespace around them allowed), above 1.
fn parse_pid(path: &Path, text: &str) -> Result<u32, String> {
    let trimmed = text.trim();
    match trimmed.parse::<u32>() {
        Ok(pid) if process::signallable(pid) && trimmed.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(pid)
        }
        Ok(_) | Err(_) => Err(format!(
            "{} holds {trimmed:?}, which is not the pid of a process mcp-create could have started",
            path.display()
        )),
    }
}

/// A state record, or why it is not one.
fn parse(path: &Path, text: &str) -> Result<Record, String> {
    if text.trim().is_empty() {
        return Err(format!("the state record {} is empty", path.display()));
    }
    let record: Record = serde_json::from_str(text)
        .map_err(|e| format!("the state record {} is not valid: {e}", path.display()))?;
    match process::signallable(record.pid()) {
        true => Ok(record),
        false => Err(format!(
            "the state record {} names pid {}, which mcp-create never signals",
            path.display(),
            record.pid()
        )),
    }
}

/// Replaces `path` with `bytes` atomically, through the one writer.
fn write(path: &Path, bytes: &[u8]) -> Result<(), ManageError> {
    writer::update(path, Backup::None, |_| Ok(Some(bytes.to_vec())))
        .map(drop)
        .map_err(|e: WriteError| ManageError::Runtime(e))
}

/// `name` as a file name: characters other than letters, digits, `.`, `_` and `-` become `_`, so
/// that a registry key cannot point outside the runtime directory.
fn stem(name: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let stem: String = name
        .chars()
        .map(|c| if safe(c) { c } else { '_' })
        .collect();
    if stem.starts_with('.') {
        format!("_{stem}")
    } else {
        stem
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The last `lines` lines of the file at `path` (empty when it cannot be read).
pub fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// "3h 2m 5s".
pub fn human_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m {s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime(dir: &Path) -> Runtime {
        Runtime {
            dir: dir.to_owned(),
        }
    }

    /// A record of this test process (which runs, and is not ours to signal in any test).
    fn own_record() -> Record {
        Record {
            process: Fingerprint::of(std::process::id(), &[]).unwrap(),
            started_at: now(),
            command: "x".into(),
            port: None,
        }
    }

    #[test]
    fn a_valid_record_of_a_running_process_is_running() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = runtime(dir.path());
        let record = own_record();
        runtime.save("w", &record).unwrap();
        assert_eq!(
            fs::read_to_string(runtime.pid_file("w")).unwrap(),
            format!("{}\n", std::process::id())
        );
        assert_eq!(runtime.find("w"), Found::Running(record.clone()));
        fs::remove_file(runtime.pid_file("w")).unwrap();
        assert_eq!(
            runtime.find("w"),
            Found::Running(record),
            "a record alone is enough"
        );
    }

    #[test]
    fn pid_files_without_a_valid_record_are_stale_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = runtime(dir.path());
        let me = std::process::id();
        let cases: Vec<(String, Option<&str>, Option<u32>, &str)> = vec![
            ("12345678".into(), None, None, "no state record"),
            ("1".into(), None, None, "holds \"1\""),
            (" 0001 ".into(), None, None, "holds \"0001\""),
            ("-1".into(), None, None, "holds \"-1\""),
            ("+7".into(), None, None, "holds \"+7\""),
            ("".into(), Some(""), None, "holds \"\""),
            (format!("{me}"), Some(""), Some(me), "is empty"),
            (
                format!("{me}\n"),
                Some("{garbage"),
                Some(me),
                "is not valid",
            ),
        ];
        for (pid, state, unproven, reason) in &cases {
            fs::write(runtime.pid_file("w"), pid).unwrap();
            if let Some(state) = state {
                fs::write(runtime.state_file("w"), state).unwrap();
            }
            match runtime.find("w") {
                Found::Stale(stale) => {
                    assert!(stale.reason.contains(reason), "{pid:?}: {stale}");
                    assert_eq!(stale.unproven, *unproven, "{pid:?}: {stale}");
                }
                other => panic!("{pid:?} {state:?}: {other:?}"),
            }
            assert!(!runtime.pid_file("w").exists() && !runtime.state_file("w").exists());
        }
        assert_eq!(runtime.find("w"), Found::Nothing);
    }

    #[test]
    fn a_record_that_disagrees_with_the_process_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = runtime(dir.path());
        let mut record = own_record();
        record.process.start_ticks += 1;
        runtime.save("w", &record).unwrap();
        let Found::Stale(stale) = runtime.find("w") else {
            panic!("another start time is another process")
        };
        assert_eq!(stale.unproven, None, "{stale}");
        let mut record = own_record();
        record.process.cmdline = vec!["sleep".into()];
        runtime.save("w", &record).unwrap();
        let Found::Stale(stale) = runtime.find("w") else {
            panic!("another command line is not provably ours")
        };
        assert_eq!(stale.unproven, Some(std::process::id()), "{stale}");
        runtime.save("w", &own_record()).unwrap();
        fs::write(runtime.pid_file("w"), "4242\n").unwrap();
        let Found::Stale(stale) = runtime.find("w") else {
            panic!("a pid file naming another pid")
        };
        assert!(stale.reason.contains("names pid 4242"), "{stale}");
    }

    #[test]
    fn keys_cannot_leave_the_runtime_directory() {
        let runtime = Runtime {
            dir: PathBuf::from("/rt"),
        };
        assert_eq!(
            runtime.pid_file("../../etc/x"),
            PathBuf::from("/rt/_.._.._etc_x.pid")
        );
        assert_eq!(
            runtime.log_file("weather api"),
            PathBuf::from("/rt/weather_api.log")
        );
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(65), "1m 5s");
        assert_eq!(human_duration(3725), "1h 2m 5s");
    }
}
