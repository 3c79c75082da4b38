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
        "area_missing",
        11,
        "#/paths/~1v1~1a/get",
        "operation has no area: give it exactly one tag of the root `tags:` list (jobs)",
    ),
    (
        "area_reserved_name",
        8,
        "#/tags/0/name",
        "tag \"tracing\" would be a Cargo feature that the generated crate already defines",
    ),
    (
        "area_several",
        14,
        "#/paths/~1v1~1a/get/tags",
        "operation has 2 tags (jobs, logs); an operation belongs to exactly one area",
    ),
    (
        "area_undeclared",
        13,
        "#/paths/~1v1~1a/get/tags/0",
        "tag \"job\" is not declared in the root `tags:` list; the areas are jobs",
    ),
    (
        "array_header_param",
        13,
        "#/paths/~1v1~1a/get/parameters/0/schema",
        "(or, in the query, arrays of them)",
    ),
    (
        "array_query_explode_false",
        13,
        "#/paths/~1v1~1a/get/parameters/0/explode",
        "unsupported construct: `explode: false`",
    ),
    (
        "array_query_object_items",
        15,
        "#/paths/~1v1~1a/get/parameters/0/schema/items",
        "the items of an array query parameter must be strings",
    ),
    (
        "array_query_style",
        13,
        "#/paths/~1v1~1a/get/parameters/0/style",
        "not style \"pipeDelimited\"",
    ),
    (
        "binary_property",
        22,
        "#/components/schemas/Upload/properties/file",
        "binary strings are only supported as a whole response body or as a file part",
    ),
    (
        "build_state_unknown_value",
        24,
        "#/components/schemas/State/x-build-state/terminal",
        "\"GONE\" is not a value of the enum",
    ),
    (
        "build_workflow_unknown_wait",
        56,
        "#/x-build-workflow/wait",
        "\"wait_for_build\" is not a method of `x-waiters`",
    ),
    (
        "dangling_error_response_ref",
        17,
        "#/paths/~1v1~1a/get/responses/400/content/application~1json/schema/$ref",
        "dangling $ref \"#/components/schemas/Problem\": no such schema",
    ),
    (
        "dangling_parameter_ref",
        11,
        "#/paths/~1v1~1a/get/parameters/0/$ref",
        "dangling $ref \"#/components/parameters/Limit\": no such parameter",
    ),
    (
        "dangling_ref",
        13,
        "#/paths/~1v3~1jobs~1build/post/requestBody/content/application~1json/schema/$ref",
        "dangling $ref \"#/components/schemas/RunJobBody\"",
    ),
    (
        "dangling_request_body_ref",
        10,
        "#/paths/~1v1~1a/post/requestBody/$ref",
        "dangling $ref \"#/components/requestBodies/Thing\": no such request body",
    ),
    (
        "differing_success_bodies",
        16,
        "#/paths/~1v1~1jobs/post/responses/202",
        "success responses 200 and 202 have different bodies (JSON `Job` and no body)",
    ),
    (
        "duplicate_operation_id",
        13,
        "#/paths/~1v1~1b/get/operationId",
        "duplicate operationId \"get_thing\", already used at #/paths/~1v1~1a/get",
    ),
    (
        "duplicate_operation_id_case",
        15,
        "#/paths/~1v1~1b/get/operationId",
        "\"listThings\" at #/paths/~1v1~1a/get has the same snake_case name `list_things`",
    ),
    (
        "duplicate_parameter",
        12,
        "#/paths/~1v1~1a/get/parameters/1",
        "parameter \"limit\" in query is listed twice",
    ),
    (
        "enum_on_array",
        24,
        "#/components/schemas/Thing/properties/tags/enum",
        "unsupported construct: `enum` on an array or object",
    ),
    (
        "enum_value_type",
        11,
        "#/paths/~1v1~1a/get/parameters/0/schema/enum/1",
        "enum value \"two\" does not fit the schema's type",
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
        "multipart_not_object",
        13,
        "#/paths/~1v1~1upload/post/requestBody/content/multipart~1form-data/schema",
        "a multipart/form-data body must be an object schema",
    ),
    (
        "multipart_object_part",
        23,
        "#/components/schemas/Upload/properties/meta",
        "a multipart/form-data part must be a file",
    ),
    (
        "pagination_body_field",
        24,
        "#/paths/~1v1~1items/post/x-pagination/size-param",
        "\"size\" is not an integer (or numeric string) property of the request body",
    ),
    (
        "pagination_body_without_body",
        19,
        "#/paths/~1v1~1items/get/x-pagination/in",
        "`in: body` needs a JSON request body",
    ),
    (
        "pagination_first_page",
        19,
        "#/paths/~1v1~1items/get/x-pagination/first-page",
        "the first page is numbered 0 or 1, not 2",
    ),
    (
        "pagination_first_page_offsets",
        19,
        "#/paths/~1v1~1items/get/x-pagination/first-page",
        "`first-page` belongs to style \"page\"",
    ),
    (
        "pagination_foreign_key",
        19,
        "#/paths/~1v1~1items/get/x-pagination/offset-param",
        "`offset-param` does not belong to style \"page\"",
    ),
    (
        "pagination_optional_body",
        23,
        "#/paths/~1v1~1items/post/x-pagination/in",
        "optional request body whose type has required fields",
    ),
    (
        "pagination_unknown_in",
        19,
        "#/paths/~1v1~1items/get/x-pagination/in",
        "paging fields are `in: query` or `in: body`, not \"header\"",
    ),
    (
        "pagination_whole_body_not_array",
        19,
        "#/paths/~1v1~1items/get/x-pagination/items",
        "`items: '$'` needs a response that is a JSON array",
    ),
    (
        "parameter_without_name",
        11,
        "#/paths/~1v1~1a/get/parameters/0",
        "a parameter needs a `name` and an `in`",
    ),
    (
        "property_collision",
        12,
        "#/components/schemas/Build/properties/build_no",
        "properties \"buildNo\" and \"build_no\" both map to the Rust field name `build_no`",
    ),
    (
        "ref_external",
        15,
        "#/paths/~1v1~1a/get/responses/200/content/application~1json/schema/$ref",
        "only references within this file",
    ),
    (
        "ref_wrong_section",
        15,
        "#/paths/~1v1~1a/get/responses/200/content/application~1json/schema/$ref",
        "must name a schema directly under #/components/schemas",
    ),
    (
        "region_default_not_listed",
        9,
        "#/servers/0/variables/region/default",
        "default region \"cn-south-1\" is not in the variable's `enum`",
    ),
    (
        "region_id_invalid",
        6,
        "#/servers/0/x-region-id",
        "region id \"CN_North_4\" must be lower-case letters and digits in `-`-separated groups",
    ),
    (
        "region_pattern_with_region_id",
        6,
        "#/servers/0/x-region-id",
        "a server with a `region` variable serves every region; it cannot also name one",
    ),
    (
        "region_variable_unknown",
        8,
        "#/servers/0/variables/zone",
        "server variable \"zone\" is not supported; the only variable is `region`",
    ),
    (
        "request_body_media_type",
        11,
        "#/paths/~1v1~1notes/post/requestBody/content",
        "exactly one media type, application/json or multipart/form-data",
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
        "scalar_param_style",
        14,
        "#/paths/~1v1~1a~1{id}/get/parameters/0/style",
        "style \"label\"; a path parameter is sent in style \"simple\"",
    ),
    (
        "server_template_without_variable",
        5,
        "#/servers/0/url",
        "the server URL has a `{...}` template but no `variables.region`",
    ),
    (
        "service_env_prefix",
        7,
        "#/x-service/env-prefix",
        "environment variable prefix \"codearts-deploy\" must be upper-case",
    ),
    (
        "service_project_id_unknown",
        10,
        "#/x-service/project-id",
        "no operation has a string query parameter \"project_id\" to take the client's project id",
    ),
    (
        "service_typo_field",
        8,
        "#/x-service/user_agent",
        "unknown field `user_agent`",
    ),
    (
        "several_problems",
        13,
        "#/paths/~1v1~1a/get/parameters/0/requried",
        "unknown field `requried`",
    ),
    (
        "shared_parameter_chain",
        18,
        "#/components/parameters/Limit/$ref",
        "a shared parameter must be defined here, not be a `$ref` to another",
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
        "unknown_rate_limit_class",
        12,
        "#/paths/~1v1~1a/get/x-rate-limit-class",
        "unknown `x-rate-limit-class` \"ten_60_min\"; expected one of cloudbuild_ext, five_50_min",
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
        "waiter_unknown_operation",
        16,
        "#/x-waiters/0/operation",
        "\"show_thing\" is not an operationId",
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

/// Problems do not hide each other: a spec with a typo in one operation, a wrongly typed
/// component schema, an unknown components section and a validation error elsewhere reports all
/// four, in line order, and the references to the broken schema are not reported again.
#[test]
fn every_problem_is_reported_in_one_run() {
    let file = "tests/fixtures/bad/several_problems.yaml";
    let path = workspace_tests::generator::root().join(file);
    let error = codegen::parse(file, &read(&path)).expect_err("bad spec");
    let found: Vec<(Option<usize>, &str)> = error
        .diagnostics
        .iter()
        .map(|d| (d.line, d.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(13), "#/paths/~1v1~1a/get/parameters/0/requried"),
            (Some(27), "#/paths/~1v1~1c~1{id}/get/parameters"),
            (Some(36), "#/components/schemas/Thing/required"),
            (Some(39), "#/components/examples"),
        ],
        "{error}"
    );
}
