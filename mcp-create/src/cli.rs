//! The command line as parsed, before any check (see [`crate::new::plan`] for the checked form).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

pub use crate::new::args::NewArgs;

/// Generate MCP servers in Rust, Python or TypeScript and register them.
#[derive(Debug, Parser)]
#[command(
    name = "mcp-create",
    version,
    override_usage = "mcp-create <NAME> [OPTIONS]\n       mcp-create <COMMAND>",
    styles = crate::output::colour::STYLES
)]
pub struct Cli {
    /// The server registry [default: $MCP_SERVERS_CONFIG, else ~/.mcp-servers.json]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read templates from DIR (one folder per template) instead of the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub templates_dir: Option<PathBuf>,
    /// Print one JSON document on stdout (shapes in docs/cli.md), errors included
    #[arg(long, global = true)]
    pub json: bool,
    /// Show no progress and no notes on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Show progress as plain lines on stderr even when it is not a terminal
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, the same in every command (docs/cli.md).
pub const EXIT_CODES: &str = "Exit codes (every command):
  0  success
  1  a check or an action failed (a server did not start, a test failed, an entry drifted)
  2  usage error: a bad argument, an unknown server, client or template, a name that is taken
  3  the server registry or a client config cannot be read or parsed";

/// The text after the top-level help.
const AFTER_HELP: &str = "`mcp-create <NAME> ...` is short for `mcp-create new <NAME> ...`; a \
                          subcommand's name wins.";

/// The command line as `--help`, the man pages and completion see it: every subcommand without
/// help text of its own after its options ends with [`EXIT_CODES`].
pub fn command() -> clap::Command {
    Cli::command()
        .after_help(format!("{AFTER_HELP}\n\n{EXIT_CODES}"))
        .mut_subcommands(|sub| match sub.get_after_help() {
            Some(_) => sub,
            None => sub.after_help(EXIT_CODES),
        })
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a server project from a template and register it
    New(NewArgs),
    /// List the templates, one per line: name, language, description, other names
    Templates,
    #[command(flatten)]
    Manage(crate::manage::ManageCommand),
    #[command(flatten)]
    Clients(crate::clients::ClientCommand),
    /// Serve a server over stdio and reload it on every source change, keeping the client connected
    Dev(crate::dev::DevArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish) to stdout
    #[command(after_help = crate::output::completions::INSTALL)]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: crate::output::completions::Shell,
    },
    /// Write a man page per command (mcp-create.1, mcp-create-start.1, ...) into DIR
    Man {
        /// The folder to write the pages into (created if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

impl Command {
    /// Whether the command prints a `--json` document (docs/cli.md gives each shape).
    pub fn has_json(&self) -> bool {
        use crate::clients::ClientCommand as C;
        use crate::manage::ManageCommand as M;
        match self {
            Command::New(_) | Command::Templates | Command::Man { .. } => true,
            Command::Completions { .. } | Command::Dev(_) => false,
            Command::Manage(command) => !matches!(
                command,
                M::Start { .. } | M::Stop { .. } | M::Restart { .. } | M::Logs { .. }
            ),
            Command::Clients(command) => !matches!(command, C::Add(_)),
        }
    }
}

impl Cli {
    /// The output flags of this command line.
    pub fn output(&self) -> crate::output::Settings {
        crate::output::Settings {
            json: self.json,
            quiet: self.quiet,
            verbose: self.verbose,
        }
    }
}

/// `args` with `new` inserted after the program name, unless a subcommand (or only help or
/// version) was asked for: `mcp-create weather` is `mcp-create new weather`.
pub fn with_default_subcommand(mut args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let new = command
        .find_subcommand("new")
        .expect("`new` is a subcommand");
    let flags = |arg: &clap::Arg| {
        let long = arg.get_long().map(|long| format!("--{long}"));
        let short = arg.get_short().map(|short| format!("-{short}"));
        long.into_iter().chain(short)
    };
    let globals: Vec<String> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .flat_map(flags)
        .collect();
    let valued: Vec<String> = command
        .get_arguments()
        .chain(new.get_arguments())
        .filter(|arg| !arg.is_positional() && arg.get_action().takes_values())
        .flat_map(flags)
        .collect();
    let mut saw_option = false;
    let mut rest = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = rest.next() {
        let flag = arg.split('=').next().unwrap_or_default();
        if valued.iter().any(|valued| *valued == arg) {
            rest.next();
        }
        if arg.starts_with('-') {
            let info = ["-h", "--help", "-V", "--version"].contains(&flag);
            saw_option |= !info && !globals.iter().any(|global| global == flag);
        } else {
            if arg != "help" && command.find_subcommand(arg.as_ref()).is_none() {
                args.insert(1, "new".into());
            }
            return args;
        }
    }
    if saw_option {
        args.insert(1, "new".into());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Transport;

    fn normalized(args: &[&str]) -> Vec<String> {
        let args = std::iter::once("mcp-create")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        with_default_subcommand(args)
            .into_iter()
            .skip(1)
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn a_subcommand_name_wins_over_the_shorthand() {
        assert_eq!(
            normalized(&["completions", "bash"]),
            ["completions", "bash"]
        );
        assert_eq!(normalized(&["man", "--out", "d"]), ["man", "--out", "d"]);
        assert_eq!(normalized(&["--json", "list"]), ["--json", "list"]);
        assert_eq!(normalized(&["-q", "status"]), ["-q", "status"]);
        assert_eq!(
            normalized(&["--json", "weather"]),
            ["new", "--json", "weather"]
        );
    }

    #[test]
    fn every_subcommand_help_ends_with_the_exit_codes_or_its_own_text() {
        for sub in command().get_subcommands() {
            let after = sub
                .get_after_help()
                .map(|a| a.to_string())
                .unwrap_or_default();
            assert!(
                after.contains("Exit codes") || sub.get_name() == "completions",
                "{}",
                sub.get_name()
            );
        }
    }

    #[test]
    fn new_is_the_default_subcommand() {
        assert_eq!(normalized(&["weather"]), ["new", "weather"]);
        assert_eq!(
            normalized(&["--template", "python", "weather"]),
            ["new", "--template", "python", "weather"]
        );
        assert_eq!(
            normalized(&["--config", "f.json", "weather"]),
            ["new", "--config", "f.json", "weather"]
        );
        assert_eq!(
            normalized(&["--config", "f.json", "templates"]),
            ["--config", "f.json", "templates"]
        );
        assert_eq!(normalized(&["new", "templates"]), ["new", "templates"]);
        assert_eq!(normalized(&["templates"]), ["templates"]);
        assert_eq!(normalized(&["help"]), ["help"]);
        assert_eq!(normalized(&["--help"]), ["--help"]);
        assert_eq!(normalized(&["-V"]), ["-V"]);
        assert_eq!(normalized(&[]), Vec::<String>::new());
        assert_eq!(normalized(&["--dry-run"]), ["new", "--dry-run"]);
        assert_eq!(
            normalized(&["--config=f.json", "--port", "1"]),
            ["new", "--config=f.json", "--port", "1"]
        );
        assert_eq!(
            normalized(&["--templates-dir", "t", "--help"]),
            ["--templates-dir", "t", "--help"]
        );
        assert_eq!(
            normalized(&["-t", "templates", "weather"]),
            ["new", "-t", "templates", "weather"]
        );
    }

    #[test]
    fn parses_every_new_option() {
        let args = normalized(&[
            "Weather API",
            "-t",
            "python",
            "--path",
            "/tmp",
            "--port",
            "8055",
            "--description",
            "d",
            "--transport",
            "http",
            "--no-register",
            "--no-workspace",
            "--dry-run",
            "--force",
        ]);
        let cli =
            Cli::try_parse_from(std::iter::once("mcp-create".to_owned()).chain(args)).unwrap();
        let Command::New(new) = cli.command else {
            panic!("expected new")
        };
        assert_eq!(new.name, "Weather API");
        assert_eq!(
            (new.template.as_str(), new.port, new.transport),
            ("python", Some(8055), Transport::Http)
        );
        assert!(new.no_register && new.no_workspace && new.dry_run && new.force);
    }

    #[test]
    fn port_zero_is_refused() {
        assert!(Cli::try_parse_from(["mcp-create", "new", "w", "--port", "0"]).is_err());
    }
}
