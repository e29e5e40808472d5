//! `mcp-create`: parse the command line, run it, print the error chain on failure.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = mcp_create::Cli::parse_args();
    match mcp_create::run(&cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`mcp-create ... | head -1`): stop quietly, as
        // ripgrep does; what was asked for is done or was only output.
        Err(error) if error.is_closed_output() => ExitCode::SUCCESS,
        Err(error) => {
            // stderr may be closed too: nothing to do about it, and no reason to panic.
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                mcp_create::error::chain(&error)
            );
            ExitCode::from(error.exit_code())
        }
    }
}
