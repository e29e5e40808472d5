//! Registered server names as shell-completion candidates (see `mcp-create completions`).

use clap_complete::engine::CompletionCandidate;

/// The keys of the registry of `MCP_SERVERS_CONFIG` (else `~/.mcp-servers.json`); none when it
/// cannot be read: a completion never fails loudly.
pub fn servers() -> Vec<CompletionCandidate> {
    let Ok(registry) = super::Registry::load(None) else {
        return Vec::new();
    };
    registry
        .entries()
        .map(|(key, _)| CompletionCandidate::new(key.to_owned()))
        .collect()
}
