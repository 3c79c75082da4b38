//! The contract between generated operations and the client.

use std::future::Future;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::output::ResponseMetadata;
use crate::{ByteStream, Error};

pub use crate::encode::encode_path_segment;

/// Static facts about one operation, from the spec.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operationId, e.g. `show_list_period_history`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path template, e.g. `/v3/jobs/{job_id}/period-history`.
    pub path_template: &'static str,
    /// Whether sending the request twice has the same effect as once (GET, HEAD, PUT, DELETE or
    /// `x-idempotent`); only such operations are retried by default.
    pub idempotent: bool,
    /// Whether the operation is a legacy one with a successor.
    pub deprecated: bool,
}

/// What one call sends, before authentication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestParts {
    /// The expanded path, each parameter encoded with [`encode_path_segment`].
    pub path: String,
    /// Query parameters in spec order, values as plain (unencoded) strings; unset ones left out.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, sent with `Content-Type: application/json`.
    pub body: Option<Vec<u8>>,
    /// A `multipart/form-data` body instead (never together with `body`).
    pub multipart: Option<crate::multipart::Form>,
}

/// Implemented by every generated request type.
pub trait Operation: Send + Sized {
    /// What a successful call returns.
    type Output: Send;
    /// The operation's static description.
    const SPEC: &'static OperationSpec;
    /// Checks required inputs and documented constraints; runs before any network I/O.
    fn validate(&self) -> Result<(), Error>;
    /// Builds the request parts (path, query, headers, body).
    fn to_parts(&self) -> Result<RequestParts, Error>;
    /// Decodes a success (2xx) response.
    fn decode(response: RawResponse) -> impl Future<Output = Result<Self::Output, Error>> + Send;
}

/// A success response whose body has not been read yet.
#[derive(Debug)]
pub struct RawResponse {
    response: reqwest::Response,
    request_id: Option<String>,
}

