//! Credentials that change while a client runs: the [`CredentialsProvider`] trait and
//! [`ReloadingCredentials`], a provider that reloads from a closure.
//!
//! IAM tokens expire after 24 hours and temporary AK/SK after the time they were issued for; a
//! long-running service hands its client a provider
//! ([`ClientBuilder::credentials_provider`](crate::ClientBuilder::credentials_provider)) instead
//! of fixed [`Credentials`], and the client asks it before every attempt.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use crate::{Credentials, Error};

/// Default of [`ReloadingCredentials::refresh_before_expiry`].
pub const DEFAULT_REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// A source of [`Credentials`] that a client asks before every attempt.
///
/// [`provide`](Self::provide) is on the request path: when the current credentials are good,
/// return them with [`ProvideCredentials::ready`] (no allocation; an `Arc` clone), and only
/// when they must be fetched return a future with [`ProvideCredentials::new`].
///
/// ```
/// use std::sync::Arc;
/// use codearts_runtime::auth::{CredentialsProvider, ProvideCredentials};
/// use codearts_runtime::Credentials;
///
/// /// Always the same token; a real provider would fetch a new one when it expires.
/// #[derive(Debug)]
/// struct Fixed(Arc<Credentials>);
///
/// impl CredentialsProvider for Fixed {
///     fn provide(&self) -> ProvideCredentials<'_> {
///         ProvideCredentials::ready(Ok(self.0.clone()))
///     }
/// }
///
/// let provider = Fixed(Arc::new(Credentials::token("MIIZ...")));
/// # let _ = provider;
/// ```
pub trait CredentialsProvider: fmt::Debug + Send + Sync + 'static {
    /// The credentials to sign the next attempt with.
    fn provide(&self) -> ProvideCredentials<'_>;

    /// Called when the API gateway rejected credentials this provider gave (HTTP 401,
    /// `APIGW.0301`): the next [`provide`](Self::provide) should not return them again. The
    /// client then asks once more and repeats the call a single time. Default: nothing.
    fn invalidate(&self) {}
}

type BoxedLoad<'a> = Pin<Box<dyn Future<Output = Result<Arc<Credentials>, Error>> + Send + 'a>>;

/// The future [`CredentialsProvider::provide`] returns: either a value at hand or a boxed
/// future that fetches one.
pub struct ProvideCredentials<'a>(State<'a>);

enum State<'a> {
    Ready(Option<Result<Arc<Credentials>, Error>>),
    Loading(BoxedLoad<'a>),
}

impl<'a> ProvideCredentials<'a> {
    /// Credentials (or an error) already at hand: no allocation.
    pub fn ready(result: Result<Arc<Credentials>, Error>) -> Self {
        ProvideCredentials(State::Ready(Some(result)))
    }

    /// Credentials that `future` fetches.
    pub fn new(future: impl Future<Output = Result<Arc<Credentials>, Error>> + Send + 'a) -> Self {
        ProvideCredentials(State::Loading(Box::pin(future)))
    }
}

impl Future for ProvideCredentials<'_> {
    type Output = Result<Arc<Credentials>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            State::Ready(result) => Poll::Ready(result.take().unwrap_or_else(|| {
                Err(Error::config(
                    "credentials were asked of a provider future that had already answered",
                ))
            })),
            State::Loading(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for ProvideCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.0 {
            State::Ready(_) => "ready",
            State::Loading(_) => "loading",
        };
        f.debug_tuple("ProvideCredentials").field(&state).finish()
    }
}

/// A [`CredentialsProvider`] that calls a closure for credentials and keeps them until they
/// are due for a refresh.
///
/// They are due [`refresh_before_expiry`](Self::refresh_before_expiry) before their
/// [`expiry`](Credentials::expiry), and [`refresh_every`](Self::refresh_every) after they were
/// loaded; with neither an expiry nor an interval they are loaded once (and again after the
/// gateway rejects them). Between refreshes a call costs a read lock and an `Arc` clone.
///
/// One caller at a time runs the closure; the others keep using the current credentials while
/// they have not expired, and wait for the new ones otherwise. When the closure fails, the
/// current credentials are used until they expire, and the closure is tried again on the next
/// call; with none usable the call fails with the closure's error.
///
/// ```no_run
/// use std::time::{Duration, SystemTime};
/// use codearts_runtime::auth::ReloadingCredentials;
/// use codearts_runtime::{Credentials, Error};
///
/// /// Stands for a call to IAM that returns a token and its expiry.
/// async fn fetch_iam_token() -> Result<(String, SystemTime), Error> {
///     Ok(("MIIZ...".into(), SystemTime::now() + Duration::from_secs(24 * 3600)))
/// }
///
/// let provider = ReloadingCredentials::new(|| async {
///     let (token, expiry) = fetch_iam_token().await?;
///     Ok(Credentials::token(token).with_expiry(expiry))
/// })
/// .refresh_before_expiry(Duration::from_secs(30 * 60));
/// // Then: Client::builder().credentials_provider(provider) in the generated crate.
/// # let _ = provider;
/// ```
pub struct ReloadingCredentials<F> {
    load: F,
    cache: RwLock<Option<Cached>>,
    /// Held while the closure runs, so that it runs once for many waiting callers.
    loading: tokio::sync::Mutex<()>,
    refresh_every: Option<Duration>,
    refresh_before_expiry: Duration,
}

