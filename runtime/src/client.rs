//! The client: configuration, request building and signing, the send loop with retries.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};

use crate::auth::signer::{self, SignableRequest, HEADER_SDK_DATE};
use crate::auth::{chain, CredentialKind, CredentialSource, CredentialsProvider};
use crate::encode::{canonical_query, decode_path};
use crate::multipart;
use crate::operation::{Operation, OperationSpec, RawResponse, RequestParts};
use crate::retry::parse_retry_after;
use crate::service::{retryable_code, Service, ServiceRegion};
use crate::{Credentials, Error, RetryPolicy};

/// Headers the client sets itself. An operation parameter may not carry one of these names:
/// it could replace the host, the credentials, the signing time or the project the signature
/// covers. The generator refuses such parameters; the client checks again before sending.
pub const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "content-type",
    "content-length",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
];

/// The API gateway's error code for a rejected IAM credential (token or AK/SK signature); older
/// gateways spell it `APIG.0301`.
const GATEWAY_AUTH_CODES: &[&str] = &["APIGW.0301", "APIG.0301"];
/// The largest distance between `X-Sdk-Date` and its own clock the gateway accepts.
const GATEWAY_MAX_SKEW_SECS: u64 = 15 * 60;
/// A measured skew below this cannot be why a signature was rejected (the gateway allows
/// minutes, and its `Date` header has one-second resolution), so it is not corrected.
const MIN_SKEW_CORRECTION_SECS: u64 = 60;

/// Default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending the request to having the response
/// decoded (for streamed downloads: to having the response headers).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default longest pause between two reads of a response body, which bounds a stalled
/// download.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Longest error body kept from a non-success response; the rest is not read.
const ERROR_BODY_LIMIT: usize = crate::operation::ERROR_PEEK_LIMIT;

/// Why one attempt failed, and what that means for retrying it.
struct Failure {
    error: Error,
    /// The server's `Retry-After`, if it sent one.
    retry_after: Option<Duration>,
    /// The connection could not be made, so the request never reached the server.
    unsent: bool,
    /// The server's clock minus this machine's, in seconds, from the reply's `Date` header.
    server_skew: Option<i64>,
}

impl Failure {
    /// A failure after the request may have reached the server.
    fn sent(error: Error) -> Self {
        Failure {
            error,
            retry_after: None,
            unsent: false,
            server_skew: None,
        }
    }
}

/// The service-independent client: configuration, signing and the send loop.
///
/// A generated crate's client wraps one (see [`Service::from_client`]) and adds a method per
/// operation; it is built with [`ClientBuilder`]. Cheap to clone: clones share one connection
/// pool and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// `scheme://authority`, without a trailing slash.
    origin: String,
    /// The endpoint's own path prefix (usually empty), without a trailing slash.
    base_path: String,
    /// The `Host` header value the HTTP client sends, which the signature covers.
    host: String,
    credentials: CredentialSource,
    /// The service's environment variable prefix, for messages.
    env_prefix: &'static str,
    project_id: Option<String>,
    retry: RetryPolicy,
    request_timeout: Duration,
    operation_timeout: Option<Duration>,
    user_agent: HeaderValue,
    debug_signing: bool,
    /// The service's name, for the `tracing` span.
    service: &'static str,
    /// Whether the service's error catalogue marks a code as retryable.
    retryable_code: fn(&str) -> bool,
    /// Seconds to add to this machine's clock when signing, learned from the gateway's `Date`
    /// header after it rejected a signing time; shared by every clone of the client.
    clock_offset: AtomicI64,
}

/// Configures and builds the client of service `S` (a generated crate's `Client`).
pub struct ClientBuilder<S> {
    region_endpoint: Option<String>,
    endpoint: Option<String>,
    credentials: Option<CredentialSource>,
    project_id: Option<String>,
    connect_timeout: Duration,
    request_timeout: Duration,
    read_timeout: Duration,
    operation_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
    allow_insecure_http: bool,
    debug_signing: bool,
    service: PhantomData<fn() -> S>,
}

/// Per-call settings for [`Client::send_with`] (and the generated fluent builders'
/// `send_with`).
///
/// ```
/// use std::time::Duration;
/// use codearts_runtime::CallOptions;
///
/// // A duplicate run is harmless for this caller: let the client retry it, within 2 minutes.
/// let options = CallOptions::new()
///     .retry_non_idempotent(true)
///     .max_attempts(4)
///     .timeout(Duration::from_secs(20))
///     .operation_timeout(Duration::from_secs(120));
/// assert_ne!(options, CallOptions::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry_non_idempotent: bool,
    timeout: Option<Duration>,
    max_attempts: Option<u32>,
    operation_timeout: Option<Duration>,
}

impl CallOptions {
    /// The defaults: the client's timeout and retry policy, no retries for non-idempotent
    /// operations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets the client retry this call even though the operation is not idempotent (for
    /// example when the caller knows a duplicate `run_job` is harmless).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Overrides the client's request timeout for each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the retry policy's number of attempts for this call (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// Overrides the client's [`operation_timeout`](ClientBuilder::operation_timeout) for this
    /// call: the most time the whole call may take, every attempt and every wait between
    /// attempts included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }
}

impl<S> Clone for ClientBuilder<S> {
    fn clone(&self) -> Self {
        ClientBuilder {
            region_endpoint: self.region_endpoint.clone(),
            endpoint: self.endpoint.clone(),
            credentials: self.credentials.clone(),
            project_id: self.project_id.clone(),
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            read_timeout: self.read_timeout,
            operation_timeout: self.operation_timeout,
            retry: self.retry.clone(),
            user_agent_suffix: self.user_agent_suffix.clone(),
            http: self.http.clone(),
            allow_insecure_http: self.allow_insecure_http,
            debug_signing: self.debug_signing,
            service: PhantomData,
        }
    }
}

impl<S> Default for ClientBuilder<S> {
    fn default() -> Self {
        ClientBuilder {
            region_endpoint: None,
            endpoint: None,
            credentials: None,
            project_id: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            operation_timeout: None,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            http: None,
            allow_insecure_http: false,
            debug_signing: false,
            service: PhantomData,
        }
    }
}

impl<S: Service> ClientBuilder<S> {
    /// A builder with the defaults: no credentials, no endpoint, the default timeouts and
    /// [`RetryPolicy`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends requests to the region's documented endpoint.
    pub fn region(mut self, region: S::Region) -> Self {
        self.region_endpoint = Some(region.endpoint().to_string());
        self
    }

