//! Stage 2: validate the spec and resolve it into the [IR](crate::ir).
//!
//! Every problem is collected (not just the first) and reported with its JSON pointer.

mod operations;
pub mod pattern;
mod schemas;

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Api, ErrorCode, Region};
use crate::naming;
use crate::openapi::Spec;

/// Validates `spec` and builds the IR.
pub fn resolve(spec: &Spec) -> Result<Api, Diagnostics> {
    let mut diags = Diagnostics::default();
    let root = Pointer::root();
    if !spec.openapi.starts_with("3.0.") {
        diags.error(
            &root.join("openapi"),
            format!(
                "unsupported OpenAPI version {:?}; the generator reads 3.0.x",
                spec.openapi
            ),
        );
    }
    let mut registry = schemas::Registry::new(&spec.components.schemas);
    registry.resolve_components(&mut diags);
    let (operations, op_examples) = operations::resolve(spec, &mut registry, &mut diags);
    let regions = regions(spec, &mut diags);
    let error_codes = error_codes(spec, &mut diags);
    let (types, schema_examples) = registry.into_types();
    let mut examples = op_examples;
    examples.extend(schema_examples);
    name_examples(&mut examples);
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        operations,
        types,
        regions,
        error_codes,
        examples,
    })
}

fn regions(spec: &Spec, diags: &mut Diagnostics) -> Vec<Region> {
    let at = Pointer::root().join("servers");
    let mut out: Vec<Region> = Vec::new();
    for (i, server) in spec.servers.iter().enumerate() {
        let Some(id) = &server.region_id else {
            diags.error(&at.join(i), "server has no `x-region-id`; every server must name its region (such as cn-north-4)");
            continue;
        };
        let variant = naming::pascal(id);
        if out.iter().any(|r| r.variant == variant) {
            diags.error(
                &at.join(i).join("x-region-id"),
                format!("region {id:?} maps to the Rust variant `{variant}` a second time"),
            );
            continue;
        }
        out.push(Region {
            id: id.clone(),
            variant,
            url: server.url.trim_end_matches('/').to_owned(),
            description: server.description.clone(),
        });
    }
    if spec.servers.is_empty() {
        diags.error(
            &at,
            "at least one server (with `x-region-id`) is required to generate the Region enum",
        );
    }
    out
}

fn error_codes(spec: &Spec, diags: &mut Diagnostics) -> Vec<ErrorCode> {
    let at = Pointer::root().join("x-error-codes");
    let mut out: Vec<ErrorCode> = Vec::new();
    for (i, entry) in spec.error_codes.iter().enumerate() {
        let variant = naming::pascal(entry.name.as_deref().unwrap_or(&entry.code));
        if let Some(other) = out
            .iter()
            .find(|e| e.variant == variant || e.code == entry.code)
        {
            diags.error(
                &at.join(i),
                format!(
                    "error code {:?} collides with {:?} (Rust variant `{variant}`)",
                    entry.code, other.code
                ),
            );
            continue;
        }
        out.push(ErrorCode {
            code: entry.code.clone(),
            variant,
            status: entry.status,
            message: entry.message.clone(),
            retryable: entry.retryable,
        });
    }
    out
}

/// Gives every example a unique test function name derived from where it sits.
fn name_examples(examples: &mut [crate::ir::Example]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for example in examples.iter_mut() {
        if example.test_name.is_empty() {
            let segments = Pointer::from_ref(&example.origin).segments();
            let tail: Vec<&str> = segments
                .iter()
                .map(String::as_str)
                .filter(|s| !matches!(*s, "components" | "schemas" | "properties" | "example"))
                .collect();
            example.test_name = naming::module(&tail.join("_"));
        }
        let count = seen.entry(example.test_name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            example.test_name = format!("{}_{}", example.test_name, count);
        }
    }
}
