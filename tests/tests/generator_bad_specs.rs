//! Bad specs: each fixture under `tests/fixtures/bad/` has one mistake, and the generator must
//! name the file, the JSON pointer, the line and what is wrong, exit with 1, and write nothing.

use workspace_tests::generator::{bad_fixtures, read, xtask};

/// `(fixture, line, pointer, what)` for every bad fixture.
const EXPECTED: &[(&str, usize, &str, &str)] = &[
    (
        "alias_cycle",
        21,
        "#/components/schemas/Right/$ref",
        "reference cycle `Left` -> `Right` -> `Left`: these schemas are defined only through each other",
    ),
    (
        "dangling_ref",
        13,
        "#/paths/~1v3~1jobs~1build/post/requestBody/content/application~1json/schema/$ref",
        "dangling $ref \"#/components/schemas/RunJobBody\"",
    ),
    (
        "duplicate_operation_id",
        13,
        "#/paths/~1v1~1b/get/operationId",
        "duplicate operationId \"get_thing\", already used at #/paths/~1v1~1a/get",
    ),
    (
        "enum_variant_collision",
        21,
        "#/components/schemas/State/enum/2",
        "enum values \"in-progress\" and \"in_progress\" both map to the Rust variant `InProgress`",
    ),
    (
        "invalid_header_name",
        11,
        "#/paths/~1v1~1a/get/parameters/0/name",
        "header parameter \"X Trace Id\" is not a valid HTTP header name",
    ),
    (
        "invalid_pattern",
        10,
        "#/paths/~1v1~1a/get/parameters/0/schema/pattern",
        "is not a valid regular expression",
    ),
    ("missing_openapi", 1, "#", "missing field `openapi`"),
    (
        "missing_operation_id",
        7,
        "#/paths/~1v1~1a/get",
        "operation has no operationId",
    ),
    ("missing_paths", 1, "#", "missing field `paths`"),
    (
        "property_collision",
        12,
        "#/components/schemas/Build/properties/build_no",
        "properties \"buildNo\" and \"build_no\" both map to the Rust field name `build_no`",
    ),
    (
        "required_missing_property",
        10,
        "#/components/schemas/Job/required",
        "required property \"name\" is not defined",
    ),
    (
        "reserved_header_param",
        11,
        "#/paths/~1v1~1a/get/parameters/0/name",
        "header parameter \"x-project-ID\" names a header the client sets itself",
    ),
    (
        "status_envelope_value",
        18,
        "#/paths/~1v1~1a/get/x-status-envelope/failure",
        "\"failed\" is not one of the values of \"status\" (\"success\", \"fail\")",
    ),
    (
        "typo_field",
        12,
        "#/paths/~1v1~1a/get/parameters/0/requried",
        "unknown field `requried`",
    ),
    (
        "undeclared_path_param",
        9,
        "#/paths/~1v1~1jobs~1{job_id}~1builds~1{build_no}/get/parameters",
        "uses {build_no}, which is not declared as a path parameter",
    ),
    (
        "unknown_finished_operation",
        28,
        "#/paths/~1v1~1jobs~1{job_id}~1{build_no}~1real-time-log/get/x-log-follow/finished-operation",
        "\"show_recrd\" is not an operationId",
    ),
    (
        "unsupported_one_of",
        21,
        "#/components/schemas/Thing/properties/value/oneOf",
        "unsupported construct `oneOf`",
    ),
    (
        "unused_path_param",
        10,
        "#/paths/~1v1~1jobs/get/parameters/0",
        "path parameter \"job_id\" does not appear in the path template",
    ),
    (
        "yaml_syntax",
        9,
        "#/paths/~1v1~1a/get/summary",
        "while scanning a quoted scalar",
    ),
];

#[test]
fn every_bad_fixture_is_covered() {
    let names: Vec<String> = bad_fixtures().into_iter().map(|(name, _)| name).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(names, expected);
}

#[test]
fn errors_name_file_line_pointer_and_problem() {
    for (name, path) in bad_fixtures() {
        let (_, line, pointer, what) = EXPECTED.iter().find(|e| e.0 == name).expect("listed");
        let file = format!("tests/fixtures/bad/{name}.yaml");
        let error = codegen::parse(&file, &read(&path)).expect_err(&name);
        let message = error.to_string();
        let prefix = format!("error: {file}:{line}: at {pointer}: ");
        assert!(
            message.starts_with(&prefix),
            "{name}: expected {prefix:?}, got {message:?}"
        );
        assert!(
            message.contains(what),
            "{name}: expected {what:?} in {message:?}"
        );
    }
}

/// Through the command line: exit code 1, the message on stderr, no panic, nothing written.
#[test]
fn command_fails_cleanly_and_writes_nothing() {
    let out = tempfile::tempdir().expect("temp dir");
    let sentinel = out.path().join("Cargo.toml");
    std::fs::write(&sentinel, "# not touched\n").expect("write");
    for (name, path) in bad_fixtures() {
        let result = xtask(&[
            "gen",
            "--spec",
            path.to_str().expect("utf-8"),
            "--out",
            out.path().to_str().expect("utf-8"),
        ]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(&format!("{name}.yaml:")),
            "{name}: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{name}: {stderr}"
        );
        let entries: Vec<_> = std::fs::read_dir(out.path()).expect("read").collect();
        assert_eq!(entries.len(), 1, "{name}: the output directory changed");
        assert_eq!(read(&sentinel), "# not touched\n", "{name}");
    }
}
