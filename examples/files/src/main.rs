//! `cargo run -p files -- DIR [--transport http] [--port N]`: read-only file tools over `DIR`.
//!
//! The SDK takes its flags (`--transport`, `--host`, `--port`, `--stateless`) out of the
//! arguments; clap parses the rest.

use std::path::PathBuf;

use clap::Parser;
use mcp_sdk::RunOptions;

/// Read-only file tools over one directory (the SDK's flags are also accepted: --transport
/// stdio|http, --host, --port, --stateless).
#[derive(Parser)]
struct Args {
    /// The directory the tools may read; nothing outside it is served.
    root: PathBuf,
}

#[mcp_sdk::main]
async fn main() -> mcp_sdk::Result<()> {
    let (options, rest) = RunOptions::default().split_process()?;
    let args = Args::parse_from(rest);
    files::server(&args.root)?.run_with(options).await
}
