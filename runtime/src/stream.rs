//! Streaming response bodies.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::output::{ResponseMeta, ResponseMetadata};
use crate::Error;

type Inner = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body delivered chunk by chunk, as the network hands it over; the whole body is
/// never held in memory unless [`collect`](Self::collect) is called.
///
/// Implements `Stream<Item = Result<Bytes, Error>>`. A body cut short by the server ends with an
/// [`Error::Transport`].
pub struct ByteStream {
    inner: Inner,
    content_length: Option<u64>,
    metadata: ResponseMetadata,
}

impl ByteStream {
    pub(crate) fn from_response(response: reqwest::Response) -> Self {
        let content_length = response.content_length();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let metadata = ResponseMetadata::new(
            response.status().as_u16(),
            request_id,
            response.headers().clone(),
        );
        let inner = response
            .bytes_stream()
            .map(|chunk| chunk.map_err(|e| Error::from_reqwest("reading the response body", e)));
        ByteStream {
            inner: Box::pin(inner),
            content_length,
            metadata,
        }
    }

    /// `prefix` (bytes already read from the response, to tell whether it was an error)
    /// followed by the rest of `response`, if it has not ended.
    pub(crate) fn from_prefix_and_response(
        prefix: Bytes,
        response: Option<reqwest::Response>,
        content_length: Option<u64>,
        metadata: ResponseMetadata,
    ) -> Self {
        let head = futures_util::stream::iter((!prefix.is_empty()).then_some(Ok(prefix)));
        let inner: Inner = match response {
            Some(response) => Box::pin(head.chain(response.bytes_stream().map(|chunk| {
                chunk.map_err(|e| Error::from_reqwest("reading the response body", e))
            }))),
            None => Box::pin(head),
        };
        ByteStream {
            inner,
            content_length,
            metadata,
        }
    }

    /// Wraps any stream of chunks, e.g. to hand a `ByteStream` to code under test.
    pub fn from_stream<S>(stream: S, content_length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, Error>> + Send + 'static,
    {
        ByteStream {
            inner: Box::pin(stream),
            content_length,
            metadata: ResponseMetadata::default(),
        }
    }

    /// The response's request id, status and headers (from no response for a stream built with
    /// [`from_stream`](Self::from_stream)).
    pub fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    /// The `X-Request-Id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.metadata.request_id()
    }

    /// The HTTP status code.
    pub fn http_status(&self) -> u16 {
        self.metadata.http_status()
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.metadata.headers()
    }

    /// The next chunk, `None` at the end of the body; no `StreamExt` import needed.
    pub async fn try_next(&mut self) -> Result<Option<Bytes>, Error> {
        self.inner.next().await.transpose()
    }

    /// Reads the whole body into memory: the same as [`collect`](Self::collect), under the
    /// name the other streams of this crate use.
    pub async fn try_collect(self) -> Result<Bytes, Error> {
        self.collect().await
    }

    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Copies the body to `writer` chunk by chunk and flushes it; returns the number of bytes
    /// written. Memory use is bounded by the size of one network chunk.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, mut writer: W) -> Result<u64, Error> {
        let mut written = 0u64;
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(|source| Error::Io {
                message: "writing the response body".into(),
                source,
            })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|source| Error::Io {
            message: "flushing the response body".into(),
            source,
        })?;
        Ok(written)
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let capacity = self
            .content_length
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
            .min(64 << 20);
        let mut buffer = Vec::with_capacity(capacity);
        while let Some(chunk) = self.inner.next().await {
            buffer.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(buffer))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl ResponseMeta for ByteStream {
    fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    fn set_response_metadata(&mut self, metadata: ResponseMetadata) {
        self.metadata = metadata;
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .field("status", &self.metadata.http_status())
            .field("request_id", &self.metadata.request_id())
            .finish_non_exhaustive()
    }
}
