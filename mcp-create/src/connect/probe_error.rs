//! Why a probe failed: typed, each message saying what the server did and what it wrote to stderr.

use std::fmt;
use std::process::ExitStatus;

/// Everything that can go wrong while probing a server.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The command could not be started at all.
    #[error("cannot start `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },

    /// A connection did not complete the MCP handshake.
    #[error("{endpoint} did not complete the MCP handshake: {reason}{stderr}")]
    Handshake {
        endpoint: String,
        reason: String,
        stderr: Stderr,
    },

    /// A stdio server failed the strict check ([`super::check_stdio`]).
    #[error("{fault}{stderr}")]
    Stdio { fault: Fault, stderr: Stderr },

    /// A URL the HTTP client cannot request.
    #[error("{url:?} is not a URL mcp-create can request: {reason}")]
    BadUrl { url: String, reason: String },

    /// An HTTP request got no answer.
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },

    /// An HTTP request was answered with an error status.
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },

    /// A server with nothing to check its health by.
    #[error("it has no `port` and no `health_check`")]
    NoHealthCheck,

    /// A check command (`health_check`) exited non-zero.
    #[error("`{command}` failed ({status}){stderr}")]
    Command {
        command: String,
        status: ExitStatus,
        stderr: Stderr,
    },
}

/// What a stdio server did wrong in the strict check.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Fault {
    /// It wrote something else than a JSON-RPC message to stdout.
    #[error(
        "stdout line {line} is not JSON-RPC: {text:?} (stdout must carry only the protocol; log \
         to stderr)"
    )]
    NotJsonRpc { line: usize, text: String },

    /// It exited before completing the exchange.
    #[error("exited ({0}) before completing the MCP handshake and tools/list")]
    Exited(ExitStatus),

    /// The handshake failed.
    #[error("did not complete the MCP handshake: {0}")]
    Handshake(String),

    /// tools/list failed.
    #[error("answered tools/list with an error: {0}")]
    Tools(String),

    /// It did not answer in time.
    #[error("did not complete the MCP handshake and tools/list within {secs} s")]
    Timeout { secs: u64 },
}

/// What a server wrote to stderr, for an error message: `None` when it is not ours to read (an
/// HTTP server).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stderr(Option<String>);

impl Stderr {
    /// The stderr of a server mcp-create started.
    pub fn read(text: String) -> Self {
        Stderr(Some(text))
    }
}

impl fmt::Display for Stderr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_deref().map(str::trim) {
            None => Ok(()),
            Some("") => f.write_str("; it wrote nothing to stderr"),
            Some(text) => write!(f, "\nthe server's stderr:\n{text}"),
        }
    }
}
