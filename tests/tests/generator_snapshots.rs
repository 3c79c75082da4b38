//! Snapshot tests: the Rust emitted for each fixture spec under `tests/fixtures/` (one per
//! construct) is compared with its reviewed snapshot. Review changes with `cargo insta review`.

use std::collections::BTreeSet;

use workspace_tests::generator::{emitted_rust, good_fixtures, read, root};

const PREFIX: &str = "generator_snapshots__";

#[test]
fn emitted_rust_matches_snapshots() {
    let fixtures = good_fixtures();
    assert!(fixtures.len() >= 10, "fixtures missing: {fixtures:?}");
    for (name, path) in &fixtures {
        let spec = read(path);
        let rust = emitted_rust(&format!("tests/fixtures/{name}.yaml"), &spec);
        insta::assert_snapshot!(name.as_str(), rust);
    }
}

/// A snapshot whose fixture was renamed or removed would otherwise linger unnoticed.
#[test]
fn every_snapshot_has_a_fixture() {
    let fixtures: BTreeSet<String> = good_fixtures().into_iter().map(|(name, _)| name).collect();
    let dir = root().join("tests").join("tests").join("snapshots");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("no snapshots in {}", dir.display());
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_prefix(PREFIX) else {
            continue;
        };
        let name = name.trim_end_matches(".snap.new").trim_end_matches(".snap");
        assert!(
            fixtures.contains(name),
            "unreferenced snapshot {file}: no tests/fixtures/{name}.yaml"
        );
    }
}

/// Output must not depend on anything but the spec: two runs give identical bytes.
#[test]
fn generation_is_deterministic() {
    for (name, path) in good_fixtures() {
        let spec = read(&path);
        assert_eq!(
            emitted_rust(&name, &spec),
            emitted_rust(&name, &spec),
            "{name}"
        );
    }
}
