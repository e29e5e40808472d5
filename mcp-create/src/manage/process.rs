//! Processes: start one detached in a process group of its own, recognise it later by its
//! fingerprint (pid, start time, command line, group), stop only what is recognised. Nothing here
//! signals pid 0, pid 1 or a negative pid.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::{Pid, getpgid};
use serde::{Deserialize, Serialize};

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

/// What tells a process mcp-create started from any later process that reuses its pid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Its pid.
    pub pid: u32,
    /// The process group mcp-create created for it (it leads it: the same number as `pid`).
    pub pgid: u32,
    /// Its start time in clock ticks since boot (`/proc/<pid>/stat`, field 22).
    pub start_ticks: u64,
    /// The boot it was started in (`/proc/sys/kernel/random/boot_id`): ticks restart at each boot.
    pub boot_id: String,
    /// Its arguments as `/proc/<pid>/cmdline` showed them right after it started.
    pub cmdline: Vec<String>,
    /// The arguments mcp-create gave the program. A launcher that `exec`s the real program
    /// (a pyenv or asdf shim, `env`, a script ending in `exec "$@"`) changes the command line
    /// but keeps them at its end.
    pub launched: Vec<String>,
}

/// Whether the process of a fingerprint still runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// It runs: same pid, start time, boot and command line.
    Ours,
    /// It has ended; the reason says how we know (its pid may now be another process's).
    Gone(String),
    /// A process runs at its pid that cannot be proven to be it.
    Unproven(String),
}

/// What `/proc` shows of a process now.
struct Seen {
    start_ticks: u64,
    pgid: u32,
    zombie: bool,
    cmdline: Vec<String>,
}

/// Reads `/proc/<pid>/stat` and `/proc/<pid>/cmdline`; `None` when there is no such process.
fn seen(pid: u32) -> Option<Seen> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let bytes = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    // Arguments end with a NUL each; a zombie or kernel thread has none.
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
    let cmdline = match bytes.is_empty() {
        true => Vec::new(),
        false => bytes
            .split(|&b| b == 0)
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect(),
    };
    Some(Seen {
        zombie: fields.first() == Some(&"Z"),
        pgid: fields.get(2)?.parse().ok()?,
        start_ticks: fields.get(19)?.parse().ok()?,
        cmdline,
    })
}

/// What `/proc` shows of `pid` once its arguments show: a process between two programs (in
/// `exec`, as a launcher hands over to the server) shows none for a moment. Waits up to a second
/// for them; a zombie, which has none for good, is returned at once.
fn seen_with_arguments(pid: u32) -> Option<Seen> {
    let mut seen = seen(pid)?;
    let deadline = Instant::now() + Duration::from_secs(1);
    while seen.cmdline.is_empty() && !seen.zombie && Instant::now() < deadline {
        sleep(Duration::from_millis(2));
        seen = self::seen(pid)?;
    }
    Some(seen)
}

/// This boot's id; empty where the kernel does not tell.
fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|id| id.trim().to_owned())
        .unwrap_or_default()
}

/// Whether `pid` may ever be signalled: pid 0, 1 and what does not fit a positive `pid_t` address
/// groups or every process, never one server.
pub fn signallable(pid: u32) -> bool {
    pid > 1 && i32::try_from(pid).is_ok()
}

/// Whether a process runs at `pid` (not gone, not a zombie), whoever started it.
pub fn runs(pid: u32) -> bool {
    seen(pid).is_some_and(|seen| !seen.zombie)
}

impl Fingerprint {
    /// The fingerprint of `pid`, spawned with the arguments `launched`, read right after
    /// spawning it; `None` without `/proc` (then mcp-create cannot recognise it later).
    pub fn of(pid: u32, launched: &[String]) -> Option<Fingerprint> {
        if !signallable(pid) {
            return None;
        }
        // `spawn` returns while the kernel still sets up the new program: its arguments show a
        // moment later.
        let seen = seen_with_arguments(pid)?;
        Some(Fingerprint {
            pid,
            pgid: seen.pgid,
            start_ticks: seen.start_ticks,
            boot_id: boot_id(),
            cmdline: seen.cmdline,
            launched: launched.to_vec(),
        })
    }

