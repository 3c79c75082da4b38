//! Operations: parameters, bodies, responses and the `x-` hints.

use std::collections::{BTreeMap, BTreeSet};

use super::schemas::{constraints, Registry, SCHEMA_PREFIX};
use crate::diag::{Diagnostics, Pointer};
use crate::ir::Constraints;
use crate::ir::{
    Body, Deprecation, Example, FinishedCheck, FinishedField, Form, FormPart, Location, LogFollow,
    Operation, Param, ResponseKind, StatusEnvelope, Step, TypeKind, TypeRef, RATE_LIMIT_CLASSES,
};
use crate::naming::{self, RESERVED_HEADERS};
use crate::openapi::{self, Spec};

/// Resolves all operations (sorted by id) and their examples.
pub fn resolve(
    spec: &Spec,
    registry: &mut Registry,
    diags: &mut Diagnostics,
) -> (Vec<Operation>, Vec<Example>) {
    let mut operations: Vec<Operation> = Vec::new();
    let mut examples = Vec::new();
    // snake_case id → (the id as written, where).
    let mut ids: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
    let mut replaced: Vec<(Pointer, String)> = Vec::new();
    let mut finished: Vec<(String, Pointer, &openapi::LogFollow)> = Vec::new();
    let mut methods = naming::Scope::reserved(naming::CLIENT_METHODS, "the client's own method");
    let paths = Pointer::root().join("paths");
    for (path, item) in &spec.paths {
        let item_at = paths.join(path);
        for (method, op) in item.operations() {
            let at = item_at.join(method);
            let Some(spec_id) = &op.operation_id else {
                diags.error(&at, "operation has no operationId");
                continue;
            };
            // camelCase and PascalCase ids (the vendor's SDK names) become snake_case.
            let id = rust_id(spec_id);
            if let Some((first_id, first)) = ids.get(&id) {
                let message = if first_id == spec_id {
                    format!("duplicate operationId {spec_id:?}, already used at {first}")
                } else {
                    format!("duplicate operationId {spec_id:?}: {first_id:?} at {first} has the same snake_case name `{id}`")
                };
                diags.error(&at.join("operationId"), message);
                continue;
            }
            ids.insert(id.clone(), (spec_id.clone(), at.clone()));
            if let Some(successor) = &op.replaced_by {
                replaced.push((at.join("x-replaced-by"), successor.clone()));
                if !op.deprecated {
                    diags.error(
                        &at.join("x-replaced-by"),
                        "`x-replaced-by` on an operation that is not `deprecated: true`",
                    );
                }
            }
            if let Some(follow) = &op.log_follow {
                finished.push((id.clone(), at.join("x-log-follow"), follow));
            }
            if let Some(class) = &op.rate_limit_class {
                if !RATE_LIMIT_CLASSES.contains(&class.as_str()) {
                    diags.error(
                        &at.join("x-rate-limit-class"),
                        format!(
                            "unknown `x-rate-limit-class` {class:?}; expected one of {}",
                            RATE_LIMIT_CLASSES.join(", ")
                        ),
                    );
                }
            }
            let site = Site {
                path,
                item,
                item_at: &item_at,
                method,
                at: &at,
            };
            let mut resolved = operation(spec, &site, &id, op, registry, diags, &mut examples);
            resolved.spec_id.clone_from(spec_id);
            // The client's own methods keep their names; the operation's method is renamed.
            let (method, holder) =
                methods.claim(&resolved.method_name, "_operation", "another operation");
            if let Some(holder) = holder {
                resolved.method_note = Some(format!(
                    "The client method is `{}` because `{}` is {holder}.",
                    naming::bare(&method),
                    naming::bare(&resolved.method_name)
                ));
                resolved.method_name = method;
            }
            operations.push(resolved);
        }
    }
    for (at, successor) in replaced {
        let known = ids.contains_key(&rust_id(&successor));
        if !known && !spec.broken.operation_ids.contains(&successor) {
            diags.error(
                &at,
                format!("`x-replaced-by` names {successor:?}, which is not an operationId"),
            );
        }
    }
    for (id, at, follow) in finished {
        let check = finished_check(follow, &id, &operations, &at, registry, diags);
        if let Some(f) = operations
            .iter_mut()
            .find(|op| op.id == id)
            .and_then(|op| op.log_follow.as_mut())
        {
            f.finished = check;
        }
    }
    // A successor is named by its client method, which may have been renamed.
    let method_of: BTreeMap<String, String> = operations
        .iter()
        .map(|op| (op.id.clone(), naming::bare(&op.method_name).to_owned()))
        .collect();
    for op in &mut operations {
        if let Some(successor) = op.deprecated.as_mut().and_then(|d| d.replaced_by.as_mut()) {
            if let Some(method) = method_of.get(successor.as_str()) {
                successor.clone_from(method);
            }
        }
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    (operations, examples)
}

/// The Rust name of an operationId: snake_case (`ShowJobConfigDiff` → `show_job_config_diff`),
/// without a raw prefix.
pub(crate) fn rust_id(operation_id: &str) -> String {
    naming::bare(&naming::snake(operation_id)).to_owned()
}

/// Where an operation sits in the spec.
struct Site<'s> {
    path: &'s str,
    item: &'s openapi::PathItem,
    item_at: &'s Pointer,
    method: &'s str,
    at: &'s Pointer,
}

