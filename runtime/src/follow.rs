//! Following a build's real-time log.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use futures_core::Stream;

use crate::Error;

/// The pause between two polls of the log, unless changed with
/// [`LogFollow::poll_interval`].
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// How long following waits for new log text before giving up with
/// [`Error::LogStalled`], unless changed with [`LogFollow::idle_timeout`]: long enough for a
/// build step that prints nothing for a while, short enough that a stuck build is noticed.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

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
///
/// Waiting is bounded: when no new log text arrives for the idle timeout (default
/// [`DEFAULT_IDLE_TIMEOUT`]) the stream ends with [`Error::LogStalled`], and when the optional
/// overall [`deadline`](Self::deadline) passes it ends with [`Error::LogDeadline`]. Both limits
/// also cut short a request in flight. Both errors carry the offset to resume from.
pub struct LogFollow {
    fetch: Fetch,
    offset: u64,
    interval: Duration,
    state: State,
    polls: u64,
    idle: Option<Duration>,
    deadline: Option<Duration>,
    /// When the first poll began; the deadline counts from here.
    started: Option<Instant>,
    /// Fires at the earlier of "idle since the last new text" and the deadline.
    limit: Option<Pin<Box<tokio::time::Sleep>>>,
    /// When the idle period began (the first poll, then the last chunk with text).
    last_text: Option<Instant>,
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
        idle: Some(DEFAULT_IDLE_TIMEOUT),
        deadline: None,
        started: None,
        limit: None,
        last_text: None,
    }
}

impl LogFollow {
    /// Sets the pause between two polls (default [`DEFAULT_POLL_INTERVAL`]).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets how long to wait for new log text before ending with [`Error::LogStalled`]
    /// (default [`DEFAULT_IDLE_TIMEOUT`]); `None` waits as long as the build runs.
    pub fn idle_timeout(mut self, idle: impl Into<Option<Duration>>) -> Self {
        self.idle = idle.into();
        self
    }

    /// Sets an overall limit, counted from the first poll, after which the stream ends with
    /// [`Error::LogDeadline`] however much text is still arriving (default: none).
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// The instant at which waiting ends, and the error it ends with.
    fn limit_at(&self) -> Option<(Instant, Error)> {
        let idle = self
            .idle
            .zip(self.last_text)
            .and_then(|(idle, since)| Some((since.checked_add(idle)?, idle)));
        let deadline = self
            .deadline
            .zip(self.started)
            .and_then(|(deadline, since)| Some((since.checked_add(deadline)?, deadline)));
        match (idle, deadline) {
            (Some((at, idle)), Some((end, _))) if at < end => Some((
                at,
                Error::LogStalled {
                    idle,
                    offset: self.offset,
                },
            )),
            (_, Some((end, deadline))) => Some((
                end,
                Error::LogDeadline {
                    deadline,
                    offset: self.offset,
                },
            )),
            (Some((at, idle)), None) => Some((
                at,
                Error::LogStalled {
                    idle,
                    offset: self.offset,
                },
            )),
            (None, None) => None,
        }
    }

    /// Re-arms the limit timer after the idle period restarted.
    fn arm_limit(&mut self) {
        match (self.limit_at(), &mut self.limit) {
            (Some((at, _)), Some(sleep)) => sleep.as_mut().reset(at),
            (Some((at, _)), None) => self.limit = Some(Box::pin(tokio::time::sleep_until(at))),
            (None, _) => self.limit = None,
        }
    }

    /// The offset the next poll asks for.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The number of requests sent so far.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    /// The next chunk with text, waiting and polling as needed; `None` once the log has
    /// ended. Needs no `StreamExt` import.
    pub async fn try_next(&mut self) -> Result<Option<LogChunk>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Follows the log to its end and returns every chunk, stopping at the first error.
    /// Needs no `TryStreamExt` import.
    pub async fn try_collect(mut self) -> Result<Vec<LogChunk>, Error> {
        let mut chunks = Vec::new();
        while let Some(chunk) = self.try_next().await? {
            chunks.push(chunk);
        }
        Ok(chunks)
    }
}

impl Stream for LogFollow {
    type Item = Result<LogChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if !matches!(this.state, State::Done) {
                if let Some(limit) = &mut this.limit {
                    if limit.as_mut().poll(cx).is_ready() {
                        let error = this.limit_at().map(|(_, error)| error);
                        this.state = State::Done;
                        this.limit = None;
                        if let Some(error) = error {
                            return Poll::Ready(Some(Err(error)));
                        }
                        return Poll::Ready(None);
                    }
                }
            }
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Idle => {
                    if this.started.is_none() {
                        let now = Instant::now();
                        this.started = Some(now);
                        this.last_text = Some(now);
                        this.arm_limit();
                        // Register the new timer with this task before fetching.
                        continue;
                    }
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
                            this.limit = None;
                            State::Done
                        };
                        if !chunk.text.is_empty() {
                            if chunk.has_more {
                                this.last_text = Some(Instant::now());
                                this.arm_limit();
                            }
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
            .field("idle_timeout", &self.idle)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}
