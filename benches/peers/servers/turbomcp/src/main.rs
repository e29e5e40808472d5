//! `add` and `echo` written with turbomcp.

use turbomcp::prelude::*;

/// The server.
#[derive(Clone)]
pub struct TurboServer;

#[server(name = "peers-bench", version = "0.1.0")]
impl TurboServer {
    /// Adds two integers.
    #[tool(read_only = true)]
    async fn add(&self, a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }

    /// Sends the message back.
    #[tool(read_only = true)]
    async fn echo(&self, message: String) -> String {
        message
    }
}