/// Resolves `finished-operation` / `finished-when` of `x-log-follow`, once every operation is
/// known: the check's request is filled from the log request's same-named parameters.
fn finished_check(
    follow: &openapi::LogFollow,
    id: &str,
    operations: &[Operation],
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<FinishedCheck> {
    let (name, when) = match (&follow.finished_operation, &follow.finished_when) {
        (None, None) => return None,
        (Some(name), Some(when)) => (name, when),
        _ => {
            diags.error(
                at,
                "`finished-operation` and `finished-when` go together: give both or neither",
            );
            return None;
        }
    };
    let log = operations.iter().find(|op| op.id == id)?;
    let Some(target) = operations.iter().find(|op| op.id == rust_id(name)) else {
        diags.error(
            &at.join("finished-operation"),
            format!("{name:?} is not an operationId"),
        );
        return None;
    };
    if target.body.as_ref().is_some_and(|b| b.required)
        || target.form.as_ref().is_some_and(|f| f.required)
    {
        diags.error(
            &at.join("finished-operation"),
            format!("{name:?} needs a request body; the check can only fill parameters"),
        );
        return None;
    }
    let mut fields = Vec::new();
    for param in &target.params {
        let source = log
            .params
            .iter()
            .find(|p| p.wire == param.wire && p.ty == param.ty);
        if param.required && !source.is_some_and(|s| s.required) {
            diags.error(
                &at.join("finished-operation"),
                format!(
                    "{name:?} requires parameter {:?}, which the log request does not always carry with the same type",
                    param.wire
                ),
            );
            return None;
        }
        fields.push(FinishedField {
            field: param.field.clone(),
            source: source.map(|s| s.field.clone()),
            optional: !param.required,
            source_optional: source.is_some_and(|s| !s.required),
        });
    }
    let (when, when_ty) = steps(
        when,
        &target.response,
        &at.join("finished-when"),
        registry,
        diags,
    )?;
    Some(FinishedCheck {
        method: naming::bare(&target.method_name).to_owned(),
        module: target.module.clone(),
        pascal: target.pascal.clone(),
        deprecated: target.deprecated.is_some(),
        fields,
        when,
        when_is_string: when_ty == TypeRef::String,
    })
}

fn operation(
    spec: &Spec,
    site: &Site,
    id: &str,
    op: &openapi::Operation,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Operation {
    let (path, method, at) = (site.path, site.method, site.at);
    let pascal = naming::pascal(id);
    let request_body = op.request_body.as_ref().and_then(|body| {
        let body_at = at.join("requestBody");
        shared(
            spec,
            body,
            &body.reference,
            &body_at,
            REQUEST_BODY_PREFIX,
            |s| &s.components.request_bodies,
        )
    });
    // One scope for every field of the request: the builders' own methods, the JSON body,
    // the parameters, the multipart parts.
    let mut fields =
        naming::Scope::reserved(naming::BUILDER_METHODS, "a method of the request builders");
    if request_body
        .as_ref()
        .is_some_and(|(b, _)| b.content.contains_key(JSON))
    {
        fields.claim("body", "_value", "the JSON request body");
    }
    let params = parameters(
        spec,
        site,
        op,
        &pascal,
        id,
        &mut fields,
        registry,
        diags,
        examples,
    );
    let mut body = None;
    let mut form = None;
    if let Some((request_body, body_at)) = request_body {
        match body_media(&request_body.content, &body_at, diags) {
            Some((JSON, media)) => {
                body = json_body(
                    request_body,
                    media,
                    &body_at,
                    id,
                    &pascal,
                    registry,
                    diags,
                    examples,
                );
            }
            Some((_, media)) => {
                form = form_body(
                    spec,
                    request_body,
                    media,
                    &body_at,
                    &pascal,
                    &mut fields,
                    registry,
                    diags,
                );
            }
            None => {}
        }
    }
    let response = response(spec, op, at, id, &pascal, registry, diags, examples);
    let pagination = op.pagination.as_ref().and_then(|p| {
        super::pagination::resolve(
            p,
            &params,
            body.as_ref(),
            &response,
            &at.join("x-pagination"),
            registry,
            diags,
        )
    });
    let log_follow = op.log_follow.as_ref().and_then(|f| {
        log_follow(
            f,
            &params,
            &response,
            &at.join("x-log-follow"),
            registry,
            diags,
        )
    });
    let status_envelope = op.status_envelope.as_ref().and_then(|e| {
        status_envelope(e, &response, &at.join("x-status-envelope"), registry, diags)
    });
    Operation {
        id: id.to_owned(),
        spec_id: id.to_owned(),
        method_name: naming::snake(id),
        method_note: None,
        module: naming::module(id),
        pascal,
        http_method: method.to_uppercase(),
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        doc_notes: op.doc_notes.clone(),
        rate_limit_class: op.rate_limit_class.clone(),
        area: None,
        deprecated: op.deprecated.then(|| Deprecation {
            replaced_by: op.replaced_by.as_deref().map(rust_id),
        }),
        idempotent: op.idempotent || matches!(method, "get" | "head" | "put" | "delete"),
        params,
        body,
        form,
        response,
        pagination,
        log_follow,
        status_envelope,
    }
}

/// Where `$ref`s to shared parameters point.
pub(crate) const PARAMETER_PREFIX: &str = "#/components/parameters/";
/// Where `$ref`s to shared request bodies point.
pub(crate) const REQUEST_BODY_PREFIX: &str = "#/components/requestBodies/";

/// `item` itself (at `at`), or the shared component its `$ref` names, with the component's
/// pointer. A `$ref` that does not resolve gives `None` and no diagnostic: the reference check
/// (`resolve::refs`) reports every dangling `$ref` once.
fn shared<'s, T>(
    spec: &'s Spec,
    item: &'s T,
    reference: &Option<String>,
    at: &Pointer,
    prefix: &str,
    section: impl Fn(&'s Spec) -> &'s BTreeMap<String, T>,
) -> Option<(&'s T, Pointer)> {
    match reference {
        None => Some((item, at.clone())),
        Some(reference) => {
            let name = reference.strip_prefix(prefix)?;
            let component = section(spec).get(name)?;
            Some((component, Pointer::from_ref(reference)))
        }
    }
}

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
fn parameters(
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
fn field_name(fields: &mut naming::Scope, wire: &str, holder: &str) -> (String, Option<String>) {
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

fn is_scalar(ty: &TypeRef, registry: &Registry) -> bool {
    match ty {
        TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => true,
        TypeRef::Named(name) => registry
            .get(name)
            .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_))),
        _ => false,
    }
}

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// The one media type of a request body, JSON or multipart.
fn body_media<'a>(
    content: &'a BTreeMap<String, openapi::MediaType>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<(&'a str, &'a openapi::MediaType)> {
    for (media_type, media) in content {
        if media.examples.is_some() {
            diags.error(
                &at.join("content").join(media_type).join("examples"),
                "unsupported construct: `examples`; use a single `example`",
            );
        }
    }
    match content.iter().next() {
        Some((media_type, media))
            if content.len() == 1 && (media_type == JSON || media_type == MULTIPART) =>
        {
            Some((media_type.as_str(), media))
        }
        _ => {
            diags.error(&at.join("content"), format!("request bodies must have exactly one media type, application/json or multipart/form-data (found {:?})", content.keys().collect::<Vec<_>>()));
            None
        }
    }
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn json_body(
    request_body: &openapi::RequestBody,
    media: &openapi::MediaType,
    body_at: &Pointer,
    id: &str,
    pascal: &str,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Option<Body> {
    let media_at = body_at.join("content").join(JSON);
    let schema_at = media_at.join("schema");
    let Some(schema) = &media.schema else {
        diags.error(&schema_at, "request body has no schema");
        return None;
    };
    let ty = registry.schema(schema, &schema_at, &format!("{pascal}RequestBody"), diags);
    registry.mark(&ty, false);
    if let Some(example) = &media.example {
        examples.push(Example {
            test_name: format!("{id}_request_body"),
            origin: media_at.join("example").to_string(),
            ty: ty.clone(),
            value: example.clone(),
        });
    }
    Some(Body {
        ty,
        required: request_body.required,
        description: request_body.description.clone(),
    })
}

/// The component schemas used as `multipart/form-data` bodies: they become request fields, not
/// types, so the registry leaves them out.
pub fn form_schemas(spec: &Spec) -> BTreeSet<String> {
    let shared = spec.components.request_bodies.values();
    let inline = spec
        .paths
        .values()
        .flat_map(|item| item.operations())
        .filter_map(|(_, op)| op.request_body.as_ref());
    shared
        .chain(inline)
        .filter_map(|body| body.content.get(MULTIPART)?.schema.as_ref())
        .filter_map(|schema| schema.reference.as_deref()?.strip_prefix(SCHEMA_PREFIX))
        .map(str::to_owned)
        .collect()
}

/// Whether `schema` is a binary string, the type of a file.
fn is_binary(schema: &openapi::Schema) -> bool {
    schema.reference.is_none()
        && schema.kind.as_deref() == Some("string")
        && schema.format.as_deref() == Some("binary")
}

/// A `multipart/form-data` body: an object schema (usually a `$ref` to a named one) whose
/// properties are the parts, files (`type: string, format: binary`) or text.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn form_body(
    spec: &Spec,
    request_body: &openapi::RequestBody,
    media: &openapi::MediaType,
    body_at: &Pointer,
    pascal: &str,
    fields: &mut naming::Scope,
    registry: &mut Registry,
    diags: &mut Diagnostics,
) -> Option<Form> {
    let schema_at = body_at.join("content").join(MULTIPART).join("schema");
    let Some(schema) = &media.schema else {
        diags.error(&schema_at, "request body has no schema");
        return None;
    };
    let (schema, at, base) = match &schema.reference {
        Some(reference) => {
            let found = reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|name| Some((name, spec.components.schemas.get(name)?)));
            // A dangling `$ref` is reported by the reference check (`refs`).
            let (name, component) = found?;
            let at = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            (component, at, naming::pascal(name))
        }
        None => (schema, schema_at, format!("{pascal}RequestBody")),
    };
    let Some(properties) = schema
        .properties
        .as_ref()
        .filter(|_| matches!(schema.kind.as_deref(), Some("object") | None))
    else {
        diags.error(
            &at,
            "a multipart/form-data body must be an object schema whose `properties` are its parts",
        );
        return None;
    };
    if schema.additional_properties.is_some() {
        diags.error(&at.join("additionalProperties"), "unsupported construct: `additionalProperties` in a multipart/form-data body; list every part under `properties`");
    }
    for name in &schema.required {
        if !properties.contains_key(name) {
            diags.error(
                &at.join("required"),
                format!("required property {name:?} is not defined in `properties`"),
            );
        }
    }
    let mut parts: Vec<FormPart> = Vec::new();
    for (wire, property) in properties {
        let part_at = at.join("properties").join(wire);
        let (field, note) = field_name(fields, wire, &format!("the `{wire}` part"));
        let files = property.kind.as_deref() == Some("array")
            && property.items.as_deref().is_some_and(is_binary);
        let (ty, constraints) = if is_binary(property) {
            (TypeRef::File, Constraints::default())
        } else if files {
            // Several files under one name: the part is repeated once per file.
            let ty = TypeRef::Array(Box::new(TypeRef::File));
            let c = constraints(property, &ty, &part_at, diags);
            (ty, c)
        } else {
            let ty = registry.schema(
                property,
                &part_at,
                &format!("{base}{}", naming::pascal(wire)),
                diags,
            );
            registry.mark(&ty, false);
            if !is_scalar(&ty, registry) {
                diags.error(&part_at, "unsupported construct: a multipart/form-data part must be a file (`type: string, format: binary`), an array of files, a string, a number, a boolean or a string enum");
                continue;
            }
            let c = constraints(property, &ty, &part_at, diags);
            (ty, c)
        };
        parts.push(FormPart {
            wire: wire.clone(),
            field,
            note,
            ty,
            required: schema.required.contains(wire),
            description: property
                .description
                .clone()
                .or_else(|| property.title.clone()),
            constraints,
        });
    }
    Some(Form {
        required: request_body.required,
        description: request_body
            .description
            .clone()
            .or_else(|| schema.description.clone()),
        parts,
    })
}

