//! The harness that measures the same `add` and `echo` tools on mcp-sdk, rmcp and turbomcp.

pub mod run;
