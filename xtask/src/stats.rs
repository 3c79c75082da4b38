//! Counts for `cargo xtask spec-stats`: what the spec covers, per area, computed from the
//! document itself so that a coverage report never rests on hand counting.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_yaml::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation as the counts see it.
struct Operation {
    id: String,
    method: String,
    path: String,
    area: String,
    deprecated: bool,
    replaced_by: bool,
    paged: bool,
    binary: bool,
    follows_log: bool,
    rate_limit: String,
    notes: usize,
    parameters: Vec<String>,
    examples: usize,
}

/// One line of the vendor's operation list (`operations.tsv`): SDK name, method and path.
#[derive(Debug)]
pub struct VendorOperation {
    /// The SDK operation name, such as `ShowJobStatus`.
    pub sdk_name: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template as the vendor writes it.
    pub path: String,
}

/// Reads the vendor's tab-separated operation list; its header names the columns `sdk_name`,
/// `method` and `path` (other columns are ignored).
pub fn parse_vendor_operations(text: &str, origin: &str) -> Result<Vec<VendorOperation>, String> {
    let mut lines = text.lines().enumerate();
    let (_, header) = lines
        .next()
        .ok_or_else(|| format!("error: {origin}: empty file, expected a header line"))?;
    let columns: Vec<&str> = header.split('\t').collect();
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| c.trim() == name)
            .ok_or_else(|| format!("error: {origin}:1: no `{name}` column in the header"))
    };
    let (name, method, path) = (column("sdk_name")?, column("method")?, column("path")?);
    let mut out = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| {
            fields
                .get(i)
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .ok_or_else(|| {
                    format!(
                        "error: {origin}:{}: expected {} tab-separated columns, found {}",
                        index + 1,
                        columns.len(),
                        fields.len()
                    )
                })
        };
        out.push(VendorOperation {
            sdk_name: field(name)?,
            method: field(method)?.to_ascii_uppercase(),
            path: field(path)?,
        });
    }
    Ok(out)
}

/// The report, as Markdown: totals, a table per area, the rate-limit classes and, given the
/// vendor's operation list, the operations only one side has.
pub fn report(source: &str, vendor: Option<&[VendorOperation]>) -> Result<String, String> {
    let doc: Value =
        serde_yaml::from_str(source).map_err(|e| format!("error: the spec is not YAML: {e}"))?;
    let operations = operations(&doc)?;
    let mut areas: Vec<String> = doc
        .get("tags")
        .and_then(Value::as_sequence)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    for op in &operations {
        if !areas.contains(&op.area) {
            areas.push(op.area.clone());
        }
    }
    let schemas = component_count(&doc, "schemas");
    let shared_parameters = component_count(&doc, "parameters");
    let parameters: usize = operations.iter().map(|o| o.parameters.len()).sum();
    let mut by_location: BTreeMap<&str, usize> = BTreeMap::new();
    for location in operations.iter().flat_map(|o| &o.parameters) {
        *by_location.entry(location.as_str()).or_default() += 1;
    }
    let notes: usize = operations.iter().map(|o| o.notes).sum();
    let count = |f: &dyn Fn(&Operation) -> bool| operations.iter().filter(|o| f(o)).count();

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Spec statistics\n");
    let _ = writeln!(w, "| what | count |\n|---|---|");
    let _ = writeln!(w, "| operations | {} |", operations.len());
    let _ = writeln!(
        w,
        "| deprecated (with a named successor) | {} ({}) |",
        count(&|o| o.deprecated),
        count(&|o| o.replaced_by)
    );
    let _ = writeln!(w, "| areas | {} |", areas.len());
    let _ = writeln!(w, "| schemas (components) | {schemas} |");
    let locations: Vec<String> = by_location
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let _ = writeln!(
        w,
        "| parameters (per operation{}) | {parameters} |",
        if locations.is_empty() {
            String::new()
        } else {
            format!(": {}", locations.join(", "))
        }
    );
    let _ = writeln!(
        w,
        "| shared parameters (components) | {shared_parameters} |"
    );
    let _ = writeln!(w, "| x-doc-notes entries | {notes} |");
    let _ = writeln!(
        w,
        "| examples (bodies and parameters) | {} |",
        operations.iter().map(|o| o.examples).sum::<usize>()
    );
    let _ = writeln!(w, "| paginated (x-pagination) | {} |", count(&|o| o.paged));
    let _ = writeln!(w, "| binary downloads | {} |", count(&|o| o.binary));
    let _ = writeln!(
        w,
        "| log followers (x-log-follow) | {} |",
        count(&|o| o.follows_log)
    );

    let _ = writeln!(w, "\n## Operations per area\n");
    let _ = writeln!(
        w,
        "| area | operations | deprecated | paginated | binary | notes |\n|---|---|---|---|---|---|"
    );
    for area in &areas {
        let in_area: Vec<&Operation> = operations.iter().filter(|o| &o.area == area).collect();
        let n = |f: &dyn Fn(&Operation) -> bool| in_area.iter().filter(|o| f(o)).count();
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} |",
            if area.is_empty() { "(none)" } else { area },
            in_area.len(),
            n(&|o| o.deprecated),
            n(&|o| o.paged),
            n(&|o| o.binary),
            in_area.iter().map(|o| o.notes).sum::<usize>()
        );
    }

    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &operations {
        *classes.entry(op.rate_limit.as_str()).or_default() += 1;
    }
    let _ = writeln!(w, "\n## Rate-limit classes\n");
    let _ = writeln!(w, "| class | operations |\n|---|---|");
    for (class, n) in &classes {
        let class = if class.is_empty() { "(none)" } else { class };
        let _ = writeln!(w, "| {class} | {n} |");
    }

    if let Some(vendor) = vendor {
        let by_id: BTreeMap<String, &VendorOperation> = vendor
            .iter()
            .map(|v| (codegen::naming::snake(&v.sdk_name), v))
            .collect();
        let ids: BTreeSet<&str> = operations.iter().map(|o| o.id.as_str()).collect();
        let _ = writeln!(
            w,
            "\n## Against the vendor's operation list ({} operations)\n",
            vendor.len()
        );
        let _ = writeln!(w, "Documented operations the SDKs lack (spec only):\n");
        let mut extra = 0;
        for op in operations.iter().filter(|o| !by_id.contains_key(&o.id)) {
            extra += 1;
            let _ = writeln!(
                w,
                "- `{}` ({} {}, {}{})",
                op.id,
                op.method,
                op.path,
                op.area,
                if op.deprecated { ", deprecated" } else { "" }
            );
        }
        if extra == 0 {
            let _ = writeln!(w, "- none");
        }
        let _ = writeln!(w, "\nVendor operations missing from the spec:\n");
        let missing: Vec<_> = by_id
            .iter()
            .filter(|(id, _)| !ids.contains(id.as_str()))
            .collect();
        for (id, v) in &missing {
            let _ = writeln!(w, "- `{id}` ({} {})", v.method, v.path);
        }
        if missing.is_empty() {
            let _ = writeln!(w, "- none");
        }
        let _ = writeln!(
            w,
            "\nOperations whose method or path differ from the list:\n"
        );
        let mut differ = 0;
        for op in &operations {
            if let Some(v) = by_id.get(&op.id) {
                if v.method != op.method || v.path != op.path {
                    differ += 1;
                    let _ = writeln!(
                        w,
                        "- `{}`: spec {} {}, list {} {}",
                        op.id, op.method, op.path, v.method, v.path
                    );
                }
            }
        }
        if differ == 0 {
            let _ = writeln!(w, "- none");
        }
    }
    Ok(out)
}