    /// Sends requests to `url` (`https://host[:port][/prefix]`); takes precedence over
    /// [`region`](Self::region). A plain `http://` URL needs
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Allows a plain `http://` endpoint (default: refused). Over plain HTTP the token, the
    /// security token and every request and reply cross the network unencrypted, and anyone on
    /// the path can change them; allow it only for a local test server or a proxy you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Configures the builder from the environment, as the examples and most services want.
    /// `<PREFIX>` is the service's [`env_prefix`](crate::ServiceIdentity::env_prefix), such as
    /// `CODEARTS_BUILD`. What the builder already has is kept:
    ///
    /// - credentials (required): unless set on the builder, the first source of the
    ///   [credentials chain](crate::auth::chain) that holds some: `HUAWEICLOUD_SDK_AK`/`_SK`
    ///   (and `_SECURITY_TOKEN`), then `CLOUD_SDK_AK`/`_SK` (and `_SECURITY_TOKEN`), then an
    ///   IAM token from `<PREFIX>_TOKEN`, then the credentials file
    ///   (`HUAWEICLOUD_SDK_CREDENTIALS_FILE` or `~/.huaweicloud/credentials`, profile
    ///   `<PREFIX>_PROFILE` or `basic`);
    /// - `<PREFIX>_ENDPOINT` as the [`endpoint`](Self::endpoint), else `<PREFIX>_REGION` (a
    ///   region id such as `cn-north-4`) as the [`region`](Self::region); with neither, the
    ///   builder keeps what it had;
    /// - unless set on the builder, the [`project_id`](Self::project_id) from
    ///   `<PREFIX>_PROJECT_ID`, else `HUAWEICLOUD_SDK_PROJECT_ID`, else the credentials file's
    ///   `project_id` when the credentials came from it;
    /// - `<PREFIX>_ALLOW_INSECURE_HTTP=true` as
    ///   [`allow_insecure_http(true)`](Self::allow_insecure_http), for a local test endpoint.
    ///
    /// Returns [`Error::Config`] for missing credentials, half an AK/SK pair, a credentials
    /// file that cannot be read or parsed (naming the file and line), an unknown region id or
    /// a `<PREFIX>_ALLOW_INSECURE_HTTP` value that is not a yes or no.
    pub fn from_env(self) -> Result<Self, Error> {
        self.from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env) but reads variables through `lookup` (the
    /// credentials file named by them is still read from disk).
    pub fn from_lookup(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let identity = S::IDENTITY;
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = self;
        let mut file_project_id = None;
        if builder.credentials.is_none() {
            let found = chain::resolve(
                &lookup,
                &identity.env_var("TOKEN"),
                &identity.env_var("PROFILE"),
            )?;
            file_project_id = found.project_id;
            builder = builder.credentials(found.credentials);
        }
        let env_region = identity.env_var("REGION");
        if let Some(endpoint) = get(&identity.env_var("ENDPOINT")) {
            builder = builder.endpoint(endpoint);
        } else if let Some(region) = get(&env_region) {
            let region = region
                .parse::<S::Region>()
                .map_err(|e| Error::config(format!("{env_region}: {e}")))?;
            builder = builder.region(region);
        }
        if builder.project_id.is_none() {
            builder.project_id = get(&identity.env_var("PROJECT_ID"))
                .or_else(|| get(crate::auth::ENV_SDK_PROJECT_ID))
                .or(file_project_id);
        }
        let env_allow = identity.env_var("ALLOW_INSECURE_HTTP");
        if let Some(allow) = get(&env_allow) {
            let allow = match allow.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(Error::config(format!(
                        "{env_allow}: expected true or false, got `{allow}`"
                    )))
                }
            };
            builder = builder.allow_insecure_http(allow);
        }
        Ok(builder)
    }

    /// Sets fixed credentials (these or a
    /// [`credentials_provider`](Self::credentials_provider) are required). AK/SK credentials
    /// also need a [`project_id`](Self::project_id).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialSource::Fixed(Arc::new(credentials)));
        self
    }

    /// Asks `provider` for the credentials of every attempt instead of using fixed ones: for
    /// IAM tokens or temporary AK/SK that must be renewed while the client runs (see
    /// [`ReloadingCredentials`](crate::auth::ReloadingCredentials)). When the API gateway
    /// rejects what it gave (401 `APIGW.0301`), the client
    /// [invalidates](CredentialsProvider::invalidate) them and repeats the call once with the
    /// next credentials. Replaces [`credentials`](Self::credentials).
    pub fn credentials_provider(mut self, provider: impl CredentialsProvider) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(provider)));
        self
    }

    /// Sets the project id, sent as `X-Project-Id` on every request and available to callers
    /// through [`Client::project_id`].
    ///
    /// Required with AK/SK credentials: the vendor's SDKs always send `X-Project-Id` with a
    /// signed request to a project-scoped service (looking the id up in IAM when it is not
    /// configured, which this client does not do). Optional with a token, which is already
    /// scoped to a project. Find the id under "My Credentials" → "API Credentials" in the
    /// console; [`from_env`](Self::from_env) reads it from `<PREFIX>_PROJECT_ID`.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Time allowed to open a connection; default [`DEFAULT_CONNECT_TIMEOUT`]. Ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt; default [`DEFAULT_REQUEST_TIMEOUT`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The most time one call may take in all: every attempt, and every wait between attempts
    /// (default: no limit beyond the attempts' own timeouts and the retry policy).
    ///
    /// An attempt running when the time is up ends with [`Error::Timeout`]. A retry that would
    /// have to wait past it (a backoff, or a `Retry-After` longer than the time left) is not
    /// made: the call returns the last attempt's error at once. Override per call with
    /// [`CallOptions::operation_timeout`]. For a streamed download the limit covers the call
    /// up to the response headers, not reading the body.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Keeps the canonical request of every AK/SK-signed request, so that a signature the
    /// gateway rejects (HTTP 401) comes back as [`Error::SignatureRejected`] with
    /// [`Error::canonical_request`] set, to compare with what the gateway expected (default:
    /// off). The canonical request holds no secret key and no signature; the security token's
    /// value is replaced by `<redacted>`. It does hold the path, query and signed header
    /// values, such as the project id.
    pub fn debug_signing(mut self, on: bool) -> Self {
        self.debug_signing = on;
        self
    }

    /// Longest pause between two reads of a response body; default [`DEFAULT_READ_TIMEOUT`].
    /// Ignored with [`http_client`](Self::http_client).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the retry policy; default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Appends `suffix` to the `User-Agent` header, e.g. `my-tool/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, custom roots, ...). Its own
    /// connect and read timeouts and its redirect policy then apply;
    /// [`request_timeout`](Self::request_timeout) and the retry policy still do.
    ///
    /// **Redirects:** the supplied client must not follow redirects to another host.
    /// `reqwest` strips `Authorization` (and cookies) on a cross-host redirect but forwards
    /// every other header, including `X-Auth-Token` (token credentials) and
    /// `X-Security-Token` (temporary AK/SK credentials), so a redirect to another host would
    /// hand those secrets to it. Build it with `.redirect(reqwest::redirect::Policy::none())`
    /// (or a custom policy that stays on the endpoint's host). The client built by default
    /// follows no redirects at all: a 3xx response is returned as [`Error::Service`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when credentials or the endpoint are missing or invalid, or
    /// when AK/SK credentials come without a [`project_id`](Self::project_id).
    pub fn build(self) -> Result<S, Error> {
        let identity = S::IDENTITY;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "no credentials: call .credentials(..), .credentials_provider(..) or .from_env()",
            )
        })?;
        if let CredentialSource::Fixed(fixed) = &credentials {
            fixed.validate()?;
            check_project_id(fixed, self.project_id.as_deref(), identity.env_prefix)?;
        }
        let endpoint = self.endpoint.or(self.region_endpoint).ok_or_else(|| {
            Error::config("no endpoint: call .region(Region::..) or .endpoint(url)")
        })?;
        let url = reqwest::Url::parse(endpoint.trim())
            .map_err(|e| Error::config(format!("invalid endpoint `{endpoint}`: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "invalid endpoint `{endpoint}`: the scheme must be https or http"
            )));
        }
        if url.scheme() == "http" && !self.allow_insecure_http {
            return Err(Error::config(format!(
                "refusing the plain-HTTP endpoint `{endpoint}`: credentials and every request \
                 and reply would cross the network unencrypted. Use https, or call \
                 .allow_insecure_http(true) ({}=true) for a local test server",
                identity.env_var("ALLOW_INSECURE_HTTP")
            )));
        }
        let Some(host_name) = url.host_str() else {
            return Err(Error::config(format!(
                "invalid endpoint `{endpoint}`: no host"
            )));
        };
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(Error::config(format!(
                "invalid endpoint `{endpoint}`: it may not carry a query, fragment or user name"
            )));
        }
        // `Url::port` is `None` for the scheme's default port, exactly when the HTTP client
        // leaves the port out of the `Host` header.
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        let origin = format!("{}://{host}", url.scheme());
        let base_path = url.path().trim_end_matches('/').to_owned();

        if let Some(project_id) = &self.project_id {
            if project_id.is_empty() || !project_id.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
                return Err(Error::config(
                    "the project id must be non-empty visible ASCII (it is sent as X-Project-Id)",
                ));
            }
        }
        let mut user_agent = format!("{} (spec {})", identity.user_agent, identity.spec_version);
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config("the user agent suffix contains characters not allowed in a header")
        })?;

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .read_timeout(self.read_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let env_prefix = identity.env_prefix;
        Ok(S::from_client(Client {
            inner: Arc::new(Inner {
                http,
                origin,
                base_path,
                host,
                credentials,
                env_prefix,
                project_id: self.project_id,
                retry: self.retry,
                request_timeout: self.request_timeout,
                operation_timeout: self.operation_timeout,
                user_agent,
                debug_signing: self.debug_signing,
                clock_offset: AtomicI64::new(0),
                service: identity.name,
                retryable_code: retryable_code::<S::ErrorCode>,
            }),
        }))
    }
}

