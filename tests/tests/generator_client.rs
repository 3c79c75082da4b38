//! Client tests of generated code for constructs the real spec does not use yet: every fixture
//! with a test file under `tests/fixtures/client/` is generated into a crate, the test is added
//! as `tests/client.rs` (with the in-process server and the independent signature verifier), and
//! `cargo test` runs it offline against the fixture's own generated client, together with the
//! crate's generated exchange tests (`tests/operations.rs`).

use workspace_tests::generator::{
    client_test, fixture_cargo, fixture_statics, good_fixtures, write_fixture_crate,
};

#[test]
fn fixture_client_tests_pass() {
    let temp = tempfile::tempdir().expect("temp dir");
    let statics = fixture_statics(temp.path());
    let mut ran = Vec::new();
    let mut failures = Vec::new();
    for (name, path) in good_fixtures() {
        if client_test(&name).is_none() {
            continue;
        }
        let dir = temp.path().join(&name);
        write_fixture_crate(&name, &path, &dir, &statics);
        // The fixture's generated exchange tests run too: they cover the same constructs from
        // the spec's examples.
        let output = fixture_cargo(
            &dir,
            &[
                "test",
                "--quiet",
                "--test",
                "client",
                "--test",
                "operations",
            ],
        );
        if !output.status.success() {
            failures.push(format!(
                "{name}:\n{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        ran.push(name);
    }
    assert!(!ran.is_empty(), "no fixture has a client test");
    assert!(
        failures.is_empty(),
        "fixture client tests failed:\n{}",
        failures.join("\n")
    );
}

/// Every client test belongs to a fixture: a renamed fixture must not silently drop its test.
#[test]
fn every_client_test_has_a_fixture() {
    let fixtures: Vec<String> = good_fixtures().into_iter().map(|(name, _)| name).collect();
    let dir = workspace_tests::generator::root().join("tests/fixtures/client");
    for entry in std::fs::read_dir(&dir)
        .expect("tests/fixtures/client")
        .flatten()
    {
        let file = entry.file_name().to_string_lossy().into_owned();
        let name = file.trim_end_matches(".rs");
        assert!(
            fixtures.iter().any(|f| f == name),
            "tests/fixtures/client/{file} has no tests/fixtures/{name}.yaml"
        );
    }
}
