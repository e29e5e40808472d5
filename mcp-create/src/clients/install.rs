//! `install` and `uninstall`: one entry of one client config, written transactionally.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::config_file::ConfigFile;
use super::entry::{self, Spec};
use super::error::Result;
use super::write::{Committed, commit};
use super::{ClientError, InstallArgs, UninstallArgs, link, paths, table};
use crate::connect::{Environment, Launch, block_on, check_stdio};
use crate::error::Error;
use crate::registry::{Registry, TOKEN_VAR};
use crate::transport::Transport;

/// What `--client` takes to install into every client found on the machine.
pub const DETECTED: &str = "detected";

/// `mcp-create install NAME --client CLIENT` (or `--client detected`, or `--link`).
pub fn install(args: &InstallArgs, config: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let detected = args.client == DETECTED;
    let client = match detected {
        true => None,
        false => Some(table::find(&args.client)?),
    };
    let registry = Registry::load(config)?;
    let server = registry.get(&args.name)?;
    let env = parse_env(&args.env)?;
    let transport = match args.dev {
        true => Transport::Stdio,
        false => args.transport.unwrap_or_else(|| server.transport()),
    };
    let launch;
    let url;
    let spec = match transport {
        Transport::Stdio if args.dev => {
            launch = dev_launch(&registry, &args.name, env.clone())?;
            Spec::Stdio(&launch)
        }
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
    // The stdio entry `install` switches from without `--force`: with `--dev`, the plain one;
    // without, the `--dev` one.
    let other = match (transport, args.dev) {
        (Transport::Http, _) => None,
        (_, true) => server.client_launch(env.clone()).ok(),
        (_, false) => dev_launch(&registry, &args.name, env.clone()).ok(),
    };
    let mut report = Vec::new();
    let Some(client) = client else {
        if args.link {
            return Err(ClientError::NoLink { client: DETECTED });
        }
        return install_detected(args, other.as_ref(), &spec, out);
    };
    if args.link {
        let (entry, notes) = entry::build(client, &args.name, &spec)?;
        let link = link::link(client, &args.name, &entry)?;
        report.push(link.clone());
        report.extend(notes);
        let doc = json!({"change": "link", "name": args.name, "client": client.id, "link": link});
        return finish(out, "install", doc, &report, &[]);
    }
    let file = ConfigFile::open(client, args.scope)?;
    let (entry, notes) = entry::build(client, &args.name, &spec)?;
    let nothing_to_do = format!(
        "{} already has \"{}\" as it would be installed, in {}; nothing to do.",
        client.name,
        args.name,
        file.path.display()
    );
    let edit = editor(args, other.as_ref(), &entry);
    let mut doc = summary("installed", &args.name, &file);
    if edit(&file)?.is_none() {
        report.push(nothing_to_do);
        doc["change"] = json!("unchanged");
        return finish(out, "install", doc, &report, &[]);
    }
    if !args.no_check
        && let Some(checked) = check(&args.name, &spec)?
    {
        doc["checked"] = json!({"command": checked.command, "tools": checked.tools});
        report.push(checked.line());
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

/// The edit `install` makes to a file holding what it holds then: `None` when the entry is there
/// already; a different entry of that name needs `--force`, unless it is `other`'s (the stdio
/// entry with or without `--dev`: install switches between them). Decided again under the lock.
fn editor<'a>(
    args: &'a InstallArgs,
    other: Option<&'a Launch>,
    entry: &'a Value,
) -> impl Fn(&ConfigFile) -> Result<Option<String>> + 'a {
    move |file: &ConfigFile| {
        let existing = file.servers()?.remove(&args.name);
        if existing.as_ref() == Some(entry) {
            return Ok(None);
        }
        let replaceable = |existing: &Value| {
            args.force
                || other.is_some_and(|other| {
                    entry::build(file.client, &args.name, &Spec::Stdio(other))
                        .is_ok_and(|(entry, _)| without_env(&entry) == without_env(existing))
                })
        };
        if existing
            .as_ref()
            .is_some_and(|existing| !replaceable(existing))
        {
            return Err(ClientError::Conflict {
                client: file.client.id,
                name: args.name.clone(),
                path: file.path.clone(),
            });
        }
        Ok(Some(file.upsert(&args.name, entry)?))
    }
}

/// What the check of a stdio server found: the command started and the tools it lists.
struct Checked {
    command: String,
    tools: Vec<String>,
}

impl Checked {
    fn line(&self) -> String {
        format!(
            "Checked: `{}` answered the handshake and lists {} tool(s): {}.",
            self.command,
            self.tools.len(),
            self.tools.join(", ")
        )
    }
}

/// Starts a stdio server as a client would (30 s for the handshake and tools/list). An HTTP entry
/// is not checked.
fn check(name: &str, spec: &Spec<'_>) -> Result<Option<Checked>> {
    let Spec::Stdio(launch) = spec else {
        return Ok(None);
    };
    let timeout = std::time::Duration::from_secs(30);
    let progress = crate::output::Progress::start(format!(
        "checking `{}`: handshake and tools/list",
        launch.display()
    ));
    let checked = block_on(check_stdio(launch, Environment::Client, timeout));
    drop(progress);
    let tools = checked
        .map_err(|source| ClientError::CheckFailed {
            name: name.to_owned(),
            command: launch.display(),
            source,
        })?
        .tools;
    Ok(Some(Checked {
        command: launch.display(),
        tools,
    }))
}

/// `--client detected`: every client found on this machine, at its default scope, one
/// transaction per file; one summary line per file. Fails (after the summary) if any file failed.
fn install_detected(
    args: &InstallArgs,
    other: Option<&Launch>,
    spec: &Spec<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let env = paths::Env::current();
    let clients: Vec<&'static table::Client> = table::CLIENTS
        .iter()
        .filter(|client| paths::found(&env, client))
        .collect();
    if clients.is_empty() {
        return Err(ClientError::NoneDetected);
    }
    let mut report = Vec::new();
    if !args.no_check && !args.dry_run {
        report.extend(check(&args.name, spec)?.map(|checked| checked.line()));
    }
    report.push(format!(
        "Installing \"{}\" into the {} clients found:",
        args.name,
        clients.len()
    ));
    let mut failed = 0;
    let mut results = Vec::new();
    let mut diff = Vec::new();
    for client in &clients {
        let mut one = || -> Result<String> {
            let file = ConfigFile::open(client, args.scope)?;
            let (entry, _) = entry::build(client, &args.name, spec)?;
            let path = file.path.display().to_string();
            let sink = diff_sink(out, &mut diff);
            Ok(
                match commit(&file, args.dry_run, sink, editor(args, other, &entry))? {
                    Committed::DryRun => format!("would install into {path}"),
                    Committed::Unchanged => format!("already there, in {path}"),
                    Committed::Written { backup: None } => format!("installed into {path}"),
                    Committed::Written { backup: Some(b) } => format!(
                        "installed into {path} (previous version saved as {})",
                        b.display()
                    ),
                },
            )
        };
        let (ok, line) = match one() {
            Ok(line) => (true, line),
            Err(error) => {
                failed += 1;
                (false, format!("failed: {}", crate::error::chain(&error)))
            }
        };
        results.push(json!({"client": client.id, "ok": ok, "result": line}));
        report.push(format!("  {}: {line}", client.id));
    }
    let doc = json!({"change": "detected", "name": args.name, "clients": results});
    finish(out, "install", doc, &report, &diff)?;
    match failed {
        0 => Ok(()),
        failed => Err(ClientError::SomeFailed {
            failed,
            total: clients.len(),
        }),
    }
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
/// stdio, HTTP or `--dev`, with `env` set aside (`--env` puts values there); else why not.
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
    let launch = server.client_launch(BTreeMap::new());
    let url = server.require_url();
    let token_var = server
        .secret_names()
        .iter()
        .any(|s| s == TOKEN_VAR)
        .then_some(TOKEN_VAR);
    let dev = dev_launch(&registry, name, BTreeMap::new());
    let mut specs = Vec::new();
    if let Ok(launch) = &launch {
        specs.push(Spec::Stdio(launch));
    }
    if let Ok(dev) = &dev {
        specs.push(Spec::Stdio(dev));
    }
    if let Ok(url) = &url {
        specs.push(Spec::Http { url, token_var });
    }
    let matches = specs.iter().any(|spec| {
        entry::build(client, name, spec)
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

/// An entry without its `env` (which `--env` fills).
fn without_env(entry: &Value) -> Value {
    let mut entry = entry.clone();
    if let Value::Object(fields) = &mut entry {
        fields.remove("env");
    }
    entry
}

/// `--dev`: the running mcp-create (absolute) with `dev NAME`, and `--config` when the registry
/// is not the default one (a client does not pass `MCP_SERVERS_CONFIG` on).
fn dev_launch(registry: &Registry, name: &str, env: BTreeMap<String, String>) -> Result<Launch> {
    let program = std::env::current_exe().map_err(Error::io("locate", "the mcp-create binary"))?;
    let mut args = vec!["dev".to_owned(), name.to_owned()];
    let default = std::env::home_dir().map(|home| home.join(crate::config::FILE_NAME));
    if default.as_ref() != Some(&registry.path) {
        args.extend(["--config".into(), registry.path.display().to_string()]);
    }
    Ok(Launch {
        program,
        args,
        env,
        cwd: None,
    })
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
