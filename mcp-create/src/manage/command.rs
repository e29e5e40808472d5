//! The server-management subcommands, as clap parses them.

use clap::Subcommand;
use clap_complete::engine::ArgValueCandidates;

use crate::registry::complete::servers;

use super::tester;

/// The server-management subcommands (flattened into the top-level CLI).
#[derive(Debug, Subcommand)]
pub enum ManageCommand {
    /// List the registered servers: template, transport, port, path, and whether each runs
    List,
    /// Start a server (or `all`) over HTTP on its port, in the background, and wait until healthy
    Start {
        /// A registered server, or `all`
        #[arg(add = ArgValueCandidates::new(servers_or_all))]
        name: String,
        /// Run in the foreground, attached to this terminal (Ctrl-C stops it)
        #[arg(long)]
        fg: bool,
        /// Seconds to wait for the health check
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Stop a server (or `all`): SIGTERM, then SIGKILL after the grace period
    Stop {
        /// A registered server, or `all`
        #[arg(add = ArgValueCandidates::new(servers_or_all))]
        name: String,
        /// Seconds between SIGTERM and SIGKILL
        #[arg(long, default_value_t = 10, value_name = "SECS")]
        grace: u64,
    },
    /// Stop, then start a server (or `all`)
    Restart {
        /// A registered server, or `all`
        #[arg(add = ArgValueCandidates::new(servers_or_all))]
        name: String,
        /// Seconds to wait for the health check
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Show pid, health and uptime of a server [default: all]
    Status {
        /// A registered server, or `all`
        #[arg(add = ArgValueCandidates::new(servers_or_all))]
        name: Option<String>,
    },
    /// Show the last lines of a server's log
    Logs {
        /// A registered server, or `all`
        #[arg(add = ArgValueCandidates::new(servers_or_all))]
        name: String,
        /// How many lines
        #[arg(short = 'n', long, default_value_t = 50)]
        lines: usize,
        /// Keep printing what is appended (Ctrl-C stops)
        #[arg(short, long)]
        follow: bool,
    },
    /// Check that a server speaks MCP correctly (any language): pass/fail per check
    Test(tester::TestArgs),
    /// Call one tool of a registered server and print the result
    Call {
        /// A registered server
        #[arg(add = ArgValueCandidates::new(servers))]
        name: String,
        /// The tool's name
        tool: String,
        /// The arguments, a JSON object
        #[arg(default_value = "{}")]
        args: String,
        /// Seconds to wait for the server
        #[arg(long, default_value_t = 60, value_name = "SECS")]
        timeout: u64,
    },
    /// Rank registered servers for a prompt by their tools, descriptions and keywords
    Route {
        /// What you want to do, in words
        prompt: String,
        /// Start the best servers
        #[arg(long)]
        start: bool,
        /// Read every server's tools again instead of using the cache
        #[arg(long)]
        refresh: bool,
    },
}

/// The name that means every registered server.
pub const ALL: &str = "all";

/// The registered server names and `all`, as completion candidates.
pub(super) fn servers_or_all() -> Vec<clap_complete::engine::CompletionCandidate> {
    let mut names = servers();
    names.push(
        clap_complete::engine::CompletionCandidate::new(ALL).help(Some("every server".into())),
    );
    names
}

impl ManageCommand {
    /// Whether it acts on every registered server (`list`, or `all`), so bad entries are skipped
    /// with a note instead of failing the command.
    pub(super) fn covers_all(&self) -> bool {
        let all = |name: &str| name == ALL;
        match self {
            ManageCommand::Start { name, .. }
            | ManageCommand::Stop { name, .. }
            | ManageCommand::Restart { name, .. }
            | ManageCommand::Logs { name, .. } => all(name),
            ManageCommand::Status { name } => name.as_deref().is_none_or(all),
            ManageCommand::Test(args) => args.name.as_deref().is_some_and(all),
            ManageCommand::Route { .. } => true,
            ManageCommand::List | ManageCommand::Call { .. } => false,
        }
    }
}
