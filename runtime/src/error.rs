//! The one error type of the client.

use std::fmt::Write as _;
use std::time::Duration;

use crate::ErrorCatalogue;

/// Longest response body excerpt kept in an error, in bytes.
const EXCERPT_LIMIT: usize = 1024;

/// Everything that can go wrong in a call.
///
/// Errors never contain credentials: the secret key, the token and the `Authorization` header
/// are not part of any message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a non-success HTTP status.
    #[error("{}", service_line(*.status, .error_code.as_deref(), .error_msg.as_deref(), .request_id.as_deref(), .body))]
    Service {
        /// HTTP status code.
        status: u16,
        /// Service error code such as `CB.00060200`, when the body carries one.
        error_code: Option<String>,
        /// Service error message, when the body carries one.
        error_msg: Option<String>,
        /// The `X-Request-Id` response header (or the body's `request_id`): quote it to support.
        request_id: Option<String>,
        /// The start of the response body (at most 1 KiB, on one line).
        body: String,
        /// Whether the service's error catalogue marks `error_code` as one that sending the
        /// request again later can clear (such as "too many requests", which some services send
        /// with HTTP 400). Set by the client that received the reply.
        retryable_code: bool,
    },
    /// The call, or connecting, took longer than the configured timeout: one attempt's
    /// [`request_timeout`](crate::ClientBuilder::request_timeout) or the whole call's
    /// [`operation_timeout`](crate::ClientBuilder::operation_timeout).
    #[error("timed out: {message}")]
    Timeout {
        /// What timed out.
        message: String,
    },
    /// The TLS handshake failed: the server's certificate is not trusted, has expired or names
    /// another host, or the server does not speak TLS. Sending the request again cannot help,
    /// so it is never retried.
    #[error("TLS error: {message}")]
    Tls {
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The request could not be sent or the response could not be read (connection refused,
    /// reset or closed early, TLS failure, truncated body).
    #[error("transport error: {message}")]
    Transport {
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A success response whose body does not have the documented shape.
    #[error("could not decode the HTTP {status} response: {message}{}; body: {body}", request_id_suffix(.request_id.as_deref()))]
    Decode {
        /// HTTP status code.
        status: u16,
        /// Why decoding failed.
        message: String,
        /// The start of the response body (at most 1 KiB, on one line).
        body: String,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
    },
    /// An input broke a documented constraint; nothing was sent.
    #[error("invalid request: `{parameter}` {reason}")]
    InvalidRequest {
        /// The parameter's name as documented (wire name).
        parameter: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The client is misconfigured (missing credentials, bad endpoint, ...).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// A paginator stopped because the service broke the paging contract: a page repeated
    /// the one before it, so asking for the next would fetch it again forever.
    #[error("pagination stopped: {message}")]
    Pagination {
        /// What happened, with the position of the repeated page.
        message: String,
    },
    /// Following a build log stopped because no new log text arrived for `idle` (see
    /// [`LogFollow::idle_timeout`](crate::LogFollow::idle_timeout)): the build is
    /// stuck, or still queued. Start a new follow from `offset` to keep waiting.
    #[error("no new log text for {} s while following the build log; resume from offset {offset}", .idle.as_secs_f64())]
    LogStalled {
        /// The idle timeout that passed.
        idle: Duration,
        /// The offset to resume from.
        offset: u64,
    },
    /// Following a build log stopped because its overall deadline passed (see
    /// [`LogFollow::deadline`](crate::LogFollow::deadline)).
    #[error("the {} s deadline for following the build log passed; resume from offset {offset}", .deadline.as_secs_f64())]
    LogDeadline {
        /// The deadline that passed, counted from the first poll.
        deadline: Duration,
        /// The offset to resume from.
        offset: u64,
    },
    /// The API gateway rejected the AK/SK signature (HTTP 401), and the client has more to say
    /// than the gateway's reply in `source`: the clock skew it measured, or (with
    /// [`ClientBuilder::debug_signing`](crate::ClientBuilder::debug_signing)) the
    /// canonical request it signed.
    ///
    /// [`status`](Self::status), [`error_code`](Self::error_code) and
    /// [`request_id`](Self::request_id) answer for the gateway's reply.
    #[error("{source}{}", skew_note(*.clock_skew_secs))]
    SignatureRejected {
        /// The gateway's reply, an [`Error::Service`].
        source: Box<Error>,
        /// How far the gateway's clock (its `Date` header) was ahead of this machine's, in
        /// seconds (negative: behind), when the gateway rejected the signing time even after
        /// one retry signed with the corrected time.
        clock_skew_secs: Option<i64>,
        /// The canonical request that was signed, when signing debug output is on. It holds
        /// the method, path, query, signed header values (the security token redacted) and the
        /// body hash; never the secret key or the signature.
        canonical_request: Option<String>,
    },
    /// Writing a downloaded body to its destination failed.
    #[error("I/O error: {message}: {source}")]
    Io {
        /// What was being done.
        message: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::InvalidRequest`] for `parameter`.
    pub fn invalid(parameter: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            parameter: parameter.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// Maps a `reqwest` error. Its message names the URL (path and query, never headers), which
    /// holds no secret.
    pub(crate) fn from_reqwest(context: &str, error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout {
                message: format!("{context}: {}", error_chain(&error)),
            }
        } else if error.is_connect() && is_tls_failure(&error) {
            Error::Tls {
                message: format!("{context}: {}", error_chain(&error)),
                source: Some(Box::new(error)),
            }
        } else {
            Error::Transport {
                message: format!("{context}: {}", error_chain(&error)),
                source: Some(Box::new(error)),
            }
        }
    }

    /// **Typed**: the service error code as an entry of the catalogue `C` (the generated
    /// crate's `ErrorCode` enum), or `None` when there is no code or the catalogue does not
    /// document it. Use it to `match` on the codes the service documents; use
    /// [`error_code`](Self::error_code) for the code as sent, documented or not (to log it, or
    /// to compare with a code the catalogue lacks, such as an API gateway's `APIGW.*`).
    ///
    /// `C` is usually inferred, as in `error.code() == Some(ErrorCode::TooManyRequests)`;
    /// otherwise name it: `error.code::<ErrorCode>()`.
    #[doc(alias = "typed_code")]
    pub fn code<C: ErrorCatalogue>(&self) -> Option<C> {
        self.error_code().and_then(C::from_code)
    }

    /// **Raw**: the service error code exactly as the reply carried it (`CB.*`, `DEVCB.*`,
    /// `APIGW.*`, ...), whether or not the catalogue documents it; `None` when the error is not
    /// a service reply or the reply had no code. [`code`](Self::code) gives the same code as
    /// a catalogue entry.
    ///
    /// ```
    /// use codearts_runtime::Error;
    ///
    /// let error = Error::Service {
    ///     status: 429,
    ///     error_code: Some("APIGW.0308".into()),
    ///     error_msg: Some("the throttling threshold has been reached".into()),
    ///     request_id: Some("req-1".into()),
    ///     body: String::new(),
    ///     retryable_code: false,
    /// };
    /// assert_eq!(error.error_code(), Some("APIGW.0308"));
    /// assert_eq!(error.status(), Some(429));
    /// assert_eq!(error.request_id(), Some("req-1"));
    /// assert!(error.is_retryable());
    /// // Not a service reply: no code at all.
    /// assert_eq!(Error::config("no endpoint").error_code(), None);
    /// ```
    #[doc(alias = "raw_code")]
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Service { error_code, .. } => error_code.as_deref(),
            Error::SignatureRejected { source, .. } => source.error_code(),
            _ => None,
        }
    }

    /// The request id the service assigned (`X-Request-Id`), when there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service { request_id, .. } | Error::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            Error::SignatureRejected { source, .. } => source.request_id(),
            _ => None,
        }
    }

    /// The HTTP status, when there was a response. A service error can carry a 2xx status:
    /// the service answers some failures with HTTP 200 and an error body.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::SignatureRejected { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The canonical request of a rejected AK/SK signature, when
    /// [`ClientBuilder::debug_signing`](crate::ClientBuilder::debug_signing) is on.
    pub fn canonical_request(&self) -> Option<&str> {
        match self {
            Error::SignatureRejected {
                canonical_request, ..
            } => canonical_request.as_deref(),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed: timeouts, transport failures,
    /// HTTP 429, 502, 503 and 504, and any service error whose code the service's catalogue
    /// marks as retryable (`retryable_code`; for CodeArts Build `CB.00060211`, "too many
    /// requests", which comes with HTTP 400). The client retries these for idempotent
    /// operations.
    ///
    /// TLS failures ([`Error::Tls`]), a rejected signature and the log-follow limits are not
    /// retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Service {
                status,
                retryable_code,
                ..
            } => matches!(status, 429 | 502 | 503 | 504) || *retryable_code,
            _ => false,
        }
    }

    /// Builds an [`Error::Service`] from a non-success response body.
    ///
    /// Understands the documented `{"error_code", "error_msg"}` body, the gateway's variant that
    /// adds `request_id`, and the `{"error": {"code", "message"}}` form some Huawei Cloud
    /// front ends use. Anything else keeps only the body excerpt.
    pub(crate) fn from_service_body(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let mut error_code = None;
        let mut error_msg = None;
        let mut body_request_id = None;
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
            let text = |v: Option<&serde_json::Value>| -> Option<String> {
                match v? {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }
            };
            let nested = map.get("error").and_then(|e| e.as_object());
            error_code = text(map.get("error_code"))
                .or_else(|| text(map.get("code")))
                .or_else(|| nested.and_then(|e| text(e.get("code"))));
            error_msg = text(map.get("error_msg"))
                .or_else(|| text(map.get("message")))
                .or_else(|| nested.and_then(|e| text(e.get("message"))));
            body_request_id = text(map.get("request_id"));
        }
        Error::Service {
            status,
            error_code,
            error_msg,
            request_id: request_id.or(body_request_id),
            body: excerpt(body),
            retryable_code: false,
        }
    }

    /// The error a success (2xx) body announces, if any: a JSON object whose `error_code` is a
    /// non-empty string or a number. Some services (CodeArts Build among them) answer failures
    /// such as "build task not found" with HTTP 200 and the usual error body.
    pub(crate) fn from_success_body(
        status: u16,
        request_id: Option<&str>,
        body: &[u8],
    ) -> Option<Self> {
        const KEY: &[u8] = b"\"error_code\"";
        // Almost every body lacks the key: a byte scan spares them a second JSON parse.
        if !body.windows(KEY.len()).any(|w| w == KEY) {
            return None;
        }
        #[derive(serde::Deserialize)]
        struct Probe {
            #[serde(default)]
            error_code: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_slice(body).ok()?;
        let announced = match probe.error_code? {
            serde_json::Value::String(code) => !code.trim().is_empty(),
            serde_json::Value::Number(_) => true,
            _ => false,
        };
        announced.then(|| Error::from_service_body(status, request_id.map(str::to_owned), body))
    }
}

