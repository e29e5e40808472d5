//! `install` and `uninstall`: one entry of one client config, written transactionally.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::config_file::ConfigFile;
use super::entry::{self, Spec};
use super::server::{Registered, TOKEN_VAR};
use super::write::{Written, commit};
use super::{ClientError, InstallArgs, UninstallArgs, table};
use crate::cli::Transport;
use crate::connect::{Environment, block_on, check_stdio};
use crate::error::{Error, Result};

/// `mcp-create install NAME --client CLIENT`.
pub fn install(args: &InstallArgs, config: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let client = table::find(&args.client)?;
    let server = Registered::load(config, &args.name)?;
    let env = parse_env(&args.env)?;
    let file = ConfigFile::open(client, args.scope)?;
    let existing = file.servers()?.remove(&args.name);

    let transport = args.transport.unwrap_or_else(|| server.transport());
    let launch;
    let url;
    let spec = match transport {
        Transport::Stdio => {
            launch = server.launch(env.clone())?;
            Spec::Stdio(&launch)
        }
        Transport::Http => {
            url = server.url()?;
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
    if existing.as_ref() == Some(&entry) {
        report.push(format!(
            "{} already has \"{}\" as it would be installed, in {}; nothing to do.",
            client.name,
            args.name,
            file.path.display()
        ));
        return print(out, &report);
    }
    if existing.is_some() && !args.force {
        return Err(ClientError::Conflict {
            client: client.id,
            name: args.name.clone(),
            path: file.path.clone(),
        }
        .into());
    }
    let new_text = file.upsert(&args.name, &entry)?;

    if let (Spec::Stdio(launch), false) = (&spec, args.no_check) {
        // Started as a client would start it; 30 s for the handshake and tools/list.
        let timeout = std::time::Duration::from_secs(30);
        let checked = block_on(check_stdio(launch, Environment::Client, timeout));
        let tools = checked
            .map_err(|source| ClientError::CheckFailed {
                name: args.name.clone(),
                command: launch.display(),
                source,
            })?
            .tools;
        report.push(format!(
            "Checked: `{}` answered the handshake and lists {} tool(s): {}.",
            launch.display(),
            tools.len(),
            tools.join(", ")
        ));
    }

    let written = commit(
        &file.path,
        file.text.as_deref(),
        &new_text,
        args.dry_run,
        out,
    )?;
    let place = place(client, &file);
    match written {
        Written::DryRun => report.push(format!(
            "Dry run: would install \"{}\" into {place}; nothing was written.",
            args.name
        )),
        Written::Written { backup } => {
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
    print(out, &report)
}

/// `mcp-create uninstall NAME --client CLIENT`.
pub fn uninstall(args: &UninstallArgs, out: &mut dyn Write) -> Result<()> {
    let client = table::find(&args.client)?;
    let file = ConfigFile::open(client, args.scope)?;
    let Some(new_text) = file.remove(&args.name)? else {
        return Err(ClientError::NotInstalled {
            client: client.id,
            name: args.name.clone(),
            path: file.path.clone(),
        }
        .into());
    };
    let written = commit(
        &file.path,
        file.text.as_deref(),
        &new_text,
        args.dry_run,
        out,
    )?;
    let place = place(client, &file);
    let mut report = Vec::new();
    match written {
        Written::DryRun => report.push(format!(
            "Dry run: would remove \"{}\" from {place}; nothing was written.",
            args.name
        )),
        Written::Written { backup } => {
            report.push(format!("Removed \"{}\" from {place}.", args.name));
            if let Some(backup) = backup {
                report.push(format!(
                    "The previous version is saved as {}.",
                    backup.display()
                ));
            }
        }
    }
    print(out, &report)
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

fn print(out: &mut dyn Write, lines: &[String]) -> Result<()> {
    lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .map_err(Error::io("write to", "standard output"))
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
