//! `status` and `logs`: what runs, how healthy, since when, and what it wrote.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::thread::sleep;
use std::time::Duration;

use serde_json::json;

use super::runtime::{Found, human_duration, tail};
use super::{Context, ManageError, docker, health};

/// `status [NAME|all]`: one line per server.
pub fn status(ctx: &mut Context<'_>, name: &str) -> Result<(), ManageError> {
    let servers = ctx.select(name)?;
    let as_json = crate::output::json();
    if servers.is_empty() && !as_json {
        let config = ctx.config.display().to_string();
        ctx.say(format!("No servers registered in {config}."));
    }
    let width = servers.iter().map(|s| s.key.len()).max().unwrap_or(0);
    let mut rows = Vec::new();
    for server in &servers {
        let key = &server.key;
        let mut row = json!({"name": key, "pid": null, "health": null, "uptime_secs": null,
            "url": server.url()});
        let line = if server.is_docker() {
            match docker::engine_answers() {
                true => {
                    row["state"] = json!("docker");
                    "docker container (see `docker ps`)".to_owned()
                }
                false => {
                    row["state"] = json!("needs-docker");
                    "needs Docker: no Docker engine answers".to_owned()
                }
            }
        } else {
            match ctx.runtime.find(key) {
                Found::Running(record) => {
                    let health = match health::check(server) {
                        Ok(()) => "healthy".to_owned(),
                        Err(reason) => format!("unhealthy ({reason})"),
                    };
                    let url = server.url().unwrap_or_default();
                    row["state"] = json!("running");
                    row["pid"] = json!(record.pid());
                    row["health"] = json!(health);
                    row["uptime_secs"] = json!(record.uptime());
                    format!(
                        "running  pid {}  {health}  up {}  {url}",
                        record.pid(),
                        human_duration(record.uptime())
                    )
                }
                Found::Stale(stale) => {
                    row["state"] = json!("stopped");
                    format!("stopped (removed a stale pid file: {stale})")
                }
                Found::Nothing => {
                    row["state"] = json!("stopped");
                    "stopped".to_owned()
                }
            }
        };
        rows.push(row);
        ctx.say(format!("{key:width$}  {line}"));
    }
    if let Some(note) = ctx.reserved_key_note() {
        ctx.say(note);
    }
    if as_json {
        ctx.print_json("status", json!({ "servers": rows }));
    }
    Ok(())
}

/// `logs NAME [-n N] [-f]`.
pub fn logs(
    ctx: &mut Context<'_>,
    name: &str,
    lines: usize,
    follow: bool,
) -> Result<(), ManageError> {
    let servers = ctx.select(name)?;
    if follow && servers.len() > 1 {
        return Err(ManageError::Usage(
            "--follow reads one log: name a server instead of `all`".into(),
        ));
    }
    for server in &servers {
        let log = ctx.runtime.log_file(&server.key);
        if !log.exists() {
            let error = ManageError::Usage(format!(
                "{} has no log yet ({} does not exist): start it with `mcp-create start {}`",
                server.key,
                log.display(),
                server.key
            ));
            match servers.len() {
                1 => return Err(error),
                _ => continue,
            }
        }
        if servers.len() > 1 {
            ctx.say(format!("==> {} <==", server.key));
        }
        let text = tail(&log, lines);
        if !text.is_empty() {
            ctx.say(text);
        }
        if follow {
            return follow_file(ctx, &log);
        }
    }
    Ok(())
}

/// Prints what is appended to `path` until the output closes; starts over on a replaced file.
fn follow_file(ctx: &mut Context<'_>, path: &std::path::Path) -> Result<(), ManageError> {
    let mut offset = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    loop {
        sleep(Duration::from_millis(250));
        let Ok(mut file) = fs::File::open(path) else {
            continue;
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len < offset {
            offset = 0;
        }
        if len > offset && file.seek(SeekFrom::Start(offset)).is_ok() {
            let mut bytes = Vec::new();
            let _ = file.read_to_end(&mut bytes);
            offset += bytes.len() as u64;
            // A closed output (`logs -f | head`) ends the follow.
            if ctx
                .out
                .write_all(&bytes)
                .and_then(|()| ctx.out.flush())
                .is_err()
            {
                return Ok(());
            }
        }
    }
}
