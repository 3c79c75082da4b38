//! `multipart/form-data` request bodies: text parts and file parts, a file streamed from an
//! [`AsyncRead`] or sent from bytes.
//!
//! The body is framed as the vendor SDKs frame it (huaweicloud-sdk-go-v3 `core/def/multipart.go`
//! and `core/request`): text parts first, each with only a `Content-Disposition`, then file parts
//! with a `filename` and a `Content-Type` (default `application/octet-stream`). With AK/SK
//! credentials the request is signed as those SDKs sign a body that is not JSON: the client adds
//! `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` (a signed header) and the signature covers that
//! literal instead of a hash of the body, so a streamed file is never read twice.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderValue;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::Error;

/// The header value a non-JSON body is signed with instead of its hash.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The header that carries [`UNSIGNED_PAYLOAD`] (or a body hash) into the signature.
pub const HEADER_CONTENT_SHA256: &str = "x-sdk-content-sha256";

/// Size of one read from a streamed file.
const READ_CHUNK: usize = 64 * 1024;

type Reader = Box<dyn AsyncRead + Send + Unpin>;

/// A file sent as one part of a `multipart/form-data` body, with the file name the service
/// sees.
///
/// Made from bytes ([`from_bytes`](Self::from_bytes), cheap to clone, can be resent by a retry)
/// or from any [`AsyncRead`] ([`from_reader`](Self::from_reader), streamed, never held in memory
/// as a whole, sent at most once: a call with a streamed file is not retried).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use codearts_runtime::FilePart;
///
/// let small = FilePart::from_bytes("release.jks", std::fs::read("release.jks")?);
/// let file = tokio::fs::File::open("big.jks").await?;
/// let length = file.metadata().await?.len();
/// let streamed = FilePart::from_reader("big.jks", file).with_length(length);
/// # let _ = (small, streamed);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    file_name: String,
    content_type: Option<String>,
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Shared so that the request (which is `Clone`) can hand the reader to the one attempt
    /// that sends it; `None` once taken.
    Reader {
        reader: Arc<Mutex<Option<Reader>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file part holding `bytes`.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            source: Source::Bytes(bytes.into()),
        }
    }

    /// A file part streamed from `reader` while the request is sent. Without
    /// [`with_length`](Self::with_length) the request has no `Content-Length` and is sent with
    /// chunked transfer encoding.
    pub fn from_reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            source: Source::Reader {
                reader: Arc::new(Mutex::new(Some(Box::new(reader)))),
                length: None,
            },
        }
    }

    /// Announces the exact number of bytes the reader yields, so that the request carries a
    /// `Content-Length`; a reader that yields another number of bytes fails the call. Ignored
    /// for [`from_bytes`](Self::from_bytes) parts, whose length is known.
    pub fn with_length(mut self, length: u64) -> Self {
        if let Source::Reader { length: l, .. } = &mut self.source {
            *l = Some(length);
        }
        self
    }

    /// The part's `Content-Type`; `application/octet-stream` unless set.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The number of bytes, when known (bytes, or a reader with a length).
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::Reader { length, .. } => *length,
        }
    }

    /// Whether the part is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// Whether the part can be sent again (bytes), so that a failed attempt may be retried.
    fn is_replayable(&self) -> bool {
        matches!(self.source, Source::Bytes(_))
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::Reader { .. } => "reader",
        };
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("source", &source)
            .field("len", &self.len())
            .finish()
    }
}

/// Equal when the names and content types match and the content is the same bytes, or the same
/// reader (a clone of the part).
impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        self.file_name == other.file_name
            && self.content_type == other.content_type
            && match (&self.source, &other.source) {
                (Source::Bytes(a), Source::Bytes(b)) => a == b,
                (
                    Source::Reader {
                        reader: a,
                        length: x,
                    },
                    Source::Reader {
                        reader: b,
                        length: y,
                    },
                ) => Arc::ptr_eq(a, b) && x == y,
                _ => false,
            }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    File(FilePart),
}

/// The parts of a `multipart/form-data` body, as a generated request lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    parts: Vec<(&'static str, Value)>,
}

