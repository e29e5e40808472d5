//! How `Server::run` serves: read from command-line flags, then environment variables.

use std::{net::IpAddr, time::Duration};

use crate::{Error, Result};

/// The transport `run()` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// MCP over stdin/stdout: what desktop clients launch.
    Stdio,
    /// Streamable HTTP at `/mcp`, with `GET /health`.
    Http,
}

/// Settings of the HTTP transport. The defaults are safe for a server on a developer's machine:
/// loopback only, Host and Origin checked, bodies and sessions capped.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// Address to bind (`HOST`, `--host`; default 127.0.0.1).
    pub host: IpAddr,
    /// Port to bind (`PORT`, `--port`; default 8000; 0 picks a free one).
    pub port: u16,
    /// `Host` header values accepted besides loopback names (`MCP_ALLOWED_HOSTS`, comma-separated):
    /// set it to your domain when serving beyond this machine.
    pub allowed_hosts: Vec<String>,
    /// Browser origins accepted (`MCP_ALLOWED_ORIGINS`); requests with another `Origin` get 403.
    /// Default: http(s) on localhost, 127.0.0.1 and [::1], any port. Requests without `Origin`
    /// (non-browser clients) are accepted.
    pub allowed_origins: Vec<String>,
    /// Largest request body in bytes (`MCP_MAX_BODY_BYTES`; default 4 MiB); larger ones get 413.
    pub max_body_bytes: usize,
    /// Most live sessions (`MCP_MAX_SESSIONS`; default 256); more get 503.
    pub max_sessions: usize,
    /// A session unused this long is closed (`MCP_SESSION_IDLE_SECS`; default 300).
    pub session_idle_timeout: Duration,
    /// When set (`MCP_AUTH_TOKEN`), every `/mcp` request needs `Authorization: Bearer <token>`.
    pub auth_token: Option<String>,
    /// No sessions: every request stands alone, so replicas behind a load balancer need no
    /// affinity (`MCP_STATELESS=1`, `--stateless`).
    pub stateless: bool,
    /// How long shutdown waits for in-flight calls before closing (default 30 s).
    pub shutdown_grace: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8000,
            allowed_hosts: Vec::new(),
            allowed_origins: ["localhost", "127.0.0.1", "[::1]"]
                .iter()
                .flat_map(|host| [format!("http://{host}:*"), format!("https://{host}:*")])
                .collect(),
            max_body_bytes: 4 * 1024 * 1024,
            max_sessions: 256,
            session_idle_timeout: Duration::from_secs(300),
            auth_token: None,
            stateless: false,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Everything `run()` reads from its environment.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Which transport.
    pub transport: Transport,
    /// Settings for HTTP.
    pub http: HttpOptions,
}

impl Default for RunOptions {
    /// stdio; HTTP on 127.0.0.1:8000 with the defaults of [`HttpOptions`].
    fn default() -> Self {
        Self {
            transport: Transport::Stdio,
            http: HttpOptions::default(),
        }
    }
}

impl RunOptions {
    /// Serve on `transport` unless `--transport` or `MCP_TRANSPORT` says otherwise.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Bind HTTP to `port` unless `--port` or `PORT` says otherwise.
    pub fn port(mut self, port: u16) -> Self {
        self.http.port = port;
        self
    }

    /// Bind HTTP to `host` unless `--host` or `HOST` says otherwise.
    pub fn host(mut self, host: IpAddr) -> Self {
        self.http.host = host;
        self
    }

