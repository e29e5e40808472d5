//! A mem0-like memory store: the model adds short facts, searches them by words and deletes
//! them. The memories live in server state (`State<Memories>`), shared by tools, the resource and
//! the prompt; they last as long as the process.

use std::sync::Mutex;

use mcp_sdk::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One remembered fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Memory {
    /// Its id, for `delete_memory`.
    pub id: u64,
    /// The fact, in the user's words.
    pub text: String,
    /// Words to find it by, besides its text.
    pub tags: Vec<String>,
}

/// Every memory, oldest first.
#[derive(Default)]
pub struct Memories(Mutex<(u64, Vec<Memory>)>);

impl Memories {
    fn add(&self, text: String, tags: Vec<String>) -> Memory {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (last_id, memories) = &mut *guard;
        *last_id += 1;
        let memory = Memory {
            id: *last_id,
            text,
            tags,
        };
        memories.push(memory.clone());
        memory
    }

    /// Memories holding every word of `query` (in text or tags, any case), newest first.
    fn search(&self, query: &str, limit: usize) -> Vec<Memory> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let matches = |memory: &Memory| {
            let haystack = format!("{} {}", memory.text, memory.tags.join(" ")).to_lowercase();
            words.iter().all(|word| haystack.contains(word.as_str()))
        };
        let memories = self.all().into_iter().rev().filter(matches);
        memories.take(limit).collect()
    }

    fn delete(&self, id: u64) -> Option<Memory> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let position = guard.1.iter().position(|m| m.id == id)?;
        Some(guard.1.remove(position))
    }

    fn all(&self) -> Vec<Memory> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).1.clone()
    }
}

/// Remembers a fact about the user or their work, for later conversations.
#[tool]
async fn add_memory(
    /// The fact, one short sentence, e.g. "prefers tea over coffee".
    text: String,
    /// Words to find it by, e.g. ["drinks"].
    tags: Option<Vec<String>>,
    memories: State<Memories>,
) -> mcp_sdk::Result<Memory> {
    ensure!(!text.trim().is_empty(), InvalidParams: "text must not be empty");
    Ok(memories.add(text, tags.unwrap_or_default()))
}

/// Finds memories that contain every word of the query, most recent first.
#[tool(read_only)]
async fn search_memories(
    /// Words to look for, e.g. "tea".
    query: String,
    /// At most this many memories.
    #[default(5)]
    limit: usize,
    memories: State<Memories>,
) -> Vec<Memory> {
    memories.search(&query, limit)
}

/// Forgets a memory.
#[tool(destructive)]
async fn delete_memory(
    /// The id `add_memory` or `search_memories` gave.
    id: u64,
    memories: State<Memories>,
) -> mcp_sdk::Result<String> {
    match memories.delete(id) {
        Some(memory) => Ok(format!("forgot: {}", memory.text)),
        None => bail!("no memory has id {id}; search_memories lists the ids"),
    }
}

/// Every memory, oldest first, as JSON.
#[resource("memory://all", mime_type = "application/json")]
async fn all_memories(memories: State<Memories>) -> Vec<Memory> {
    memories.all()
}

/// Ask the model to answer with what it remembers about a topic.
#[prompt]
async fn recall(
    /// The topic, e.g. "drinks".
    topic: String,
    memories: State<Memories>,
) -> String {
    let found = memories.search(&topic, 10);
    let lines: Vec<String> = found.iter().map(|m| format!("- {}", m.text)).collect();
    format!(
        "What do you know about {topic}? Your memories:\n{}",
        lines.join("\n")
    )
}

/// The server, with an empty store.
pub fn server() -> Server {
    Server::new()
        .instructions(
            "Remember what the user tells you with add_memory; search_memories before answering.",
        )
        .tool(add_memory)
        .tool(search_memories)
        .tool(delete_memory)
        .resource(all_memories)
        .prompt(recall)
        .state(Memories::default())
}
