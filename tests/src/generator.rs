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
    let files = codegen::emit::rust_sources(&api, name).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for (path, contents) in files {
        out.push_str(&format!("// ==== {path}\n{contents}\n"));
    }
    out
}

/// The client test of fixture `name`, if it has one: `tests/fixtures/client/<name>.rs`, run
/// against the crate generated from the fixture (see [`write_fixture_crate`]).
pub fn client_test(name: &str) -> Option<PathBuf> {
    let path = root()
        .join("tests")
        .join("fixtures")
        .join("client")
        .join(format!("{name}.rs"));
    path.exists().then_some(path)
}

/// Writes the crate generated from fixture `name` (spec at `path`) to `dir`, ready for an
/// offline cargo run: the workspace's lock file, and, when the fixture has a
/// [`client_test`], that test as `tests/client.rs` with this crate's test server and signature
/// verifier beside it in `tests/support/` (the test declares them as modules).
pub fn write_fixture_crate(name: &str, path: &Path, dir: &Path, statics: &codegen::Statics) {
    let file = format!("tests/fixtures/{name}.yaml");
    let files = codegen::generate(&file, &read(path), statics).unwrap_or_else(|e| panic!("{e}"));
    codegen::output::write(dir, &files).expect("write crate");
    let root = root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock file");
    let Some(test) = client_test(name) else {
        return;
    };
    let support = dir.join("tests").join("support");
    std::fs::create_dir_all(&support).expect("tests/support");
    for module in ["server.rs", "signature.rs"] {
        std::fs::copy(
            root.join("testkit").join("src").join(module),
            support.join(module),
        )
        .expect("copy test support");
    }
    std::fs::copy(&test, dir.join("tests").join("client.rs")).expect("copy client test");
    // The test server listens on TCP and the signature check hashes with HMAC-SHA256; the
    // generated crate's own dev-dependencies have neither tokio's `net` nor the hash crates
    // (its runtime has them, as dependencies of its own). A target table adds them without
    // editing the generated manifest.
    let manifest = dir.join("Cargo.toml");
    let mut text = read(&manifest);
    text.push_str(
        "\n[target.'cfg(all())'.dev-dependencies]\n\
         tokio = { version = \"1\", features = [\"net\"] }\n\
         hmac = \"0.12\"\n\
         sha2 = \"0.10\"\n",
    );
    std::fs::write(&manifest, text).expect("extend Cargo.toml");
}

/// Runs `cargo <args>` offline in a fixture crate at `dir`, warnings denied, with one target
/// directory shared by every fixture crate (`target/fixture-check`) so dependencies build once.
pub fn fixture_cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .arg("--offline")
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("fixture-check"),
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

/// The statics for fixture crates: the real runtime (by absolute path, from outside the
/// workspace), no shipped examples (they use operations of the real spec, which fixtures do not
/// have).
pub fn fixture_statics(out: &Path) -> codegen::Statics {
    let root = root();
    codegen::Statics {
        examples: Default::default(),
        runtime: codegen::emit::dependency_path(out, &root, &root.join("runtime")),
        // The exchange tests' dev-dependency, found from outside the workspace.
        testkit: codegen::emit::testkit_path(out, &root, &root.join("testkit")),
        license: None,
        changelog: None,
    }
}
