//! The drift gate can fail: after one field of the spec changes, `cargo xtask gen --check`
//! exits non-zero and shows the difference, and succeeds again once regenerated.

use workspace_tests::generator::{read, root, xtask};

#[test]
fn check_fails_after_a_spec_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("codeartsbuild.yaml");
    let out = dir.path().join("out");
    let original = read(&root().join("spec").join("codeartsbuild.yaml"));
    std::fs::write(&spec, &original).expect("write spec");
    let (spec_arg, out_arg) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));

    let generated = xtask(&["gen", "--spec", spec_arg, "--out", out_arg]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let clean = xtask(&["gen", "--check", "--spec", spec_arg, "--out", out_arg]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    // Change one field: the spec's version.
    let version_line = original
        .lines()
        .find(|l| l.starts_with("  version:"))
        .expect("info.version");
    std::fs::write(
        &spec,
        original.replacen(version_line, "  version: \"drift-test\"", 1),
    )
    .expect("write spec");
    let drifted = xtask(&["gen", "--check", "--spec", spec_arg, "--out", out_arg]);
    let stderr = String::from_utf8_lossy(&drifted.stderr);
    assert_eq!(drifted.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stale: src/lib.rs"), "{stderr}");
    assert!(
        stderr.contains("+pub const SPEC_VERSION: &str = \"drift-test\";"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask gen`"), "{stderr}");

    let regenerated = xtask(&["gen", "--spec", spec_arg, "--out", out_arg]);
    assert!(regenerated.status.success());
    assert!(
        xtask(&["gen", "--check", "--spec", spec_arg, "--out", out_arg])
            .status
            .success()
    );
}

/// A file the spec no longer produces is reported by `--check` and removed by `gen`.
#[test]
fn extra_files_are_reported_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let spec = root()
        .join("tests")
        .join("fixtures")
        .join("binary_response.yaml");
    let (spec_arg, out_arg) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    assert!(xtask(&["gen", "--spec", spec_arg, "--out", out_arg])
        .status
        .success());
    std::fs::write(out.join("src/operations/stale_op.rs"), "// old\n").expect("write");
    let check = xtask(&["gen", "--check", "--spec", spec_arg, "--out", out_arg]);
    assert!(String::from_utf8_lossy(&check.stderr).contains("extra: src/operations/stale_op.rs"));
    assert!(xtask(&["gen", "--spec", spec_arg, "--out", out_arg])
        .status
        .success());
    assert!(!out.join("src/operations/stale_op.rs").exists());
}
