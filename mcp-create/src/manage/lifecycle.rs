//! start, stop and restart: servers run over HTTP on their registered port, in the
//! background, with a pid file and a log in the runtime directory.

use std::fs;
use std::process::Child;
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::dependencies::{dependency_key, docker_up, start_dependency};
use super::process::Fingerprint;
use super::runtime::{Found, Record, now, tail};
use super::{Context, ManageError, docker, health, port, process};
use crate::connect::Launch;
use crate::registry::Server;

/// How many log lines a failed start shows.
pub const TAIL_LINES: usize = 30;

/// How long `start` waits for a port that no live process holds: a server killed or stopped a
/// moment ago releases it when its last thread has exited.
const PORT_GRACE: Duration = Duration::from_secs(5);

/// `Ok` once `port` is free for server `name` to bind, waiting out a server still exiting.
fn port_free_for(name: &str, port: u16) -> Result<(), ManageError> {
    port::wait_free(port, PORT_GRACE).map_err(|holders| ManageError::PortInUse {
        name: name.into(),
        port,
        holders: holders.to_string(),
    })
}

/// `start NAME|all [--fg]`.
pub fn start(ctx: &mut Context<'_>, name: &str, fg: bool, timeout: u64) -> Result<(), ManageError> {
    let servers = ctx.select(name)?;
    if fg {
        return match servers.as_slice() {
            [server] => foreground(ctx, server),
            _ => Err(ManageError::Usage(
                "--fg runs one server in this terminal: name it instead of `all`".into(),
            )),
        };
    }
    each(ctx, servers, |ctx, server| {
        start_one(ctx, server, Duration::from_secs(timeout))
    })
}

/// `stop NAME|all`.
pub fn stop(ctx: &mut Context<'_>, name: &str, grace: u64) -> Result<(), ManageError> {
    let servers = ctx.select(name)?;
    each(ctx, servers, |ctx, server| {
        stop_one(ctx, server, Duration::from_secs(grace))
    })
}

/// `restart NAME|all`.
pub fn restart(ctx: &mut Context<'_>, name: &str, timeout: u64) -> Result<(), ManageError> {
    let servers = ctx.select(name)?;
    each(ctx, servers, |ctx, server| {
        match stop_one(ctx, server, Duration::from_secs(10)) {
            // Its files are gone and nothing was signalled: start as if it had not run.
            Err(ManageError::NotOurs { name, stale }) => {
                ctx.say(format!("{name}: removed a stale pid file: {stale}"))
            }
            other => other?,
        }
        start_one(ctx, server, Duration::from_secs(timeout))
    })
}

/// Runs `action` on each server. One server: its error. Several: every failure is reported and the
/// others go on; entries that need a missing Docker engine are reported and do not fail the rest.
fn each(
    ctx: &mut Context<'_>,
    servers: Vec<Server>,
    action: impl Fn(&mut Context<'_>, &Server) -> Result<(), ManageError>,
) -> Result<(), ManageError> {
    if let [server] = servers.as_slice() {
        return action(ctx, server);
    }
    let total = servers.len();
    let mut failed = Vec::new();
    for server in &servers {
        match action(ctx, server) {
            Ok(()) => {}
            Err(error @ ManageError::NeedsDocker { .. }) => {
                ctx.say(format!("{}: skipped: {error}", server.key))
            }
            Err(error) => {
                ctx.say(format!("{}: FAILED: {error}", server.key));
                failed.push(server.key.clone());
            }
        }
    }
    match failed.is_empty() {
        true => Ok(()),
        false => Err(ManageError::Several { failed, total }),
    }
}

/// Starts one server and waits until it is healthy.
pub fn start_one(
    ctx: &mut Context<'_>,
    server: &Server,
    timeout: Duration,
) -> Result<(), ManageError> {
    let key = &server.key;
    if server.is_docker() {
        docker_up(key, "its `type` is docker")?;
        docker::start_container(&server.entry, key).map_err(|reason| ManageError::Request {
            server: key.clone(),
            what: "starting its container".into(),
            reason,
        })?;
        ctx.say(format!("started container of {key}"));
        return Ok(());
    }
    match ctx.runtime.find(key) {
        Found::Running(record) => {
            ctx.say(format!("{key} is already running (pid {})", record.pid()));
            return Ok(());
        }
        Found::Stale(stale) => ctx.say(format!("{key}: removed a stale pid file: {stale}")),
        Found::Nothing => {}
    }
    let port = server.require_port()?;
    let launch = server.http_launch()?;
    for dependency in server.dependencies() {
        start_dependency(ctx, server, &dependency, timeout)?;
    }
    port_free_for(key, port)?;
    let log = ctx.runtime.log_file(key);
    let mut child = spawn(ctx, key, &launch, Some(port))?;
    let pid = child.id();
    let progress = crate::output::Progress::start(format!(
        "starting {key} (pid {pid}): waiting for its health check on port {port}"
    ));
    let waited = wait_until(&mut child, timeout, || {
        health::check(server).map_err(|e| e.to_string())
    });
    drop(progress);
    if let Err(reason) = waited {
        process::stop_child(&mut child, Duration::from_secs(2));
        ctx.runtime.forget(key);
        return Err(ManageError::StartFailed {
            name: key.clone(),
            reason,
            tail: tail(&log, TAIL_LINES),
            log,
        });
    }
    ctx.runtime.settle(key)?;
    ctx.say(format!(
        "started {key} (pid {pid}) at http://127.0.0.1:{port}/mcp, log: {}",
        log.display()
    ));
    Ok(())
}

/// Spawns `launch` detached under the runtime name `key`, with a fresh log (the previous one is
/// kept as `<key>.log.1`), and records it before returning: were this process killed while it
/// waits for the server, `stop` can still recognise and stop it. A process that cannot be recorded
/// is stopped again.
pub fn spawn(
    ctx: &Context<'_>,
    key: &str,
    launch: &Launch,
    port: Option<u16>,
) -> Result<Child, ManageError> {
    ctx.runtime.create()?;
    let log = ctx.runtime.log_file(key);
    if log.exists() {
        let _ = fs::rename(&log, log.with_extension("log.1"));
    }
    let mut child = process::spawn_detached(launch, &log)?;
    let saved = match Fingerprint::of(child.id(), &launch.args) {
        Some(process) => ctx.runtime.save(
            key,
            &Record {
                process,
                started_at: now(),
                command: launch.display(),
                port,
            },
        ),
        None => Err(ManageError::NoProcessInfo { pid: child.id() }),
    };
    match saved {
        Ok(()) => Ok(child),
        Err(error) => {
            process::stop_child(&mut child, Duration::from_secs(2));
            Err(error)
        }
    }
}

/// Polls `ready` until it passes, the child exits, or `timeout` passes.
pub fn wait_until(
    child: &mut Child,
    timeout: Duration,
    ready: impl Fn() -> Result<(), String>,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "it exited ({status}) before its health check passed"
            ));
        }
        let last = match ready() {
            Ok(()) => return Ok(()),
            Err(reason) => reason,
        };
        if Instant::now() >= deadline {
            return Err(format!(
                "its health check did not pass within {} s: {last}",
                timeout.as_secs()
            ));
        }
        sleep(Duration::from_millis(200));
    }
}

