//! Cargo features per area: the crate generated from `tests/fixtures/areas.yaml` compiles (tests
//! included, warnings denied) with each area alone and with none, its docs build without broken
//! links with one area, and an item of an area that is off is really absent: a probe that names
//! a `keys` request type fails to compile with only `builds`, and compiles with `keys`.

use std::path::Path;
use std::process::Command;

use workspace_tests::generator::{
    fixture_cargo, fixture_statics, good_fixtures, root, write_fixture_crate,
};

/// Writes the areas fixture crate into `dir`.
fn areas_crate(dir: &Path) {
    let statics = fixture_statics(dir);
    let (name, path) = good_fixtures()
        .into_iter()
        .find(|(name, _)| name == "areas")
        .expect("tests/fixtures/areas.yaml");
    write_fixture_crate(&name, &path, dir, &statics);
}

fn check(dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = fixture_cargo(dir, args);
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {}:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn every_area_alone_and_no_area_compile_without_warnings() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("areas");
    areas_crate(&dir);
    // The fixture's client test uses every area; it runs (with all of them) in generator_client.
    std::fs::remove_file(dir.join("tests").join("client.rs")).expect("remove the client test");
    let mut failures = Vec::new();
    // `builds` alone also compiles `records` (its log follower asks a record operation), and
    // its tests and example round trips come with it; with no area only ungated items remain.
    for features in [None, Some("builds"), Some("records"), Some("keys")] {
        let mut args = vec!["check", "--quiet", "--all-targets", "--no-default-features"];
        if let Some(features) = features {
            args.extend(["--features", features]);
        }
        if let Err(e) = check(&dir, &args) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_item_of_an_area_that_is_off_is_absent() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("areas");
    areas_crate(&dir);
    std::fs::write(
        dir.join("tests").join("probe.rs"),
        "//! Names an item of the `keys` area.\n\n\
         #[test]\n\
         fn keys_request_type_exists() {\n\
         \x20   let class = codearts_build::operations::ShowKeyInfoRequest::RATE_LIMIT_CLASS;\n\
         \x20   assert!(class.is_some());\n\
         }\n",
    )
    .expect("write probe");
    let only_builds = fixture_cargo(
        &dir,
        &[
            "check",
            "--test",
            "probe",
            "--no-default-features",
            "--features",
            "builds",
        ],
    );
    let stderr = String::from_utf8_lossy(&only_builds.stderr);
    assert!(!only_builds.status.success(), "compiled without `keys`");
    assert!(
        stderr.contains("ShowKeyInfoRequest") && stderr.contains("E0433"),
        "the probe should fail only for the missing type:\n{stderr}"
    );
    // The same probe with the area on: the failure above is the gate, not a broken probe.
    check(
        &dir,
        &[
            "check",
            "--test",
            "probe",
            "--no-default-features",
            "--features",
            "keys",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn docs_of_one_area_have_no_broken_links() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("areas");
    areas_crate(&dir);
    // `old_key_info` (builds) links to its successor in keys, and the crate docs link every
    // operation: with keys off those links must fall back to text.
    let output = Command::new(env!("CARGO"))
        .current_dir(&dir)
        .args([
            "doc",
            "--no-deps",
            "--offline",
            "--no-default-features",
            "--features",
            "builds",
        ])
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("fixture-check"),
        )
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