/// A form ready to send: its `Content-Type` (with the boundary), the body and its length when
/// known.
pub(crate) struct Encoded {
    pub(crate) content_type: HeaderValue,
    pub(crate) body: reqwest::Body,
    pub(crate) length: Option<u64>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &'static str, value: String) {
        self.parts.push((name, Value::Text(value)));
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &'static str, file: FilePart) {
        self.parts.push((name, Value::File(file)));
    }

    /// Whether every part can be sent again (no streamed file), so that the call may be
    /// retried.
    pub fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, value)| match value {
            Value::Text(_) => true,
            Value::File(file) => file.is_replayable(),
        })
    }

    /// Frames the body with a fresh boundary. A streamed file is taken out of its part here: a
    /// second encoding of the same part fails with [`Error::InvalidRequest`].
    pub(crate) fn encode(&self) -> Result<Encoded, Error> {
        let boundary = format!(
            "codearts-runtime-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let mut segments: Vec<Segment> = Vec::with_capacity(2 * self.parts.len() + 1);
        let mut head = BytesMut::new();
        // Text parts first, then files, as the vendor SDKs write them.
        let texts = self
            .parts
            .iter()
            .filter(|(_, v)| matches!(v, Value::Text(_)));
        let files = self
            .parts
            .iter()
            .filter(|(_, v)| matches!(v, Value::File(_)));
        for (name, value) in texts.chain(files) {
            head.extend_from_slice(b"--");
            head.extend_from_slice(boundary.as_bytes());
            head.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            head.extend_from_slice(escape_quotes(name).as_bytes());
            head.extend_from_slice(b"\"");
            match value {
                Value::Text(text) => {
                    head.extend_from_slice(b"\r\n\r\n");
                    head.extend_from_slice(text.as_bytes());
                }
                Value::File(file) => {
                    if file.file_name.contains(['\r', '\n']) {
                        return Err(Error::invalid(*name, "has a file name with a line break"));
                    }
                    let content_type = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    if content_type.contains(['\r', '\n']) {
                        return Err(Error::invalid(
                            *name,
                            "has a content type with a line break",
                        ));
                    }
                    head.extend_from_slice(b"; filename=\"");
                    head.extend_from_slice(escape_quotes(&file.file_name).as_bytes());
                    head.extend_from_slice(b"\"\r\nContent-Type: ");
                    head.extend_from_slice(content_type.as_bytes());
                    head.extend_from_slice(b"\r\n\r\n");
                    match &file.source {
                        Source::Bytes(bytes) => {
                            segments.push(Segment::Bytes(head.split().freeze()));
                            segments.push(Segment::Bytes(bytes.clone()));
                        }
                        Source::Reader { reader, length } => {
                            let taken = reader
                                .lock()
                                .map_err(|_| {
                                    Error::invalid(*name, "its reader was poisoned by a panic")
                                })?
                                .take();
                            let Some(reader) = taken else {
                                return Err(Error::invalid(
                                    *name,
                                    "is a file part streamed from a reader, which can be sent only once",
                                ));
                            };
                            segments.push(Segment::Bytes(head.split().freeze()));
                            segments.push(Segment::Reader {
                                name,
                                reader,
                                expected: *length,
                            });
                        }
                    }
                }
            }
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"--");
        head.extend_from_slice(boundary.as_bytes());
        head.extend_from_slice(b"--\r\n");
        segments.push(Segment::Bytes(head.freeze()));

        let length = segments
            .iter()
            .try_fold(0u64, |sum, segment| match segment {
                Segment::Bytes(bytes) => Some(sum + bytes.len() as u64),
                Segment::Reader { expected, .. } => expected.map(|n| sum + n),
            });
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                .map_err(|_| Error::invalid("body", "cannot form a multipart content type"))?;
        let body = if segments.iter().all(|s| matches!(s, Segment::Bytes(_))) {
            let mut all =
                BytesMut::with_capacity(usize::try_from(length.unwrap_or(0)).unwrap_or(0));
            for segment in &segments {
                if let Segment::Bytes(bytes) = segment {
                    all.extend_from_slice(bytes);
                }
            }
            reqwest::Body::from(all.freeze())
        } else {
            reqwest::Body::wrap_stream(stream(segments))
        };
        Ok(Encoded {
            content_type,
            body,
            length,
        })
    }
}

/// One piece of an encoded body, in order.
enum Segment {
    Bytes(Bytes),
    Reader {
        name: &'static str,
        reader: Reader,
        /// The announced length, checked against what the reader yields.
        expected: Option<u64>,
    },
}

