//! Plain HTTP requests of the probe (health checks, the `http` cases of a test suite), through
//! reqwest. Built without TLS: an `https://` URL is refused with a [`ProbeError::BadUrl`].

use std::time::Duration;

use reqwest::{Method, redirect};

use super::ProbeError;

/// How much of a body is read.
const MAX_BODY: usize = 1 << 20;

/// An HTTP answer: status and body.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: String,
}

/// `METHOD url`, with no body; redirects are not followed (as `curl` without `-L`).
pub async fn request(method: &str, url: &str, timeout: Duration) -> Result<Answer, ProbeError> {
    let bad = |reason: String| ProbeError::BadUrl {
        url: url.to_owned(),
        reason,
    };
    if !url.starts_with("http://") {
        return Err(bad("only http:// URLs are requested directly".into()));
    }
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| bad(format!("{method:?} is not an HTTP method")))?;
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .map_err(|e| bad(root_cause(&e)))?;
    let unreachable = |error: reqwest::Error| ProbeError::Unreachable {
        url: url.to_owned(),
        reason: match error.is_timeout() {
            true => format!("no answer within {} s", timeout.as_secs()),
            false => root_cause(&error),
        },
    };
    let mut response = client
        .request(method, url)
        .header("Accept", "application/json, text/event-stream")
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status().as_u16();
    // The status is the answer; the body is read up to 1 MiB, or until the time is up (an event
    // stream never ends).
    let mut body = Vec::new();
    while body.len() < MAX_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    Ok(Answer { status, body })
}

/// Ok when `url` answers a GET with a status below 400 (`curl -f`).
pub async fn get_ok(url: &str, timeout: Duration) -> Result<(), ProbeError> {
    match request("GET", url, timeout).await? {
        Answer { status, .. } if status < 400 => Ok(()),
        Answer { status, .. } => Err(ProbeError::Status {
            url: url.to_owned(),
            status,
        }),
    }
}

/// The innermost cause of `error` ("Connection refused (os error 111)"): reqwest's own message
/// ("error sending request for url ...") only repeats the URL.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::block_on;

    #[test]
    fn nothing_listening_is_unreachable_with_the_os_reason() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/health");
        let error = block_on(get_ok(&url, Duration::from_secs(1))).unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, ProbeError::Unreachable { .. }) && text.contains("refused"),
            "{text}"
        );
    }

    #[test]
    fn an_error_status_and_a_bad_url_are_errors() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/health", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let _ = stream
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\ndown");
        });
        let error = block_on(get_ok(&url, Duration::from_secs(5))).unwrap_err();
        assert_eq!(error.to_string(), format!("{url} answered 503"));
        let error = block_on(get_ok("ftp://x/", Duration::from_secs(1))).unwrap_err();
        assert!(matches!(error, ProbeError::BadUrl { .. }), "{error}");
    }

    #[test]
    fn a_stream_that_never_ends_still_gives_its_status() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/mcp", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";
            let _ = stream.write_all(format!("{head}data: hello\n\n").as_bytes());
            std::thread::sleep(Duration::from_secs(10));
        });
        let answer = block_on(request("GET", &url, Duration::from_secs(1))).unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.body.starts_with("data: hello"), "{answer:?}");
    }
}
