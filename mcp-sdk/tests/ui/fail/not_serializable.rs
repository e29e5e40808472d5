use mcp_sdk::prelude::*;

/// Not serializable.
pub struct Opaque;

/// Returns something that has no schema.
#[tool]
async fn opaque() -> Opaque {
    Opaque
}

fn main() {
    let _ = Server::new().tool(opaque);
}