/// The body as a stream: bytes as they are, readers in chunks of [`READ_CHUNK`].
fn stream(
    segments: Vec<Segment>,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    struct State {
        segments: std::vec::IntoIter<Segment>,
        current: Option<(&'static str, Reader, Option<u64>, u64)>,
    }
    let state = State {
        segments: segments.into_iter(),
        current: None,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some((name, reader, expected, read)) = &mut state.current {
                let mut buffer = BytesMut::with_capacity(READ_CHUNK);
                match reader.read_buf(&mut buffer).await {
                    Ok(0) => {
                        if expected.is_some_and(|n| n != *read) {
                            let message = format!(
                                "file part `{name}` announced {} bytes but its reader gave {read}",
                                expected.unwrap_or_default()
                            );
                            state.current = None;
                            return Some((Err(std::io::Error::other(message)), state));
                        }
                        state.current = None;
                    }
                    Ok(n) => {
                        *read += n as u64;
                        if expected.is_some_and(|limit| *read > limit) {
                            let message = format!(
                                "file part `{name}` announced {} bytes but its reader gave more",
                                expected.unwrap_or_default()
                            );
                            state.current = None;
                            return Some((Err(std::io::Error::other(message)), state));
                        }
                        return Some((Ok(buffer.freeze()), state));
                    }
                    Err(error) => {
                        state.current = None;
                        return Some((Err(error), state));
                    }
                }
                continue;
            }
            match state.segments.next()? {
                Segment::Bytes(bytes) => return Some((Ok(bytes), state)),
                Segment::Reader {
                    name,
                    reader,
                    expected,
                } => state.current = Some((name, reader, expected, 0)),
            }
        }
    })
}

/// Escapes `\` and `"` in a quoted header parameter, as the vendor SDKs (Go's `mime/multipart`)
/// do.
fn escape_quotes(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(encoded: Encoded) -> (String, String) {
        let content_type = encoded.content_type.to_str().unwrap_or_default().to_owned();
        let bytes = encoded
            .body
            .as_bytes()
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        (content_type, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[test]
    fn bytes_form_is_framed_like_the_vendor_sdks() {
        let mut form = Form::new();
        form.file("file", FilePart::from_bytes("a\"b.jks", &b"KEY"[..]));
        form.text("privacy", "true".to_owned());
        let encoded = form.encode().expect("encodes");
        assert!(form.is_replayable());
        let length = encoded.length;
        let (content_type, body) = text(encoded);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"privacy\"\r\n\r\ntrue\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\\\"b.jks\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nKEY\r\n--{boundary}--\r\n"
        );
        assert_eq!(body, expected);
        assert_eq!(length, Some(expected.len() as u64));
    }

    #[test]
    fn a_streamed_file_is_sent_once_and_the_form_is_not_replayable() {
        let mut form = Form::new();
        form.file(
            "file",
            FilePart::from_reader("k.jks", &b"KEY"[..]).with_length(3),
        );
        assert!(!form.is_replayable());
        let first = form.encode().expect("first encoding");
        assert!(first.length.is_some());
        let again = form.encode().err().expect("the reader is gone");
        assert!(
            again.to_string().contains("can be sent only once"),
            "{again}"
        );
    }

    #[test]
    fn line_breaks_in_a_file_name_are_refused() {
        let mut form = Form::new();
        form.file("file", FilePart::from_bytes("a\r\nX-Evil: 1", &b""[..]));
        assert!(form.encode().is_err());
    }

    /// The signer uses a signed `X-Sdk-Content-Sha256` as the body hash, as the vendor's
    /// `getContentHash` does.
    #[test]
    fn unsigned_payload_replaces_the_body_hash() {
        use crate::auth::signer::{canonical_request, SignableRequest};
        let headers = [
            ("host", "example.com"),
            ("x-sdk-date", "20240102T030405Z"),
            (HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD),
        ];
        let (canonical, signed) = canonical_request(&SignableRequest {
            method: "POST",
            path: "/v2/keystore/upload",
            query: "",
            headers: &headers,
            body: b"ignored",
        });
        assert_eq!(signed, "host;x-sdk-content-sha256;x-sdk-date");
        assert!(
            canonical.ends_with(
                "
UNSIGNED-PAYLOAD"
            ),
            "{canonical}"
        );
    }

    #[test]
    fn boundaries_differ_per_encoding() {
        let form = Form::new();
        let a = form.encode().expect("a").content_type;
        let b = form.encode().expect("b").content_type;
        assert_ne!(a, b);
    }
}
