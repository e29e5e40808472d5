//! `mcp-create`: parse the command line, run it, print the error chain on failure.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = mcp_create::Cli::parse_args();
    match mcp_create::run(&cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let code = error.exit_code();
            eprintln!("error: {:#}", anyhow::Error::from(error));
            ExitCode::from(code)
        }
    }
}