/// What the operation's 2xx responses decode into. Several 2xx responses are fine when they
/// all have the same body (the same `$ref`, or none); otherwise the spec is refused, because a
/// call returns one type and choosing one of the bodies would silently drop the others.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn response(
    spec: &Spec,
    op: &openapi::Operation,
    at: &Pointer,
    id: &str,
    pascal: &str,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> ResponseKind {
    let responses_at = at.join("responses");
    let mut first: Option<(&str, ResponseKind)> = None;
    for (code, response) in op.responses.iter().filter(|(c, _)| c.starts_with('2')) {
        let response_at = responses_at.join(code);
        // The first success body is named `<Operation>Response`, any other after its code.
        let hint = match first {
            None => format!("{pascal}Response"),
            Some(_) => format!("{pascal}Response{}", naming::pascal(code)),
        };
        let kind = success_body(
            spec,
            code,
            response,
            &response_at,
            id,
            &hint,
            registry,
            diags,
            examples,
        );
        match &first {
            None => first = Some((code, kind)),
            Some((first_code, first_kind)) if *first_kind != kind => {
                diags.error(
                    &response_at,
                    format!(
                        "success responses {first_code} and {code} have different bodies ({} and {}); a call returns one type: give them the same schema (one `$ref`) or keep one of them",
                        describe(first_kind),
                        describe(&kind)
                    ),
                );
            }
            Some(_) => {}
        }
    }
    match first {
        Some((_, kind)) => kind,
        None => {
            diags.error(&responses_at, "operation has no 2xx response");
            ResponseKind::Empty
        }
    }
}

