//! Log analytics: lines such as `2026-01-02T10:00:00 ERROR db: connection lost` are ingested into
//! server state, then counted and searched by [`Level`] (an enum argument: the client sees its
//! values). `wait_for` shows a long call: it reports progress and stops when the client cancels.

use std::{collections::BTreeMap, sync::Mutex, time::Duration};

use mcp_sdk::{prelude::*, tokio::sync::Notify};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The severity of a log line.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    // Plain comments: doc comments on variants would turn the schema's `enum` into `oneOf`.
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    /// The level of a line: its first word that names one (`ERROR`, `warn`, `WARNING`, ...).
    fn of(line: &str) -> Option<Self> {
        line.split_whitespace().find_map(|word| {
            match word.trim_matches(['[', ']', ':']).to_lowercase().as_str() {
                "debug" => Some(Level::Debug),
                "info" => Some(Level::Info),
                "warn" | "warning" => Some(Level::Warn),
                "error" => Some(Level::Error),
                _ => None,
            }
        })
    }
}

/// The ingested lines, and a signal for those waiting for new ones.
#[derive(Default)]
pub struct Logs {
    lines: Mutex<Vec<String>>,
    added: Notify,
}

impl Logs {
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Adds log lines (one per line of `text`) to those the other tools analyse.
#[tool]
async fn ingest(
    /// The log text, one entry per line.
    text: String,
    logs: State<Logs>,
) -> String {
    let count = {
        let mut lines = logs.lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
        lines.len()
    };
    logs.added.notify_waiters();
    format!("{count} lines in all")
}

/// How many lines there are of each level, reporting progress as it goes.
#[tool(read_only)]
async fn count_levels(logs: State<Logs>, ctx: Context) -> BTreeMap<Level, usize> {
    let lines = logs.lines();
    let mut counts = BTreeMap::new();
    for (done, chunk) in lines.chunks(1000).enumerate() {
        for level in chunk.iter().filter_map(|line| Level::of(line)) {
            *counts.entry(level).or_insert(0) += 1;
        }
        let done = (done * 1000 + chunk.len()) as f64;
        ctx.progress(done, lines.len() as f64).await;
    }
    counts
}

/// The lines of one level, newest first, optionally only those containing a text.
#[tool(read_only)]
async fn search(
    /// The level to look at.
    level: Level,
    /// Only lines containing this text (any case).
    contains: Option<String>,
    /// At most this many lines.
    #[default(20)]
    limit: usize,
    logs: State<Logs>,
) -> Vec<String> {
    let needle = contains.unwrap_or_default().to_lowercase();
    let lines = logs.lines().into_iter().rev();
    let lines = lines.filter(|line| Level::of(line) == Some(level));
    let lines = lines.filter(|line| line.to_lowercase().contains(&needle));
    lines.take(limit).collect()
}

/// Waits until a line of a level (and containing a text) is ingested, and returns it. Only lines
/// ingested after the call started count.
#[tool(read_only)]
async fn wait_for(
    /// The level to wait for.
    level: Level,
    /// Text the line must contain (any case); any line of that level without it.
    contains: Option<String>,
    /// Give up after this many seconds.
    #[default(60)]
    timeout_secs: u64,
    logs: State<Logs>,
    ctx: Context,
) -> mcp_sdk::Result<String> {
    let contains = contains.unwrap_or_default();
    let needle = contains.to_lowercase();
    let mut seen = logs.lines().len();
    ctx.info(format!(
        "waiting for a {level:?} line containing {contains:?}"
    ))
    .await;
    let deadline = mcp_sdk::tokio::time::sleep(Duration::from_secs(timeout_secs));
    mcp_sdk::tokio::pin!(deadline);
    for round in 0.. {
        // Listen before looking, so a line ingested in between is not missed.
        let added = logs.added.notified();
        mcp_sdk::tokio::pin!(added);
        added.as_mut().enable();
        let lines = logs.lines();
        let new = &lines[seen.min(lines.len())..];
        let matching = |line: &&String| {
            Level::of(line) == Some(level) && line.to_lowercase().contains(&needle)
        };
        if let Some(line) = new.iter().find(matching) {
            return Ok(line.clone());
        }
        if round > 0 {
            ctx.info("new lines, none matching yet").await;
        }
        seen = lines.len();
        mcp_sdk::tokio::select! {
            _ = added => {}
            _ = ctx.cancelled() => {
                ctx.info("cancelled: stopped waiting").await;
                bail!("cancelled");
            }
            _ = &mut deadline => bail!("no such line within {timeout_secs} s"),
        }
    }
    unreachable!("the loop returns")
}

/// The server, with no lines yet.
pub fn server() -> Server {
    Server::new()
        .instructions("ingest log text, then count_levels, search by level, or wait_for a line.")
        .tool(ingest)
        .tool(count_levels)
        .tool(search)
        .tool(wait_for)
        .state(Logs::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tool taking `State` and `Context` is a plain function too.
    #[mcp_sdk::test]
    async fn count_levels_can_be_called_directly() {
        let logs = Logs::default();
        logs.lines
            .lock()
            .unwrap()
            .extend(["a WARN b".into(), "c".into()]);
        let counts = count_levels::call(State::new(logs), Context::for_test()).await;
        assert_eq!(counts, BTreeMap::from([(Level::Warn, 1)]));
    }
}
