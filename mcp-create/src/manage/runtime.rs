//! The runtime directory (`~/.mcp-runtime`, or `$MCP_RUNTIME_DIR`): per server a pid file
//! (`<name>.pid`, the pid alone, as the original launcher wrote it), a state file beside it
//! (`<name>.state.json`: start time and command, to tell our process from a reused pid) and a log.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{ManageError, process};

/// The environment variable that overrides the runtime directory.
pub const ENV_VAR: &str = "MCP_RUNTIME_DIR";

/// What we know about a process we started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Its pid (also its process group: it leads a group of its own).
    pub pid: u32,
    /// Its start time in clock ticks since boot (`/proc/<pid>/stat`), when known.
    pub start_ticks: Option<u64>,
    /// When it was started, in seconds since the Unix epoch.
    pub started_at: u64,
    /// The command line, for messages.
    pub command: String,
    /// The port it serves, when any.
    pub port: Option<u16>,
}

impl Record {
    /// Whether this record's process still runs (same pid and same start time).
    pub fn is_running(&self) -> bool {
        process::is_alive(self.pid, self.start_ticks)
    }

    /// Seconds since it started.
    pub fn uptime(&self) -> u64 {
        now().saturating_sub(self.started_at)
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

    fn state_file(&self, name: &str) -> PathBuf {
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

    /// The record of `name`, running or not; `None` without a pid file. A pid file written by
    /// another tool (no state file) gives a record without start time.
    pub fn record(&self, name: &str) -> Option<Record> {
        let pid: u32 = fs::read_to_string(self.pid_file(name))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        let state = fs::read(self.state_file(name))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
            .filter(|state| state.pid == pid);
        Some(state.unwrap_or(Record {
            pid,
            start_ticks: None,
            started_at: now(),
            command: String::new(),
            port: None,
        }))
    }

    /// The record of `name` if its process runs; a stale pid file is removed.
    pub fn running(&self, name: &str) -> Option<Record> {
        let record = self.record(name)?;
        if record.is_running() {
            Some(record)
        } else {
            self.forget(name);
            None
        }
    }

    /// Writes the pid and state files of `name`.
    pub fn save(&self, name: &str, record: &Record) -> Result<(), ManageError> {
        self.create()?;
        let pid_file = self.pid_file(name);
        fs::write(&pid_file, format!("{}\n", record.pid))
            .map_err(|e| ManageError::io("write", &pid_file, e))?;
        let state_file = self.state_file(name);
        let json = serde_json::to_vec_pretty(record).expect("a record serializes");
        fs::write(&state_file, json).map_err(|e| ManageError::io("write", &state_file, e))
    }

    /// Removes the pid and state files of `name`.
    pub fn forget(&self, name: &str) {
        let _ = fs::remove_file(self.pid_file(name));
        let _ = fs::remove_file(self.state_file(name));
    }
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

    #[test]
    fn a_pid_file_of_a_dead_process_is_stale_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = Runtime {
            dir: dir.path().to_owned(),
        };
        let record = Record {
            pid: u32::MAX - 1,
            start_ticks: None,
            started_at: now(),
            command: "x".into(),
            port: None,
        };
        runtime.save("w", &record).unwrap();
        assert_eq!(runtime.record("w"), Some(record));
        assert_eq!(runtime.running("w"), None);
        assert!(!runtime.pid_file("w").exists());
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
