//! Streamable HTTP: rmcp's tower service at `/mcp` in axum, with `GET /health` and safe defaults.

use std::{
    future::Future,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{any, get},
};
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::{Error, Result, handler::Handler, options::HttpOptions};

mod json_reply;

/// The live sessions of an HTTP server.
#[derive(Clone)]
pub struct Sessions(Arc<LocalSessionManager>);

impl Sessions {
    /// How many sessions are open now.
    pub async fn live(&self) -> usize {
        self.0.sessions.read().await.len()
    }
}

/// An HTTP server bound to its address, ready to serve.
pub struct HttpServer {
    listener: tokio::net::TcpListener,
    router: Router,
    handler: Handler,
    sessions: Sessions,
    cancel: CancellationToken,
    grace: Duration,
}

impl HttpServer {
    /// Binds `options.host:options.port` and prepares the routes.
    pub async fn bind(handler: Handler, options: HttpOptions) -> Result<Self> {
        let address = SocketAddr::new(options.host, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| {
                Error::from(error).context(format!(
                    "could not listen on {address}; choose another port with --port or PORT"
                ))
            })?;
        if !options.host.is_loopback() && options.allowed_hosts.is_empty() {
            tracing::warn!(
                %address,
                "listening beyond loopback, but only loopback Host headers are accepted: \
                 set MCP_ALLOWED_HOSTS to the names clients use"
            );
        }

        let mut manager = LocalSessionManager::default();
        manager.session_config.keep_alive = Some(options.session_idle_timeout);
        let sessions = Sessions(Arc::new(manager));
        let cancel = CancellationToken::new();

        let mut allowed_hosts: Vec<String> =
            ["localhost", "127.0.0.1", "::1"].map(String::from).into();
        allowed_hosts.extend(options.allowed_hosts.iter().cloned());
        let config = StreamableHttpServerConfig::default()
            .with_allowed_hosts(allowed_hosts)
            .with_allowed_origins(options.allowed_origins.clone())
            .enforce_origin_validation()
            .with_max_request_body_bytes(options.max_body_bytes)
            .with_legacy_session_mode(!options.stateless)
            // A reply that is just the response goes out as JSON, in both modes.
            .with_json_response(true)
            .with_cancellation_token(cancel.clone());
        let service_handler = handler.clone();
        let mcp = Arc::new(Mcp {
            service: StreamableHttpService::new(
                move || Ok(service_handler.for_session()),
                sessions.0.clone(),
                config,
            ),
            token: options.auth_token.clone(),
            max_sessions: (!options.stateless).then_some(options.max_sessions),
            sessions: sessions.clone(),
        });
        let health = Arc::new(Health {
            handler: handler.clone(),
            started: Instant::now(),
            sessions: sessions.clone(),
        });
        let endpoint = any(serve_mcp).with_state(mcp);
        let router = Router::new()
            // Some clients are configured with the trailing slash (FastMCP's old default path).
            .route("/mcp/", endpoint.clone())
            .route("/mcp", endpoint)
            .route("/health", get(health_check).with_state(health));
        Ok(Self {
            listener,
            router,
            handler,
            sessions,
            cancel,
            grace: options.shutdown_grace,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The server's live sessions.
    pub fn sessions(&self) -> Sessions {
        self.sessions.clone()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn serve(self) -> Result<()> {
        self.serve_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes. Then it stops accepting connections, lets in-flight calls
    /// finish (up to the grace period), closes the sessions and returns.
    pub async fn serve_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let Self {
            listener,
            router,
            handler,
            cancel,
            grace,
            ..
        } = self;
        tracing::info!(address = %listener.local_addr().map_err(Error::from)?, "serving MCP over HTTP at /mcp");
        let drain = async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight calls");
            tokio::spawn(async move {
                let deadline = Instant::now() + grace;
                while handler.in_flight() > 0 && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                cancel.cancel();
            });
        };
        axum::serve(listener, router)
            .with_graceful_shutdown(drain)
            .await
            .map_err(|e| Error::from(e).context("serving HTTP"))
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

struct Health {
    handler: Handler,
    started: Instant,
    sessions: Sessions,
}

async fn health_check(State(health): State<Arc<Health>>) -> Response {
    let info = health.handler.info();
    json_response(
        StatusCode::OK,
        &json!({
            "status": "ok",
            "name": info.name,
            "version": info.version,
            "uptime_seconds": health.started.elapsed().as_secs(),
            "sessions": health.sessions.live().await,
        }),
    )
}

/// `body` as an `application/json` response (axum's `Json` would need its `json` feature, and its
/// code, in every server).
fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let headers = [(header::CONTENT_TYPE, "application/json")];
    (status, headers, body.to_string()).into_response()
}

/// `/mcp`: rmcp's service, called in place (a tower layer or `nest_service` would clone it, and
/// its config, for every request), behind the bearer token and the session cap.
struct Mcp {
    service: StreamableHttpService<Handler, LocalSessionManager>,
    token: Option<String>,
    max_sessions: Option<usize>,
    sessions: Sessions,
}

async fn serve_mcp(State(mcp): State<Arc<Mcp>>, request: Request) -> Response {
    if let Some(token) = &mcp.token
        && !bearer_matches(request.headers(), token)
    {
        let mut response = rpc_error(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token: send `Authorization: Bearer <token>` with the server's MCP_AUTH_TOKEN",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return response;
    }
    if let Some(max) = mcp.max_sessions
        && opens_session(&request)
        && mcp.sessions.live().await >= max
    {
        return rpc_error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "the server has reached its limit of {max} live sessions (MCP_MAX_SESSIONS); retry later"
            ),
        );
    }
    let wants_json = json_reply::wants_json(&request);
    let response = mcp.service.handle(request).await.map(Body::new);
    if wants_json {
        json_reply::json_when_only_the_response(response).await
    } else {
        response
    }
}

/// A POST without a session id from a client that is not stateless (2026-07-28 clients send their
/// protocol version with every request) starts a session.
fn opens_session(request: &Request) -> bool {
    let headers = request.headers();
    let stateless = headers
        .get("mcp-protocol-version")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|version| version >= "2026-07-28");
    request.method() == Method::POST && !headers.contains_key("mcp-session-id") && !stateless
}

fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    constant_time_eq(given.as_bytes(), token.as_bytes())
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn rpc_error(status: StatusCode, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32000, "message": message}});
    json_response(status, &body)
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_equal_only_when_identical() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!constant_time_eq(b"s3cret", b"s3cret!"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
