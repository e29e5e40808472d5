//! `install` and `uninstall`: one entry of one client config, written transactionally.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::config_file::ConfigFile;
use super::entry::{self, Spec};
use super::error::Result;
use super::write::{Committed, commit};
use super::{ClientError, InstallArgs, UninstallArgs, table};
use crate::connect::{Environment, block_on, check_stdio};
use crate::error::Error;
use crate::registry::{Registry, TOKEN_VAR};
use crate::transport::Transport;

/// `mcp-create install NAME --client CLIENT`.
pub fn install(args: &InstallArgs, config: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let client = table::find(&args.client)?;
    let registry = Registry::load(config)?;
    let server = registry.get(&args.name)?;
    let env = parse_env(&args.env)?;
    let file = ConfigFile::open(client, args.scope)?;

    let transport = args.transport.unwrap_or_else(|| server.transport());
    let launch;
    let url;
    let spec = match transport {
        Transport::Stdio => {
            launch = server.client_launch(env.clone())?;
            Spec::Stdio(&launch)
        }
        Transport::Http => {
            url = server.require_url()?;
            let secrets = server.secret_names();
            let token_var = secrets.iter().any(|s| s == TOKEN_VAR).then_some(TOKEN_VAR);
            Spec::Http {
                url: &url,
                token_var,
            }
        }
    };
    let (entry, notes) = entry::build(client, &spec)?;
    let mut report = Vec::new();
    let nothing_to_do = format!(
        "{} already has \"{}\" as it would be installed, in {}; nothing to do.",
        client.name,
        args.name,
        file.path.display()
    );
    // Decided again under the lock below, on the file as it is then.
    let edit = |file: &ConfigFile| -> Result<Option<String>> {
        let existing = file.servers()?.remove(&args.name);
        if existing.as_ref() == Some(&entry) {
            return Ok(None);
        }
        if existing.is_some() && !args.force {
            return Err(ClientError::Conflict {
                client: client.id,
                name: args.name.clone(),
                path: file.path.clone(),
            });
        }
        Ok(Some(file.upsert(&args.name, &entry)?))
    };
    let mut doc = summary("installed", &args.name, &file);
    if edit(&file)?.is_none() {
        report.push(nothing_to_do);
        doc["change"] = json!("unchanged");
        return finish(out, "install", doc, &report, &[]);
    }

    if let (Spec::Stdio(launch), false) = (&spec, args.no_check) {
        // Started as a client would start it; 30 s for the handshake and tools/list.
        let timeout = std::time::Duration::from_secs(30);
        let progress = crate::output::Progress::start(format!(
            "checking `{}`: handshake and tools/list",
            launch.display()
        ));
        let checked = block_on(check_stdio(launch, Environment::Client, timeout));
        drop(progress);
        let tools = checked
            .map_err(|source| ClientError::CheckFailed {
                name: args.name.clone(),
                command: launch.display(),
                source,
            })?
            .tools;
        doc["checked"] = json!({"command": launch.display(), "tools": tools});
        report.push(format!(
            "Checked: `{}` answered the handshake and lists {} tool(s): {}.",
            launch.display(),
            tools.len(),
            tools.join(", ")
        ));
    }

    let mut diff = Vec::new();
    let written = commit(&file, args.dry_run, diff_sink(out, &mut diff), edit)?;
    let place = place(client, &file);
    match written {
        Committed::DryRun => report.push(format!(
            "Dry run: would install \"{}\" into {place}; nothing was written.",
            args.name
        )),
        Committed::Unchanged => {
            report.push(nothing_to_do);
            doc["change"] = json!("unchanged");
            return finish(out, "install", doc, &report, &diff);
        }
        Committed::Written { backup } => {
            doc["backup"] = json!(backup);
            report.push(format!("Installed \"{}\" into {place}.", args.name));
            if let Some(backup) = backup {
                report.push(format!(
                    "The previous version is saved as {}.",
                    backup.display()
                ));
            }
            report.push(format!(
                "Restart {} (or reload its MCP servers) to use it.",
                client.name
            ));
        }
    }
    let withheld: Vec<String> = server
        .secret_names()
        .into_iter()
        .filter(|name| {
            let referenced = transport == Transport::Http && name == TOKEN_VAR;
            !env.contains_key(name) && !referenced
        })
        .collect();
    if !withheld.is_empty() {
        report.push(format!(
            "Not written into the client config (values from .env and the registry stay there): {}; \
             pass --env KEY=VALUE for each one the server needs.",
            withheld.join(", ")
        ));
    }
    if transport == Transport::Http && !env.is_empty() {
        report.push("--env was not written: clients pass no environment to HTTP servers.".into());
    }
    report.extend(notes);
    if args.dry_run {
        doc["change"] = json!("dry-run");
    }
    finish(out, "install", doc, &report, &diff)
}

