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

/// The operation set, one `method path operationId [deprecated]` line each, sorted by path and
/// method: adding, removing, renaming or deprecating an operation changes the reviewed snapshot
/// (`tests/tests/snapshots/spec__operations.snap`).
#[test]
fn the_operation_set_matches_its_reviewed_snapshot() {
    let spec = spec();
    let mut lines: Vec<String> = operations(&spec)
        .iter()
        .map(|(method, path, op)| {
            let id = op["operationId"].as_str().unwrap_or("<no operationId>");
            let deprecated = if op["deprecated"] == Value::Bool(true) {
                " deprecated"
            } else {
                ""
            };
            format!("{method} {path} {id}{deprecated}")
        })
        .collect();
    lines.sort_by(|a, b| {
        let key = |line: &str| {
            let mut parts = line.splitn(3, ' ');
            let method = parts.next().unwrap_or_default().to_owned();
            (parts.next().unwrap_or_default().to_owned(), method)
        };
        key(a).cmp(&key(b))
    });
    insta::assert_snapshot!("operations", lines.join("\n"));
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