/// Whether a connect error is a TLS failure. rustls reports handshake failures (bad or
/// untrusted certificate, a peer that does not speak TLS) as an `io::Error` of kind
/// `InvalidData` that wraps its own error; other TLS stacks (a caller's own
/// `reqwest::Client`) are recognised by their messages. The outermost error is skipped: its
/// message names the URL, whose host may contain anything.
fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = error.source();
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::InvalidData && io.get_ref().is_some() {
                return true;
            }
        }
        let text = e.to_string().to_ascii_lowercase();
        if ["certificate", "tls", "ssl", "handshake"]
            .iter()
            .any(|word| text.contains(word))
        {
            return true;
        }
        current = e.source();
    }
    false
}

fn skew_note(skew: Option<i64>) -> String {
    let Some(skew) = skew else {
        return String::new();
    };
    let (minutes, seconds) = (skew.unsigned_abs() / 60, skew.unsigned_abs() % 60);
    let direction = if skew >= 0 { "behind" } else { "ahead of" };
    format!(
        "; this machine's clock is {minutes} min {seconds} s {direction} the API gateway's (measured \
         from its Date header), and a retry signed with the corrected time was rejected too: \
         check the system clock"
    )
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id.map_or_else(String::new, |id| format!(" (request id {id})"))
}

