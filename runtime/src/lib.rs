//! Hand-written runtime of the client: transport, authentication, errors, retries, streaming,
//! pagination and log following.
//!
//! Generated operation modules only use the items documented in `templates/README.md`; this
//! module only uses `crate::Region`, `crate::ErrorCode` and `crate::SPEC_VERSION` from generated
//! code.
//!
//! The crate root re-exports exactly these items:
//!
//! ```text
//! pub use runtime::{
//!     ByteStream, CallOptions, Client, ClientBuilder, Credentials, Error, FilePart, LogChunk,
//!     LogFollow, Page, PageStyle, Paginator, RetryPolicy,
//! };
//! ```
//!
//! Layout:
//!
//! - [`client`]: [`Client`], [`ClientBuilder`], [`CallOptions`] and the send loop.
//! - [`auth`]: [`Credentials`] and the `SDK-HMAC-SHA256` request signer.
//! - [`error`]: the one [`Error`] type.
//! - [`retry`]: [`RetryPolicy`], backoff and `Retry-After`.
//! - [`operation`]: the [`Operation`](operation::Operation) trait implemented by generated
//!   requests, request parts and response decoding.
//! - [`json`]: decoding bare JSON arrays and scalars.
//! - [`multipart`]: `multipart/form-data` bodies and [`FilePart`].
//! - [`validate`]: input checks called by generated `validate` methods.
//! - [`stream`]: [`ByteStream`], a streaming response body.
//! - [`paginate`]: [`Paginator`], a lazy stream of list items.
//! - [`follow`]: [`LogFollow`], a stream of real-time log chunks.

pub mod auth;
pub mod client;
pub mod encode;
pub mod error;
pub mod follow;
pub mod json;
pub mod multipart;
pub mod operation;
pub mod paginate;
pub mod retry;
pub mod stream;
pub mod time;
pub mod validate;

pub use auth::Credentials;
pub use client::{CallOptions, Client, ClientBuilder};
pub use error::Error;
pub use follow::{LogChunk, LogFollow};
pub use multipart::FilePart;
pub use paginate::{Page, PageStyle, Paginator};
pub use retry::RetryPolicy;
pub use stream::ByteStream;
