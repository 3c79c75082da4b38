//! The code emitted for every fixture compiles without warnings, clippy's included: each fixture
//! becomes a full crate (with the real runtime, and its client test where it has one) in a
//! temporary directory and is checked by `cargo clippy`, offline, with the workspace's lock file
//! and one shared target directory so dependencies build once.

use std::process::Command;

use workspace_tests::generator::{
    fixture_cargo, fixture_statics, good_fixtures, write_fixture_crate,
};

#[test]
fn every_fixture_crate_compiles_cleanly() {
    let temp = tempfile::tempdir().expect("temp dir");
    let statics = fixture_statics(temp.path());
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
        let dir = temp.path().join(&name);
        write_fixture_crate(&name, &path, &dir, &statics);
        let output = fixture_cargo(&dir, &[checker, "--all-targets", "--quiet"]);
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