    /// The same process with the command line it shows now, if it still runs (same start time
    /// and boot). A launcher that `exec`s the server (`sh -c 'exec ...'`) changes its command line
    /// after the spawn; this records the one it serves with.
    pub fn settled(&self) -> Option<Fingerprint> {
        let now = Fingerprint::of(self.pid, &self.launched).filter(|_| runs(self.pid))?;
        let same = now.start_ticks == self.start_ticks && now.boot_id == self.boot_id;
        same.then(|| Fingerprint {
            cmdline: now.cmdline,
            ..self.clone()
        })
    }

    /// Whether its process still runs, checked against `/proc` now.
    pub fn status(&self) -> Status {
        let pid = self.pid;
        if !signallable(pid) {
            return Status::Unproven(format!(
                "pid {pid} is not a process mcp-create starts (pids <= 1 are never signalled)"
            ));
        }
        // Never judged on the empty arguments of a launcher in the middle of `exec`.
        let Some(now) = seen_with_arguments(pid).filter(|seen| !seen.zombie) else {
            return Status::Gone(format!("pid {pid} has exited"));
        };
        let boot = boot_id();
        if !self.boot_id.is_empty() && !boot.is_empty() && self.boot_id != boot {
            return Status::Gone(format!(
                "it was started before the machine last booted; pid {pid} is now another process"
            ));
        }
        if now.start_ticks != self.start_ticks {
            return Status::Gone(format!(
                "pid {pid} now belongs to another process (started at another time)"
            ));
        }
        let same_launch = !self.launched.is_empty() && now.cmdline.ends_with(&self.launched);
        if now.cmdline != self.cmdline && !same_launch {
            return Status::Unproven(format!(
                "pid {pid} runs `{}`, not the recorded `{}`",
                now.cmdline.join(" "),
                self.cmdline.join(" ")
            ));
        }
        Status::Ours
    }

    /// Whether its process still runs.
    pub fn is_running(&self) -> bool {
        self.status() == Status::Ours
    }

    /// Whether its process has ended: no process, a zombie, or another process at its pid.
    /// (While a process exits, its command line reads empty: that is not the end yet.)
    fn ended(&self) -> bool {
        seen(self.pid).is_none_or(|seen| seen.zombie || seen.start_ticks != self.start_ticks)
    }

    /// Sends `signal` to the group mcp-create created for it, or to the process alone if it left
    /// that group; nothing unless its process is still recognised.
    fn signal(&self, signal: Signal) {
        if !self.is_running() {
            return;
        }
        let pid = Pid::from_raw(self.pid as i32);
        match self.pgid == self.pid && getpgid(Some(pid)) == Ok(pid) {
            true => {
                let _ = killpg(pid, signal);
            }
            false => {
                let _ = kill(pid, signal);
            }
        }
    }

    /// SIGKILL to what is left of its group once its leader has ended. While any member lives the
    /// kernel does not hand the group's number to a new process, so the members are its children.
    fn kill_leftovers(&self) {
        let leader_runs = seen(self.pgid).is_some_and(|seen| !seen.zombie);
        if self.pgid != self.pid || !signallable(self.pgid) || leader_runs {
            return;
        }
        let _ = killpg(Pid::from_raw(self.pgid as i32), Signal::SIGKILL);
    }
}

/// Stops a recognised process and its group: SIGTERM, then SIGKILL after `grace`. Each signal goes
/// only to a process still recognised. Returns whether it had to be killed.
pub fn terminate(process: &Fingerprint, grace: Duration) -> bool {
    if !process.is_running() {
        return false;
    }
    process.signal(Signal::SIGTERM);
    if wait_gone(process, grace) {
        process.kill_leftovers();
        return false;
    }
    process.signal(Signal::SIGKILL);
    wait_gone(process, Duration::from_secs(5));
    process.kill_leftovers();
    true
}

/// Stops `child`, which this process spawned leading its own group and has not reaped: SIGTERM
/// to the group, SIGKILL after `grace`, then reaps it. The group is signalled while the child is
/// unreaped, so its number cannot belong to anyone else.
pub fn stop_child(child: &mut Child, grace: Duration) {
    let pid = child.id();
    if !signallable(pid) {
        return;
    }
    let group = Pid::from_raw(pid as i32);
    let _ = killpg(group, Signal::SIGTERM);
    let deadline = Instant::now() + grace;
    while seen(pid).is_some_and(|seen| !seen.zombie) && Instant::now() < deadline {
        sleep(Duration::from_millis(50));
    }
    let _ = killpg(group, Signal::SIGKILL);
    let _ = child.wait();
}