/// `mcp-create uninstall NAME --client CLIENT`: removes the entry if it is the one `install` would
/// write for the registered server `NAME` (either transport; `env` values aside), or on `--force`.
pub fn uninstall(args: &UninstallArgs, config: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let client = table::find(&args.client)?;
    let file = ConfigFile::open(client, args.scope)?;
    let edit = |file: &ConfigFile| -> Result<Option<String>> {
        let Some(existing) = file.servers()?.remove(&args.name) else {
            return Err(ClientError::NotInstalled {
                client: client.id,
                name: args.name.clone(),
                path: file.path.clone(),
            });
        };
        if !args.force
            && let Err(reason) = ours(client, config, &args.name, &existing)
        {
            return Err(ClientError::NotOurs {
                client: client.id,
                name: args.name.clone(),
                path: file.path.clone(),
                reason,
            });
        }
        file.remove(&args.name)
    };
    let mut diff = Vec::new();
    let written = commit(&file, args.dry_run, diff_sink(out, &mut diff), edit)?;
    let place = place(client, &file);
    let mut report = Vec::new();
    let mut doc = summary("removed", &args.name, &file);
    match written {
        Committed::DryRun => report.push(format!(
            "Dry run: would remove \"{}\" from {place}; nothing was written.",
            args.name
        )),
        // The edit removes an entry or fails; an unchanged file means there was nothing to remove.
        Committed::Unchanged => {
            return Err(ClientError::NotInstalled {
                client: client.id,
                name: args.name.clone(),
                path: file.path.clone(),
            });
        }
        Committed::Written { backup } => {
            doc["backup"] = json!(backup);
            report.push(format!("Removed \"{}\" from {place}.", args.name));
            if let Some(backup) = backup {
                report.push(format!(
                    "The previous version is saved as {}.",
                    backup.display()
                ));
            }
        }
    }
    if args.dry_run {
        doc["change"] = json!("dry-run");
    }
    finish(out, "uninstall", doc, &report, &diff)
}

/// Whether `existing` is what `install` would write for the registered server `name`, over
/// stdio or HTTP, with `env` set aside (`--env` puts values there); else why not.
fn ours(
    client: &table::Client,
    config: Option<&Path>,
    name: &str,
    existing: &Value,
) -> Result<(), String> {
    let registry =
        Registry::load(config).map_err(|e| format!("the registry cannot be read: {e}"))?;
    let server = registry
        .get(name)
        .map_err(|_| format!("no server named {name:?} is registered"))?;
    let without_env = |entry: &Value| {
        let mut entry = entry.clone();
        if let Value::Object(fields) = &mut entry {
            fields.remove("env");
        }
        entry
    };
    let launch = server.client_launch(BTreeMap::new());
    let url = server.require_url();
    let token_var = server
        .secret_names()
        .iter()
        .any(|s| s == TOKEN_VAR)
        .then_some(TOKEN_VAR);
    let mut specs = Vec::new();
    if let Ok(launch) = &launch {
        specs.push(Spec::Stdio(launch));
    }
    if let Ok(url) = &url {
        specs.push(Spec::Http { url, token_var });
    }
    let matches = specs.iter().any(|spec| {
        entry::build(client, spec)
            .is_ok_and(|(entry, _)| without_env(&entry) == without_env(existing))
    });
    match (matches, launch) {
        (true, _) => Ok(()),
        (false, Err(why)) => Err(format!(
            "it is not the registered server's URL entry, and its launcher cannot be resolved now \
             to compare the command: {why}"
        )),
        (false, Ok(_)) => Err("its command or URL differs from the registered server's".into()),
    }
}

fn parse_env(pairs: &[String]) -> Result<BTreeMap<String, String>, ClientError> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(ClientError::BadEnv(pair.clone())),
        })
        .collect()
}

/// The `--json` document of `install`/`uninstall` before the details: `change` is `installed`,
/// `removed`, `unchanged` or `dry-run`.
fn summary(change: &str, name: &str, file: &ConfigFile) -> Value {
    json!({"change": change, "name": name, "client": file.client.id, "scope": file.scope.name(),
        "path": file.path, "backup": null, "checked": null, "diff": null, "messages": []})
}

/// Where `--dry-run` writes its diff: into `buffer` with `--json` (the document carries it), else `out`.
fn diff_sink<'a>(out: &'a mut dyn Write, buffer: &'a mut Vec<u8>) -> &'a mut dyn Write {
    match crate::output::json() {
        true => buffer,
        false => out,
    }
}

/// Prints the report lines, or with `--json` the document `doc` with them as `messages`.
fn finish(
    out: &mut dyn Write,
    command: &str,
    mut doc: Value,
    lines: &[String],
    diff: &[u8],
) -> Result<()> {
    if !crate::output::json() {
        return print(out, lines);
    }
    doc["messages"] = json!(lines);
    if !diff.is_empty() {
        doc["diff"] = json!(String::from_utf8_lossy(diff));
    }
    crate::output::json::print(out, command, doc)
        .map_err(|e| Error::io("write to", "standard output")(e).into())
}

fn print(out: &mut dyn Write, lines: &[String]) -> Result<()> {
    lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .map_err(|e| Error::io("write to", "standard output")(e).into())
}

/// "Claude Code (project scope): /path/.mcp.json": where an install or uninstall happens.
fn place(client: &table::Client, file: &ConfigFile) -> String {
    format!(
        "{} ({} scope): {}",
        client.name,
        file.scope.name(),
        file.path.display()
    )
}