/// Where one call goes: computed once per call, reused by every attempt.
struct Target {
    url: reqwest::Url,
    /// The wire path, endpoint prefix included.
    path: String,
    /// The canonical query string (also the wire query).
    query: String,
}

impl Client {
    /// The configured project id, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.inner.project_id.as_deref()
    }

    /// The endpoint requests go to (`scheme://host[:port][/prefix]`).
    pub fn endpoint(&self) -> String {
        format!("{}{}", self.inner.origin, self.inner.base_path)
    }

    /// Seconds this client adds to the local clock when it signs with AK/SK: zero, until the
    /// API gateway rejects a signing time and its `Date` header shows this machine's clock is
    /// off. The correction is then kept for every later call of this client and its clones.
    pub fn clock_offset_secs(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::Relaxed)
    }

    /// The time to sign with: the local clock corrected by the learned offset.
    fn signing_time(&self) -> SystemTime {
        let offset = self.clock_offset_secs();
        let magnitude = Duration::from_secs(offset.unsigned_abs());
        let now = SystemTime::now();
        let corrected = if offset >= 0 {
            now.checked_add(magnitude)
        } else {
            now.checked_sub(magnitude)
        };
        corrected.unwrap_or(now)
    }

    /// Sends `operation` with the default [`CallOptions`].
    ///
    /// Inputs are validated before any network I/O. A path parameter that would still change
    /// the path after encoding (empty, `.` or `..`) is rejected with
    /// [`Error::InvalidRequest`].
    pub async fn send<O: Operation>(&self, operation: O) -> Result<O::Output, Error> {
        self.send_with(operation, CallOptions::default()).await
    }

    /// Sends `operation` with per-call options.
    pub async fn send_with<O: Operation>(
        &self,
        operation: O,
        options: CallOptions,
    ) -> Result<O::Output, Error> {
        operation.validate()?;
        let parts = operation.to_parts()?;
        drop(operation);
        let trace = trace::CallTrace::new(self.inner.service, O::SPEC);
        let call = self.execute::<O>(parts, options, &trace);
        #[cfg(feature = "tracing")]
        let call = tracing::Instrument::instrument(call, trace.span.clone());
        call.await
    }

    /// Builds the final, validated and signed request for `operation` without sending it:
    /// for inspecting what would go on the wire, or sending it through other means.
    pub fn prepare<O: Operation>(&self, operation: &O) -> Result<reqwest::Request, Error> {
        operation.validate()?;
        let parts = operation.to_parts()?;
        let target = self.target(O::SPEC, &parts)?;
        let credentials = self.inner.credentials.current_now()?;
        self.build_request(O::SPEC, &parts, &target, &credentials, self.signing_time())
            .map(|(request, _)| request)
    }

    async fn execute<O: Operation>(
        &self,
        parts: RequestParts,
        options: CallOptions,
        trace: &trace::CallTrace,
    ) -> Result<O::Output, Error> {
        let spec = O::SPEC;
        let target = self.target(spec, &parts)?;
        let max_attempts = options
            .max_attempts
            .unwrap_or_else(|| self.inner.retry.max_attempts())
            .max(1);
        // A file streamed from a reader cannot be sent twice.
        let replayable = parts
            .multipart
            .as_ref()
            .is_none_or(|form| form.is_replayable());
        let may_retry = (spec.idempotent || options.retry_non_idempotent) && replayable;
        let timeout = options.timeout.unwrap_or(self.inner.request_timeout);
        let started = Instant::now();
        let operation_timeout = options.operation_timeout.or(self.inner.operation_timeout);
        let deadline = operation_timeout.and_then(|limit| started.checked_add(limit));
        let mut attempt = 1u32;
        let mut skew_retried = false;
        let mut reload_retried = false;
        loop {
            trace.attempt(attempt);
            // The attempt may use what is left of the operation timeout, no more.
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let attempt_timeout = left.map_or(timeout, |left| left.min(timeout));
            // Signed per attempt: X-Sdk-Date must be fresh, the gateway rejects stale dates.
            let credentials = match self.inner.credentials.current().await {
                Ok(credentials) => credentials,
                Err(error) => {
                    trace.finished(None, None, started.elapsed());
                    return Err(error);
                }
            };
            let (request, canonical) =
                self.build_request(spec, &parts, &target, &credentials, self.signing_time())?;
            let outcome = tokio::time::timeout(attempt_timeout, self.attempt::<O>(request)).await;
            let mut out_of_time = false;
            let failure = match outcome {
                Ok(Ok((output, status, request_id))) => {
                    trace.finished(Some(status), request_id.as_deref(), started.elapsed());
                    return Ok(output);
                }
                Ok(Err(failure)) => failure,
                Err(_) if attempt_timeout < timeout => {
                    out_of_time = true;
                    Failure::sent(Error::Timeout {
                        message: format!(
                            "{} did not finish within its operation timeout of {} ms \
                             ({attempt} attempt{})",
                            spec.id,
                            operation_timeout.unwrap_or_default().as_millis(),
                            if attempt == 1 { "" } else { "s" }
                        ),
                    })
                }
                Err(_) => Failure::sent(Error::Timeout {
                    message: format!(
                        "{} got no complete response within {} ms (attempt {attempt})",
                        spec.id,
                        timeout.as_millis()
                    ),
                }),
            };
            let signature_rejected = is_signature_rejection(&failure.error, &credentials);
            if signature_rejected && !skew_retried {
                if let Some(skew) = self.correctable_skew(&failure) {
                    // Once per call, and not counted as an attempt: the first request was
                    // refused for its signing time alone. The gateway refused it before the
                    // service saw it, so this is safe for a non-idempotent operation too.
                    skew_retried = true;
                    self.inner.clock_offset.store(skew, Ordering::Relaxed);
                    trace.clock_corrected(skew);
                    continue;
                }
            }
            if let CredentialSource::Provider(provider) = &self.inner.credentials {
                if !reload_retried && replayable && is_credential_rejection(&failure.error) {
                    // Once per call, and not counted as an attempt: the gateway refused the
                    // credentials before the service saw the request (an expired token, rotated
                    // keys), so a repeat with new ones is safe for any operation.
                    reload_retried = true;
                    provider.invalidate();
                    trace.credentials_rejected();
                    continue;
                }
            }
            let Failure {
                error,
                retry_after,
                unsent,
                server_skew,
            } = failure;
            let error = if signature_rejected && (skew_retried || canonical.is_some()) {
                Error::SignatureRejected {
                    source: Box::new(error),
                    clock_skew_secs: skew_retried
                        .then(|| server_skew.unwrap_or_else(|| self.clock_offset_secs())),
                    canonical_request: canonical,
                }
            } else {
                error
            };
            // A request that never left (the connection could not be made) is safe to send
            // again whatever the operation does.
            let retry = !out_of_time
                && attempt < max_attempts
                && (may_retry || (unsent && replayable))
                && error.is_retryable();
            let delay = if retry {
                self.inner.retry.delay(attempt, retry_after)
            } else {
                None
            };
            // A wait that would end after the operation timeout is not worth starting.
            let delay = delay.filter(|delay| {
                deadline.is_none_or(|d| *delay < d.saturating_duration_since(Instant::now()))
            });
            let Some(delay) = delay else {
                trace.finished(error.status(), error.request_id(), started.elapsed());
                return Err(error);
            };
            trace.retrying(attempt, delay, &error);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The clock offset to sign with when a rejected signature was refused for its signing
    /// time: the gateway's `Date` shows a skew that the current correction does not already
    /// cover, and either the message is about the time (`signature expired`) or the skew is
    /// beyond what the gateway accepts. Returns the new offset (server clock minus local).
    fn correctable_skew(&self, failure: &Failure) -> Option<i64> {
        let skew = failure.server_skew?;
        let Error::Service { error_msg, .. } = &failure.error else {
            return None;
        };
        let residual = skew.saturating_sub(self.clock_offset_secs()).unsigned_abs();
        let about_time = error_msg.as_deref().is_some_and(|message| {
            let message = message.to_ascii_lowercase();
            ["expire", "skew", "date", "time"]
                .iter()
                .any(|word| message.contains(word))
        });
        (residual >= MIN_SKEW_CORRECTION_SECS && (about_time || residual > GATEWAY_MAX_SKEW_SECS))
            .then_some(skew)
    }

    /// One attempt: send, then decode a success or map a failure. A failure carries the
    /// server's `Retry-After`, if any.
    async fn attempt<O: Operation>(
        &self,
        request: reqwest::Request,
    ) -> Result<(O::Output, u16, Option<String>), Failure> {
        let response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| Failure {
                unsent: e.is_connect(),
                error: Error::from_reqwest("sending the request", e),
                retry_after: None,
                server_skew: None,
            })?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if response.status().is_success() {
            let output = O::decode(RawResponse::new(response))
                .await
                .map_err(|error| Failure::sent(self.classify(error)))?;
            return Ok((output, status, request_id));
        }
        let now = SystemTime::now();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now));
        let server_skew = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::time::parse_http_date)
            .map(|date| seconds_between(now, date));
        let body = read_limited(response, ERROR_BODY_LIMIT).await;
        Err(Failure {
            error: self.classify(Error::from_service_body(status, request_id, &body)),
            retry_after,
            unsent: false,
            server_skew,
        })
    }

    /// Marks a service error whose code the service's catalogue lists as retryable, so that
    /// [`Error::is_retryable`] (for the send loop and for the caller) knows.
    fn classify(&self, mut error: Error) -> Error {
        if let Error::Service {
            error_code: Some(code),
            retryable_code,
            ..
        } = &mut error
        {
            *retryable_code = (self.inner.retryable_code)(code);
        }
        error
    }

    /// Resolves the URL of a call and checks that URL parsing keeps the path as built.
    fn target(&self, spec: &OperationSpec, parts: &RequestParts) -> Result<Target, Error> {
        check_path(spec, &parts.path)?;
        let path = format!("{}{}", self.inner.base_path, parts.path);
        let query = canonical_query(&parts.query);
        let mut url = String::with_capacity(self.inner.origin.len() + path.len() + query.len() + 1);
        url.push_str(&self.inner.origin);
        url.push_str(&path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|e| Error::invalid("path", format!("does not form a valid URL: {e}")))?;
        // Dot segments would be removed by URL normalisation and send the request elsewhere.
        if url.path() != path {
            return Err(Error::invalid(
                "path",
                format!("`{}` would be rewritten to `{}`", path, url.path()),
            ));
        }
        Ok(Target { url, path, query })
    }

    /// The request to send, signed at `now`, and (with
    /// [`debug_signing`](ClientBuilder::debug_signing)) the canonical request signed.
    fn build_request(
        &self,
        spec: &OperationSpec,
        parts: &RequestParts,
        target: &Target,
        credentials: &Credentials,
        now: SystemTime,
    ) -> Result<(reqwest::Request, Option<String>), Error> {
        let inner = &*self.inner;
        if matches!(inner.credentials, CredentialSource::Provider(_)) {
            // Fixed credentials were checked when the client was built.
            check_project_id(credentials, inner.project_id.as_deref(), inner.env_prefix)?;
        }
        let mut headers = HeaderMap::with_capacity(8 + parts.headers.len());
        // What the signature covers, as text: the values as given (UTF-8), not re-read from
        // the header map.
        let mut signed: Vec<(&str, &str)> = Vec::with_capacity(6 + parts.headers.len());
        headers.insert(USER_AGENT, inner.user_agent.clone());
        signed.push(("host", &inner.host));
        let multipart = parts
            .multipart
            .as_ref()
            .map(|form| form.encode())
            .transpose()?;
        if parts.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            signed.push(("content-type", "application/json"));
        } else if let Some(form) = &multipart {
            headers.insert(CONTENT_TYPE, form.content_type.clone());
            // The boundary is ASCII: the value was built from a `&str`.
            signed.push((
                "content-type",
                form.content_type.to_str().unwrap_or_default(),
            ));
        }
        if let Some(project_id) = &inner.project_id {
            headers.insert(
                HeaderName::from_static("x-project-id"),
                header_value("X-Project-Id", project_id)?,
            );
            signed.push(("x-project-id", project_id));
        }
        for (name, value) in &parts.headers {
            if RESERVED_HEADERS
                .iter()
                .any(|reserved| name.eq_ignore_ascii_case(reserved))
            {
                return Err(Error::invalid(
                    *name,
                    "is a header the client sets itself; a parameter may not replace it",
                ));
            }
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid(*name, "is not a valid header name"))?;
            headers.append(header, parameter_header_value(name, value)?);
            signed.push((name, value));
        }

        let mut canonical = None;
        match &credentials.kind {
            CredentialKind::Token(token) => {
                let mut value = header_value("token", token)?;
                value.set_sensitive(true);
                headers.insert(HeaderName::from_static("x-auth-token"), value);
            }
            CredentialKind::AkSk {
                access_key,
                security_token,
                key,
                ..
            } => {
                let date = crate::time::format_sdk_date(now);
                headers.insert(
                    HeaderName::from_static("x-sdk-date"),
                    header_value(HEADER_SDK_DATE, &date)?,
                );
                signed.push(("x-sdk-date", &date));
                if let Some(token) = security_token {
                    let mut value = header_value("security token", token)?;
                    value.set_sensitive(true);
                    headers.insert(HeaderName::from_static("x-security-token"), value);
                    signed.push(("x-security-token", token));
                }
                if multipart.is_some() {
                    // As the vendor SDKs sign a body that is not JSON (see `multipart`).
                    headers.insert(
                        HeaderName::from_static(multipart::HEADER_CONTENT_SHA256),
                        HeaderValue::from_static(multipart::UNSIGNED_PAYLOAD),
                    );
                    signed.push((
                        multipart::HEADER_CONTENT_SHA256,
                        multipart::UNSIGNED_PAYLOAD,
                    ));
                }
                let body = parts.body.as_deref().unwrap_or_default();
                let signable = SignableRequest {
                    method: spec.method.as_str(),
                    path: &target.path,
                    query: &target.query,
                    headers: &signed,
                    body,
                };
                let signature = signer::sign_with_key(&signable, &date, key);
                if inner.debug_signing {
                    canonical = Some(redacted_canonical_request(&signable));
                }
                let mut value =
                    header_value("Authorization", &signature.authorization(access_key))?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::AUTHORIZATION, value);
            }
        }

        let mut request = reqwest::Request::new(spec.method.clone(), target.url.clone());
        *request.headers_mut() = headers;
        if let Some(form) = multipart {
            if let Some(length) = form.length {
                request
                    .headers_mut()
                    .insert(CONTENT_LENGTH, HeaderValue::from(length));
            }
            *request.body_mut() = Some(form.body);
            return Ok((request, canonical));
        }
        match &parts.body {
            Some(body) => *request.body_mut() = Some(body.clone().into()),
            // An explicit empty body makes the client send `Content-Length: 0`, which some
            // gateways require on POST.
            None if spec.method != reqwest::Method::GET && spec.method != reqwest::Method::HEAD => {
                *request.body_mut() = Some(Vec::new().into());
            }
            None => {}
        }
        Ok((request, canonical))
    }
}