/// Runs the server over HTTP attached to this terminal until it exits.
fn foreground(ctx: &mut Context<'_>, server: &Server) -> Result<(), ManageError> {
    if server.is_docker() {
        return Err(ManageError::Usage(format!(
            "{} is a Docker entry; --fg runs local commands only",
            server.key
        )));
    }
    let port = server.require_port()?;
    let launch = server.http_launch()?;
    for dependency in server.dependencies() {
        start_dependency(ctx, server, &dependency, Duration::from_secs(60))?;
    }
    if let Some(record) = ctx.runtime.running(&server.key) {
        return Err(ManageError::Usage(format!(
            "{} already runs in the background (pid {}); stop it first: mcp-create stop {}",
            server.key,
            record.pid(),
            server.key
        )));
    }
    port_free_for(&server.key, port)?;
    ctx.say(format!(
        "running {} in the foreground at http://127.0.0.1:{port}/mcp (Ctrl-C stops it)",
        server.key
    ));
    let status = process::command(&launch)
        .status()
        .map_err(|source| ManageError::Spawn {
            command: launch.display(),
            source,
        })?;
    match status.success() {
        true => Ok(()),
        false => Err(ManageError::Request {
            server: server.key.clone(),
            what: "the foreground run".into(),
            reason: format!("it exited with {status}"),
        }),
    }
}

/// Stops one server and the dependency services it started.
pub fn stop_one(
    ctx: &mut Context<'_>,
    server: &Server,
    grace: Duration,
) -> Result<(), ManageError> {
    let key = &server.key;
    if server.is_docker() {
        docker_up(key, "its `type` is docker")?;
        return docker::stop_container(&server.entry, key).map_err(|reason| ManageError::Request {
            server: key.clone(),
            what: "docker stop".into(),
            reason,
        });
    }
    let outcome = match ctx.runtime.find(key) {
        Found::Nothing => {
            ctx.say(format!("{key} is not running"));
            Ok(())
        }
        Found::Stale(stale) if stale.unproven.is_none() => {
            ctx.say(format!(
                "{key} is not running (removed a stale pid file: {stale})"
            ));
            Ok(())
        }
        Found::Stale(stale) => Err(ManageError::NotOurs {
            name: key.clone(),
            stale,
        }),
        Found::Running(record) => {
            let killed = process::terminate(&record.process, grace);
            ctx.runtime.forget(key);
            let how = if killed {
                format!(", killed after {} s", grace.as_secs())
            } else {
                String::new()
            };
            ctx.say(format!("stopped {key} (pid {}{how})", record.pid()));
            Ok(())
        }
    };
    for dependency in server.dependencies() {
        let dep_key = dependency_key(server, &dependency);
        match ctx.runtime.find(&dep_key) {
            Found::Running(record) => {
                process::terminate(&record.process, grace);
                ctx.runtime.forget(&dep_key);
                ctx.say(format!(
                    "stopped dependency {} of {key} (pid {})",
                    dependency.name,
                    record.pid()
                ));
            }
            Found::Stale(stale) => ctx.say(format!(
                "{key}: removed a stale pid file of dependency {}: {stale}",
                dependency.name
            )),
            Found::Nothing => {}
        }
    }
    outcome
}