/// A response body in words, for messages.
fn describe(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Json(TypeRef::Named(name)) => format!("JSON `{name}`"),
        ResponseKind::Json(_) => "a JSON value".to_owned(),
        ResponseKind::Binary => "a binary download".to_owned(),
        ResponseKind::Empty => "no body".to_owned(),
    }
}

/// The body of one success response.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn success_body(
    spec: &Spec,
    code: &str,
    response: &openapi::Response,
    response_at: &Pointer,
    id: &str,
    hint: &str,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> ResponseKind {
    // A dangling `$ref` is reported by the reference check (`refs`).
    let Some((resolved, response_at)) = shared(
        spec,
        response,
        &response.reference,
        response_at,
        "#/components/responses/",
        |s| &s.components.responses,
    ) else {
        return ResponseKind::Empty;
    };
    let Some((media_type, media)) = resolved.content.iter().next() else {
        return ResponseKind::Empty;
    };
    let media_at = response_at.join("content").join(media_type);
    if resolved.content.len() > 1 {
        diags.error(
            &response_at.join("content"),
            "a success response must have exactly one media type",
        );
    }
    let Some(schema) = &media.schema else {
        diags.error(&media_at, "response has no schema");
        return ResponseKind::Empty;
    };
    if schema.kind.as_deref() == Some("string") && schema.format.as_deref() == Some("binary") {
        return ResponseKind::Binary;
    }
    if media_type != "application/json" {
        diags.error(
            &media_at,
            format!(
                "unsupported response media type {media_type:?} (JSON, or a binary string schema)"
            ),
        );
        return ResponseKind::Empty;
    }
    let ty = registry.schema(schema, &media_at.join("schema"), hint, diags);
    registry.mark(&ty, true);
    if let Some(example) = &media.example {
        examples.push(Example {
            test_name: format!("{id}_response_{code}"),
            origin: media_at.join("example").to_string(),
            ty: ty.clone(),
            value: example.clone(),
        });
    }
    ResponseKind::Json(ty)
}

