//! Processes: start one detached in its own process group, tell whether a pid is still ours, stop
//! a group with SIGTERM then SIGKILL, and see whether a port is taken.

use std::fs::File;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use super::ManageError;
use crate::connect::Launch;

/// Starts `launch` with stdin closed and stdout and stderr appended to `log`, leading a new
/// process group so that the terminal's Ctrl-C does not reach it and stop can signal its children.
pub fn spawn_detached(launch: &Launch, log: &Path) -> Result<Child, ManageError> {
    let out = File::options()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| ManageError::io("open the log file", log, e))?;
    let err = out
        .try_clone()
        .map_err(|e| ManageError::io("open the log file", log, e))?;
    let mut command = command(launch);
    command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    command.spawn().map_err(|source| ManageError::Spawn {
        command: launch.display(),
        source,
    })
}

/// A `Command` for `launch`.
pub fn command(launch: &Launch) -> Command {
    let mut command = Command::new(&launch.program);
    command.args(&launch.args).envs(&launch.env);
    if let Some(cwd) = &launch.cwd {
        command.current_dir(cwd);
    }
    command
}

/// The start time of `pid` in clock ticks since boot, from `/proc/<pid>/stat`; `None` when the
/// process is gone, is a zombie, or there is no `/proc`.
pub fn start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() == Some(&"Z") {
        return None;
    }
    fields.get(19)?.parse().ok()
}

/// Whether `pid` runs and, when `ticks` is known and `/proc` is there, started at `ticks` (not a
/// reused pid).
pub fn is_alive(pid: u32, ticks: Option<u64>) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    if Path::new("/proc/self/stat").exists() {
        return match (start_ticks(pid), ticks) {
            (None, _) => false,
            (Some(now), Some(then)) => now == then,
            (Some(_), None) => true,
        };
    }
    kill(Pid::from_raw(raw), None).is_ok()
}

/// Stops the process group led by `pid`: SIGTERM, then SIGKILL after `grace`. Returns whether it
/// had to be killed.
pub fn terminate(pid: u32, ticks: Option<u64>, grace: Duration) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    let group = Pid::from_raw(raw);
    if killpg(group, Signal::SIGTERM).is_err() {
        let _ = kill(group, Signal::SIGTERM);
    }
    if wait_gone(pid, ticks, grace) {
        let _ = killpg(group, Signal::SIGKILL);
        return false;
    }
    let _ = killpg(group, Signal::SIGKILL);
    let _ = kill(group, Signal::SIGKILL);
    wait_gone(pid, ticks, Duration::from_secs(5));
    true
}

/// Waits up to `timeout` for `pid` to end; whether it did.
pub fn wait_gone(pid: u32, ticks: Option<u64>, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while is_alive(pid, ticks) {
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(50));
    }
    true
}

/// Whether something listens on `port` of the loopback or any address.
pub fn port_in_use(port: u16) -> bool {
    [Ipv4Addr::LOCALHOST, Ipv4Addr::UNSPECIFIED]
        .iter()
        .any(|ip| TcpListener::bind((*ip, port)).is_err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminated_group_is_gone_and_its_pid_is_not_alive() {
        let launch = Launch {
            program: "sleep".into(),
            args: vec!["30".into()],
            ..Launch::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_detached(&launch, &dir.path().join("log")).unwrap();
        let ticks = start_ticks(child.id());
        assert!(is_alive(child.id(), ticks));
        assert!(
            !is_alive(child.id(), ticks.map(|t| t + 1)),
            "another start time is another process"
        );
        let pid = child.id();
        terminate(pid, ticks, Duration::from_secs(5));
        let _ = child.wait();
        assert!(!is_alive(pid, ticks));
    }

    #[test]
    fn a_bound_port_is_in_use() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        assert!(port_in_use(listener.local_addr().unwrap().port()));
    }
}