/// Waits up to `timeout` for `process` to end; whether it did.
pub fn wait_gone(process: &Fingerprint, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while !process.ended() {
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(50));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Launch {
        Launch {
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
            ..Launch::default()
        }
    }

    /// Live members of process group `pgid`.
    fn members(pgid: u32) -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| seen(pid).is_some_and(|s| !s.zombie && s.pgid == pgid))
            .collect()
    }

    #[test]
    fn a_launcher_that_execs_keeps_its_process() {
        let dir = tempfile::tempdir().unwrap();
        // `sh -c 'exec "$0" "$@"' sleep 30` becomes `sleep 30`: its arguments end the same.
        let launch = Launch {
            program: "sh".into(),
            args: vec![
                "-c".into(),
                "exec \"$0\" \"$@\"".into(),
                "sleep".into(),
                "30".into(),
            ],
            ..Launch::default()
        };
        let mut child = spawn_detached(&launch, &dir.path().join("log")).unwrap();
        let process = Fingerprint::of(child.id(), &["30".into()]).unwrap();
        let started = Instant::now();
        while seen(process.pid).unwrap().cmdline != ["sleep", "30"] {
            assert!(started.elapsed() < Duration::from_secs(5));
            sleep(Duration::from_millis(10));
        }
        assert_eq!(process.status(), Status::Ours);
        let unlaunched = Fingerprint {
            launched: Vec::new(),
            cmdline: vec!["sh".into()],
            ..process.clone()
        };
        assert!(matches!(unlaunched.status(), Status::Unproven(_)));
        let settled = unlaunched.settled().unwrap();
        assert_eq!(settled.cmdline, ["sleep", "30"]);
        assert_eq!(settled.status(), Status::Ours);
        stop_child(&mut child, Duration::from_secs(2));
    }

    #[test]
    fn a_terminated_group_is_gone_children_included() {
        let dir = tempfile::tempdir().unwrap();
        let mut child =
            spawn_detached(&sh("sleep 30 & sleep 31; wait"), &dir.path().join("log")).unwrap();
        let process = Fingerprint::of(child.id(), &[]).unwrap();
        assert_eq!(process.pgid, process.pid, "it leads a group of its own");
        assert_eq!(process.cmdline, ["sh", "-c", "sleep 30 & sleep 31; wait"]);
        assert_eq!(process.status(), Status::Ours);
        let started = Instant::now();
        while members(process.pgid).len() < 3 && started.elapsed() < Duration::from_secs(5) {
            sleep(Duration::from_millis(20));
        }
        assert_eq!(members(process.pgid).len(), 3, "sh and its two sleeps");
        let other_time = Fingerprint {
            start_ticks: process.start_ticks + 1,
            ..process.clone()
        };
        assert!(matches!(other_time.status(), Status::Gone(_)));
        terminate(&other_time, Duration::from_secs(1));
        assert_eq!(process.status(), Status::Ours, "a pid reused is left alone");
        let other_command = Fingerprint {
            cmdline: vec!["sleep".into(), "30".into()],
            ..process.clone()
        };
        assert!(matches!(other_command.status(), Status::Unproven(_)));
        terminate(&other_command, Duration::from_secs(1));
        assert_eq!(
            process.status(),
            Status::Ours,
            "another command is left alone"
        );

        assert!(!terminate(&process, Duration::from_secs(5)));
        let _ = child.wait();
        assert!(matches!(process.status(), Status::Gone(_)));
        assert_eq!(
            members(process.pgid),
            Vec::<u32>::new(),
            "no child left behind"
        );
    }

    #[test]
    fn pids_that_address_many_processes_are_never_ours() {
        for pid in [0, 1, u32::MAX, i32::MAX as u32 + 1] {
            assert!(!signallable(pid));
            assert_eq!(Fingerprint::of(pid, &[]), None);
            let record = Fingerprint {
                pid,
                pgid: pid,
                start_ticks: 0,
                boot_id: String::new(),
                cmdline: Vec::new(),
                launched: Vec::new(),
            };
            assert!(matches!(record.status(), Status::Unproven(_)), "{pid}");
        }
    }

    #[test]
    fn a_stopped_child_takes_its_group_along() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_detached(&sh("sleep 40 & wait"), &dir.path().join("log")).unwrap();
        let pgid = child.id();
        let started = Instant::now();
        while members(pgid).len() < 2 && started.elapsed() < Duration::from_secs(5) {
            sleep(Duration::from_millis(20));
        }
        stop_child(&mut child, Duration::from_secs(5));
        assert_eq!(members(pgid), Vec::<u32>::new());
    }
}
