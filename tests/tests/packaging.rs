//! What every package carries besides code: the licence text and, for the two crates users
//! depend on, a changelog in the Keep a Changelog layout.

use std::path::Path;
use std::process::Command;

use workspace_tests::generator::root;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files `cargo package` would put into `package`'s archive.
fn package_list(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(root())
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            package,
        ])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo package --list -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_licence_is_the_full_apache_text() {
    let license = read(&root().join("LICENSE"));
    assert!(
        license.contains("Apache License\n                           Version 2.0, January 2004")
    );
    assert!(license.contains("END OF TERMS AND CONDITIONS"));
    assert!(license.contains("APPENDIX: How to apply the Apache License to your work."));
    // Each crate directory holds a copy, so that `cargo package` puts it into the archive next
    // to the SPDX `license` field (a `license-file` outside the crate would make cargo warn
    // about having both on every build). The generator writes the generated crate's.
    for dir in [
        "generated",
        "runtime",
        "testkit",
        "codegen",
        "xtask",
        "tests",
    ] {
        let copy = read(&root().join(dir).join("LICENSE"));
        assert!(
            copy == license,
            "{dir}/LICENSE differs from LICENSE: copy it again"
        );
    }
}

#[test]
fn every_package_carries_the_licence_and_the_user_facing_ones_a_changelog() {
    let manifest = read(&root().join("Cargo.toml"));
    let members = [
        "codegen",
        "xtask",
        "runtime",
        "generated",
        "testkit",
        "tests",
    ];
    for member in members {
        assert!(
            manifest.contains(&format!("\"{member}\"")),
            "{member} is a member"
        );
    }
    for package in [
        "codearts-build",
        "codearts-runtime",
        "codearts-testkit",
        "codegen",
        "xtask",
    ] {
        let files = package_list(package);
        assert!(files.iter().any(|f| f == "LICENSE"), "{package}: {files:?}");
        if matches!(package, "codearts-build" | "codearts-runtime") {
            assert!(
                files.iter().any(|f| f == "CHANGELOG.md"),
                "{package}: {files:?}"
            );
        }
    }
}

/// `# Changelog`, then `## [Unreleased]`, then released versions newest first, the crate's
/// current version among them; only Keep a Changelog's kinds of change as subsections.
fn check_changelog(path: &Path, version: &str) {
    let text = read(path);
    let shown = path.display();
    assert!(
        text.starts_with("# Changelog\n"),
        "{shown}: starts with # Changelog"
    );
    let releases: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .collect();
    assert_eq!(
        releases.first(),
        Some(&"[Unreleased]"),
        "{shown}: {releases:?}"
    );
    assert!(
        releases.contains(&format!("[{version}]").as_str()),
        "{shown}: no section for the current version {version}: {releases:?}"
    );
    for line in text.lines().filter_map(|line| line.strip_prefix("### ")) {
        assert!(
            [
                "Added",
                "Changed",
                "Deprecated",
                "Removed",
                "Fixed",
                "Security"
            ]
            .contains(&line),
            "{shown}: `### {line}` is not a Keep a Changelog kind of change"
        );
    }
}

fn package_version(manifest: &Path) -> String {
    read(manifest)
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{}: no version", manifest.display()))
        .to_owned()
}

#[test]
fn changelogs_follow_keep_a_changelog() {
    let root = root();
    check_changelog(
        &root.join("runtime/CHANGELOG.md"),
        &package_version(&root.join("runtime/Cargo.toml")),
    );
    check_changelog(
        &root.join("templates/crate/CHANGELOG.md"),
        &package_version(&root.join("generated/Cargo.toml")),
    );
}
