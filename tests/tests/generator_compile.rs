//! The code emitted for every fixture compiles without warnings, clippy's included: each fixture
//! becomes a full crate (with the real runtime) in a temporary directory and is checked by
//! `cargo clippy`, offline, with the workspace's lock file and one shared target directory so
//! dependencies build once.

use std::process::Command;

use workspace_tests::generator::{good_fixtures, read, root};

#[test]
fn every_fixture_crate_compiles_cleanly() {
    let root = root();
    let temp = tempfile::tempdir().expect("temp dir");
    let statics = codegen::Statics {
        // The shipped examples use operations of the real spec, which fixtures do not have.
        examples: Default::default(),
        // The exchange tests' dev-dependency, found from outside the workspace.
        testkit: codegen::emit::testkit_path(temp.path(), &root, &root.join("testkit")),
        ..codegen::Statics::load(&root.join("templates")).expect("templates")
    };
    let target = root.join("target").join("fixture-check");
    // clippy ships with rustup's default profile; on a minimal toolchain the check still proves
    // the code compiles without warnings.
    let has_clippy = Command::new(env!("CARGO"))
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let checker = if has_clippy { "clippy" } else { "check" };
    if !has_clippy {
        eprintln!("cargo clippy is not installed: checking fixture crates with cargo check");
    }
    let mut failures = Vec::new();
    for (name, path) in good_fixtures() {
        let file = format!("tests/fixtures/{name}.yaml");
        let files =
            codegen::generate(&file, &read(&path), &statics).unwrap_or_else(|e| panic!("{e}"));
        let dir = temp.path().join(&name);
        codegen::output::write(&dir, &files).expect("write crate");
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock file");
        let output = Command::new(env!("CARGO"))
            .current_dir(&dir)
            .args([checker, "--offline", "--all-targets", "--quiet"])
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        if !output.status.success() {
            failures.push(format!(
                "{name}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixture crates failed to compile:\n{}",
        failures.join("\n")
    );
}
