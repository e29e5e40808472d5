//! Health checks of `start` and `status`: the entry's `health_check` command, or an HTTP GET
//! through the probe's client. A `curl ... http://...` check is done natively, so curl is not
//! needed.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::connect::{ProbeError, Stderr, block_on, http};
use crate::registry::Server;

/// Whether `url` answers a GET with a status below 400 (curl -f). `https://` URLs are checked
/// with curl, which must then be installed (the probe's client is built without TLS).
pub fn url_ok(url: &str, timeout: Duration) -> Result<(), ProbeError> {
    if url.starts_with("https://") {
        return command_ok(&format!(
            "curl -fsS -o /dev/null --max-time {} '{url}'",
            timeout.as_secs().max(1)
        ));
    }
    block_on(http::get_ok(url, timeout))
}

/// Runs `command` with `sh -c`; Ok when it exits 0.
pub fn command_ok(command: &str) -> Result<(), ProbeError> {
    let output = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::null())
        .output()
        .map_err(|source| ProbeError::Spawn {
            command: format!("sh -c {command:?}"),
            source,
        })?;
    match output.status.success() {
        true => Ok(()),
        false => Err(ProbeError::Command {
            command: command.to_owned(),
            status: output.status,
            stderr: Stderr::read(String::from_utf8_lossy(&output.stderr).into_owned()),
        }),
    }
}

/// The server's health: its `health_check` when set, else `GET http://127.0.0.1:<port>/health`.
pub fn check(server: &Server) -> Result<(), ProbeError> {
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
            None => Err(ProbeError::NoHealthCheck),
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
}
