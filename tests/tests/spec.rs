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

/// One row of `spec/replaced-by.tsv`: a legacy operation and its current twin.
struct Legacy {
    id: String,
    group: String,
    /// `None` when no current operation does the same.
    successor: Option<String>,
}

/// The reviewed list of legacy operations (the vendor groups `CodeArtsBuild`, tagged "old" in the
/// vendor's API Explorer, and `Offline`) with their successors, checked for shape as it is read.
fn legacy_operations() -> Vec<Legacy> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/replaced-by.tsv");
    let text = std::fs::read_to_string(path).expect("spec/replaced-by.tsv is readable");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("deprecated\tvendor_group\tsuccessor\tsuccessor_endpoint\treason"),
        "header of spec/replaced-by.tsv"
    );
    let snake = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    lines
        .enumerate()
        .map(|(n, line)| {
            let at = format!("spec/replaced-by.tsv line {}", n + 2);
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 5, "{at}: five tab-separated columns");
            let [id, group, successor, endpoint, reason] = [0, 1, 2, 3, 4].map(|i| cols[i]);
            assert!(snake(id), "{at}: operationId {id:?}");
            assert!(
                ["CodeArtsBuild", "Offline"].contains(&group),
                "{at}: vendor group {group:?} is not a legacy group"
            );
            assert!(!reason.trim().is_empty(), "{at}: no reason");
            let successor = (successor != "none").then(|| successor.to_owned());
            match &successor {
                Some(s) => {
                    assert!(snake(s), "{at}: successor {s:?}");
                    assert!(
                        endpoint.starts_with("GET /")
                            || endpoint.starts_with("POST /")
                            || endpoint.starts_with("PUT /")
                            || endpoint.starts_with("DELETE /"),
                        "{at}: successor endpoint {endpoint:?}"
                    );
                }
                None => assert!(endpoint.is_empty(), "{at}: endpoint without successor"),
            }
            Legacy {
                id: id.to_owned(),
                group: group.to_owned(),
                successor,
            }
        })
        .collect()
}

#[test]
fn the_legacy_list_covers_the_vendor_legacy_groups() {
    let legacy = legacy_operations();
    let ids: BTreeSet<&str> = legacy.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), legacy.len(), "an operation is listed twice");
    // The vendor's operation list files 29 operations under the legacy chapter and 4 under
    // "to be taken offline"; the reference pages add one more legacy operation that the SDKs
    // lack (show_new_output). A row lost or added here would change what gets deprecated.
    let count = |g: &str| legacy.iter().filter(|l| l.group == g).count();
    assert_eq!(count("CodeArtsBuild"), 30);
    assert_eq!(count("Offline"), 4);
    for l in &legacy {
        if let Some(s) = &l.successor {
            assert!(
                !ids.contains(s.as_str()),
                "{} is replaced by {s}, which is itself legacy",
                l.id
            );
        }
    }
}

/// Holds before and after the other areas are merged in: whatever legacy operations the spec
/// has are deprecated, and nothing else is.
#[test]
fn exactly_the_listed_legacy_operations_are_deprecated() {
    let legacy = legacy_operations();
    let listed: BTreeSet<&str> = legacy.iter().map(|l| l.id.as_str()).collect();
    let spec = spec();
    for (method, path, op) in operations(&spec) {
        let id = op["operationId"].as_str().unwrap_or("");
        let deprecated = op["deprecated"] == Value::Bool(true);
        assert_eq!(
            deprecated,
            listed.contains(id),
            "{method} {path} ({id}): deprecated is {deprecated}, but spec/replaced-by.tsv {} it",
            if listed.contains(id) {
                "lists"
            } else {
                "does not list"
            }
        );
        if !deprecated {
            assert!(
                op.get("x-replaced-by").is_none(),
                "{id}: x-replaced-by on a live operation"
            );
        }
    }
}

