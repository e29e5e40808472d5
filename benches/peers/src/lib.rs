//! The same `add` and `echo` tools on mcp-sdk, rmcp and turbomcp, and the harness that measures them.

pub mod hand;
pub mod run;
pub mod sdk;
pub mod turbo;