/// Whether `error` is the gateway refusing the credentials of a request (a token or an AK/SK
/// signature).
fn is_credential_rejection(error: &Error) -> bool {
    matches!(
        error,
        Error::Service { status: 401, error_code: Some(code), .. }
            if GATEWAY_AUTH_CODES.contains(&code.as_str())
    )
}

/// Whether `error` is the gateway refusing the AK/SK signature of a request signed with
/// `credentials`.
fn is_signature_rejection(error: &Error, credentials: &Credentials) -> bool {
    credentials.is_ak_sk() && is_credential_rejection(error)
}

/// AK/SK credentials need a project id: the vendor's SDKs always send `X-Project-Id` with a
/// signed request to a project-scoped service.
fn check_project_id(
    credentials: &Credentials,
    project_id: Option<&str>,
    env_prefix: &str,
) -> Result<(), Error> {
    if credentials.is_ak_sk() && project_id.is_none() {
        return Err(Error::config(format!(
            "AK/SK credentials need a project id, sent as X-Project-Id with every signed \
             request: call .project_id(\"<project id>\") on the builder (from_env reads it \
             from {env_prefix}_PROJECT_ID)"
        )));
    }
    Ok(())
}

/// The canonical request of `request` with the security token's value replaced, so that it
/// can be shown: it then holds no credential (the signature is not part of it).
fn redacted_canonical_request(request: &SignableRequest<'_>) -> String {
    let (canonical, _) = signer::canonical_request(request);
    canonical
        .split('\n')
        .map(|line| {
            if line.starts_with("x-security-token:") {
                "x-security-token:<redacted>"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `later - earlier` in whole seconds, negative when `later` is before `earlier`.
fn seconds_between(earlier: SystemTime, later: SystemTime) -> i64 {
    let (magnitude, sign) = match later.duration_since(earlier) {
        Ok(ahead) => (ahead, 1),
        Err(behind) => (behind.duration(), -1),
    };
    // Rounded: the `Date` header has one-second resolution.
    let seconds = i64::try_from((magnitude.as_millis() + 500) / 1000).unwrap_or(i64::MAX);
    sign * seconds
}

/// Checks that every templated segment holds something other than an empty or dot segment,
/// which encoding cannot neutralise.
fn check_path(spec: &OperationSpec, path: &str) -> Result<(), Error> {
    let template: Vec<&str> = spec.path_template.split('/').collect();
    let actual: Vec<&str> = path.split('/').collect();
    if template.len() != actual.len() || !path.starts_with('/') {
        return Err(Error::invalid(
            "path",
            format!(
                "`{path}` does not fit the template `{}`",
                spec.path_template
            ),
        ));
    }
    for (template_segment, segment) in template.iter().zip(&actual) {
        if !template_segment.contains('{') {
            continue;
        }
        let parameter = template_segment
            .trim_start_matches(|c| c != '{')
            .trim_start_matches('{')
            .split('}')
            .next()
            .unwrap_or(template_segment);
        let decoded = decode_path(segment);
        if decoded.is_empty() {
            return Err(Error::invalid(parameter, "must not be empty"));
        }
        if decoded == "." || decoded == ".." {
            return Err(Error::invalid(
                parameter,
                "must not be `.` or `..` (a path segment that would change the path)",
            ));
        }
    }
    Ok(())
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::invalid(
            name,
            "contains characters that cannot be sent in an HTTP header",
        )
    })
}

/// A header parameter's value: any text without control characters. Non-ASCII text goes on
/// the wire as its UTF-8 bytes and is signed as that text, as the vendor's SDK signers do.
fn parameter_header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
        Error::invalid(
            name,
            "contains control characters (such as a line break), which cannot be sent in an \
             HTTP header",
        )
    })
}

