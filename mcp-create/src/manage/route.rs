//! `route "<PROMPT>" [--start]`: rank registered servers for a prompt by matching its words
//! against each server's keywords, tool names and descriptions (read with tools/list and cached
//! in the runtime directory), and its name and description.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{Context, ManageError, call, lifecycle};
use crate::connect::{Connection, Protocol, block_on};
use crate::registry::Server;

/// The cache file in the runtime directory.
pub const CACHE_FILE: &str = "route-cache.json";

/// Words that say nothing about a server.
const STOPWORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "at", "be", "by", "can", "could", "do", "does", "for",
    "from", "get", "give", "how", "i", "in", "is", "it", "me", "my", "not", "of", "on", "or",
    "please", "show", "tell", "that", "the", "this", "to", "what", "whats", "when", "where",
    "which", "who", "will", "with", "would", "you", "your", "mcp", "server", "tool", "tools",
    "returns", "return",
];

/// One server's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The server's key.
    pub key: String,
    /// The sum over prompt words of the best weight each matched.
    pub score: u32,
    /// Matched prompt words with where they matched.
    pub matched: Vec<String>,
}

/// Ranks, prints, and starts the best servers on `--start`.
pub fn run(
    ctx: &mut Context<'_>,
    prompt: &str,
    start: bool,
    refresh: bool,
) -> Result<(), ManageError> {
    let servers = ctx.select("all")?;
    let words = words(prompt);
    if words.is_empty() {
        return Err(ManageError::Usage(format!(
            "{prompt:?} has no words to match; describe the task"
        )));
    }
    let mut cache = read_cache(ctx);
    let mut ranked = Vec::new();
    for server in &servers {
        let fingerprint = Value::Object(server.entry.clone()).to_string();
        let cached = cache
            .get(&server.key)
            .filter(|c| !refresh && c["fingerprint"] == json!(fingerprint));
        let tools = match cached {
            Some(cached) => cached["tools"].as_array().cloned().unwrap_or_default(),
            None => match read_tools(ctx, server) {
                Ok(tools) => {
                    cache.insert(
                        server.key.clone(),
                        json!({"fingerprint": fingerprint, "tools": tools}),
                    );
                    tools
                }
                Err(reason) => {
                    ctx.say(format!("note: cannot read the tools of {} ({reason}); ranking it by its entry only", server.key));
                    Vec::new()
                }
            },
        };
        ranked.push(rank(server, &tools, &words));
    }
    write_cache(ctx, &cache);
    ranked.retain(|r| r.score > 0);
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then(a.key.cmp(&b.key)));
    let mut doc = json!({"prompt": prompt, "servers": ranked.iter().map(|r| json!({
        "name": r.key, "score": r.score, "matched": r.matched})).collect::<Vec<_>>(),
        "started": []});
    if ranked.is_empty() {
        ctx.say(format!("No registered server matches {prompt:?}; add `keywords` to an entry to help the router."));
        if crate::output::json() {
            ctx.print_json("route", doc);
        }
        return Ok(());
    }
    let width = ranked.iter().map(|r| r.key.len()).max().unwrap_or(0);
    for r in &ranked {
        ctx.say(format!(
            "{:width$}  score {:3}  matched: {}",
            r.key,
            r.score,
            r.matched.join(", ")
        ));
    }
    if start {
        let best = ranked[0].score;
        for r in ranked.iter().filter(|r| r.score * 2 >= best) {
            let server = ctx.server(&r.key)?;
            lifecycle::start_one(ctx, &server, Duration::from_secs(60))?;
            doc["started"]
                .as_array_mut()
                .expect("an array")
                .push(json!(r.key));
        }
    }
    if crate::output::json() {
        ctx.print_json("route", doc);
    }
    Ok(())
}

/// The tools of `server` as `[{name, description}]`.
fn read_tools(ctx: &Context<'_>, server: &Server) -> Result<Vec<Value>, String> {
    let endpoint = call::endpoint(ctx, server).map_err(|e| e.to_string())?;
    block_on(async {
        let timeout = Duration::from_secs(30);
        let connection = Connection::open(&endpoint, Protocol::Initialize2025, timeout)
            .await
            .map_err(|e| e.to_string())?;
        let tools = tokio::time::timeout(timeout, connection.client().list_all_tools()).await;
        connection.close().await;
        let tools = tools
            .map_err(|_| "no answer to tools/list".to_owned())?
            .map_err(|e| e.to_string())?;
        Ok(tools
            .iter()
            .map(|t| json!({"name": t.name, "description": t.description}))
            .collect())
    })
}