/// Follows a dotted property path (`result.items`) through the response type.
pub(super) fn steps(
    path: &str,
    response: &ResponseKind,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<(Vec<Step>, TypeRef)> {
    let ResponseKind::Json(mut ty) = response.clone() else {
        diags.error(at, "paging and log following need a JSON response");
        return None;
    };
    let mut out = Vec::new();
    for part in path.split('.') {
        let field = match &ty {
            TypeRef::Named(name) => match registry.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => fields.iter().find(|f| f.wire == part),
                _ => None,
            },
            _ => None,
        };
        let Some(field) = field else {
            diags.error(
                at,
                format!("{path:?}: the response has no property {part:?} there"),
            );
            return None;
        };
        out.push(Step {
            field: field.name.clone(),
            optional: field.optional(),
        });
        ty = field.ty.clone();
    }
    Some((out, ty))
}

pub(super) fn integer_param<'p>(
    params: &'p [Param],
    name: Option<&str>,
    key: &str,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<&'p Param> {
    let Some(name) = name else {
        diags.error(at, format!("`{key}` is missing"));
        return None;
    };
    let found = params.iter().find(|p| {
        p.wire == name
            && p.location == Location::Query
            && matches!(p.ty, TypeRef::I32 | TypeRef::I64)
    });
    if found.is_none() {
        diags.error(
            &at.join(key),
            format!("{name:?} is not an integer query parameter of this operation"),
        );
    }
    found
}