    /// Reads `--transport stdio|http`, `--host`, `--port`, `--stateless` from `args` (without the
    /// program name), falling back to `MCP_TRANSPORT`, `HOST`, `PORT` and the `MCP_*` variables of
    /// [`HttpOptions`] from `env`, then to the built-in defaults. Any other argument is an error.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let (options, rest) = Self::default().read_args(args, env)?;
        match rest.first() {
            Some(other) => Err(usage(format!("unknown argument `{other}`"))),
            None => Ok(options),
        }
    }

    /// [`parse`](Self::parse) on this process's arguments and environment.
    pub fn from_process() -> Result<Self> {
        Self::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    }

    /// This process's flags and environment over these values (the server's defaults): what
    /// [`Server::run`](crate::Server::run) does, with other defaults. Any argument that is not
    /// the SDK's is an error; use [`split_process`](Self::split_process) to take your own.
    ///
    /// ```no_run
    /// # use mcp_sdk::{RunOptions, Server, Transport};
    /// # #[mcp_sdk::main] async fn main() -> mcp_sdk::Result<()> {
    /// let defaults = RunOptions::default().transport(Transport::Http).port(3000);
    /// Server::new().run_with(defaults.read_process()?).await
    /// # }
    /// ```
    pub fn read_process(self) -> Result<Self> {
        let (options, rest) = self.split_process()?;
        match rest.get(1) {
            Some(other) => Err(usage(format!("unknown argument `{other}`"))),
            None => Ok(options),
        }
    }

    /// Takes the SDK's flags (and environment) out of this process's arguments, over these
    /// values, and returns the other arguments, program name first, for the server's own
    /// parser: `clap`'s `Args::parse_from(rest)`, or plain `rest.get(1)`. Everything after
    /// `--` is the server's.
    ///
    /// ```no_run
    /// # use mcp_sdk::{RunOptions, Server};
    /// # fn server(root: &str) -> Server { Server::new().name(root) }
    /// # #[mcp_sdk::main] async fn main() -> mcp_sdk::Result<()> {
    /// let (options, rest) = RunOptions::default().split_process()?;
    /// let root = rest.get(1).ok_or_else(|| mcp_sdk::Error::invalid_params("usage: files DIR"))?;
    /// server(root).run_with(options).await
    /// # }
    /// ```
    pub fn split_process(self) -> Result<(Self, Vec<String>)> {
        let mut args = std::env::args();
        let program = args.next().unwrap_or_default();
        let (options, mut rest) = self.read_args(args, |name| std::env::var(name).ok())?;
        rest.insert(0, program);
        Ok((options, rest))
    }

    /// [`split_process`](Self::split_process) on `args` (without the program name) and `env`:
    /// the options, and the arguments that are not the SDK's, in order.
    pub fn read_args(
        mut self,
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<(Self, Vec<String>)> {
        let mut flags = Flags::default();
        let mut rest = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            let mut value = |flag: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| usage(format!("{flag} needs a value")))
            };
            match name.as_str() {
                "--transport" => flags.transport = Some(value("--transport")?),
                "--host" => flags.host = Some(value("--host")?),
                "--port" => flags.port = Some(value("--port")?),
                "--stateless" => flags.stateless = true,
                "--" => {
                    rest.push(arg);
                    rest.extend(args.by_ref());
                }
                _ => rest.push(arg),
            }
        }

        match flags.transport.or_else(|| env("MCP_TRANSPORT")).as_deref() {
            None => {}
            Some("stdio") => self.transport = Transport::Stdio,
            Some("http") | Some("streamable-http") => self.transport = Transport::Http,
            Some(other) => {
                return Err(usage(format!(
                    "transport `{other}` is not known; use `stdio` or `http`"
                )));
            }
        };
        let http = &mut self.http;
        if let Some(host) = flags.host.or_else(|| env("HOST")) {
            http.host = parse_value(
                "host (--host or HOST)",
                &host,
                "an IP address such as 127.0.0.1",
            )?;
        }
        if let Some(port) = flags.port.or_else(|| env("PORT")) {
            http.port = parse_value("port (--port or PORT)", &port, "a number from 0 to 65535")?;
        }
        if let Some(hosts) = env("MCP_ALLOWED_HOSTS") {
            http.allowed_hosts = list(&hosts);
        }
        if let Some(origins) = env("MCP_ALLOWED_ORIGINS") {
            http.allowed_origins = list(&origins);
        }
        if let Some(bytes) = env("MCP_MAX_BODY_BYTES") {
            http.max_body_bytes = parse_value("MCP_MAX_BODY_BYTES", &bytes, "a number of bytes")?;
        }
        if let Some(sessions) = env("MCP_MAX_SESSIONS") {
            http.max_sessions = parse_value("MCP_MAX_SESSIONS", &sessions, "a whole number")?;
        }
        if let Some(seconds) = env("MCP_SESSION_IDLE_SECS") {
            http.session_idle_timeout = Duration::from_secs(parse_value(
                "MCP_SESSION_IDLE_SECS",
                &seconds,
                "a number of seconds",
            )?);
        }
        if let Some(token) = env("MCP_AUTH_TOKEN").filter(|token| !token.is_empty()) {
            http.auth_token = Some(token);
        }
        http.stateless |= flags.stateless
            || env("MCP_STATELESS").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
        Ok((self, rest))
    }
}

