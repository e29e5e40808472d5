//! `doctor`: which toolchains are present, which client configs exist, and for each registered
//! server in each of them: installed, missing, or drifted (and why). Exits 1 when an entry
//! drifted, 3 when a client config cannot be read (see `DOCTOR_EXIT_CODES`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::ClientError;
use super::config_file::ConfigFile;
use super::error::Result;
use super::paths;
use super::table::{CLIENTS, Scope};
use crate::error::{Error, chain};
use crate::registry::{Registry, Server, expand_home, resolve_program};

/// The programs a generated project may need.
const TOOLCHAINS: &[&str] = &["cargo", "python3", "node", "npm", "uv"];

/// `mcp-create doctor`.
pub fn doctor(config: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let registry = Registry::load(config)?;
    let mut lines = vec!["Toolchains:".to_owned()];
    let mut doc = json!({"toolchains": {}, "registry": {"path": registry.path,
        "servers": registry.len()}, "client_configs": [], "unreadable": [], "servers": []});
    for tool in TOOLCHAINS {
        let found = version(tool);
        doc["toolchains"][tool] = json!(found);
        lines.push(format!(
            "  {tool:8} {}",
            found.unwrap_or_else(|| "missing".into())
        ));
    }
    lines.push(format!(
        "Registry: {} ({} servers)",
        registry.path.display(),
        registry.len()
    ));
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for client in CLIENTS {
        for location in client.locations {
            let place = format!("{} ({})", client.id, location.scope.name());
            match ConfigFile::open(client, Some(location.scope)) {
                Ok(file) if file.text.is_none() => {}
                Ok(file) => match file.servers() {
                    Ok(entries) => files.push((place, file, entries)),
                    Err(error) => {
                        push(
                            &mut doc["unreadable"],
                            json!({"client": client.id,
                            "scope": location.scope.name(), "error": error.to_string()}),
                        );
                        unreadable.push(format!("  {place}: unreadable: {error}"))
                    }
                },
                Err(
                    error @ (ClientError::Core(Error::Io { .. } | Error::Write(_))
                    | ClientError::Write(_)),
                ) => {
                    push(
                        &mut doc["unreadable"],
                        json!({"client": client.id,
                        "scope": location.scope.name(), "error": chain(&error)}),
                    );
                    unreadable.push(format!("  {place}: unreadable: {}", chain(&error)));
                }
                Err(error) => return Err(error),
            }
        }
    }
    lines.push("Client configs found:".into());
    if files.is_empty() && unreadable.is_empty() {
        lines.push("  none".into());
    }
    for (place, file, _) in &files {
        push(
            &mut doc["client_configs"],
            json!({"client": file.client.id,
            "scope": file.scope.name(), "path": file.path}),
        );
        lines.push(format!("  {place}: {}", file.path.display()));
    }
    lines.extend(unreadable.iter().cloned());
    let (mut invalid, mut drifted) = (0, 0);
    if let Some(line) = ignored_claude_desktop() {
        drifted += 1;
        lines.push(line);
    }
    for (name, server) in registry.entries() {
        lines.push(format!("{name}:"));
        let mut row = json!({"name": name, "invalid": null, "clients": []});
        let server = match server {
            Ok(server) => server,
            Err(error) => {
                invalid += 1;
                lines.push(format!("  invalid entry: {error}"));
                row["invalid"] = json!(error.to_string());
                push(&mut doc["servers"], row);
                continue;
            }
        };
        for (place, file, entries) in &files {
            let reasons = entries.get(name).map(|entry| drift(server, entry));
            let (state, status) = match &reasons {
                None => ("missing", "missing".into()),
                Some(reasons) if reasons.is_empty() => ("installed", "installed".into()),
                Some(reasons) => {
                    drifted += 1;
                    ("drifted", format!("drifted: {}", reasons.join("; ")))
                }
            };
            push(
                &mut row["clients"],
                json!({"client": file.client.id,
                "scope": file.scope.name(), "status": state, "reasons": reasons.unwrap_or_default()}),
            );
            lines.push(format!("  {place}: {status}"));
        }
        push(&mut doc["servers"], row);
    }
    doc["ok"] = json!(invalid + drifted + unreadable.len() == 0);
    let printed = match crate::output::json() {
        true => crate::output::json::print(out, "doctor", doc),
        false => lines.iter().try_for_each(|line| writeln!(out, "{line}")),
    };
    printed.map_err(Error::io("write to", "standard output"))?;
    match (invalid, drifted, unreadable.len()) {
        (0, 0, 0) => Ok(()),
        (invalid, drifted, unreadable) => Err(ClientError::DoctorFound {
            invalid,
            drifted,
            unreadable,
        }),
    }
}

