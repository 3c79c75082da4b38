//! The contract between generated operations and the client.

use std::future::Future;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::runtime::{ByteStream, Error};

pub use crate::runtime::encode::encode_path_segment;

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
    pub multipart: Option<crate::runtime::multipart::Form>,
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
/// A body longer than [`MAX_JSON_BODY`] (announced by `Content-Length` or found while
/// reading) is an [`Error::Decode`]; the rest of it is not read.
pub async fn decode_json<T: DeserializeOwned>(response: RawResponse) -> Result<T, Error> {
    let status = response.status();
    let request_id = response.request_id.clone();
    let body = read_bounded(response, MAX_JSON_BODY).await?;
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    serde_json::from_slice(text).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body: crate::runtime::error::excerpt(&body),
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
        body: crate::runtime::error::excerpt(read),
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
/// Returns the body as a [`ByteStream`]; nothing is read yet.
pub fn decode_stream(response: RawResponse) -> ByteStream {
    response.into_stream()
}

/// Reads and discards the body (so the connection can be reused), one chunk at a time.
pub async fn decode_empty(response: RawResponse) -> Result<(), Error> {
    let mut response = response.response;
    while response
        .chunk()
        .await
        .map_err(|e| Error::from_reqwest("reading the response body", e))?
        .is_some()
    {}
    Ok(())
}