/// Resolves `x-status-envelope`: the outcome property must be a string (or string enum that
/// lists the failure value) and the message property must exist.
fn status_envelope(
    e: &openapi::StatusEnvelope,
    response: &ResponseKind,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<StatusEnvelope> {
    if !matches!(response, ResponseKind::Json(_)) {
        diags.error(at, "a status envelope needs a JSON response");
        return None;
    }
    let status = steps(&e.status, response, &at.join("status"), registry, diags);
    let message = steps(&e.message, response, &at.join("message"), registry, diags);
    let (_, status_ty) = status?;
    message?;
    match &status_ty {
        TypeRef::String => {}
        TypeRef::Named(name) => match registry.get(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(variants)) => {
                if !variants.iter().any(|v| v.wire == e.failure) {
                    diags.error(
                        &at.join("failure"),
                        format!(
                            "{:?} is not one of the values of {:?} ({})",
                            e.failure,
                            e.status,
                            variants
                                .iter()
                                .map(|v| format!("{:?}", v.wire))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    return None;
                }
            }
            _ => {
                diags.error(
                    &at.join("status"),
                    "must name a string property of the response",
                );
                return None;
            }
        },
        _ => {
            diags.error(
                &at.join("status"),
                "must name a string property of the response",
            );
            return None;
        }
    }
    Some(StatusEnvelope {
        status: e.status.clone(),
        failure: e.failure.clone(),
        message: e.message.clone(),
    })
}

fn log_follow(
    f: &openapi::LogFollow,
    params: &[Param],
    response: &ResponseKind,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<LogFollow> {
    let offset = integer_param(params, Some(&f.offset_param), "offset-param", at, diags);
    let next = steps(
        &f.next_offset,
        response,
        &at.join("next-offset"),
        registry,
        diags,
    );
    let more = steps(&f.has_more, response, &at.join("has-more"), registry, diags);
    let content = steps(&f.content, response, &at.join("content"), registry, diags);
    let checks = [
        (
            "next-offset",
            next.as_ref()
                .is_some_and(|(_, t)| matches!(t, TypeRef::I32 | TypeRef::I64 | TypeRef::String)),
            "an integer (or numeric string)",
        ),
        (
            "has-more",
            more.as_ref().is_some_and(|(_, t)| *t == TypeRef::Bool),
            "a boolean",
        ),
        (
            "content",
            content.as_ref().is_some_and(|(_, t)| *t == TypeRef::String),
            "a string",
        ),
    ];
    let mut ok = true;
    for (key, fine, what) in checks {
        if !fine {
            ok = false;
            diags.error(
                &at.join(key),
                format!("must name {what} property of the response"),
            );
        }
    }
    let offset = offset?;
    let (next, next_ty) = next?;
    if !ok {
        return None;
    }
    Some(LogFollow {
        offset_field: offset.field.clone(),
        offset_ty: offset.ty.clone(),
        offset_required: offset.required,
        next_offset: next,
        next_offset_ty: next_ty,
        has_more: more?.0,
        content: content?.0,
        finished: None,
    })
}
