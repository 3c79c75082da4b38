//! The generated exchange tests run, not only compile: the fixture that exercises every way the
//! generator fills in a test (`tests/fixtures/exchange_tests.yaml`: borrowed, default and made-up
//! values, percent-encoded paths, a header, a made-up body and reply, a 201, a download, an
//! empty reply, a legacy operation, an operation that cannot be tested) becomes a crate outside
//! the workspace whose `tests/operations.rs` runs against `codearts-testkit`, offline, with the
//! workspace's lock file and the fixture compile test's target directory.

use std::process::Command;

use workspace_tests::generator::{read, root};

#[test]
fn the_fixture_exchange_tests_pass_against_the_testkit() {
    let root = root();
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("exchange_tests");
    let statics = codegen::Statics {
        examples: Default::default(),
        runtime: codegen::emit::dependency_path(&dir, &root, &root.join("runtime")),
        testkit: codegen::emit::testkit_path(&dir, &root, &root.join("testkit")),
        license: None,
        changelog: None,
    };
    let file = "tests/fixtures/exchange_tests.yaml";
    let files = codegen::generate(file, &read(&root.join(file)), &statics)
        .unwrap_or_else(|e| panic!("{e}"));
    let cargo_toml = &files["Cargo.toml"];
    let testkit = std::fs::canonicalize(root.join("testkit")).expect("testkit/");
    let dependency = format!(
        "codearts-testkit = {{ path = \"{}\" }}",
        testkit.to_string_lossy().replace('\\', "/")
    );
    assert!(
        cargo_toml.contains(&dependency),
        "outside the workspace the testkit is named by its absolute path:\n{cargo_toml}"
    );
    codegen::output::write(&dir, &files).expect("write crate");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock file");
    let output = Command::new(env!("CARGO"))
        .current_dir(&dir)
        // TLS is not needed against the plain-HTTP test server; leaving it out saves a build.
        .args([
            "test",
            "--offline",
            "--no-default-features",
            "--test",
            "operations",
        ])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target").join("fixture-check"),
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for test in [
        "create_part",
        "delete_manual",
        "download_manual",
        "replace_parts",
        "show_part",
    ] {
        assert!(
            stdout.contains(&format!("test operations::{test}::exchange ... ok")),
            "{test} did not run:\n{stdout}"
        );
    }
    assert!(stdout.contains("test result: ok. 5 passed"), "{stdout}");
    // The operation no value can be made up for has no test, and its module says why.
    let skipped = &files["tests/operations/list_codes.rs"];
    assert!(
        skipped.contains("No exchange test: the required parameter `code` has no example"),
        "{skipped}"
    );
}

/// The real spec leaves no operation untested: every operation has a generated exchange test
/// (`cargo test --workspace` runs them as `codearts-build`'s `operations` test).
#[test]
fn every_operation_of_the_spec_has_an_exchange_test() {
    let root = root();
    let api = codegen::parse(
        "spec/codeartsbuild.yaml",
        &read(&root.join("spec").join("codeartsbuild.yaml")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("generated").join("tests").join("operations");
    let mut untested = Vec::new();
    for op in &api.operations {
        let test = read(&dir.join(format!("{}.rs", op.module)));
        if !test.contains("#[tokio::test]") || test.contains("No exchange test") {
            untested.push(op.id.as_str());
        }
    }
    assert!(api.operations.len() >= 33, "{}", api.operations.len());
    assert!(
        untested.is_empty(),
        "operations without an exchange test: {untested:?}"
    );
}