fn read_cache(ctx: &Context<'_>) -> Map<String, Value> {
    std::fs::read(ctx.runtime.file(CACHE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn write_cache(ctx: &Context<'_>, cache: &Map<String, Value>) {
    if ctx.runtime.create().is_ok() {
        let text = serde_json::to_string_pretty(cache).expect("JSON values serialize");
        let _ = std::fs::write(ctx.runtime.file(CACHE_FILE), text);
    }
}

/// The meaningful words of `text`, lower-cased, in order, without repeats.
pub fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let spaced: String = text
        .chars()
        .flat_map(|c| match c {
            c if c.is_uppercase() => vec![' ', c],
            c if c.is_alphanumeric() => vec![c],
            _ => vec![' '],
        })
        .collect();
    for word in spaced.split_whitespace().map(str::to_lowercase) {
        if word.len() > 1 && !STOPWORDS.contains(&word.as_str()) && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// The forms a word is matched by: itself, and without a plural or -ing ending, so that "notes"
/// matches "note" and "forecasts" matches "forecast".
fn forms(word: &str) -> Vec<&str> {
    let mut forms = vec![word];
    for (suffix, min) in [("s", 3), ("es", 3), ("ing", 3)] {
        if let Some(stem) = word.strip_suffix(suffix).filter(|s| s.len() >= min) {
            forms.push(stem);
        }
    }
    forms
}

/// The score of `server` for the prompt `words`.
pub fn rank(server: &Server, tools: &[Value], words: &[String]) -> Ranked {
    let mut terms: BTreeMap<String, (u32, String)> = BTreeMap::new();
    let mut add = |text: &str, weight: u32, source: String| {
        for word in self::words(text) {
            for form in forms(&word) {
                let entry = terms.entry(form.to_owned()).or_insert((0, String::new()));
                if weight > entry.0 {
                    *entry = (weight, source.clone());
                }
            }
        }
    };
    for keyword in server.keywords() {
        add(&keyword, 3, "keyword".into());
    }
    for tool in tools {
        let name = tool["name"].as_str().unwrap_or_default();
        add(name, 2, format!("tool {name}"));
        add(
            tool["description"].as_str().unwrap_or_default(),
            1,
            format!("tool {name}"),
        );
    }
    add(&server.key, 2, "name".into());
    add(server.str("name").unwrap_or_default(), 2, "name".into());
    add(
        server.str("description").unwrap_or_default(),
        1,
        "description".into(),
    );
    let mut score = 0;
    let mut matched = Vec::new();
    for word in words {
        let best = forms(word)
            .into_iter()
            .filter_map(|form| terms.get(form))
            .max_by_key(|(weight, _)| *weight);
        if let Some((weight, source)) = best {
            score += weight;
            matched.push(format!("{word} ({source})"));
        }
    }
    Ranked {
        key: server.key.clone(),
        score,
        matched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_words_drop_filler_and_split_identifiers() {
        assert_eq!(words("What's the weather in Paris?"), ["weather", "paris"]);
        assert_eq!(words("get_forecast getForecast"), ["forecast"]);
    }

    #[test]
    fn keywords_and_tools_outweigh_descriptions() {
        let server = |key: &str, entry: Value| {
            Server::parse(std::path::Path::new("/r.json"), key, &entry).unwrap()
        };
        let weather = server(
            "weather",
            json!({"command": "w", "keywords": ["weather", "forecast"]}),
        );
        let notes = server(
            "notes",
            json!({"command": "n", "description": "Notes about the weather"}),
        );
        let words = words("what's the weather in Paris");
        let tools = [json!({"name": "get_forecasts", "description": "Forecasts for a city"})];
        let (w, n) = (rank(&weather, &tools, &words), rank(&notes, &[], &words));
        assert!(w.score > n.score, "{w:?} {n:?}");
        assert_eq!(w.matched, ["weather (keyword)"]);
        let notes = server("n", json!({"command": "n"}));
        let tools = [json!({"name": "save_note", "description": "Save a note."})];
        assert_eq!(
            rank(&notes, &tools, &super::words("my notes")).matched,
            ["notes (tool save_note)"]
        );
    }
}
