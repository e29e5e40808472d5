//! How a server talks to its client: a leaf that the CLI, the registry and every command share.

use clap::ValueEnum;

/// How a server talks to its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Transport {
    /// JSON-RPC over stdin/stdout
    Stdio,
    /// Streamable HTTP at /mcp
    Http,
}

impl Transport {
    /// The name templates and the registry use.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Stdio => "stdio",
            Transport::Http => "http",
        }
    }
}
