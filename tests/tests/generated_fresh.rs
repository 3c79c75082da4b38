//! `cargo test --workspace` alone catches drift: `generated/` must be exactly what the spec,
//! the templates and the generator produce now (the in-process twin of `cargo xtask gen --check`,
//! in the manner of rust-analyzer's `ensure_file_contents`), every file the generator writes
//! included (sources, manifest, README, changelog, licence, examples, tests, `API.txt`).

use std::path::Path;

use codegen::output;
use workspace_tests::freshness::check;
use workspace_tests::generator::{read, root};

#[test]
fn generated_crate_is_up_to_date_with_the_spec() {
    if let Err(report) = check(&root().join("generated")) {
        panic!("{report}");
    }
}

/// Copies the files of `from` (hidden entries and `target/` aside, as the check ignores them)
/// to `to`.
fn copy_crate(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || name == "target" {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        if source.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_crate(&source, &target);
        } else {
            std::fs::copy(&source, &target).expect("copy");
        }
    }
}

/// The check can fail, for each way a crate directory drifts, and says where with a diff.
#[test]
fn a_stale_missing_or_extra_file_fails_the_check_with_a_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    copy_crate(&root().join("generated"), out);
    let count = check(out).expect("an exact copy is up to date");
    assert!(count > 100, "every generated file is compared ({count})");

    // Stale: one changed line of the API listing, a file no hand edits.
    let listing = out.join("API.txt");
    let text = std::fs::read_to_string(&listing).expect("API.txt is generated");
    let first = text.lines().nth(1).expect("a listed item").to_owned();
    std::fs::write(
        &listing,
        text.replacen(&first, "fn crate::edited_by_hand fn()", 1),
    )
    .expect("write");
    // Missing: a generated source. Extra: a file the generator does not write.
    std::fs::remove_file(out.join("src/region.rs")).expect("remove");
    std::fs::write(out.join("src/notes.rs"), "// kept by hand\n").expect("write");

    let report = check(out).expect_err("drift is reported");
    let header = report.lines().next().unwrap_or_default();
    assert_eq!(
        header,
        "generated/ is out of date with spec/codeartsbuild.yaml (1 stale, 1 missing, 1 extra); \
         run `cargo xtask gen` and commit the result"
    );
    for expected in [
        "stale: API.txt",
        "-fn crate::edited_by_hand fn()",
        &format!("+{first}"),
        "missing: src/region.rs",
        "+++ b/src/region.rs",
        "extra: src/notes.rs",
        "-// kept by hand",
    ] {
        assert!(report.contains(expected), "{expected:?} not in:\n{report}");
    }
}

#[test]
fn cli_subcommands_are_up_to_date_with_the_spec() {
    let root = root();
    let spec = "spec/codeartsbuild.yaml";
    let source = read(&root.join(spec));
    let files = codegen::generate_cli(spec, &source).unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("cli").join("src").join("generated");
    let drift = output::check(&dir, &files).expect("cli/src/generated/ is readable");
    assert!(
        drift.is_empty(),
        "cli/src/generated/ is out of date with {spec}; run `cargo xtask gen` and commit the \
         result\n{drift}"
    );
    // One subcommand per operation, plus the module that lists them.
    let operations = codegen::parse(spec, &source)
        .expect("the spec is valid")
        .operations
        .len();
    assert_eq!(files.len(), operations + 1);
}

#[test]
fn fake_server_routes_are_up_to_date_with_the_spec() {
    let root = root();
    let spec = "spec/codeartsbuild.yaml";
    let source = read(&root.join(spec));
    let files = codegen::generate_fake(spec, &source).unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("fake").join("src").join("generated");
    let drift = output::check(&dir, &files).expect("fake/src/generated/ is readable");
    assert!(
        drift.is_empty(),
        "fake/src/generated/ is out of date with {spec}; run `cargo xtask gen` and commit the \
         result\n{drift}"
    );
}
