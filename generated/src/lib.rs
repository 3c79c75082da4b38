//! placeholder until `cargo xtask gen` runs
