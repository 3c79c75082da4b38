//! Retry policy: bounded attempts, exponential backoff with full jitter, `Retry-After`.

use std::time::{Duration, SystemTime};

/// When and how long to wait before sending a failed request again.
///
/// Only idempotent operations are retried unless a call opts in with
/// [`CallOptions::retry_non_idempotent`](crate::CallOptions::retry_non_idempotent)
/// (a request whose connection could not even be made never reached the server, so it is
/// retried for any operation),
/// and only for errors where [`Error::is_retryable`](crate::Error::is_retryable) holds:
/// timeouts, transport failures, HTTP 429, 502, 503 and 504, and service error codes the
/// catalogue marks as retryable.
///
/// "Idempotent" means GET, HEAD, PUT and DELETE, plus the POST operations the spec marks so
/// (stopping, deleting, disabling and enabling jobs, updates). Repeating those cannot do harm,
/// but a retry after a first attempt that did reach the service reports what the service says
/// now: a repeated delete, for example, may end in "not found" although the job was deleted.
/// Use [`RetryPolicy::none`] or [`CallOptions::max_attempts`](crate::CallOptions::max_attempts)
/// where that matters.
///
/// Before retry `n` (1-based) the client waits a random duration between zero and
/// `min(max_backoff, initial_backoff * 2^(n-1))` ("full jitter", which spreads clients that
/// failed together), unless the response carried `Retry-After`: then it waits exactly that long,
/// or gives up at once when that is longer than `max_retry_after`. With an
/// [`operation_timeout`](crate::ClientBuilder::operation_timeout), no wait (backoff or
/// `Retry-After`) that would end after it is started: the call returns the last error at once.
///
/// TLS and certificate failures ([`Error::Tls`](crate::Error::Tls)) are never retried.
///
/// Defaults: 3 attempts in all, 200 ms initial backoff, 10 s maximum backoff, `Retry-After`
/// honoured up to 60 s.
///
/// ```
/// use std::time::Duration;
/// use codearts_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(500))
///     .with_max_backoff(Duration::from_secs(30));
/// assert_eq!(patient.max_attempts(), 5);
/// // The n-th retry waits at most initial × 2^(n-1), capped at the maximum.
/// assert_eq!(patient.backoff_ceiling(3), Duration::from_secs(2));
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff bound before the first retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the largest backoff bound.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the longest `Retry-After` the client waits for; a longer one ends the retries.
    pub fn with_max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The number of attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the jittered wait before retry `retry` (1-based).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// A random wait in `[0, backoff_ceiling(retry)]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// How long to wait before retry `retry`, or `None` to stop retrying because the server
    /// asked for a longer pause than this policy allows.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Parses a `Retry-After` value: a number of seconds or an HTTP date (a date in the past means
/// "now").
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = crate::time::parse_http_date(value)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn backoff_is_exponential_capped_and_jittered() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(350));
        assert_eq!(p.backoff_ceiling(60), Duration::from_millis(350));
        for retry in 1..5 {
            assert!(p.backoff(retry) <= p.backoff_ceiling(retry));
        }
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("later", now), None);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1000000000000 08:49:37 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 9999 08:49:37 GMT", now).map(|d| d > Duration::ZERO),
            Some(true)
        );
        let huge = parse_retry_after(&u64::MAX.to_string(), now);
        assert_eq!(huge, Some(Duration::from_secs(u64::MAX)));
        assert_eq!(RetryPolicy::default().delay(1, huge), None);
    }

    #[test]
    fn long_retry_after_stops_retrying() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(5));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(6))), None);
        assert!(p.delay(1, None).is_some());
    }
}