/// Reads at most `limit` bytes of an error body; a body that fails half-way keeps what arrived.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())])
            }
            Ok(None) | Err(_) => break,
        }
    }
    body
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service)
            .field("endpoint", &self.endpoint())
            .field("credentials", &self.inner.credentials)
            .field("project_id", &self.inner.project_id)
            .field("retry", &self.inner.retry)
            .field("request_timeout", &self.inner.request_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("clock_offset_secs", &self.clock_offset_secs())
            .finish_non_exhaustive()
    }
}

impl<S> fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "endpoint",
                &self.endpoint.as_ref().or(self.region_endpoint.as_ref()),
            )
            .field("credentials", &self.credentials)
            .field("project_id", &self.project_id)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("debug_signing", &self.debug_signing)
            .finish_non_exhaustive()
    }
}

/// The `tracing` span of one call. Its fields name the operation and describe the outcome; no
/// header value (so no credential or signature) is ever recorded.
mod trace {
    use std::time::Duration;

    use crate::operation::OperationSpec;
    use crate::Error;

    /// The span is held explicitly (not looked up as the current span) so that fields land on
    /// it whichever subscriber is installed.
    pub(super) struct CallTrace {
        #[cfg(feature = "tracing")]
        pub(super) span: tracing::Span,
    }

