//! One error type for tools, with kinds that decide what the client sees.

use std::fmt;

/// What kind of failure an [`Error`] is; decides what the client is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Made on purpose by the tool (`bail!`, `ensure!`, [`Error::tool`]): the model reads the message.
    Tool,
    /// The arguments are wrong: the model reads the message and can retry with better ones.
    InvalidParams,
    /// The thing asked for does not exist (a resource URI, a prompt name).
    NotFound,
    /// The client did not declare a capability the request needs (elicitation, sampling, roots):
    /// the model reads the message.
    ClientCapability,
    /// Anything else, usually converted with `?`: the client gets a reference id, the log gets the
    /// whole chain.
    Internal,
}

/// The error of every tool, resource and prompt.
///
/// Errors made on purpose carry a message for the model. Any other error converts into an
/// internal one with `?`: the client then sees only a short message with a reference id, and the
/// server log gets the full chain under the same id.
///
/// ```
/// use mcp_sdk::{Error, ErrorKind};
///
/// let err = Error::tool("city not found: Atlantis");
/// assert_eq!(err.kind(), ErrorKind::Tool);
///
/// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "weather.db");
/// let err = Error::from(io);
/// assert_eq!(err.kind(), ErrorKind::Internal);
/// ```
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<anyhow::Error>,
}

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a message for the client.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A failure the model should read (same as `bail!`).
    pub fn tool(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Tool, message)
    }

    /// Bad arguments; the message should say which and what would work.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParams, message)
    }

    /// Something asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// An internal error: the message goes to the log, never to the client.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// Keeps `source`, the upstream failure behind this error, for the server's log: the client
    /// of a tool, invalid-params or not-found error still sees only the message.
    ///
    /// ```
    /// use mcp_sdk::Error;
    ///
    /// let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "api.example.com:443");
    /// let error = Error::tool("the forecast service is unavailable, try again later").with_source(io);
    /// assert_eq!(error.client_message(), "the forecast service is unavailable, try again later");
    /// ```
    pub fn with_source(mut self, source: impl Into<anyhow::Error>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What a client is told for an error of any kind but [`ErrorKind::Internal`]: the message
    /// without the cause given to [`with_source`](Self::with_source).
    pub fn client_message(&self) -> String {
        match (&self.source, self.kind) {
            (Some(_), ErrorKind::Internal) => self.message(),
            _ => self.message.clone(),
        }
    }

    /// The cause given to [`with_source`](Self::with_source) (or converted with `?`), with its chain.
    pub(crate) fn cause(&self) -> Option<&anyhow::Error> {
        self.source.as_ref()
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, followed by the chain of its cause if it has one (`outer: inner: ...`).
    pub fn message(&self) -> String {
        match &self.source {
            Some(source) if self.message.is_empty() => format!("{source:#}"),
            Some(source) => format!("{}: {source:#}", self.message),
            None => self.message.clone(),
        }
    }

    /// Adds what was being done to an internal error, like `anyhow::Context`.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        if self.kind == ErrorKind::Internal {
            let chain = self.source.take().map_or_else(
                || anyhow::anyhow!("{}", self.message),
                |source| match self.message.is_empty() {
                    true => source,
                    false => source.context(self.message.clone()),
                },
            );
            self.source = Some(chain.context(context.to_string()));
            self.message.clear();
        } else {
            self.message = format!("{context}: {}", self.message);
        }
        self
    }
}

impl<E> From<E> for Error
where
    E: Into<anyhow::Error>,
{
    fn from(error: E) -> Self {
        Self {
            kind: ErrorKind::Internal,
            message: String::new(),
            source: Some(error.into()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// What `main` prints when it returns this error: the message with its chain, nothing else.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Returns early with an error the model reads.
///
/// `bail!("no city named {city}")` makes an [`ErrorKind::Tool`] error; name another kind first:
/// `bail!(InvalidParams: "days must be 1 to 16, got {days}")`.
#[macro_export]
macro_rules! bail {
    ($kind:ident : $($message:tt)+) => {
        return ::core::result::Result::Err($crate::Error::new(
            $crate::ErrorKind::$kind,
            ::std::format!($($message)+),
        ))
    };
    ($($message:tt)+) => {
        return ::core::result::Result::Err($crate::Error::tool(::std::format!($($message)+)))
    };
}

/// Returns early with an error the model reads unless the condition holds.
///
/// `ensure!(days <= 16, InvalidParams: "days must be at most 16, got {days}")`; without a kind the
/// error is an [`ErrorKind::Tool`] error.
#[macro_export]
macro_rules! ensure {
    ($condition:expr, $kind:ident : $($message:tt)+) => {
        if !$condition {
            $crate::bail!($kind: $($message)+);
        }
    };
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            $crate::bail!($($message)+);
        }
    };
}
