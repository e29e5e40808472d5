//! A session's reply as `application/json` when it is just the response.
//!
//! In session mode rmcp answers every request with an SSE stream, even when the response is the only
//! message: a priming event, the response, the end of the stream. The spec lets the server answer
//! with plain JSON instead when the client accepts it, which costs both sides less. `/mcp` reads
//! the stream up to its first message: a response (or error) is sent as the JSON body; anything else
//! (progress, a log message, a request to the client) means the stream carries more, so the stream
//! goes out as it is, the bytes already read first.

use axum::{
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderValue, Method, header},
    response::Response,
};
use futures::{StreamExt, stream};
use serde::{Deserialize, de::IgnoredAny};

/// Whether the answer to `request` may be plain JSON: a POST whose client accepts it.
pub(super) fn wants_json(request: &Request) -> bool {
    request.method() == Method::POST && accepts_json(request.headers())
}

/// The answer to a request that [`wants_json`]: see the module's documentation.
pub(super) async fn json_when_only_the_response(response: Response) -> Response {
    if !is_event_stream(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let mut rest = body.into_data_stream();
    let mut read = Vec::new();
    while let Some(Ok(chunk)) = rest.next().await {
        read.extend_from_slice(&chunk);
        match first_message(&read) {
            None => continue,
            Some(message) if is_response(message) => {
                let json = Bytes::copy_from_slice(message);
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                parts.headers.remove(header::CACHE_CONTROL);
                return Response::from_parts(parts, Body::from(json));
            }
            Some(_) => break,
        }
    }
    let replay = stream::once(async move { Ok::<_, axum::Error>(Bytes::from(read)) });
    Response::from_parts(parts, Body::from_stream(replay.chain(rest)))
}

fn accepts_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|kind| {
            let essence = kind.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json") || essence == "*/*"
        })
}

fn is_event_stream(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"))
}

/// The data of the first complete event that has any (priming events and keep-alive comments have
/// none), or `None` while no such event has arrived whole.
fn first_message(read: &[u8]) -> Option<&[u8]> {
    let mut data = Data::None;
    for line in read.split_inclusive(|&byte| byte == b'\n') {
        let text = line.strip_suffix(b"\n")?;
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.is_empty() {
            match data {
                Data::One(found) if !found.is_empty() => return Some(found),
                // A message split over several data lines (rmcp never sends one) is not read: the
                // stream goes out as it is.
                Data::Many => return Some(b""),
                _ => data = Data::None,
            }
        } else if let Some(value) = text.strip_prefix(b"data:") {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            data = match data {
                Data::None => Data::One(value),
                _ => Data::Many,
            };
        }
    }
    None
}

/// The data lines of the event being read.
enum Data<'a> {
    None,
    One(&'a [u8]),
    Many,
}

/// Whether a JSON-RPC message is a response or an error: it has no `method`.
fn is_response(message: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        method: Option<IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(message).is_ok_and(|probe| probe.method.is_none())
}

#[cfg(test)]
mod tests {
    use super::{first_message, is_response};

    #[test]
    fn the_first_message_skips_priming_and_keep_alive() {
        let stream =
            b"data: \nid: 0\nretry: 3000\n\n:\n\ndata: {\"id\":1,\"result\":{}}\nid: 1\n\n";
        assert_eq!(
            first_message(stream),
            Some(&b"{\"id\":1,\"result\":{}}"[..])
        );
        assert_eq!(first_message(&stream[..30]), None, "no whole message yet");
        assert_eq!(
            first_message(b"data: {}\n"),
            None,
            "the event is not finished"
        );
    }

    #[test]
    fn only_responses_and_errors_are_responses() {
        assert!(is_response(br#"{"jsonrpc":"2.0","id":1,"result":{}}"#));
        assert!(is_response(
            br#"{"jsonrpc":"2.0","id":null,"error":{"code":1}}"#
        ));
        assert!(!is_response(
            br#"{"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#
        ));
        assert!(!is_response(b"not json"));
    }
}
