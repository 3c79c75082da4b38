#![doc = include_str!("../README.md")]
//!
//! ## Modules
//!
//! For users, re-exported by a generated crate: [`ByteStream`], [`CallOptions`],
//! [`ClientBuilder`] (as an alias for the generated client's builder), [`Credentials`],
//! [`CredentialsProvider`], [`ReloadingCredentials`], [`ProvideCredentials`],
//! [`Error`], [`FilePart`], [`LogChunk`], [`LogFollow`], [`Page`], [`PageStyle`], [`Paginator`],
//! [`RetryPolicy`], [`BuildNumber`], [`Waiter`] and [`WaitError`], and the build-run workflow's
//! [`RunBuild`], [`BuildHandle`] and [`BuildOutcome`].
//!
//! For generated code (which reaches this crate through a hidden `runtime` alias):
//!
//! - [`service`]: [`Service`], [`ServiceRegion`], [`ErrorCatalogue`] and [`ServiceIdentity`].
//! - [`operation`]: the [`Operation`](operation::Operation) trait implemented by every
//!   generated request, its [`OperationSpec`](operation::OperationSpec) and
//!   [`RequestParts`](operation::RequestParts), and the response decoders.
//! - [`json`]: decoders for bare JSON arrays and scalars.
//! - [`validate`]: the input checks generated `validate` methods call.
//! - [`multipart`]: `multipart/form-data` bodies ([`Form`](multipart::Form)).
//! - [`paginate::paginate`] and [`follow::follow`]: the streams behind generated `paginate()`
//!   and `follow()`.
//! - [`waiter`]: the polling loop behind generated `wait_for_*` methods; [`workflow`]: the
//!   [`BuildApi`] a generated client implements for `run_build`, and [`BuildState`].
//!
//! Inside: [`client`] holds [`Client`] (the service-independent core a generated client wraps),
//! [`ClientBuilder`] and the send loop; [`error`] the one [`Error`] type; [`retry`] the
//! [`RetryPolicy`]; [`stream`] the [`ByteStream`] of downloads; [`auth`] the [`Credentials`],
//! their sources (the [chain](auth::chain) of `from_env`, the credentials
//! [file](auth::profile), [providers](CredentialsProvider)) and the request
//! [`signer`](auth::signer); [`encode`] and [`time`] percent-encoding and
//! dates. The signer, encoder and dates are public so that tests can check them against
//! independent implementations.
//!
//! ## Features
//!
//! - `tracing` (default): a `tracing` span `codearts_runtime.call` per call, with the service,
//!   operation, method, path template, attempt, status, duration and request id; never a
//!   secret.
//!
//! TLS is not chosen here: the generated crate enables `reqwest`'s rustls features, or the caller
//! brings a configured `reqwest::Client`.
#![deny(missing_docs)]

pub mod auth;
pub mod build_number;
pub mod client;
pub mod encode;
pub mod error;
pub mod follow;
pub mod json;
pub mod multipart;
pub mod operation;
pub mod paginate;
pub mod retry;
pub mod service;
pub mod stream;
pub mod time;
pub mod validate;
pub mod waiter;
pub mod workflow;

pub use auth::{Credentials, CredentialsProvider, ProvideCredentials, ReloadingCredentials};
pub use build_number::{BuildNumber, ParseBuildNumberError};
pub use client::{CallOptions, Client, ClientBuilder};
pub use error::Error;
pub use follow::{LogChunk, LogFollow};
pub use multipart::FilePart;
pub use paginate::{Page, PageStyle, Paginator};
pub use retry::RetryPolicy;
pub use service::{ErrorCatalogue, Service, ServiceIdentity, ServiceRegion};
pub use stream::ByteStream;
pub use waiter::{Check, WaitError, Waiter};
pub use workflow::{BuildApi, BuildHandle, BuildOutcome, BuildState, RunBuild, StartBuild};