    #[cfg(feature = "tracing")]
    impl CallTrace {
        pub(super) fn new(service: &str, spec: &OperationSpec) -> Self {
            let span = tracing::info_span!(
                "codearts_runtime.call",
                service,
                operation = spec.id,
                method = %spec.method,
                path_template = spec.path_template,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            CallTrace { span }
        }

        pub(super) fn attempt(&self, attempt: u32) {
            self.span.record("attempt", attempt);
        }

        pub(super) fn finished(
            &self,
            status: Option<u16>,
            request_id: Option<&str>,
            elapsed: Duration,
        ) {
            if let Some(status) = status {
                self.span.record("status", status);
            }
            if let Some(request_id) = request_id {
                self.span.record("request_id", request_id);
            }
            self.span.record(
                "duration_ms",
                u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            );
            tracing::debug!(parent: &self.span, "call finished");
        }

        pub(super) fn clock_corrected(&self, offset_secs: i64) {
            tracing::warn!(
                parent: &self.span,
                offset_secs,
                "the API gateway rejected the signing time; signing again with the clock offset \
                 its Date header shows"
            );
        }

        pub(super) fn credentials_rejected(&self) {
            tracing::warn!(
                parent: &self.span,
                "the API gateway rejected the provider's credentials; asking it for new ones"
            );
        }

        pub(super) fn retrying(&self, attempt: u32, delay: Duration, error: &Error) {
            tracing::debug!(
                parent: &self.span,
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
        }
    }

    #[cfg(not(feature = "tracing"))]
    impl CallTrace {
        pub(super) fn new(_service: &str, _spec: &OperationSpec) -> Self {
            CallTrace {}
        }

        pub(super) fn attempt(&self, _attempt: u32) {}

        pub(super) fn finished(
            &self,
            _status: Option<u16>,
            _request_id: Option<&str>,
            _elapsed: Duration,
        ) {
        }

        pub(super) fn clock_corrected(&self, _offset_secs: i64) {}

        pub(super) fn credentials_rejected(&self) {}

        pub(super) fn retrying(&self, _attempt: u32, _delay: Duration, _error: &Error) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{decode_empty, Operation, OperationSpec, RawResponse, RequestParts};
    use crate::service::testing::{builder, TestClient, TestCode, TestRegion};

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    /// A bodyless GET, enough to look at what the client would send.
    struct Ping;

    static PING: OperationSpec = OperationSpec {
        id: "ping",
        method: reqwest::Method::GET,
        path_template: "/v1/ping",
        idempotent: true,
        deprecated: false,
    };

    impl Operation for Ping {
        type Output = ();
        const SPEC: &'static OperationSpec = &PING;

        fn validate(&self) -> Result<(), Error> {
            Ok(())
        }

        fn to_parts(&self) -> Result<RequestParts, Error> {
            Ok(RequestParts {
                path: "/v1/ping".to_owned(),
                ..RequestParts::default()
            })
        }

        async fn decode(response: RawResponse) -> Result<(), Error> {
            decode_empty(response).await
        }
    }

    #[test]
    fn from_env_reads_the_variables_the_service_names() {
        let TestClient(client) = builder()
            .from_lookup(env(&[
                ("TEST_SERVICE_TOKEN", "env-token"),
                ("TEST_SERVICE_REGION", "south-1"),
                ("TEST_SERVICE_PROJECT_ID", "p-1"),
            ]))
            .expect("configured")
            .build()
            .expect("client");
        assert_eq!(client.endpoint(), "https://svc.south-1.example.com");
        assert_eq!(client.project_id(), Some("p-1"));
        let request = client.prepare(&Ping).expect("request");
        assert_eq!(request.headers()["x-auth-token"], "env-token");
        assert_eq!(request.headers()["x-project-id"], "p-1");
        // The user agent is the service's product token and spec version.
        assert_eq!(
            request.headers()["user-agent"],
            "test-service-rust/9.9.9 (spec 2020-01-01)"
        );
        assert!(format!("{client:?}").contains("test-service"));

        // An explicit endpoint wins over the region; plain HTTP needs the service's switch.
        let TestClient(client) = builder()
            .region(TestRegion::North)
            .from_lookup(env(&[
                ("TEST_SERVICE_TOKEN", "t"),
                ("TEST_SERVICE_ENDPOINT", "http://127.0.0.1:9/prefix"),
                ("TEST_SERVICE_REGION", "south-1"),
                ("TEST_SERVICE_ALLOW_INSECURE_HTTP", "yes"),
            ]))
            .expect("configured")
            .build()
            .expect("client");
        assert_eq!(client.endpoint(), "http://127.0.0.1:9/prefix");
        // Without either, the region set before stays.
        let TestClient(client) = builder()
            .region(TestRegion::North)
            .from_lookup(env(&[("TEST_SERVICE_TOKEN", "t")]))
            .expect("configured")
            .build()
            .expect("client");
        assert_eq!(client.endpoint(), "https://svc.north-1.example.com");
    }

    /// What a client built from `pairs` alone would authenticate with: the token, or the
    /// access key of the signature; and its project id.
    fn chain_pick(pairs: &[(&str, &str)]) -> Result<(String, Option<String>), Error> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let TestClient(client) = builder()
            .region(TestRegion::North)
            .from_lookup(|name| {
                pairs
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
            })?
            .build()?;
        let request = client.prepare(&Ping)?;
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap_or_default().to_owned())
        };
        let who = match header("x-auth-token") {
            Some(token) => format!("token {token}"),
            None => {
                let authorization = header("authorization").unwrap_or_default();
                let access = authorization
                    .split("Access=")
                    .nth(1)
                    .and_then(|rest| rest.split(',').next())
                    .unwrap_or_default()
                    .to_owned();
                match header("x-security-token") {
                    Some(sts) => format!("ak {access} sts {sts}"),
                    None => format!("ak {access}"),
                }
            }
        };
        Ok((who, header("x-project-id")))
    }

