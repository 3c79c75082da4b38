//! Spec → IR → Rust generator for the CodeArts Build client.