impl RawResponse {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        RawResponse {
            response,
            request_id,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The `X-Request-Id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The status, request id and headers, to keep with the decoded output.
    pub fn metadata(&self) -> ResponseMetadata {
        ResponseMetadata::new(
            self.status(),
            self.request_id.clone(),
            self.response.headers().clone(),
        )
    }

    /// Reads the whole body, however long it is (generated decoders use [`decode_json`],
    /// which is bounded by [`MAX_JSON_BODY`], or [`decode_stream`]).
    pub async fn bytes(self) -> Result<bytes::Bytes, Error> {
        self.response
            .bytes()
            .await
            .map_err(|e| Error::from_reqwest("reading the response body", e))
    }

    /// The body as a stream, never held in memory as a whole.
    pub fn into_stream(self) -> ByteStream {
        ByteStream::from_response(self.response)
    }
}

/// How an operation's reply reports failure inside a success (2xx) body, from the spec's
/// `x-status-envelope` hint: when the property at `status` holds `failure`, the call fails with
/// an [`Error::Service`] whose message is the property at `message`.
///
/// Paths are dotted wire names (`status`, `result.state`) into the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusEnvelope {
    /// Path of the outcome property, e.g. `status`.
    pub status: &'static str,
    /// The outcome value that means the call failed, e.g. `fail`.
    pub failure: &'static str,
    /// Path of the failure text, e.g. `error`.
    pub message: &'static str,
}

impl StatusEnvelope {
    /// The failure this body reports, if it reports one.
    fn failure(&self, status: u16, request_id: Option<&str>, body: &[u8]) -> Option<Error> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let outcome = lookup(&value, self.status)?;
        if outcome.as_str() != Some(self.failure) {
            return None;
        }
        let message = match lookup(&value, self.message) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(text)) => Some(text.clone()),
            // An object or list: its `error_msg` / `message` when it has one, else its JSON.
            Some(other) => other
                .get("error_msg")
                .or_else(|| other.get("message"))
                .and_then(|m| m.as_str())
                .map(str::to_owned)
                .or_else(|| Some(other.to_string())),
        };
        let code = value
            .get("error_code")
            .and_then(|c| c.as_str())
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Some(Error::Service {
            status,
            error_code: code,
            error_msg: Some(message.unwrap_or_else(|| {
                format!(
                    "`{}` is `{}` and no message was given",
                    self.status, self.failure
                )
            })),
            request_id: request_id.map(str::to_owned),
            body: crate::error::excerpt(body),
            retryable_code: false,
        })
    }
}

/// The value at a dotted path of wire names.
fn lookup<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Largest success body [`decode_json`] reads, in bytes (64 MiB): the biggest documented
/// response (a page of 100 jobs, a long build history) is a few hundred KiB. A longer body is
/// an [`Error::Decode`] rather than an unbounded allocation. Binary downloads are streamed
/// ([`decode_stream`]) and have no limit.
pub const MAX_JSON_BODY: usize = 64 * 1024 * 1024;

/// Decodes a JSON body into `T`.
///
/// An empty body is read as `{}`: several operations document a body that the service leaves
/// out when there is nothing to report, and their response types have only optional fields.
///
/// A body whose `error_code` is set is an [`Error::Service`], whatever the HTTP status: the
/// service answers some failures with HTTP 200 and an error body.
///
/// A body longer than [`MAX_JSON_BODY`] (announced by `Content-Length` or found while
/// reading) is an [`Error::Decode`]; the rest of it is not read.
pub async fn decode_json<T: DeserializeOwned>(response: RawResponse) -> Result<T, Error> {
    decode_json_checked(response, None).await
}

/// Like [`decode_json`], for an operation whose reply carries a status envelope: a body whose
/// outcome is the envelope's failure value is an [`Error::Service`] with the envelope's message.
pub async fn decode_json_enveloped<T: DeserializeOwned>(
    response: RawResponse,
    envelope: &'static StatusEnvelope,
) -> Result<T, Error> {
    decode_json_checked(response, Some(envelope)).await
}

async fn decode_json_checked<T: DeserializeOwned>(
    response: RawResponse,
    envelope: Option<&StatusEnvelope>,
) -> Result<T, Error> {
    let status = response.status();
    let request_id = response.request_id.clone();
    let body = read_bounded(response, MAX_JSON_BODY).await?;
    if let Some(error) = Error::from_success_body(status, request_id.as_deref(), &body) {
        return Err(error);
    }
    if let Some(error) = envelope.and_then(|e| e.failure(status, request_id.as_deref(), &body)) {
        return Err(error);
    }
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    serde_json::from_slice(text).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body: crate::error::excerpt(&body),
        request_id,
    })
}

/// Reads a whole body of at most `limit` bytes.
async fn read_bounded(response: RawResponse, limit: usize) -> Result<Vec<u8>, Error> {
    let RawResponse {
        mut response,
        request_id,
    } = response;
    let status = response.status().as_u16();
    let too_large = |read: &[u8], size: String| Error::Decode {
        status,
        message: format!(
            "the response body ({size}) exceeds the {limit}-byte limit for JSON responses"
        ),
        body: crate::error::excerpt(read),
        request_id: request_id.clone(),
    };
    let announced = response.content_length();
    if let Some(length) = announced {
        if length > limit as u64 {
            return Err(too_large(&[], format!("{length} bytes announced")));
        }
    }
    // The announced length sizes the buffer, up to 1 MiB: a header alone does not reserve more.
    let capacity = announced.map_or(0, |n| usize::try_from(n.min(1 << 20)).unwrap_or(0));
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::from_reqwest("reading the response body", e))?
    {
        if chunk.len() > limit - body.len() {
            return Err(too_large(&body, format!("more than {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
/// Returns the body as a [`ByteStream`]; nothing is read yet. Generated code uses
/// [`decode_download`], which first makes sure the body is not an error.
pub fn decode_stream(response: RawResponse) -> ByteStream {
    response.into_stream()
}

/// Longest body read to tell whether a reply is an error: JSON error bodies are small, so a
/// JSON-looking body longer than this is treated as data.
pub const ERROR_PEEK_LIMIT: usize = 64 * 1024;

/// Whether a `Content-Type` value names JSON (`application/json`, `…+json`, `text/json`).
fn is_json_media_type(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or_default().trim();
    let media = media.to_ascii_lowercase();
    media.ends_with("/json") || media.ends_with("+json")
}

/// Returns a binary download as a [`ByteStream`], unless the reply is really an error:
///
/// - with a JSON `Content-Type` the body is an error report, not the file: an
///   [`Error::Service`] when it carries `error_code` or `error_msg`, else an [`Error::Decode`];
/// - with no `Content-Type`, a body that is a small JSON object carrying `error_code` or
///   `error_msg` is an [`Error::Service`];
///
/// anything else is streamed. Only a body starting with `{` is buffered, and only up to
/// [`ERROR_PEEK_LIMIT`] bytes, before streaming begins.
pub async fn decode_download(response: RawResponse) -> Result<ByteStream, Error> {
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let content_length = response.response.content_length();
    let metadata = response.metadata();
    let RawResponse {
        mut response,
        request_id,
    } = response;
    let read_error = |e| Error::from_reqwest("reading the response body", e);
    match content_type {
        Some(media) if is_json_media_type(&media) => {
            let mut body = Vec::new();
            while body.len() < ERROR_PEEK_LIMIT {
                match response.chunk().await.map_err(read_error)? {
                    Some(chunk) => body.extend_from_slice(
                        &chunk[..chunk.len().min(ERROR_PEEK_LIMIT - body.len())],
                    ),
                    None => break,
                }
            }
            Err(
                download_error(status, request_id.clone(), &body).unwrap_or_else(|| {
                    Error::Decode {
                        status,
                        message: format!(
                        "expected a file, but the service answered with a JSON document ({media})"
                    ),
                        body: crate::error::excerpt(&body),
                        request_id,
                    }
                }),
            )
        }
        Some(_) => Ok(ByteStream::from_response(response)),
        None => {
            // Read until the first non-blank byte; only a `{` can start an error object.
            let mut head = Vec::new();
            let looks_like_json = loop {
                if let Some(&first) = head.iter().find(|b: &&u8| !b.is_ascii_whitespace()) {
                    break first == b'{';
                }
                match response.chunk().await.map_err(read_error)? {
                    Some(chunk) => head.extend_from_slice(&chunk),
                    None => break false,
                }
            };
            let mut ended = false;
            if looks_like_json {
                while head.len() <= ERROR_PEEK_LIMIT {
                    match response.chunk().await.map_err(read_error)? {
                        Some(chunk) => head.extend_from_slice(&chunk),
                        None => {
                            ended = true;
                            break;
                        }
                    }
                }
                if ended {
                    if let Some(error) = download_error(status, request_id.clone(), &head) {
                        return Err(error);
                    }
                }
            }
            Ok(ByteStream::from_prefix_and_response(
                bytes::Bytes::from(head),
                (!ended).then_some(response),
                content_length,
                metadata,
            ))
        }
    }
}

/// The error a download's JSON body reports: an object carrying `error_code` or `error_msg`.
fn download_error(status: u16, request_id: Option<String>, body: &[u8]) -> Option<Error> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else {
        return None;
    };
    let set = |key: &str| match map.get(key) {
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Number(_)) => true,
        _ => false,
    };
    (set("error_code") || set("error_msg"))
        .then(|| Error::from_service_body(status, request_id, body))
}

/// Reads the body and checks that it does not announce an error (`error_code`); the first
/// [`ERROR_PEEK_LIMIT`] bytes are kept for that, the rest is read and discarded so that the
/// connection can be reused.
pub async fn decode_empty(response: RawResponse) -> Result<(), Error> {
    let status = response.status();
    let RawResponse {
        mut response,
        request_id,
    } = response;
    let mut head = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::from_reqwest("reading the response body", e))?
    {
        if head.len() < ERROR_PEEK_LIMIT {
            head.extend_from_slice(&chunk[..chunk.len().min(ERROR_PEEK_LIMIT - head.len())]);
        }
    }
    match Error::from_success_body(status, request_id.as_deref(), &head) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}