    /// A credentials file in the temporary directory, removed on drop.
    struct TempFile(std::path::PathBuf);

    impl TempFile {
        fn new(name: &str, text: &str) -> Self {
            let path = std::env::temp_dir()
                .join(format!("codearts-runtime-{}-{name}", std::process::id()));
            std::fs::write(&path, text).expect("temporary file");
            TempFile(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().expect("UTF-8 temporary path")
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn from_env_runs_the_credentials_chain_in_order() {
        let file = TempFile::new(
            "chain",
            "[basic]\nak = FILEAK\nsk = file-sk\nproject_id = file-project\n\n\
             [ci]\nak = CIAK\nsk = ci-sk\nsecurity_token = ci-sts\n",
        );
        let sdk = [
            ("HUAWEICLOUD_SDK_AK", "SDKAK"),
            ("HUAWEICLOUD_SDK_SK", "sdk-sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sdk-sts"),
        ];
        let samples = [("CLOUD_SDK_AK", "SAMPLEAK"), ("CLOUD_SDK_SK", "sample-sk")];
        let token = [("TEST_SERVICE_TOKEN", "service-token")];
        let file_vars = [("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.path())];
        let project = [("TEST_SERVICE_PROJECT_ID", "p-1")];
        let all: Vec<_> = [&sdk[..], &samples, &token, &file_vars, &project].concat();

        let pick = |pairs: &[(&str, &str)]| chain_pick(pairs).expect("credentials").0;
        assert_eq!(pick(&all), "ak SDKAK sts sdk-sts");
        assert_eq!(pick(&all[3..]), "ak SAMPLEAK");
        assert_eq!(pick(&all[5..]), "token service-token");
        assert_eq!(
            chain_pick(&all[6..]).expect("file"),
            ("ak FILEAK".to_owned(), Some("p-1".to_owned()))
        );
        // The file's project id when no variable names one; the chosen profile.
        assert_eq!(
            chain_pick(&file_vars).expect("file"),
            ("ak FILEAK".to_owned(), Some("file-project".to_owned()))
        );
        let ci = [
            &file_vars[..],
            &[
                ("TEST_SERVICE_PROFILE", "ci"),
                ("HUAWEICLOUD_SDK_PROJECT_ID", "sdk-p"),
            ],
        ]
        .concat();
        assert_eq!(
            chain_pick(&ci).expect("profile ci"),
            ("ak CIAK sts ci-sts".to_owned(), Some("sdk-p".to_owned()))
        );
        // The default file under HOME, found without any variable naming it.
        let home =
            std::env::temp_dir().join(format!("codearts-runtime-{}-home", std::process::id()));
        std::fs::create_dir_all(home.join(".huaweicloud")).expect("home");
        std::fs::write(
            home.join(".huaweicloud").join("credentials"),
            "[basic]\nak = HOMEAK\nsk = home-sk\nproject_id = hp\n",
        )
        .expect("home file");
        let home_str = home.to_str().expect("UTF-8").to_owned();
        let picked = chain_pick(&[("HOME", &home_str)]);
        let _ = std::fs::remove_dir_all(&home);
        assert_eq!(
            picked.expect("home"),
            ("ak HOMEAK".to_owned(), Some("hp".to_owned()))
        );
        // A HOME without the file is no source at all.
        let error = chain_pick(&[("HOME", "/nonexistent-home")])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no credentials: set HUAWEICLOUD_SDK_AK"),
            "{error}"
        );

        // Credentials and a project id set on the builder are kept.
        let TestClient(client) = builder()
            .region(TestRegion::North)
            .credentials(Credentials::token("explicit"))
            .project_id("explicit-p")
            .from_lookup(env(&[
                ("HUAWEICLOUD_SDK_AK", "SDKAK"),
                ("HUAWEICLOUD_SDK_SK", "sdk-sk"),
                ("TEST_SERVICE_PROJECT_ID", "p-1"),
            ]))
            .expect("configured")
            .build()
            .expect("client");
        let request = client.prepare(&Ping).expect("request");
        assert_eq!(request.headers()["x-auth-token"], "explicit");
        assert_eq!(request.headers()["x-project-id"], "explicit-p");
    }

    #[test]
    fn credentials_file_errors_name_the_file_and_line() {
        let file = TempFile::new("bad", "[basic]\nak = A\nsk\n");
        let error = chain_pick(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.path())])
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "configuration error: {}:3: expected `[section]` or `key = value` (a comment \
                 starts with # or ;)",
                file.path()
            )
        );
        let error = chain_pick(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/creds")])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "configuration error: cannot read the credentials file /nonexistent/creds: "
            ),
            "{error}"
        );
        let good = TempFile::new("good", "[basic]\nak = A\nsk = S\n");
        let error = chain_pick(&[
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", good.path()),
            ("TEST_SERVICE_PROFILE", "prod"),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            error.ends_with(": no profile [prod] (it has [basic])"),
            "{error}"
        );
    }

