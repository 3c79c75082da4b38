//! Helpers for the generator tests: fixture discovery and running `cargo xtask`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `(name, path)` of every `*.yaml` directly in `dir`, sorted by name.
pub fn fixtures(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|path| Some((path.file_stem()?.to_string_lossy().into_owned(), path)))
        .collect();
    out.sort();
    out
}

/// The good fixture specs (one per construct).
pub fn good_fixtures() -> Vec<(String, PathBuf)> {
    fixtures(&root().join("tests").join("fixtures"))
}

/// The bad fixture specs (each with one mistake).
pub fn bad_fixtures() -> Vec<(String, PathBuf)> {
    fixtures(&root().join("tests").join("fixtures").join("bad"))
}

/// Reads a file to a string, panicking with its path.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Runs `cargo xtask <args>` (offline, from the workspace root).
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["run", "--quiet", "--offline", "--package", "xtask", "--"])
        .args(args)
        .output()
        .expect("cargo runs")
}

/// Every Rust source the generator emits for `spec` (types, operations, catalogues, example
/// tests), concatenated with a `// ==== path` line before each file.
pub fn emitted_rust(name: &str, spec: &str) -> String {
    let api = codegen::parse(name, spec).unwrap_or_else(|e| panic!("{e}"));
    let files = codegen::emit::rust_sources(&api, name);
    let mut out = String::new();
    for (path, contents) in files {
        out.push_str(&format!("// ==== {path}\n{contents}\n"));
    }
    out
}
