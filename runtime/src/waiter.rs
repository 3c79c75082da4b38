//! Waiting for something on the service to reach a state, by polling an operation.
//!
//! A [`Waiter`] is what generated `wait_for_*` methods return: await it (it implements
//! [`IntoFuture`]) or call [`Waiter::wait`]. Dropping the future cancels the wait: no request
//! is sent after that.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use crate::Error;

/// The first pause between two polls, unless the operation's rate-limit class asks for a
/// longer one or [`Waiter::poll_interval`] sets another.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// The longest pause between two polls the backoff grows to, unless changed with
/// [`Waiter::max_interval`]: a finished build is noticed within this time.
pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(30);

/// How long a wait lasts at most before ending with [`WaitError::Timeout`], unless changed
/// with [`Waiter::deadline`].
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60 * 60);

/// What one poll saw: the awaited state (`Done`) or not yet (`Pending`), with the value read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check<T> {
    /// The wait is over; this is its result.
    Done(T),
    /// Not there yet; this is the state seen, kept for [`WaitError::Timeout`].
    Pending(T),
}

type PollFuture<T> = Pin<Box<dyn Future<Output = Result<Check<T>, Error>> + Send>>;
type Poll<T> = Box<dyn FnMut() -> PollFuture<T> + Send>;

/// How a wait ended without reaching the awaited state.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// The deadline passed first (a request in flight at that moment is abandoned).
    Timeout {
        /// The last state seen, `None` when no poll answered.
        last: Option<T>,
        /// How long the wait lasted.
        waited: Duration,
        /// How many polls were sent.
        polls: u32,
    },
    /// A poll failed with an error that polling again cannot clear (a retryable error, such as
    /// HTTP 429 or 503, only makes the next poll wait longer).
    Failed {
        /// The error of the poll.
        source: Error,
        /// The last state seen before it, if any.
        last: Option<T>,
    },
}

impl<T> WaitError<T> {
    /// The last state seen before the wait ended, if any poll answered.
    pub fn last(&self) -> Option<&T> {
        match self {
            WaitError::Timeout { last, .. } | WaitError::Failed { last, .. } => last.as_ref(),
        }
    }

    /// Whether the deadline passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout { .. })
    }

    /// The same error with the last state turned into another type.
    pub fn map_last<U>(self, f: impl FnOnce(T) -> U) -> WaitError<U> {
        match self {
            WaitError::Timeout {
                last,
                waited,
                polls,
            } => WaitError::Timeout {
                last: last.map(f),
                waited,
                polls,
            },
            WaitError::Failed { source, last } => WaitError::Failed {
                source,
                last: last.map(f),
            },
        }
    }
}

impl<T> fmt::Display for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout { waited, polls, .. } => write!(
                f,
                "gave up waiting after {:.1} s ({polls} polls) without reaching the awaited state",
                waited.as_secs_f64()
            ),
            WaitError::Failed { source, .. } => write!(f, "waiting failed: {source}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for WaitError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Failed { source, .. } => Some(source),
            WaitError::Timeout { .. } => None,
        }
    }
}

/// A wait by polling: polls, and while the answer is [`Check::Pending`] pauses and polls again,
/// the pause growing by half each time up to [`max_interval`](Self::max_interval), until the
/// answer is [`Check::Done`] or the [`deadline`](Self::deadline) passes.
///
/// A retryable error (HTTP 429, 502-504, a timeout or a transport error, after the client's
/// own retries, which honour `Retry-After`) doubles the pause and polls again; any other
/// error ends the wait with [`WaitError::Failed`].
pub struct Waiter<T> {
    poll: Poll<T>,
    interval: Duration,
    max_interval: Duration,
    deadline: Option<Duration>,
}