    #[test]
    fn configuration_errors_name_the_service_variables() {
        let message = |result: Result<TestClient, Error>| result.unwrap_err().to_string();
        let error = builder()
            .from_lookup(env(&[
                ("TEST_SERVICE_TOKEN", "t"),
                ("TEST_SERVICE_REGION", "west-9"),
            ]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("TEST_SERVICE_REGION: unknown region `west-9`"),
            "{error}"
        );
        let error = builder().from_lookup(env(&[])).unwrap_err().to_string();
        assert!(error.contains("or TEST_SERVICE_TOKEN"), "{error}");
        let error = builder()
            .from_lookup(env(&[
                ("TEST_SERVICE_TOKEN", "t"),
                ("TEST_SERVICE_ALLOW_INSECURE_HTTP", "maybe"),
            ]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("TEST_SERVICE_ALLOW_INSECURE_HTTP: expected true or false"),
            "{error}"
        );
        let error = message(
            builder()
                .region(TestRegion::North)
                .credentials(Credentials::ak_sk("ak", "sk"))
                .build(),
        );
        assert!(error.contains("from TEST_SERVICE_PROJECT_ID"), "{error}");
        let error = message(
            builder()
                .endpoint("http://127.0.0.1:9")
                .credentials(Credentials::token("t"))
                .build(),
        );
        assert!(
            error.contains("(TEST_SERVICE_ALLOW_INSECURE_HTTP=true)"),
            "{error}"
        );
    }

    #[test]
    fn the_service_catalogue_decides_which_codes_are_retryable() {
        let TestClient(client) = builder()
            .region(TestRegion::North)
            .credentials(Credentials::token("t"))
            .build()
            .expect("client");
        let reply = |status, code: &str| {
            let body = format!(r#"{{"error_code":"{code}","error_msg":"no"}}"#);
            Error::from_service_body(status, None, body.as_bytes())
        };
        // Not through a client: no catalogue has been asked.
        assert!(!reply(400, "T.001").is_retryable());

        let busy = client.classify(reply(400, "T.001"));
        assert!(
            matches!(
                busy,
                Error::Service {
                    retryable_code: true,
                    ..
                }
            ),
            "{busy:?}"
        );
        assert!(busy.is_retryable());
        assert_eq!(busy.code(), Some(TestCode::Busy));

        let missing = client.classify(reply(404, "T.404"));
        assert!(!missing.is_retryable());
        assert_eq!(missing.code(), Some(TestCode::NotFound));

        let unknown = client.classify(reply(400, "X.001"));
        assert!(!unknown.is_retryable());
        assert_eq!(unknown.code::<TestCode>(), None);
        assert_eq!(unknown.error_code(), Some("X.001"));

        // Retryable statuses need no catalogue.
        assert!(client.classify(reply(503, "X.001")).is_retryable());
    }
}
