//! Shared helpers for the workspace tests.

pub mod freshness;
pub mod generator;
pub mod schema_check;

/// The in-process server and the independent signature check live in `codearts-testkit`,
/// which the generated crate's own tests use too; re-exported so tests keep their paths.
pub use codearts_testkit::{server, signature};
pub mod tls;

/// The root README's code blocks, compiled (not run) as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RootReadme;

// The generated crate's README is its crate-root documentation, so its own doctests compile it.