impl<T: Send + 'static> Waiter<T> {
    /// A waiter that polls with `poll`, first after no pause, then every `interval` and more
    /// (generated code passes the longer of [`DEFAULT_POLL_INTERVAL`] and the pace of the
    /// polled operation's rate-limit class).
    pub fn new<F, Fut>(interval: Duration, mut poll: F) -> Self
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<Check<T>, Error>> + Send + 'static,
    {
        Waiter {
            poll: Box::new(move || Box::pin(poll())),
            interval,
            max_interval: DEFAULT_MAX_INTERVAL,
            deadline: Some(DEFAULT_DEADLINE),
        }
    }

    /// Sets the first pause between two polls. A pause shorter than the operation's pace
    /// can run into the service's rate limit; its 429 replies then slow the wait down.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets the longest pause the backoff grows to (default [`DEFAULT_MAX_INTERVAL`]; never
    /// shorter than the first pause).
    pub fn max_interval(mut self, max: Duration) -> Self {
        self.max_interval = max;
        self
    }

    /// Sets the most time the whole wait may take, counted from its first poll (default
    /// [`DEFAULT_DEADLINE`]); `None` waits as long as it takes.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// Polls until done, failed or out of time.
    pub async fn wait(mut self) -> Result<T, WaitError<T>> {
        let started = Instant::now();
        let until = self.deadline.and_then(|d| started.checked_add(d));
        let max = self.max_interval.max(self.interval);
        let mut pause = self.interval;
        let mut last = None;
        let mut polls = 0u32;
        let timeout = |last, polls| WaitError::Timeout {
            last,
            waited: started.elapsed(),
            polls,
        };
        loop {
            polls = polls.saturating_add(1);
            let answer = match until {
                Some(at) => match tokio::time::timeout_at(at, (self.poll)()).await {
                    Ok(answer) => answer,
                    Err(_) => return Err(timeout(last, polls)),
                },
                None => (self.poll)().await,
            };
            let grow = match answer {
                Ok(Check::Done(value)) => return Ok(value),
                Ok(Check::Pending(value)) => {
                    last = Some(value);
                    pause.saturating_add(pause / 2)
                }
                Err(e) if e.is_retryable() => pause.saturating_mul(2),
                Err(source) => return Err(WaitError::Failed { source, last }),
            };
            let wake = Instant::now() + pause;
            match until {
                Some(at) if wake >= at => {
                    tokio::time::sleep_until(at).await;
                    return Err(timeout(last, polls));
                }
                _ => tokio::time::sleep_until(wake).await,
            }
            pause = grow.min(max);
        }
    }
}

impl<T: Send + 'static> IntoFuture for Waiter<T> {
    type Output = Result<T, WaitError<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

impl<T> fmt::Debug for Waiter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    type Answer = std::future::Ready<Result<Check<u32>, Error>>;

    /// A poll that gives `answers` in turn (then `Pending(99)`), and its call counter.
    fn counting(
        answers: Vec<Result<Check<u32>, Error>>,
    ) -> (Arc<AtomicU32>, impl FnMut() -> Answer) {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let mut answers = answers.into_iter();
        let poll = move || {
            seen.fetch_add(1, Ordering::SeqCst);
            std::future::ready(answers.next().unwrap_or(Ok(Check::Pending(99))))
        };
        (calls, poll)
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_grow_by_half_up_to_the_maximum() {
        let (calls, poll) = counting(vec![
            Ok(Check::Pending(1)),
            Ok(Check::Pending(2)),
            Ok(Check::Pending(3)),
            Ok(Check::Pending(4)),
            Ok(Check::Done(5)),
        ]);
        let start = Instant::now();
        let done = Waiter::new(Duration::from_secs(2), poll)
            .max_interval(Duration::from_secs(4))
            .await
            .unwrap();
        assert_eq!(done, 5);
        assert_eq!(calls.load(Ordering::SeqCst), 5);
        // 2 + 3 + 4 + 4
        assert_eq!(start.elapsed(), Duration::from_secs(13));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_with_the_last_state() {
        let (_, poll) = counting(vec![Ok(Check::Pending(1)), Ok(Check::Pending(2))]);
        let error = Waiter::new(Duration::from_secs(2), poll)
            .deadline(Duration::from_secs(5))
            .await
            .unwrap_err();
        match error {
            WaitError::Timeout {
                last,
                waited,
                polls,
            } => {
                assert_eq!(last, Some(2));
                assert_eq!(waited, Duration::from_secs(5));
                assert_eq!(polls, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retryable_errors_double_the_pause_and_others_end_the_wait() {
        let busy = || Error::Service {
            status: 429,
            error_code: None,
            error_msg: None,
            request_id: None,
            body: String::new(),
            retryable_code: false,
        };
        let (calls, poll) = counting(vec![
            Ok(Check::Pending(1)),
            Err(busy()),
            Err(Error::config("no")),
        ]);
        let start = Instant::now();
        let error = Waiter::new(Duration::from_secs(1), poll).await.unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // 1 s after the pending answer, then 1.5 s (the pause had grown) after the 429
        assert_eq!(start.elapsed(), Duration::from_millis(2500));
        assert!(
            matches!(error, WaitError::Failed { last: Some(1), .. }),
            "{error:?}"
        );
    }
}
