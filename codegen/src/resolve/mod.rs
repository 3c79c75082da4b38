//! Stage 2: validate the spec and resolve it into the [IR](crate::ir).
//!
//! Every problem is collected (not just the first) and reported with its JSON pointer.

pub mod areas;
mod operations;
mod pagination;
pub mod pattern;
mod refs;
mod schemas;
pub mod service;
mod waiters;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Api, ErrorCode, TypeKind};
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
    refs::check(spec, &mut diags);
    let mut registry = schemas::Registry::new(&spec.components.schemas);
    registry.exclude(operations::form_schemas(spec));
    registry.resolve_components(&mut diags);
    let (mut operations, op_examples) = operations::resolve(spec, &mut registry, &mut diags);
    let mut areas = areas::declared(spec, &mut diags);
    areas::assign(spec, &areas, &mut operations, &mut diags);
    areas::dependencies(&mut areas, &operations);
    let service = service::identity(spec, &mut diags);
    if spec.service.is_some() {
        service::check_project_id(&service, &operations, &mut diags);
    }
    let (regions, region_pattern, endpoints) = service::regions(spec, &mut diags);
    let error_codes = error_codes(spec, &mut diags);
    let mut hints = waiters::resolve(spec, &operations, &registry, &mut diags);
    let (mut types, schema_examples) = registry.into_types();
    areas::reach(&areas, &operations, &mut types);
    for state in &mut hints.build_states {
        if let Some(t) = types.iter().find(|t| t.name == state.ty) {
            state.areas = t.areas.clone();
        }
    }
    let mut examples = op_examples;
    examples.extend(schema_examples);
    name_examples(&mut examples);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        operations,
        types,
        service,
        regions,
        region_pattern,
        endpoints,
        error_codes,
        examples,
        areas,
        build_states: hints.build_states,
        waiters: hints.waiters,
        build_workflow: hints.build_workflow,
    };
    check_names(&api, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(api)
}

/// The last line of defence between the spec and `proc_macro2`, which panics on a malformed
/// identifier: every name the emitters turn into one is checked here, and one that is not an
/// identifier (or collides after conversion) is reported against the spec.
fn check_names(api: &Api, diags: &mut Diagnostics) {
    let check = |diags: &mut Diagnostics, at: &Pointer, what: &str, name: &str| {
        if !naming::is_identifier(name) {
            diags.error(
                at,
                format!("the generated {what} name {name:?} is not a Rust identifier; rename it in the spec"),
            );
        }
    };
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    for t in &api.types {
        let at = Pointer::from_ref(&t.origin);
        check(diags, &at, "type", &t.name);
        check(diags, &at, "module", &t.module);
        match &t.kind {
            TypeKind::Struct(fields) => {
                for f in fields {
                    let field_at = at.join("properties").join(&f.wire);
                    check(diags, &field_at, "field", &f.name);
                    check(diags, &field_at, "constant", &checks_static(&f.name));
                }
            }
            TypeKind::Enum(variants) => {
                for v in variants {
                    check(diags, &at.join("enum"), "enum variant", &v.name);
                }
            }
        }
        if let Some(other) = modules.insert(&t.module, &t.name) {
            diags.error(
                &at,
                format!(
                    "types `{other}` and `{}` would both be written to src/types/{}.rs; rename one of the schemas",
                    t.name, t.module
                ),
            );
        }
    }
    for op in &api.operations {
        let at = Pointer::root()
            .join("paths")
            .join(&op.path)
            .join(op.http_method.to_ascii_lowercase());
        check(diags, &at, "method", &op.method_name);
        check(diags, &at, "module", &op.module);
        check(diags, &at, "type", &format!("{}RequestBuilder", op.pascal));
        for part in op.form.iter().flat_map(|f| &f.parts) {
            let part_at = at.join("requestBody");
            check(diags, &part_at, "field", &part.field);
            check(diags, &part_at, "constant", &checks_static(&part.field));
        }
        for p in &op.params {
            check(diags, &at.join("parameters"), "field", &p.field);
            check(
                diags,
                &at.join("parameters"),
                "constant",
                &checks_static(&p.field),
            );
        }
    }
    for r in &api.regions {
        check(
            diags,
            &Pointer::root().join("servers"),
            "enum variant",
            &r.variant,
        );
    }
    for e in &api.error_codes {
        check(
            diags,
            &Pointer::root().join("x-error-codes"),
            "enum variant",
            &e.variant,
        );
    }
    for e in &api.examples {
        check(diags, &Pointer::from_ref(&e.origin), "test", &e.test_name);
    }
}

/// The name of the static holding a field's pattern (see `emit::checks::pattern_static`).
pub(crate) fn checks_static(field: &str) -> String {
    format!("{}_PATTERN", naming::constant(naming::bare(field)))
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
    // The helpers of the generated test file are taken.
    let mut used: BTreeSet<String> = ["normalise", "round_trip"].map(str::to_owned).into();
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
        // Names built from a response code such as `2XX` or a parameter name are made snake_case.
        if !naming::is_identifier(&example.test_name)
            || example.test_name.contains(|c: char| c.is_ascii_uppercase())
        {
            example.test_name = naming::module(&example.test_name);
        }
        let base = example.test_name.clone();
        let mut count = 1;
        while !used.insert(example.test_name.clone()) {
            count += 1;
            example.test_name = format!("{base}_{count}");
        }
    }
}