#[derive(Default)]
struct Flags {
    transport: Option<String>,
    host: Option<String>,
    port: Option<String>,
    stateless: bool,
}

fn usage(problem: String) -> Error {
    Error::invalid_params(format!(
        "{problem}\nusage: [--transport stdio|http] [--host ADDR] [--port N] [--stateless] \
         (or MCP_TRANSPORT, HOST, PORT, MCP_STATELESS)"
    ))
}

fn parse_value<T: std::str::FromStr>(what: &str, value: &str, expected: &str) -> Result<T> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::invalid_params(format!("{what} must be {expected}, got `{value}`")))
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<RunOptions> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        RunOptions::parse(args.iter().map(|a| a.to_string()), |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn stdio_is_the_default() {
        let options = parse(&[], &[]).unwrap();
        assert_eq!(options.transport, Transport::Stdio);
        assert_eq!(options.http.host.to_string(), "127.0.0.1");
    }

    #[test]
    fn flags_win_over_the_environment() {
        let options = parse(
            &["--transport", "http", "--port=9001"],
            &[("PORT", "7000"), ("MCP_TRANSPORT", "stdio")],
        )
        .unwrap();
        assert_eq!(options.transport, Transport::Http);
        assert_eq!(options.http.port, 9001);
        let options = parse(
            &[],
            &[
                ("MCP_TRANSPORT", "http"),
                ("PORT", "7000"),
                ("MCP_AUTH_TOKEN", "s3cret"),
            ],
        )
        .unwrap();
        assert_eq!(
            (options.transport, options.http.port),
            (Transport::Http, 7000)
        );
        assert_eq!(options.http.auth_token.as_deref(), Some("s3cret"));
    }

    #[test]
    fn the_servers_own_arguments_pass_through_over_its_defaults() {
        let args = ["/tmp", "--port", "9001", "--verbose", "--", "--port", "1"];
        let defaults = RunOptions::default().transport(Transport::Http).port(3000);
        let (options, rest) = defaults
            .clone()
            .read_args(args.iter().map(|a| a.to_string()), |_| None)
            .unwrap();
        assert_eq!(
            (options.transport, options.http.port),
            (Transport::Http, 9001)
        );
        assert_eq!(rest, ["/tmp", "--verbose", "--", "--port", "1"]);
        let env = |name: &str| (name == "MCP_TRANSPORT").then(|| "stdio".to_owned());
        let (options, rest) = defaults.read_args(Vec::new(), env).unwrap();
        assert_eq!(
            (options.transport, options.http.port),
            (Transport::Stdio, 3000)
        );
        assert!(rest.is_empty());
    }

    #[test]
    fn bad_values_say_what_and_where() {
        let error = parse(&["--port", "eighty"], &[]).unwrap_err();
        assert!(
            error
                .message()
                .contains("port (--port or PORT) must be a number from 0 to 65535, got `eighty`"),
            "{error}"
        );
        let error = parse(&[], &[("MCP_TRANSPORT", "websocket")]).unwrap_err();
        assert!(
            error
                .message()
                .contains("transport `websocket` is not known"),
            "{error}"
        );
        let error = parse(&["--verbose"], &[]).unwrap_err();
        assert!(
            error.message().contains("unknown argument `--verbose`"),
            "{error}"
        );
    }
}
