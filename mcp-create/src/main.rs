//! `mcp-create`: parse the command line, run it, print the error chain on failure (as JSON with
//! `--json`), exit with the code docs/cli.md gives it.

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use mcp_create::output::{self, colour, completions, json};

fn main() -> ExitCode {
    // `MCP_CREATE_COMPLETE=bash mcp-create -- WORDS`: the completion script asking; answer, exit.
    clap_complete::CompleteEnv::with_factory(mcp_create::cli::command)
        .var(completions::VAR)
        .completer("mcp-create")
        .complete();
    let args = mcp_create::cli::with_default_subcommand(std::env::args_os().collect());
    let parsed = mcp_create::cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Ok((mcp_create::Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return usage_error(error, json::requested(&args)),
    };
    output::init(cli.output());
    let command = matches.subcommand_name().unwrap_or_default();
    match mcp_create::run(&cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`mcp-create ... | head -1`): stop quietly, as
        // ripgrep does; what was asked for is done or was only output.
        Err(error) if error.is_closed_output() => ExitCode::SUCCESS,
        Err(error) => {
            let code = error.exit_code();
            let message = mcp_create::error::chain(&error);
            if cli.json && !output::json_written() {
                let document = json::error(Some(command), &message, code);
                let text = serde_json::to_string_pretty(&document).expect("JSON");
                // stdout may be closed: the exit code still tells.
                let _ = writeln!(std::io::stdout(), "{text}");
            } else {
                colour::print_error(&message);
            }
            ExitCode::from(code)
        }
    }
}

/// A command line clap refused (exit 2), or `--help`/`--version` (exit 0).
fn usage_error(error: clap::Error, as_json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if !as_json || informational {
        let _ = error.print();
        return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    }
    let text = error.render().to_string();
    let message = text
        .trim()
        .strip_prefix("error: ")
        .unwrap_or(text.trim())
        .to_owned();
    let document = json::error(None, &message, 2);
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        serde_json::to_string_pretty(&document).expect("JSON")
    );
    ExitCode::from(2)
}
