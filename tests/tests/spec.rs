//! The spec is the source of everything generated: these tests pin its operation set and check
//! that every documented example fits its schema.

use serde_json::Value;
use std::collections::BTreeSet;
use workspace_tests::schema_check;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codeartsbuild.yaml");
    let text = std::fs::read_to_string(path).expect("spec/codeartsbuild.yaml is readable");
    serde_yaml::from_str(&text).expect("spec/codeartsbuild.yaml is valid YAML")
}

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Every (method, path, operation) of the spec, in file order.
fn operations(spec: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths is a map") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push((method.to_uppercase(), path.clone(), operation));
            }
        }
    }
    out
}

#[test]
fn the_spec_has_exactly_the_33_documented_operations() {
    let expected: BTreeSet<(&str, &str, &str)> = [
        (
            "GET",
            "/v3/jobs/{job_id}/period-history",
            "show_list_period_history",
        ),
        ("GET", "/v3/jobs/{job_id}/history", "show_list_history"),
        ("GET", "/v3/keystore", "download_keystore"),
        ("GET", "/v3/jobs/{job_id}/status", "show_job_status"),
        (
            "GET",
            "/v3/{project_id}/jobs",
            "show_job_list_by_project_id",
        ),
        ("POST", "/v3/jobs/build", "run_job"),
        (
            "GET",
            "/v3/jobs/{project_id}/last-history",
            "show_last_history",
        ),
        (
            "GET",
            "/v3/jobs/{job_id}/{build_number}/history-details",
            "show_history_details",
        ),
        (
            "GET",
            "/v3/jobs/{job_id}/success-ratio",
            "show_job_success_ratio",
        ),
        ("GET", "/v4/{record_id}/download-log", "download_build_log"),
        ("GET", "/v4/{record_id}/task-log", "download_task_log"),
        (
            "GET",
            "/v4/jobs/{job_id}/{build_no}/record-info",
            "show_record_detail",
        ),
        (
            "GET",
            "/v3/jobs/{job_id}/{build_no}/output-info",
            "show_output_info",
        ),
        (
            "POST",
            "/v3/jobs/{job_id}/{build_no}/stop",
            "stop_build_job",
        ),
        ("POST", "/v3/jobs/{job_id}/delete", "delete_build_job"),
        ("POST", "/v3/jobs/{job_id}/disable", "disable_build_job"),
        ("POST", "/v3/jobs/{job_id}/recover", "enable_build_job"),
        ("POST", "/v3/jobs/create", "create_build_job"),
        ("POST", "/v3/jobs/update", "update_build_job"),
        ("GET", "/v3/templates/query", "list_templates"),
        ("POST", "/v3/templates/create", "create_templates"),
        ("DELETE", "/v3/templates/{uuid}/delete", "delete_templates"),
        ("GET", "/v3/jobs/notice/{job_id}/query", "list_notice"),
        ("POST", "/v3/jobs/notice/{job_id}/update", "update_notice"),
        ("POST", "/v3/jobs/notice/{job_id}/disable", "disable_notice"),
        ("GET", "/v3/jobs/{job_id}/query", "list_job_config"),
        (
            "GET",
            "/v3/jobs/{job_id}/{build_no}/real-time-log",
            "download_real_time_log",
        ),
        (
            "GET",
            "/v3/jobs/{job_id}/build-info-records",
            "list_build_info_record",
        ),
        ("GET", "/v1/job/{job_id}/info", "show_job_info"),
        (
            "GET",
            "/v3/{record_id}/download-log",
            "download_log_by_record_id",
        ),
        (
            "GET",
            "/v3/{build_flow_record_id}/flow-graph",
            "show_flow_graph",
        ),
        (
            "GET",
            "/v3/jobs/{job_id}/{build_no}/record-info",
            "show_record_info",
        ),
        ("POST", "/v3/jobs/stop", "stop_job"),
    ]
    .into_iter()
    .collect();
    let spec = spec();
    let operations = operations(&spec);
    let actual: BTreeSet<(&str, &str, &str)> = operations
        .iter()
        .map(|(method, path, op)| {
            (
                method.as_str(),
                path.as_str(),
                op["operationId"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(operations.len(), 33, "one entry per (method, path)");
    assert_eq!(actual, expected);
}

#[test]
fn exactly_the_legacy_operations_are_deprecated_and_name_a_live_successor() {
    let spec = spec();
    let operations = operations(&spec);
    let ids: BTreeSet<&str> = operations
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str())
        .collect();
    let mut deprecated = BTreeSet::new();
    for (_, _, op) in &operations {
        if op["deprecated"] == Value::Bool(true) {
            let id = op["operationId"].as_str().unwrap();
            deprecated.insert(id);
            let successor = op["x-replaced-by"]
                .as_str()
                .unwrap_or_else(|| panic!("{id} lacks x-replaced-by"));
            assert!(
                ids.contains(successor),
                "{id} is replaced by unknown {successor}"
            );
            let successor_op = operations
                .iter()
                .find(|(_, _, o)| o["operationId"] == successor)
                .unwrap();
            assert_ne!(
                successor_op.2["deprecated"],
                Value::Bool(true),
                "{id} points at deprecated {successor}"
            );
        } else {
            assert!(
                op.get("x-replaced-by").is_none(),
                "live operation with x-replaced-by"
            );
        }
    }
    let expected: BTreeSet<&str> = [
        "download_log_by_record_id",
        "show_flow_graph",
        "show_record_info",
        "stop_job",
    ]
    .into_iter()
    .collect();
    assert_eq!(deprecated, expected);
}

#[test]
fn every_example_validates_against_its_schema() {
    let spec = spec();
    let mut errors = Vec::new();
    let mut checked = 0;
    for (method, path, op) in operations(&spec) {
        let at = format!("{method} {path}");
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let schema = &parameter["schema"];
            for example in [parameter.get("example"), schema.get("example")]
                .into_iter()
                .flatten()
            {
                checked += 1;
                for e in schema_check::check(&spec, schema, example) {
                    errors.push(format!("{at} parameter {}: {e}", parameter["name"]));
                }
            }
        }
        let bodies = op["requestBody"]["content"]
            .as_object()
            .into_iter()
            .map(|c| ("request", c));
        let responses = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(code, r)| r["content"].as_object().map(|c| (code.as_str(), c)));
        for (what, content) in bodies.chain(responses) {
            for media in content.values() {
                if let Some(example) = media.get("example") {
                    checked += 1;
                    for e in schema_check::check(&spec, &media["schema"], example) {
                        errors.push(format!("{at} {what} example: {e}"));
                    }
                }
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} example errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        checked > 40,
        "only {checked} examples found: the walk is broken"
    );
}

#[test]
fn every_operation_records_its_decisions_and_documents_errors() {
    let spec = spec();
    for (method, path, op) in operations(&spec) {
        let notes = op["x-doc-notes"].as_array().map(Vec::len).unwrap_or(0);
        assert!(notes > 0, "{method} {path} has no x-doc-notes");
        for code in ["400", "401", "403", "404", "500"] {
            let reference = op["responses"][code]["$ref"].as_str().unwrap_or("");
            assert!(
                reference.starts_with("#/components/responses/"),
                "{method} {path} {code} is not the shared error"
            );
        }
    }
}

#[test]
fn the_error_catalogue_is_complete() {
    let spec = spec();
    let codes = spec["x-error-codes"]
        .as_array()
        .expect("x-error-codes list");
    let found: BTreeSet<&str> = codes.iter().filter_map(|c| c["code"].as_str()).collect();
    let expected: BTreeSet<&str> = [
        "CB.00060200",
        "CB.00060201",
        "CB.00060202",
        "CB.00060203",
        "CB.00060211",
        "CB.00060212",
        "CB.00060213",
        "CB.00060214",
        "CB.00060100",
        "CB.00060101",
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
    for code in codes {
        assert!(
            code["status"]
                .as_u64()
                .is_some_and(|s| (400..600).contains(&s)),
            "{code}"
        );
        assert!(
            code["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{code}"
        );
        assert!(code["retryable"].is_boolean(), "{code}");
    }
}
