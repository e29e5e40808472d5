//! The subcommands: call the library, then tell the user what happened.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{Cli, Command, NewArgs};
use crate::clients::ClientError;
use crate::error::{Error, Result};
use crate::manage::ManageError;
use crate::new::generate::{Generated, generate};
use crate::new::plan::Plan;
use crate::new::templates::Templates;
use crate::new::workspace::WorkspaceChange;
use crate::output::{self, json};

/// Why a command failed: the error of the module that ran it.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// `new`, `templates`, or reading the templates.
    #[error(transparent)]
    New(#[from] Error),
    /// `list`, `start`, `stop`, `restart`, `status`, `logs`, `test`, `call`, `route`.
    #[error(transparent)]
    Manage(#[from] ManageError),
    /// `install`, `uninstall`, `doctor`, `add`.
    #[error(transparent)]
    Clients(#[from] ClientError),
    /// `dev`.
    #[error(transparent)]
    Dev(#[from] crate::dev::DevError),
    /// A flag the command does not take (`--json` where it has no JSON shape).
    #[error("{0}")]
    Usage(String),
}

impl CommandError {
    /// The process exit code: 0 never; 1 a check or an action failed, 2 a usage error (input the
    /// user can correct on the command line), 3 the registry or a client config cannot be read
    /// (see docs/cli.md).
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::New(error) => error.exit_code(),
            CommandError::Manage(error) => error.exit_code(),
            CommandError::Clients(error) => error.exit_code(),
            CommandError::Dev(error) => error.exit_code(),
            CommandError::Usage(_) => 2,
        }
    }

    /// Whether this is a write to standard output that failed because its reader went away
    /// (`mcp-create ... | head -1`): not worth a message.
    pub fn is_closed_output(&self) -> bool {
        match self {
            CommandError::New(error)
            | CommandError::Manage(ManageError::Core(error))
            | CommandError::Clients(ClientError::Core(error)) => error.is_closed_output(),
            CommandError::Clients(ClientError::Add(crate::add::AddError::Core(error))) => {
                error.is_closed_output()
            }
            _ => false,
        }
    }
}

/// Runs the command of `cli`, printing its report to `out`.
pub fn run(cli: &Cli, out: &mut dyn Write) -> std::result::Result<(), CommandError> {
    output::init(cli.output());
    if cli.json && !cli.command.has_json() {
        return Err(CommandError::Usage(
            "this command has no --json output (see docs/cli.md for those that do); run it \
             without --json"
                .into(),
        ));
    }
    let templates = match &cli.templates_dir {
        Some(dir) => Templates::from_dir(dir)?,
        None => Templates::embedded()?,
    };
    let printed = match &cli.command {
        Command::New(args) => {
            let (plan, generated) = new(args, &templates, cli.config.as_deref())?;
            match cli.json {
                true => json::print(out, "new", new_json(&plan, &generated)),
                false => print_new(&plan, &generated, out),
            }
        }
        Command::Templates if cli.json => json::print(out, "templates", templates_json(&templates)),
        Command::Templates => print_templates(&templates, out),
        Command::Completions { shell } => output::completions::write(*shell, out),
        Command::Man { out: dir } => {
            let written = output::man::write(crate::cli::command(), dir)
                .map_err(Error::io("write man pages to", dir))?;
            match cli.json {
                true => json::print(out, "man", serde_json::json!({ "files": written })),
                false => written
                    .iter()
                    .try_for_each(|path| writeln!(out, "{}", path.display())),
            }
        }
        Command::Manage(command) => {
            return Ok(crate::manage::run(command, cli.config.as_deref(), out)?);
        }
        Command::Clients(command) => {
            return Ok(crate::clients::run(command, cli.config.as_deref(), out)?);
        }
        Command::Dev(args) => return Ok(crate::dev::run(args, cli.config.as_deref())?),
    };
    Ok(printed.map_err(Error::io("write to", "standard output"))?)
}

fn new<'a>(
    args: &NewArgs,
    templates: &'a Templates,
    config: Option<&Path>,
) -> Result<(Plan<'a>, Generated)> {
    let plan = Plan::new(args, templates, config)?;
    let generated = generate(&plan)?;
    Ok((plan, generated))
}

/// `mcp-create templates`: one aligned line per template.
fn print_templates(templates: &Templates, out: &mut dyn Write) -> io::Result<()> {
    let width = templates
        .iter()
        .map(|t| t.manifest.name.len())
        .max()
        .unwrap_or(0);
    for template in templates.iter() {
        let manifest = &template.manifest;
        let others: Vec<&str> = manifest
            .aliases
            .iter()
            .chain(manifest.variants.keys())
            .map(String::as_str)
            .collect();
        let others = if others.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", others.join(", "))
        };
        writeln!(
            out,
            "{:width$}  {:10}  {}{others}",
            manifest.name,
            manifest.language.to_string(),
            manifest.description
        )?;
    }
    Ok(())
}