struct Cached {
    credentials: Arc<Credentials>,
    /// From when a caller reloads; `None`: never (until invalidated).
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn usable(&self, now: SystemTime) -> bool {
        self.credentials.expiry().is_none_or(|expiry| now < expiry)
    }
}

impl<F, Fut> ReloadingCredentials<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credentials, Error>> + Send + 'static,
{
    /// A provider that loads credentials with `load` when first asked and whenever they are
    /// due. Credentials that are invalid (empty, or not sendable in a header) are an
    /// [`Error::Config`], as with fixed credentials.
    pub fn new(load: F) -> Self {
        ReloadingCredentials {
            load,
            cache: RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
            refresh_every: None,
            refresh_before_expiry: DEFAULT_REFRESH_BEFORE_EXPIRY,
        }
    }

    /// Reloads credentials this long after loading them, whatever their expiry says
    /// (default: only by expiry). For a source that changes without telling, such as a file
    /// a secrets manager rewrites.
    pub fn refresh_every(mut self, interval: Duration) -> Self {
        self.refresh_every = Some(interval);
        self
    }

    /// How long before their [`expiry`](Credentials::expiry) credentials are reloaded
    /// (default [`DEFAULT_REFRESH_BEFORE_EXPIRY`]), so that no request is signed with
    /// credentials about to expire.
    pub fn refresh_before_expiry(mut self, margin: Duration) -> Self {
        self.refresh_before_expiry = margin;
        self
    }

    fn cached(
        &self,
        now: SystemTime,
        accept: fn(&Cached, SystemTime) -> bool,
    ) -> Option<Arc<Credentials>> {
        let cache = self
            .cache
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .as_ref()
            .filter(|cached| accept(cached, now))
            .map(|cached| cached.credentials.clone())
    }

    async fn reload(&self) -> Result<Arc<Credentials>, Error> {
        let _loading = match self.loading.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Someone is reloading: what we have still works, so do not wait.
                if let Some(current) = self.cached(SystemTime::now(), Cached::usable) {
                    return Ok(current);
                }
                self.loading.lock().await
            }
        };
        // It may have been reloaded while this caller waited.
        if let Some(current) = self.cached(SystemTime::now(), Cached::fresh) {
            return Ok(current);
        }
        let loaded = (self.load)()
            .await
            .and_then(|credentials| credentials.validate().map(|()| credentials));
        let credentials = match loaded {
            Ok(credentials) => Arc::new(credentials),
            Err(error) => return self.cached(SystemTime::now(), Cached::usable).ok_or(error),
        };
        let now = SystemTime::now();
        let by_interval = self.refresh_every.and_then(|every| now.checked_add(every));
        let by_expiry = credentials.expiry().map(|expiry| {
            expiry
                .checked_sub(self.refresh_before_expiry)
                .unwrap_or(SystemTime::UNIX_EPOCH)
        });
        let refresh_at = match (by_interval, by_expiry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut cache = self
            .cache
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cache = Some(Cached {
            credentials: credentials.clone(),
            refresh_at,
        });
        Ok(credentials)
    }
}

impl<F, Fut> CredentialsProvider for ReloadingCredentials<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credentials, Error>> + Send + 'static,
{
    fn provide(&self) -> ProvideCredentials<'_> {
        match self.cached(SystemTime::now(), Cached::fresh) {
            Some(current) => ProvideCredentials::ready(Ok(current)),
            None => ProvideCredentials::new(self.reload()),
        }
    }

    fn invalidate(&self) {
        let mut cache = self
            .cache
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Not usable either: the gateway has just refused them.
        *cache = None;
    }
}

