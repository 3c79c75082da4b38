//! An operation's parameters: path-level and shared ones merged with its own, their styles,
//! names and types.

use std::collections::BTreeSet;

use super::{shared, Site, PARAMETER_PREFIX};
use crate::diag::{Diagnostics, Pointer};
use crate::ir::Constraints;
use crate::ir::{Example, Location, Param, TypeKind, TypeRef};
use crate::naming::{self, RESERVED_HEADERS};
use crate::openapi::{self, Spec};
use crate::resolve::schemas::{constraints, Registry};

/// An operation's parameters as it sees them: the path item's, replaced by the operation's own
/// with the same `name` and `in`, then the operation's others; `$ref`s resolved. Each comes
/// with the pointer of its definition.
fn effective_parameters<'s>(
    spec: &'s Spec,
    site: &Site<'s>,
    op: &'s openapi::Operation,
    diags: &mut Diagnostics,
) -> Vec<(&'s openapi::Parameter, Pointer)> {
    let resolve_list = |list: &'s [openapi::Parameter], at: &Pointer, diags: &mut Diagnostics| {
        let mut out: Vec<(&'s openapi::Parameter, Pointer)> = Vec::new();
        for (i, param) in list.iter().enumerate() {
            let param_at = at.join("parameters").join(i);
            let Some((param, def_at)) = shared(
                spec,
                param,
                &param.reference,
                &param_at,
                PARAMETER_PREFIX,
                |s| &s.components.parameters,
            ) else {
                continue;
            };
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                // Shared parameters are checked once, by the reference check.
                if def_at == param_at {
                    diags.error(&param_at, "a parameter needs a `name` and an `in`");
                }
                continue;
            };
            if out.iter().any(|(p, _)| {
                p.name.as_ref() == Some(name) && p.location.as_ref() == Some(location)
            }) {
                diags.error(
                    &param_at,
                    format!("parameter {name:?} in {location} is listed twice"),
                );
                continue;
            }
            out.push((param, def_at));
        }
        out
    };
    let shared_params = resolve_list(&site.item.parameters, site.item_at, diags);
    let own = resolve_list(&op.parameters, site.at, diags);
    let same = |a: &openapi::Parameter, b: &openapi::Parameter| {
        a.name == b.name && a.location == b.location
    };
    let mut out: Vec<(&'s openapi::Parameter, Pointer)> = shared_params
        .into_iter()
        .map(|(p, at)| match own.iter().find(|(o, _)| same(o, p)) {
            Some((o, o_at)) => (*o, o_at.clone()),
            None => (p, at),
        })
        .collect();
    for (p, at) in own {
        if !out.iter().any(|(o, _)| same(o, p)) {
            out.push((p, at));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
pub(super) fn parameters(
    spec: &Spec,
    site: &Site,
    op: &openapi::Operation,
    pascal: &str,
    id: &str,
    fields: &mut naming::Scope,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Vec<Param> {
    let (path, at) = (site.path, site.at);
    let template: BTreeSet<String> = template_names(path);
    let mut out: Vec<Param> = Vec::new();
    let listed = effective_parameters(spec, site, op, diags);
    for (param, param_at) in &listed {
        let (Some(name), Some(location)) = (&param.name, &param.location) else {
            continue;
        };
        let location = match location.as_str() {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            other => {
                diags.error(
                    &param_at.join("in"),
                    format!("unsupported parameter location {other:?}"),
                );
                continue;
            }
        };
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if location == Location::Header && (name.is_empty() || !name.chars().all(token)) {
            diags.error(
                &param_at.join("name"),
                format!("header parameter {:?} is not a valid HTTP header name (ASCII letters, digits and `-`)", name),
            );
            continue;
        }
        if location == Location::Header
            && RESERVED_HEADERS
                .iter()
                .any(|reserved| name.eq_ignore_ascii_case(reserved))
        {
            diags.error(
                &param_at.join("name"),
                format!(
                    "header parameter {:?} names a header the client sets itself ({}); it may not be a parameter",
                    name,
                    RESERVED_HEADERS.join(", ")
                ),
            );
            continue;
        }
        if location == Location::Path {
            if !template.contains(name) {
                diags.error(
                    param_at,
                    format!(
                        "path parameter {:?} does not appear in the path template {path:?}",
                        name
                    ),
                );
            }
            if !param.required {
                diags.error(
                    &param_at.join("required"),
                    "path parameters must be `required: true`",
                );
            }
        }
        let Some(schema) = &param.schema else {
            diags.error(param_at, format!("parameter {name:?} has no schema"));
            continue;
        };
        let holder = format!("the `{name}` {} parameter", location_name(location));
        let (field, note) = field_name(fields, name, &holder);
        let schema_at = param_at.join("schema");
        let ty = registry.schema(
            schema,
            &schema_at,
            &format!("{pascal}{}", naming::pascal(name)),
            diags,
        );
        registry.mark(&ty, false);
        let item_constraints = match &ty {
            TypeRef::Array(item) if location == Location::Query && is_scalar(item, registry) => {
                if !array_style(param, param_at, diags) {
                    continue;
                }
                match &schema.items {
                    Some(items) => constraints(items, item, &schema_at.join("items"), diags),
                    None => Constraints::default(),
                }
            }
            _ if is_scalar(&ty, registry) => {
                if !scalar_style(param, location, param_at, diags) {
                    continue;
                }
                Constraints::default()
            }
            TypeRef::Array(_) if location == Location::Query => {
                diags.error(&schema_at.join("items"), "unsupported construct: the items of an array query parameter must be strings, numbers, booleans or string enums");
                continue;
            }
            _ => {
                diags.error(&schema_at, "unsupported construct: parameters must be strings, numbers, booleans or string enums (or, in the query, arrays of them)");
                continue;
            }
        };
        if let Some(example) = param.example.as_ref().filter(|e| !e.is_null()) {
            examples.push(Example {
                test_name: format!("{id}_param_{}", naming::module(name)),
                origin: param_at.join("example").to_string(),
                ty: ty.clone(),
                value: example.clone(),
            });
        }
        out.push(Param {
            wire: name.clone(),
            field,
            location,
            required: param.required,
            constraints: constraints(schema, &ty, &schema_at, diags),
            item_constraints,
            note,
            description: param.description.clone(),
            default: schema.default.clone(),
            ty,
        });
    }
    for name in &template {
        // A declared but broken path parameter was reported where it is declared.
        let declared = listed
            .iter()
            .any(|(p, _)| p.location.as_deref() == Some("path") && p.name.as_ref() == Some(name));
        if !declared {
            diags.error(&at.join("parameters"), format!("path template {path:?} uses {{{name}}}, which is not declared as a path parameter"));
        }
    }
    out
}

/// The Rust field for wire name `wire` held by `holder`: its snake_case form, or that with a
/// `_value` suffix when the name is taken in the request's scope, with a note saying why.
pub(super) fn field_name(
    fields: &mut naming::Scope,
    wire: &str,
    holder: &str,
) -> (String, Option<String>) {
    let snake = naming::snake(wire);
    match fields.claim(&snake, "_value", holder) {
        (field, None) => (field, None),
        (field, Some(other)) => {
            let note = format!(
                "Named `{field}` because `{}` is {other}; the wire name is still `{wire}`.",
                naming::bare(&snake)
            );
            (field, Some(note))
        }
    }
}

/// Checks `style` / `explode` of an array query parameter: repeated `name=value` pairs
/// (`style: form`, `explode: true`, the defaults) are what the service reads.
fn array_style(param: &openapi::Parameter, at: &Pointer, diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    if let Some(style) = param.style.as_deref().filter(|s| *s != "form") {
        diags.error(
            &at.join("style"),
            format!("unsupported construct: array query parameters are sent as repeated `name=value` pairs (`style: form`, `explode: true`), not style {style:?}"),
        );
        ok = false;
    }
    if param.explode == Some(false) {
        diags.error(
            &at.join("explode"),
            "unsupported construct: `explode: false` (one comma-separated value); array query parameters are sent as repeated `name=value` pairs (`explode: true`)",
        );
        ok = false;
    }
    ok
}

/// Checks that a scalar parameter declares no serialization other than its location's default
/// (`form` in the query, `simple` in the path and headers); for one value, `explode` changes
/// nothing.
fn scalar_style(
    param: &openapi::Parameter,
    location: Location,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> bool {
    let default = match location {
        Location::Query => "form",
        Location::Path | Location::Header => "simple",
    };
    match param.style.as_deref() {
        Some(style) if style != default => {
            diags.error(
                &at.join("style"),
                format!("unsupported construct: style {style:?}; a {} parameter is sent in style {default:?}", location_name(location)),
            );
            false
        }
        _ => true,
    }
}

/// The `in` value of a location.
pub(crate) fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

pub(super) fn is_scalar(ty: &TypeRef, registry: &Registry) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => true,
        TypeRef::Named(name) => registry
            .get(name)
            .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_))),
        _ => false,
    }
}
