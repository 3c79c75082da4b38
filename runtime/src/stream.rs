//! Streaming response bodies.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

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
}

impl ByteStream {
    pub(crate) fn from_response(response: reqwest::Response) -> Self {
        let content_length = response.content_length();
        let inner = response
            .bytes_stream()
            .map(|chunk| chunk.map_err(|e| Error::from_reqwest("reading the response body", e)));
        ByteStream {
            inner: Box::pin(inner),
            content_length,
        }
    }

    /// `prefix` (bytes already read from the response, to tell whether it was an error)
    /// followed by the rest of `response`, if it has not ended.
    pub(crate) fn from_prefix_and_response(
        prefix: Bytes,
        response: Option<reqwest::Response>,
        content_length: Option<u64>,
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
        }
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

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}