/// A line flagging entries in the Claude Desktop config that the installed MSIX app ignores.
fn ignored_claude_desktop() -> Option<String> {
    let client = CLIENTS.iter().find(|c| c.id == "claude-desktop")?;
    let path = paths::ignored_claude_desktop(&paths::Env::current(), client)?;
    let file = ConfigFile::open_at(client, Scope::User, path, &[]).ok()?;
    let names: Vec<String> = file.servers().ok()?.keys().cloned().collect();
    (!names.is_empty()).then(|| {
        format!(
            "  claude-desktop: {} holds {} but the installed Claude Desktop (MSIX) ignores that \
             file; run `mcp-create install NAME --client claude-desktop` to write the file it reads",
            file.path.display(),
            names.join(", ")
        )
    })
}

/// Why an installed `entry` no longer matches the registered server (empty: it matches).
fn drift(server: &Server, entry: &Value) -> Vec<String> {
    let mut reasons = Vec::new();
    let dir = &server.path;
    if let Some(dir) = &dir
        && !dir.is_dir()
    {
        reasons.push(format!(
            "path moved: the project folder {} no longer exists",
            dir.display()
        ));
    }
    // `command` and `args`, Goose's `cmd`, or opencode's one `command` array.
    let line: Vec<&str> = match (entry.get("command"), entry.get("cmd")) {
        (Some(Value::Array(line)), _) => line.iter().filter_map(Value::as_str).collect(),
        (Some(Value::String(command)), _) | (None, Some(Value::String(command))) => {
            let args = entry.get("args").and_then(Value::as_array);
            std::iter::once(command.as_str())
                .chain(args.into_iter().flatten().filter_map(Value::as_str))
                .collect()
        }
        _ => Vec::new(),
    };
    let Some((command, args)) = line.split_first() else {
        // An HTTP entry: compare the URL.
        let url = ["url", "serverUrl", "httpUrl", "uri"]
            .iter()
            .find_map(|k| entry.get(*k)?.as_str());
        if let (Some(url), Some(expected)) = (url, server.url())
            && url != expected
        {
            reasons.push(format!(
                "command differs: the URL is {url}, the registry says {expected}"
            ));
        }
        return reasons;
    };
    let installed = expand_home(command);
    if resolve_program(&installed, None).is_none() {
        reasons.push(format!("binary missing: {}", installed.display()));
    }
    if let Some(dir) = &dir
        && installed.is_absolute()
        && !installed.starts_with(dir)
        && let Ok([program, ..]) = server.command_line()
        && dir_relative(program, dir).is_some_and(|p| p.starts_with(dir))
    {
        reasons.push(format!(
            "path moved: the client runs {}, outside the project folder {}",
            installed.display(),
            dir.display()
        ));
    }
    if let Ok(launch) = server.client_launch(Default::default())
        && (installed != launch.program || args != launch.args)
    {
        reasons.push(format!(
            "command differs: the registry says `{}`",
            launch.display()
        ));
    }
    reasons
}

/// `program` as the registry means it, when it is a path inside or relative to `dir`.
fn dir_relative(program: &str, dir: &Path) -> Option<PathBuf> {
    let path = expand_home(program);
    if path.is_absolute() {
        Some(path)
    } else if program.contains('/') {
        Some(dir.join(path))
    } else {
        None
    }
}

/// The first line `tool --version` prints, or `None` when the tool is not found.
fn version(tool: &str) -> Option<String> {
    let output = Command::new(tool).arg("--version").output().ok()?;
    let first = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        text.lines().next().unwrap_or_default().trim().to_owned()
    };
    Some(match (output.status.success(), first(&output.stdout)) {
        (true, line) if !line.is_empty() => line,
        (true, _) => "present".into(),
        (false, _) => format!(
            "found, but `{tool} --version` failed: {}",
            first(&output.stderr)
        ),
    })
}

/// Appends `value` to the JSON array `array`.
fn push(array: &mut Value, value: Value) {
    if let Value::Array(items) = array {
        items.push(value);
    }
}
