//! Health checks: a plain HTTP GET (no client library, no runtime), or the entry's
//! `health_check` command. A `curl ... http://...` check is done natively, so curl is not needed.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::registry::Server;

/// An HTTP answer: status and body.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: String,
}

/// `METHOD url` over HTTP/1.0 (no chunked answers; chunks are decoded anyway); `http://` only.
pub fn request(method: &str, url: &str, timeout: Duration) -> Result<Answer, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url} is not an http:// URL"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let address = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let addresses = address
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?;
    let mut last = format!("cannot resolve {authority}");
    for addr in addresses {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(mut stream) => {
                stream.set_read_timeout(Some(timeout)).ok();
                stream.set_write_timeout(Some(timeout)).ok();
                let head = format!(
                    "{method} {path} HTTP/1.0\r\nHost: {authority}\r\nAccept: application/json, text/event-stream\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                stream
                    .write_all(head.as_bytes())
                    .map_err(|e| format!("{url}: {e}"))?;
                let mut bytes = Vec::new();
                let _ = stream.take(1 << 20).read_to_end(&mut bytes);
                let text = String::from_utf8_lossy(&bytes);
                let status = text
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| format!("{url} did not answer HTTP"))?;
                let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
                let chunked = head
                    .to_ascii_lowercase()
                    .contains("transfer-encoding: chunked");
                let body = if chunked {
                    dechunk(body)
                } else {
                    body.to_owned()
                };
                return Ok(Answer { status, body });
            }
            Err(e) => last = format!("cannot connect to {addr}: {e}"),
        }
    }
    Err(last)
}

/// The body of a chunked answer.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size =
            usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// Whether `url` answers a GET with a status below 400 (curl -f). `https://` URLs are checked
/// with curl, which must then be installed.
pub fn url_ok(url: &str, timeout: Duration) -> Result<(), String> {
    if url.starts_with("https://") {
        return command_ok(&format!(
            "curl -fsS -o /dev/null --max-time {} '{url}'",
            timeout.as_secs().max(1)
        ));
    }
    match request("GET", url, timeout)? {
        Answer { status, .. } if status < 400 => Ok(()),
        Answer { status, .. } => Err(format!("{url} answered {status}")),
    }
}

/// Runs `command` with `sh -c`; Ok when it exits 0.
pub fn command_ok(command: &str) -> Result<(), String> {
    let output = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    match output.status.success() {
        true => Ok(()),
        false => Err(format!(
            "`{command}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// The server's health: its `health_check` when set, else `GET http://127.0.0.1:<port>/health`.
pub fn check(server: &Server) -> Result<(), String> {
    let timeout = Duration::from_secs(2);
    match server
        .str("health_check")
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(check) => match curl_url(check) {
            Some(url) => url_ok(&url, timeout),
            None if check.starts_with("http://") || check.starts_with("https://") => {
                url_ok(check, timeout)
            }
            None => command_ok(check),
        },
        None => match server.port {
            Some(port) => url_ok(&format!("http://127.0.0.1:{port}/health"), timeout),
            None => Err("it has no `port` and no `health_check`".into()),
        },
    }
}

/// The URL of a simple `curl [flags] http://...` command.
fn curl_url(command: &str) -> Option<String> {
    let words = shlex::split(command)?;
    if words.first().map(String::as_str) != Some("curl") {
        return None;
    }
    let plain = words[1..]
        .iter()
        .all(|w| (w.starts_with('-') && !w.contains("-o")) || w.starts_with("http://"));
    let urls: Vec<&String> = words.iter().filter(|w| w.starts_with("http://")).collect();
    (plain && urls.len() == 1).then(|| urls[0].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_checks_are_read_natively() {
        assert_eq!(
            curl_url("curl -f http://localhost:8055/health").as_deref(),
            Some("http://localhost:8055/health")
        );
        assert_eq!(curl_url("curl -H 'X: y' http://a/"), None);
        assert_eq!(curl_url("wget http://a/"), None);
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        assert_eq!(dechunk("4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"), "{\"a\":1}");
    }

    #[test]
    fn nothing_listening_is_an_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(
            url_ok(
                &format!("http://127.0.0.1:{port}/health"),
                Duration::from_secs(1)
            )
            .is_err()
        );
    }
}
