//! Following a build's real-time log.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;

use crate::runtime::Error;

/// The pause between two polls of the log, unless changed with
/// [`LogFollow::poll_interval`].
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);

type ChunkFuture = Pin<Box<dyn Future<Output = Result<LogChunk, Error>> + Send>>;
type Fetch = Box<dyn FnMut(u64) -> ChunkFuture + Send>;

/// One answer of the real-time log operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogChunk {
    /// The log text of this chunk.
    pub text: String,
    /// The offset to ask for next.
    pub next_offset: u64,
    /// Whether the service has (or will have) more log; `false` ends the stream.
    pub has_more: bool,
}

enum State {
    Idle,
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Fetching(ChunkFuture),
    Done,
}

/// A `Stream<Item = Result<LogChunk, Error>>` that polls the real-time log operation from an
/// offset, waits the poll interval between requests, asks each time for the offset the
/// previous answer returned, and ends after the answer that says there is no more data.
///
/// Chunks with empty text are not yielded. After an error the stream yields it and ends; start
/// a new one from the last `next_offset` to resume.
pub struct LogFollow {
    fetch: Fetch,
    offset: u64,
    interval: Duration,
    state: State,
    polls: u64,
}

/// Builds a [`LogFollow`] starting at `start_offset`; `fetch` requests the log at one offset.
pub fn follow<F, Fut>(start_offset: u64, mut fetch: F) -> LogFollow
where
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<LogChunk, Error>> + Send + 'static,
{
    LogFollow {
        fetch: Box::new(move |offset| Box::pin(fetch(offset))),
        offset: start_offset,
        interval: DEFAULT_POLL_INTERVAL,
        state: State::Idle,
        polls: 0,
    }
}

impl LogFollow {
    /// Sets the pause between two polls (default [`DEFAULT_POLL_INTERVAL`]).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The offset the next poll asks for.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The number of requests sent so far.
    pub fn polls(&self) -> u64 {
        self.polls
    }
}

impl Stream for LogFollow {
    type Item = Result<LogChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Idle => {
                    this.polls += 1;
                    this.state = State::Fetching((this.fetch)(this.offset));
                }
                State::Waiting(sleep) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.state = State::Idle;
                }
                State::Fetching(future) => match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(error)) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                    Poll::Ready(Ok(chunk)) => {
                        this.offset = chunk.next_offset;
                        this.state = if chunk.has_more {
                            State::Waiting(Box::pin(tokio::time::sleep(this.interval)))
                        } else {
                            State::Done
                        };
                        if !chunk.text.is_empty() {
                            return Poll::Ready(Some(Ok(chunk)));
                        }
                    }
                },
            }
        }
    }
}

impl std::fmt::Debug for LogFollow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogFollow")
            .field("offset", &self.offset)
            .field("interval", &self.interval)
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}