impl<F> fmt::Debug for ReloadingCredentials<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cache = self
            .cache
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f.debug_struct("ReloadingCredentials")
            .field("current", &cache.as_ref().map(|c| &c.credentials))
            .field("refresh_every", &self.refresh_every)
            .field("refresh_before_expiry", &self.refresh_before_expiry)
            .finish_non_exhaustive()
    }
}

/// Where a client gets its credentials: fixed at build time, or from a provider.
#[derive(Clone)]
pub(crate) enum CredentialSource {
    Fixed(Arc<Credentials>),
    Provider(Arc<dyn CredentialsProvider>),
}

impl CredentialSource {
    /// The credentials for the next attempt.
    pub(crate) async fn current(&self) -> Result<Arc<Credentials>, Error> {
        match self {
            CredentialSource::Fixed(credentials) => Ok(credentials.clone()),
            CredentialSource::Provider(provider) => provider.provide().await,
        }
    }

    /// The credentials if they are at hand without waiting (always, for fixed ones).
    pub(crate) fn current_now(&self) -> Result<Arc<Credentials>, Error> {
        match self {
            CredentialSource::Fixed(credentials) => Ok(credentials.clone()),
            CredentialSource::Provider(provider) => {
                let mut future = provider.provide();
                let mut cx = Context::from_waker(std::task::Waker::noop());
                match Pin::new(&mut future).poll(&mut cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => Err(Error::config(
                        "the credentials provider is still loading credentials; send a request \
                         first, or prepare once it has answered",
                    )),
                }
            }
        }
    }
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Fixed(credentials) => credentials.fmt(f),
            CredentialSource::Provider(provider) => provider.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn token_of(credentials: &Credentials) -> String {
        match &credentials.kind {
            crate::auth::CredentialKind::Token(token) => token.clone(),
            crate::auth::CredentialKind::AkSk { access_key, .. } => access_key.clone(),
        }
    }

    type Loaded = std::future::Ready<Result<Credentials, Error>>;

    fn counting(
        expiry_in: Option<Duration>,
    ) -> (Arc<AtomicUsize>, ReloadingCredentials<impl Fn() -> Loaded>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let provider = ReloadingCredentials::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let credentials = Credentials::token(format!("t{n}"));
            std::future::ready(Ok(match expiry_in {
                Some(d) => credentials.with_expiry(SystemTime::now() + d),
                None => credentials,
            }))
        });
        (calls, provider)
    }

    #[tokio::test]
    async fn caches_until_due_and_reloads_after() {
        let (calls, provider) = counting(None);
        assert_eq!(token_of(&provider.provide().await.unwrap()), "t1");
        assert_eq!(token_of(&provider.provide().await.unwrap()), "t1");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        provider.invalidate();
        assert_eq!(token_of(&provider.provide().await.unwrap()), "t2");

        // Expiring within the margin: due at once, so every call reloads.
        let (calls, provider) = counting(Some(Duration::from_secs(60)));
        provider.provide().await.unwrap();
        provider.provide().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        // Far from expiry: kept.
        let (calls, provider) = counting(Some(Duration::from_secs(3600)));
        provider.provide().await.unwrap();
        provider.provide().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // An interval of zero: every call reloads.
        let (calls, provider) = counting(None);
        let provider = provider.refresh_every(Duration::ZERO);
        provider.provide().await.unwrap();
        provider.provide().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_reload_keeps_credentials_that_still_work() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let provider = ReloadingCredentials::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            std::future::ready(if n == 0 {
                Ok(Credentials::token("first"))
            } else {
                Err(Error::config("IAM is down"))
            })
        })
        .refresh_every(Duration::ZERO);
        assert_eq!(token_of(&provider.provide().await.unwrap()), "first");
        assert_eq!(token_of(&provider.provide().await.unwrap()), "first");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        provider.invalidate();
        let error = provider.provide().await.unwrap_err();
        assert_eq!(error.to_string(), "configuration error: IAM is down");

        let invalid = ReloadingCredentials::new(|| std::future::ready(Ok(Credentials::token(""))));
        assert!(invalid.provide().await.is_err());
    }

    #[test]
    fn fixed_and_cached_credentials_are_at_hand_without_waiting() {
        let (_, provider) = counting(None);
        let source = CredentialSource::Provider(Arc::new(provider));
        // `std::future::ready` answers on the first poll.
        assert_eq!(token_of(&source.current_now().unwrap()), "t1");
        let pending = ReloadingCredentials::new(|| async {
            std::future::pending::<()>().await;
            Ok(Credentials::token("never"))
        });
        let source = CredentialSource::Provider(Arc::new(pending));
        assert!(source
            .current_now()
            .unwrap_err()
            .to_string()
            .contains("still loading"));
    }
}