/// The `--json` document of `templates`.
fn templates_json(templates: &Templates) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = templates
        .iter()
        .map(|template| {
            let manifest = &template.manifest;
            serde_json::json!({
                "name": manifest.name,
                "language": manifest.language.to_string(),
                "description": manifest.description,
                "aliases": manifest.aliases,
                "variants": manifest.variants.keys().collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({ "templates": rows })
}

/// The `--json` document of `new`.
fn new_json(plan: &Plan<'_>, generated: &Generated) -> serde_json::Value {
    let written: Vec<&String> = generated
        .files
        .iter()
        .filter(|file| !generated.kept.contains(file))
        .collect();
    let workspace = plan.workspace.as_ref().map(|change| match change {
        WorkspaceChange::Add { manifest, member } => {
            serde_json::json!({"change": "added", "manifest": manifest, "member": member})
        }
        WorkspaceChange::Covered { manifest, by, .. } => {
            serde_json::json!({"change": "covered", "manifest": manifest, "by": by})
        }
        WorkspaceChange::Excluded { manifest, by, .. } => {
            serde_json::json!({"change": "excluded", "manifest": manifest, "by": by})
        }
        WorkspaceChange::Standalone => serde_json::json!({"change": "standalone"}),
    });
    let registration = plan.registration.as_ref().map(|registration| {
        let backup = generated
            .registered
            .as_ref()
            .and_then(|r| r.backup.as_ref());
        serde_json::json!({
            "config": registration.config,
            "name": registration.key,
            "entry": registration.entry,
            "backup": backup,
        })
    });
    serde_json::json!({
        "dry_run": plan.dry_run,
        "path": generated.dest,
        "template": plan.choice.name(),
        "files": written,
        "kept": generated.kept,
        "workspace": workspace,
        "registration": registration,
        "next": [&plan.commands.install, &plan.commands.test, &plan.commands.run],
    })
}

fn print_new(plan: &Plan<'_>, generated: &Generated, out: &mut dyn Write) -> io::Result<()> {
    let dest = generated.dest.display();
    let template = plan.choice.name();
    let would = if plan.dry_run { "Would " } else { "" };
    // With --force, files that already exist are kept: only the others are (or would be) written.
    let written: Vec<&String> = generated
        .files
        .iter()
        .filter(|file| !generated.kept.contains(file))
        .collect();
    let kept = match generated.kept.len() {
        0 => String::new(),
        n => format!(", {n} existing {} kept", plural(n, "file", "files")),
    };
    let count = format!(
        "{} {}",
        written.len(),
        plural(written.len(), "file", "files")
    );
    if plan.dry_run {
        writeln!(out, "Dry run: nothing was written.")?;
        writeln!(
            out,
            "Would create {dest} from template {template}, {count}{kept}:"
        )?;
        for file in written {
            writeln!(out, "  {file}")?;
        }
    } else {
        writeln!(
            out,
            "Created {dest} from template {template} ({count} written{kept})."
        )?;
    }
    if !generated.kept.is_empty() {
        let verb = if plan.dry_run { "Would keep" } else { "Kept" };
        writeln!(out, "{verb} existing files, not overwritten:")?;
        for file in &generated.kept {
            writeln!(out, "  {file}")?;
        }
    }
    match &plan.workspace {
        Some(WorkspaceChange::Add { manifest, member }) => {
            let verb = if plan.dry_run { "add" } else { "Added" };
            writeln!(
                out,
                "{would}{verb} \"{member}\" to [workspace] members of {}.",
                manifest.display()
            )?;
        }
        Some(WorkspaceChange::Covered { manifest, by, .. }) => {
            writeln!(
                out,
                "Already a member of the workspace {} (through \"{by}\").",
                manifest.display()
            )?;
        }
        Some(WorkspaceChange::Excluded { manifest, by, .. }) => {
            writeln!(
                out,
                "Not added to the workspace {}: its exclude lists \"{by}\".",
                manifest.display()
            )?;
        }
        Some(WorkspaceChange::Standalone) => writeln!(
            out,
            "Standalone (--no-workspace): the project's Cargo.toml has its own [workspace] table."
        )?,
        None => {}
    }
    if let Some(note) = plan.sdk.as_ref().and_then(|sdk| sdk.describe(plan.dry_run)) {
        writeln!(out, "{note}")?;
    }
    if let Some(registration) = &plan.registration {
        let config = registration.config.display();
        if plan.dry_run {
            let entry = serde_json::to_string_pretty(&registration.entry)
                .expect("a JSON map always serializes");
            writeln!(out, "Would register \"{}\" in {config}:", registration.key)?;
            writeln!(
                out,
                "  \"{}\": {}",
                registration.key,
                entry.replace('\n', "\n  ")
            )?;
        } else {
            write!(out, "Registered \"{}\" in {config}", registration.key)?;
            match generated
                .registered
                .as_ref()
                .and_then(|r| r.backup.as_ref())
            {
                Some(backup) => {
                    writeln!(out, " (previous version saved as {}).", backup.display())?
                }
                None => writeln!(out, ".")?,
            }
        }
    }
    if !plan.dry_run {
        let commands = &plan.commands;
        writeln!(
            out,
            "\nNext:\n  cd {dest}\n  {}\n  {}\n  {}",
            commands.install, commands.test, commands.run
        )?;
    }
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
