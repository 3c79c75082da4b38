//! Shared helpers for the workspace tests.

pub mod schema_check;
