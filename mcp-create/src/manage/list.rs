//! `list [--json]`: every registered server with template, transport, port, path and state
//! (running, stopped, or for Docker entries: container, or needs Docker).

use serde_json::{Value, json};

use super::runtime::Found;
use super::{Context, ManageError, docker};
use crate::registry::{RegistryError, Server};

/// Prints the registry as an aligned table, or as JSON.
pub fn run(ctx: &mut Context<'_>, as_json: bool) -> Result<(), ManageError> {
    let mut notes = Vec::new();
    let rows: Vec<Value> = ctx
        .registry
        .entries()
        .map(|(key, entry)| match entry {
            Ok(server) => row(ctx, server, &mut notes),
            Err(error) => bad_row(key, error),
        })
        .collect();
    notes.extend(ctx.reserved_key_note());
    if as_json {
        // stdout stays JSON: the notes go to stderr.
        notes.into_iter().for_each(crate::output::note);
        ctx.print_json("list", json!({ "servers": rows }));
        return Ok(());
    }
    if rows.is_empty() {
        ctx.say(format!(
            "No servers registered in {}; create one with `mcp-create <NAME>`.",
            ctx.config.display()
        ));
        return Ok(());
    }
    let header = ["NAME", "TEMPLATE", "TRANSPORT", "PORT", "STATE", "PATH"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            let text = |field: &str| text(row, field);
            let state = match (&row["state"], &row["pid"]) {
                (Value::String(state), Value::Number(pid)) => format!("{state} (pid {pid})"),
                (state, _) => state.as_str().unwrap_or_default().to_owned(),
            };
            [
                text("name"),
                text("template"),
                text("transport"),
                text("port"),
                state,
                text("path"),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            match i + 1 == cells.len() {
                true => line.push_str(cell),
                false => line.push_str(&format!("{cell:width$}  ", width = widths[i])),
            }
        }
        line
    };
    ctx.say(line(header.to_vec()));
    for row in &cells {
        ctx.say(line(row.iter().map(String::as_str).collect()));
    }
    for error in rows.iter().filter_map(|row| row["error"].as_str()) {
        ctx.say(format!("invalid entry: {error}"));
    }
    for note in notes {
        ctx.say(note);
    }
    Ok(())
}

/// A field of a row as table text.
fn text(row: &Value, field: &str) -> String {
    match &row[field] {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One server as a JSON object; a note is added when its runtime files were stale.
fn row(ctx: &Context<'_>, server: &Server, notes: &mut Vec<String>) -> Value {
    let record = match ctx.runtime.find(&server.key) {
        Found::Running(record) => Some(record),
        Found::Stale(stale) => {
            notes.push(format!("{}: removed a stale pid file: {stale}", server.key));
            None
        }
        Found::Nothing => None,
    };
    let template = server
        .str("template")
        .or(server.is_docker().then_some("docker"));
    let (transport, state) = match (server.is_docker(), &record) {
        (true, _) => {
            let state = if docker::engine_answers() {
                "container"
            } else {
                "needs Docker"
            };
            (server.transport().as_str(), state)
        }
        (false, Some(_)) => (server.transport().as_str(), "running"),
        (false, None) => (server.transport().as_str(), "stopped"),
    };
    json!({
        "name": server.key,
        "display_name": server.str("name"),
        "template": template,
        "transport": transport,
        "port": server.port,
        "path": server.path.as_ref().map(|p| p.display().to_string()),
        "running": record.is_some(),
        "state": state,
        "pid": record.map(|r| r.pid()),
    })
}

/// A bad entry: flagged, with why, so the others still show.
fn bad_row(key: &str, error: &RegistryError) -> Value {
    json!({
        "name": key,
        "state": "invalid entry",
        "error": error.to_string(),
    })
}