/// Every legacy operation is in the spec and names the current twin from
/// spec/replaced-by.tsv (or none where the list says there is none), and that twin is a live
/// operation of the spec. Most twins come with the other areas' fragments, so this only holds
/// once they are merged and the list is applied.
#[test]
fn every_legacy_operation_names_its_current_twin() {
    let spec = spec();
    let operations = operations(&spec);
    let find = |id: &str| {
        operations
            .iter()
            .find(|(_, _, op)| op["operationId"] == id)
            .map(|(_, _, op)| *op)
    };
    let mut problems = Vec::new();
    for l in legacy_operations() {
        let Some(op) = find(&l.id) else {
            problems.push(format!("{} is not in the spec", l.id));
            continue;
        };
        let named = op["x-replaced-by"].as_str();
        if named != l.successor.as_deref() {
            problems.push(format!(
                "{} has x-replaced-by {named:?}, the list says {:?}",
                l.id, l.successor
            ));
        }
        if let Some(s) = &l.successor {
            match find(s) {
                None => problems.push(format!("{}'s successor {s} is not in the spec", l.id)),
                Some(next) if next["deprecated"] == Value::Bool(true) => {
                    problems.push(format!("{}'s successor {s} is deprecated", l.id))
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
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
fn every_operation_has_one_declared_area_and_a_rate_limit_class() {
    let spec = spec();
    let areas: BTreeSet<&str> = spec["tags"]
        .as_array()
        .expect("root tags list")
        .iter()
        .map(|tag| {
            let name = tag["name"].as_str().expect("tag name");
            assert!(
                tag["description"].as_str().is_some_and(|d| !d.is_empty()),
                "area {name} has no description"
            );
            name
        })
        .collect();
    let expected: BTreeSet<&str> = [
        "jobs",
        "records",
        "logs",
        "templates",
        "keystores",
        "notices",
        "permissions",
        "groups",
        "recycle-bin",
        "reports",
        "tenant",
        "images",
    ]
    .into_iter()
    .collect();
    assert_eq!(areas, expected);
    const CLASSES: [&str; 6] = [
        "cloudbuild_ext",
        "five_50_min",
        "ten_20_min",
        "ten_50_min",
        "ten_120_min",
        "ten_180_min",
    ];
    for (method, path, op) in operations(&spec) {
        let tags: Vec<&str> = op["tags"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert!(
            tags.len() == 1 && areas.contains(tags[0]),
            "{method} {path}: tags {tags:?} is not exactly one declared area"
        );
        let class = op["x-rate-limit-class"].as_str().unwrap_or("");
        assert!(
            CLASSES.contains(&class),
            "{method} {path}: x-rate-limit-class {class:?}"
        );
    }
}

/// A maintainer finds an operation in one step: the spec is one file whose operations sit in
/// area order, each area opened by a `# ---- <area> ----` comment, in the order of the root
/// `tags:` list (spec/README.md).
#[test]
fn operations_are_in_area_order() {
    let spec = spec();
    let order: Vec<&str> = spec["tags"]
        .as_array()
        .expect("root tags list")
        .iter()
        .filter_map(|tag| tag["name"].as_str())
        .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codeartsbuild.yaml");
    let text = std::fs::read_to_string(path).expect("spec/codeartsbuild.yaml is readable");
    let mut sections: Vec<&str> = Vec::new();
    let mut tagged = 0;
    for (number, line) in text.lines().enumerate() {
        let line_no = number + 1;
        if let Some(rest) = line.strip_prefix("  # ---- ") {
            sections.push(rest.trim_end_matches(['-', ' ']));
        } else if let Some(tags) = line.trim_start().strip_prefix("tags: [") {
            let tag = tags.trim_end_matches(']');
            assert_eq!(
                sections.last().copied(),
                Some(tag),
                "line {line_no}: an operation of area {tag:?} outside its section"
            );
            tagged += 1;
        }
    }
    assert_eq!(sections, order, "area sections out of the root tags order");
    assert_eq!(
        tagged,
        operations(&spec).len(),
        "every operation's tag line is `tags: [area]`"
    );
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