fn service_line(
    status: u16,
    code: Option<&str>,
    message: Option<&str>,
    request_id: Option<&str>,
    body: &str,
) -> String {
    let mut line = format!("service error: HTTP {status}");
    match (code, message) {
        (Some(code), Some(message)) => {
            let _ = write!(line, " {code}: {}", one_line(message));
        }
        (Some(code), None) => {
            let _ = write!(line, " {code}");
        }
        (None, Some(message)) => {
            let _ = write!(line, ": {}", one_line(message));
        }
        (None, None) if !body.is_empty() => {
            let _ = write!(line, ": {body}");
        }
        (None, None) => {}
    }
    line.push_str(&request_id_suffix(request_id));
    line
}

/// Collapses control characters so that a message stays on one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The first [`EXCERPT_LIMIT`] bytes of a body as one line of text.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(EXCERPT_LIMIT)];
    let mut text = one_line(&String::from_utf8_lossy(cut));
    if body.len() > EXCERPT_LIMIT {
        text.push('…');
    }
    text
}

/// `reqwest`'s own message is often just "error sending request"; the cause (connection
/// refused, reset, ...) is further down the source chain.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_display_is_one_line_with_code_message_and_request_id() {
        let e = Error::from_service_body(
            404,
            Some("req-1".into()),
            br#"{"error_code":"CB.00060200","error_msg":"job\nnot found"}"#,
        );
        assert_eq!(
            e.to_string(),
            "service error: HTTP 404 CB.00060200: job not found (request id req-1)"
        );
        assert_eq!(e.status(), Some(404));
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(e.error_code(), Some("CB.00060200"));
        assert!(!e.is_retryable());
    }

    #[test]
    fn service_error_accepts_nested_and_unstructured_bodies() {
        let e = Error::from_service_body(
            503,
            None,
            br#"{"error":{"code":"APIGW.0308","message":"throttled"},"request_id":"r9"}"#,
        );
        assert_eq!(e.error_code(), Some("APIGW.0308"));
        assert_eq!(e.request_id(), Some("r9"));
        assert!(e.is_retryable());
        let e = Error::from_service_body(502, None, b"<html>\nbad gateway</html>");
        assert_eq!(
            e.to_string(),
            "service error: HTTP 502: <html> bad gateway</html>"
        );
    }

    #[test]
    fn excerpt_is_bounded() {
        let body = vec![b'a'; 5000];
        let text = excerpt(&body);
        assert_eq!(text.chars().count(), EXCERPT_LIMIT + 1);
    }
}
