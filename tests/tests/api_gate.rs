//! The API stability gate on two generated crates: `tests/fixtures/api_gate/before.yaml` and
//! `after.yaml` differ in ways whose semver class is known; the listings the generator writes
//! (`API.txt`) must show them and the comparison must classify each one.

use codegen::surface::{compare, Change, Severity};
use codegen::{Statics, API_LISTING};
use workspace_tests::generator::{read, root};

fn listing(name: &str) -> String {
    let path = root()
        .join("tests/fixtures/api_gate")
        .join(format!("{name}.yaml"));
    let file = format!("tests/fixtures/api_gate/{name}.yaml");
    let files = codegen::generate(&file, &read(&path), &Statics::default())
        .unwrap_or_else(|e| panic!("{e}"));
    files
        .get(API_LISTING)
        .unwrap_or_else(|| panic!("{file}: no {API_LISTING} among the generated files"))
        .clone()
}

fn matching<'a>(changes: &'a [Change], severity: Severity, needle: &str) -> Vec<&'a str> {
    changes
        .iter()
        .filter(|c| c.severity == severity && c.what.contains(needle))
        .map(|c| c.what.as_str())
        .collect()
}

#[test]
fn the_listing_is_sorted_and_names_the_public_surface() {
    let before = listing("before");
    let lines: Vec<&str> = before.lines().skip(1).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "the listing is sorted");
    for expected in [
        "method crate::Client::list_builds fn(&self) -> ",
        "method crate::Client::delete_build fn(&self) -> ",
        "field crate::types::Build.id Option<String>",
        "non_exhaustive crate::types::Build",
        "variant crate::types::BuildState::Success",
        "impl crate::types::Build:Deserialize",
        "enum crate::region::Region",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "no line starts with {expected:?} in:\n{before}"
        );
    }
}

#[test]
fn the_gate_classifies_every_change_between_the_fixtures() {
    let (before, after) = (listing("before"), listing("after"));
    let changes = compare(&before, &after);
    let all = changes
        .iter()
        .map(|c| format!("{:?} {}", c.severity, c.what));
    let report = all.collect::<Vec<_>>().join("\n");

    // A removed operation: its client method and request types are gone.
    assert!(
        !matching(
            &changes,
            Severity::Breaking,
            "removed: method crate::Client::delete_build"
        )
        .is_empty(),
        "{report}"
    );
    assert!(
        !matching(
            &changes,
            Severity::Breaking,
            "removed: struct crate::operations::delete_build::DeleteBuildRequest"
        )
        .is_empty(),
        "{report}"
    );
    // A query parameter whose type changed: its builder setter and request field changed.
    assert!(
        !matching(
            &changes,
            Severity::Breaking,
            "changed: field crate::operations::list_builds::ListBuildsRequest.limit"
        )
        .is_empty(),
        "{report}"
    );
    // Additions: a new operation, a field of a #[non_exhaustive] response struct and a value
    // of a #[non_exhaustive] enum.
    assert!(
        !matching(
            &changes,
            Severity::Minor,
            "added: method crate::Client::show_build"
        )
        .is_empty(),
        "{report}"
    );
    assert!(
        !matching(
            &changes,
            Severity::Minor,
            "added: field crate::types::Build.duration"
        )
        .is_empty(),
        "{report}"
    );
    assert!(
        !matching(
            &changes,
            Severity::Minor,
            "added: variant crate::types::BuildState::Running"
        )
        .is_empty(),
        "{report}"
    );
    // A new optional request field breaks struct literals unless the body is #[non_exhaustive].
    let body_exhaustive = !before.contains("\nnon_exhaustive crate::types::CreateBuild\n");
    let expected = if body_exhaustive {
        Severity::Breaking
    } else {
        Severity::Minor
    };
    assert!(
        !matching(
            &changes,
            expected,
            "added: field crate::types::CreateBuild.comment"
        )
        .is_empty(),
        "{report}"
    );
    // Nothing that was not touched is reported.
    for untouched in [
        "ListBuildsFluentBuilder::send ",
        "types::BuildList.builds",
        "Region::",
    ] {
        assert!(
            changes.iter().all(|c| !c.what.contains(untouched)),
            "{untouched} is reported:\n{report}"
        );
    }
}

#[test]
fn the_committed_listing_of_the_generated_crate_matches_its_sources() {
    // API.txt is a function of the crate's sources alone: listing generated/src gives it back.
    let dir = root().join("generated");
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.join("src")];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(&dir).expect("inside").to_string_lossy();
                files.insert(relative.replace('\\', "/"), read(&path));
            }
        }
    }
    let listed = codegen::surface::listing(&files).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        listed == read(&dir.join(API_LISTING)),
        "generated/{API_LISTING} differs from the listing of generated/src; run `cargo xtask gen`"
    );
}