fn component_count(doc: &Value, section: &str) -> usize {
    doc.get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_mapping)
        .map_or(0, |m| m.len())
}

/// Follows a local `$ref` (`#/a/b`), once per level, to the definition it names.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let mut node = doc;
        for part in target.trim_start_matches("#/").split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            match node.get(part.as_str()) {
                Some(next) => node = next,
                None => return value,
            }
        }
        value = node;
    }
    value
}

fn operations(doc: &Value) -> Result<Vec<Operation>, String> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("error: the spec has no `paths` mapping")?;
    let mut out = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().unwrap_or_default();
        let shared = item.get("parameters").and_then(Value::as_sequence);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("error: {method} {path}: no operationId"))?;
            // Path-level parameters apply unless the operation redeclares the same name and
            // location, as the generator reads them.
            let mut parameters: BTreeMap<(String, String), usize> = BTreeMap::new();
            let mut examples = 0;
            for p in shared.into_iter().flatten().chain(
                op.get("parameters")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten(),
            ) {
                let p = resolve(doc, p);
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
                let has_example = p.get("example").is_some()
                    || p.get("schema").and_then(|s| s.get("example")).is_some();
                parameters.insert(
                    (name.to_owned(), location.to_owned()),
                    usize::from(has_example),
                );
            }
            examples += parameters.values().sum::<usize>();
            let media = |v: Option<&Value>| -> Vec<(String, Value)> {
                v.map(|v| resolve(doc, v))
                    .and_then(|v| v.get("content"))
                    .and_then(Value::as_mapping)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.as_str().unwrap_or_default().to_owned(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let mut binary = false;
            let mut bodies = media(op.get("requestBody"));
            if let Some(responses) = op.get("responses").and_then(Value::as_mapping) {
                for (status, response) in responses {
                    let content = media(Some(response));
                    let success = status.as_str().is_some_and(|s| s.starts_with('2'));
                    binary |= success
                        && content
                            .iter()
                            .any(|(kind, _)| kind == "application/octet-stream");
                    if success {
                        bodies.extend(content);
                    }
                }
            }
            examples += bodies
                .iter()
                .filter(|(_, m)| m.get("example").is_some() || m.get("examples").is_some())
                .count();
            out.push(Operation {
                id: id.to_owned(),
                method: method.to_ascii_uppercase(),
                path: path.to_owned(),
                area: op
                    .get("tags")
                    .and_then(Value::as_sequence)
                    .and_then(|t| t.first())
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
                replaced_by: op.get("x-replaced-by").is_some(),
                paged: op.get("x-pagination").is_some(),
                binary,
                follows_log: op.get("x-log-follow").is_some(),
                rate_limit: op
                    .get("x-rate-limit-class")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                notes: op
                    .get("x-doc-notes")
                    .and_then(Value::as_sequence)
                    .map_or(0, Vec::len),
                parameters: parameters
                    .into_keys()
                    .map(|(_, location)| location)
                    .collect(),
                examples,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
tags:
  - {name: jobs, description: Jobs.}
  - {name: logs, description: Logs.}
paths:
  /v1/job/{job_id}:
    parameters:
      - {name: job_id, in: path, required: true, schema: {type: string}}
    get:
      operationId: show_job
      tags: [jobs]
      x-rate-limit-class: ten_50_min
      x-doc-notes: [one, two]
      parameters:
        - $ref: '#/components/parameters/Page'
        - {name: job_id, in: path, required: true, schema: {type: string, example: abc}}
      x-pagination: {style: page, page-param: page, size-param: size, items: '$'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {}
    delete:
      operationId: delete_job
      tags: [jobs]
      deprecated: true
      x-replaced-by: show_job
      x-rate-limit-class: cloudbuild_ext
      responses:
        '204': {description: gone}
  /v1/log/{id}:
    get:
      operationId: download_log
      tags: [logs]
      x-rate-limit-class: ten_50_min
      x-doc-notes: [three]
      responses:
        '200':
          description: file
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
components:
  parameters:
    Page: {name: page, in: query, schema: {type: integer}}
  schemas:
    A: {type: object}
    B: {type: string}
"##;

    const VENDOR: &str = "vendor_group\tsdk_name\tmethod\tpath\n\
        Jobs\tShowJob\tGET\t/v1/job/{job_id}\n\
        Jobs\tDeleteJob\tPOST\t/v1/job/{job_id}\n\
        Logs\tListLogs\tGET\t/v1/logs\n";

    #[test]
    fn counts_come_from_the_document() {
        let report = report(SPEC, None).expect("a valid spec");
        for line in [
            "| operations | 3 |",
            "| deprecated (with a named successor) | 1 (1) |",
            "| areas | 2 |",
            "| schemas (components) | 2 |",
            // job_id at path level and again on show_job counts once; delete_job inherits it.
            "| parameters (per operation: 2 path, 1 query) | 3 |",
            "| shared parameters (components) | 1 |",
            "| x-doc-notes entries | 3 |",
            "| examples (bodies and parameters) | 2 |",
            "| paginated (x-pagination) | 1 |",
            "| binary downloads | 1 |",
            "| jobs | 2 | 1 | 1 | 0 | 2 |",
            "| logs | 1 | 0 | 0 | 1 | 1 |",
            "| cloudbuild_ext | 1 |",
            "| ten_50_min | 2 |",
        ] {
            assert!(report.contains(line), "missing {line:?} in\n{report}");
        }
        assert!(!report.contains("vendor"), "{report}");
    }

    #[test]
    fn the_vendor_list_shows_what_only_one_side_has() {
        let vendor = parse_vendor_operations(VENDOR, "ops.tsv").expect("a valid list");
        let report = report(SPEC, Some(&vendor)).expect("a valid spec");
        assert!(report.contains("(3 operations)"), "{report}");
        assert!(
            report.contains("- `download_log` (GET /v1/log/{id}, logs)"),
            "{report}"
        );
        assert!(report.contains("- `list_logs` (GET /v1/logs)"), "{report}");
        assert!(
            report.contains(
                "- `delete_job`: spec DELETE /v1/job/{job_id}, list POST /v1/job/{job_id}"
            ),
            "{report}"
        );
        assert!(!report.contains("- `show_job`"), "{report}");
    }

    #[test]
    fn bad_input_is_reported_with_its_place() {
        let short = "sdk_name\tmethod\tpath\nShowJob\tGET\n";
        let error = parse_vendor_operations(short, "ops.tsv").expect_err("refused");
        assert_eq!(
            error,
            "error: ops.tsv:2: expected 3 tab-separated columns, found 2"
        );
        let error = parse_vendor_operations("name\tmethod\n", "ops.tsv").expect_err("refused");
        assert_eq!(
            error,
            "error: ops.tsv:1: no `sdk_name` column in the header"
        );
        let error = report("paths: [", None).expect_err("refused");
        assert!(error.starts_with("error: the spec is not YAML"), "{error}");
        let error = report("paths:\n  /a:\n    get: {}\n", None).expect_err("refused");
        assert_eq!(error, "error: get /a: no operationId");
    }
}
