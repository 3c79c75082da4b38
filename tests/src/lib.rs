//! Shared helpers for the workspace tests.

pub mod generator;
pub mod schema_check;
pub mod server;
pub mod signature;
pub mod tls;

/// The root README's code blocks, compiled (not run) as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RootReadme;

/// The generated crate's README, compiled the same way.
#[cfg(doctest)]
#[doc = include_str!("../../generated/README.md")]
pub struct GeneratedReadme;
