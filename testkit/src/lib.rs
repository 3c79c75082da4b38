//! Test support for clients of Huawei Cloud API-gateway services, speaking HTTP only.
//!
//! - [`server`]: an in-process HTTP/1.1 server on loopback that records every request and
//!   answers with what the test chooses (replies, faults, large streamed bodies);
//! - [`signature`]: a second, independent implementation of the gateway's `SDK-HMAC-SHA256`
//!   check, working only from what arrived on the wire;
//! - [`exchange`]: one expected request and its canned reply, checked by a server handler the
//!   way the gateway would; the generated per-operation tests are written in terms of it.
//!
//! It does not depend on any generated client, so a client generated into any directory can
//! use it as a dev-dependency.

#![warn(missing_docs)]

pub mod exchange;
pub mod server;
pub mod signature;
