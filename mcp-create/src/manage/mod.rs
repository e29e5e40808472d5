//! Managing registered servers: list, start, stop, restart, status, logs, test, call, route.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::registry::{Registry, Server};

mod command;
mod error;

pub mod call;
pub mod checks;
pub mod dependencies;
pub mod docker;
pub mod health;
pub mod lifecycle;
pub mod list;
pub mod observe;
pub mod port;
pub mod process;
pub mod route;
pub mod runtime;
pub mod schema;
pub mod suite;
pub mod tester;

pub use command::{ALL, ManageCommand};
pub use error::ManageError;
use runtime::Runtime;

/// What every command works with: the registry, the runtime directory, the output.
pub struct Context<'a> {
    /// The registry file.
    pub config: PathBuf,
    /// Its entries.
    pub registry: Registry,
    /// The runtime directory.
    pub runtime: Runtime,
    /// Where reports go.
    pub out: &'a mut dyn Write,
}

impl Context<'_> {
    /// The server `name`, or why not: its entry is bad, or the name is unknown (with the closest
    /// registered name).
    pub fn server(&self, name: &str) -> Result<Server, ManageError> {
        Ok(self.registry.get(name)?.clone())
    }

    /// Every server whose entry is good for `all` (bad entries are reported by [`run`]), else the
    /// one named. `all` always means every server, even when a registry key is `all` (see
    /// [`Context::reserved_key_note`]).
    pub fn select(&self, name: &str) -> Result<Vec<Server>, ManageError> {
        if name == ALL {
            return Ok(self.registry.servers().cloned().collect());
        }
        Ok(vec![self.server(name)?])
    }

    /// What to tell the user when a registry key is `all`, which commands read as every server.
    pub fn reserved_key_note(&self) -> Option<String> {
        self.registry.contains(ALL).then(|| {
            format!(
                "note: a server is registered as {ALL:?} in {}, and `{ALL}` means every server: \
                 rename that key (e.g. to \"{ALL}-server\") to start, stop or test it alone",
                self.config.display()
            )
        })
    }

    /// Writes the `--json` document of `command` to the output.
    pub fn print_json(&mut self, command: &str, fields: serde_json::Value) {
        let _ = crate::output::json::print(self.out, command, fields);
    }

    /// Writes a line to the output (a closed output is not an error worth reporting); with
    /// `--json`, to stderr as a note, since stdout carries the JSON document only.
    pub fn say(&mut self, line: impl std::fmt::Display) {
        if crate::output::json() {
            return crate::output::note(line);
        }
        let _ = writeln!(self.out, "{line}");
        let _ = self.out.flush();
    }
}

/// Runs `command` against the registry at `config` (see `config::locate`).
pub fn run(
    command: &ManageCommand,
    config: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), ManageError> {
    let registry = Registry::load(config)?;
    let runtime = Runtime::locate()?;
    let mut ctx = Context {
        config: registry.path.clone(),
        registry,
        runtime,
        out,
    };
    let ctx = &mut ctx;
    if command.covers_all() {
        let problems: Vec<String> = ctx.registry.problems().map(|e| e.to_string()).collect();
        for problem in problems {
            ctx.say(format!("skipped: {problem}"));
        }
    }

    match command {
        ManageCommand::List => list::run(ctx, crate::output::json()),
        ManageCommand::Start { name, fg, timeout } => lifecycle::start(ctx, name, *fg, *timeout),
        ManageCommand::Stop { name, grace } => lifecycle::stop(ctx, name, *grace),
        ManageCommand::Restart { name, timeout } => lifecycle::restart(ctx, name, *timeout),
        ManageCommand::Status { name } => observe::status(ctx, name.as_deref().unwrap_or("all")),
        ManageCommand::Logs {
            name,
            lines,
            follow,
        } => observe::logs(ctx, name, *lines, *follow),
        ManageCommand::Test(args) => tester::run(ctx, args),
        ManageCommand::Call {
            name,
            tool,
            args,
            timeout,
        } => call::run(ctx, name, tool, args, *timeout),
        ManageCommand::Route {
            prompt,
            start,
            refresh,
        } => route::run(ctx, prompt, *start, *refresh),
    }
}
