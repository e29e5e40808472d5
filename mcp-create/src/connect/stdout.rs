//! The tap on a stdio server's stdout: every line passes to rmcp unchanged, and is checked on the
//! way to be a JSON-RPC message (clients read stdout strictly: a banner breaks them).

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::watch;

use super::Fault;

/// The longest line the tap reads whole (rmcp's own limit); a longer one is not a message.
const MAX_LINE: usize = 16 * 1024 * 1024;

/// How much of a stray line is kept for the message.
const SHOWN: usize = 200;

/// What the tap saw so far.
#[derive(Clone, Debug, Default)]
struct Seen {
    /// Non-blank lines.
    lines: usize,
    /// Lines that are JSON-RPC messages.
    messages: usize,
    /// The first line that is not.
    stray: Option<Fault>,
}

/// Reads `stdout` to its end, checking each line, and passes it on through the returned stream
/// (what rmcp reads). When rmcp stops reading, the rest is still read, so that a server is never
/// stopped by a broken pipe in the middle of a line (its stderr then shows why it really stopped).
pub fn tap(mut stdout: impl AsyncRead + Unpin + Send + 'static) -> (DuplexStream, StdoutLog) {
    let (mut to_rmcp, for_rmcp) = tokio::io::duplex(64 * 1024);
    let mut lines = Lines::default();
    let log = StdoutLog(lines.seen.subscribe());
    tokio::spawn(async move {
        let mut buffer = vec![0u8; 16 * 1024];
        let mut passing = true;
        loop {
            let read = match stdout.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            lines.inspect(&buffer[..read]);
            passing = passing && to_rmcp.write_all(&buffer[..read]).await.is_ok();
        }
        lines.end_line();
    });
    (for_rmcp, log)
}

/// The line splitter and judge of [`tap`].
#[derive(Default)]
struct Lines {
    line: Vec<u8>,
    oversized: bool,
    seen: watch::Sender<Seen>,
}

impl Lines {
    fn inspect(&mut self, bytes: &[u8]) {
        for piece in bytes.split_inclusive(|b| *b == b'\n') {
            let (text, ends) = match piece.strip_suffix(b"\n") {
                Some(text) => (text, true),
                None => (piece, false),
            };
            if self.line.len() + text.len() > MAX_LINE {
                self.oversized = true;
            } else {
                self.line.extend_from_slice(text);
            }
            if ends {
                self.end_line();
            }
        }
    }

    /// Judges the line read so far.
    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let oversized = std::mem::take(&mut self.oversized);
        if line.trim_ascii().is_empty() && !oversized {
            return;
        }
        let message = !oversized
            && serde_json::from_slice::<Envelope>(&line).is_ok_and(|m| m.jsonrpc == "2.0");
        self.seen.send_modify(|seen| {
            seen.lines += 1;
            if message {
                seen.messages += 1;
            } else if seen.stray.is_none() {
                let text = String::from_utf8_lossy(&line);
                seen.stray = Some(Fault::NotJsonRpc {
                    line: seen.lines,
                    text: text.trim_end().chars().take(SHOWN).collect(),
                });
            }
        });
    }
}

/// The one field every JSON-RPC message has.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: String,
}

/// What [`tap`] saw on stdout.
#[derive(Clone)]
pub struct StdoutLog(watch::Receiver<Seen>);

impl StdoutLog {
    /// The first line that is not JSON-RPC, once there is one (never, if there is none).
    pub async fn first_stray(mut self) -> Fault {
        match self.0.wait_for(|seen| seen.stray.is_some()).await {
            Ok(seen) => seen.stray.clone().expect("waited for it"),
            Err(_) => std::future::pending().await,
        }
    }

    /// The first line that is not JSON-RPC, if any came.
    pub fn stray(&self) -> Option<Fault> {
        self.0.borrow().stray.clone()
    }

    /// How many JSON-RPC messages came.
    pub fn messages(&self) -> usize {
        self.0.borrow().messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(chunks: &[&str]) -> (usize, Option<Fault>) {
        let mut lines = Lines::default();
        let log = StdoutLog(lines.seen.subscribe());
        for chunk in chunks {
            lines.inspect(chunk.as_bytes());
        }
        lines.end_line();
        (log.messages(), log.stray())
    }

    #[test]
    fn messages_split_across_reads_are_counted() {
        let (messages, stray) = seen(&[
            "{\"jsonrpc\":",
            "\"2.0\",\"id\":1}\n\n{\"jsonrpc\":\"2.0\"}\r\n",
        ]);
        assert_eq!((messages, stray), (2, None));
    }

    #[test]
    fn the_first_stray_line_is_named_with_its_number() {
        let (messages, stray) =
            seen(&["{\"jsonrpc\":\"2.0\"}\n", "Server v1 starting\n", "more\n"]);
        assert_eq!(messages, 1);
        let text = stray.unwrap().to_string();
        assert!(
            text.starts_with("stdout line 2 is not JSON-RPC: \"Server v1 starting\""),
            "{text}"
        );
        let (_, stray) = seen(&["{\"level\": \"info\", \"msg\": \"up\"}\n"]);
        assert!(stray.is_some(), "JSON that is not JSON-RPC is a stray line");
        let (_, stray) = seen(&["{\"jsonrpc\":\"2.0\"}\nbye"]);
        assert!(
            matches!(stray, Some(Fault::NotJsonRpc { line: 2, .. })),
            "a last line without a newline is judged too"
        );
    }

    #[tokio::test]
    async fn bytes_pass_unchanged_and_stdout_is_read_after_rmcp_stops() {
        let (stdout, mut server) = tokio::io::duplex(1024);
        let (mut passed, log) = tap(stdout);
        server.write_all(b"{\"jsonrpc\":\"2.0\"}\n").await.unwrap();
        let mut first = vec![0u8; 18];
        passed.read_exact(&mut first).await.unwrap();
        assert_eq!(first, b"{\"jsonrpc\":\"2.0\"}\n");
        drop(passed);
        server.write_all(b"late banner\n").await.unwrap();
        let stray = tokio::time::timeout(std::time::Duration::from_secs(5), log.first_stray());
        assert!(matches!(stray.await, Ok(Fault::NotJsonRpc { line: 2, .. })));
    }
}
