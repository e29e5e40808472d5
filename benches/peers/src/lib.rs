//! The same `add` and `echo` tools on mcp-sdk, rmcp and turbomcp, and the harness that measures them.

// The same two servers as the SDK overhead bench, from its sources.
#[path = "../../overhead/src/hand.rs"]
pub mod hand;
pub mod run;
#[path = "../../overhead/src/sdk.rs"]
pub mod sdk;
pub mod turbo;
