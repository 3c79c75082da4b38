//! Operations: parameters, bodies, responses and the `x-` hints.

use std::collections::{BTreeMap, BTreeSet};

use super::schemas::{constraints, Registry};
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{
    Body, Deprecation, Example, FinishedCheck, FinishedField, Location, LogFollow, Operation,
    PageStyle, Pagination, Param, ResponseKind, StatusEnvelope, Step, TypeKind, TypeRef,
};
use crate::naming;
use crate::openapi::{self, Spec};

/// Client methods the runtime defines; an operation with one of these ids would shadow them.
const RESERVED_METHODS: &[&str] = &[
    "builder",
    "send",
    "send_with",
    "prepare",
    "clone",
    "fmt",
    "config",
];

/// Headers the client sets itself (lower case): a header parameter may not use these names,
/// or it could replace the host, the credentials, the signing time or the project that the
/// signature covers. The runtime refuses them too.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "content-type",
    "content-length",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
];

/// Resolves all operations (sorted by id) and their examples.
pub fn resolve(
    spec: &Spec,
    registry: &mut Registry,
    diags: &mut Diagnostics,
) -> (Vec<Operation>, Vec<Example>) {
    let mut operations: Vec<Operation> = Vec::new();
    let mut examples = Vec::new();
    let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
    let mut replaced: Vec<(Pointer, String)> = Vec::new();
    let mut finished: Vec<(String, Pointer, &openapi::LogFollow)> = Vec::new();
    let paths = Pointer::root().join("paths");
    for (path, item) in &spec.paths {
        let item_at = paths.join(path);
        if item.parameters.is_some() {
            diags.error(
                &item_at.join("parameters"),
                "unsupported construct: path-level parameters; declare them on each operation",
            );
        }
        for (method, op) in item.operations() {
            let at = item_at.join(method);
            let Some(id) = &op.operation_id else {
                diags.error(&at, "operation has no operationId");
                continue;
            };
            if let Some(first) = ids.get(id) {
                diags.error(
                    &at.join("operationId"),
                    format!("duplicate operationId {id:?}, already used at {first}"),
                );
                continue;
            }
            ids.insert(id.clone(), at.clone());
            if naming::bare(&naming::snake(id)) != id {
                diags.error(
                    &at.join("operationId"),
                    format!(
                        "operationId {id:?} is not snake_case (expected {:?})",
                        naming::bare(&naming::snake(id))
                    ),
                );
                continue;
            }
            if RESERVED_METHODS.contains(&id.as_str()) {
                diags.error(
                    &at.join("operationId"),
                    format!("operationId {id:?} would shadow the client's own `{id}` method"),
                );
                continue;
            }
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
            let resolved = operation(
                spec,
                path,
                method,
                id,
                op,
                &at,
                registry,
                diags,
                &mut examples,
            );
            operations.push(resolved);
        }
    }
    for (at, successor) in replaced {
        if !ids.contains_key(&successor) {
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
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    (operations, examples)
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
    let Some(target) = operations.iter().find(|op| &op.id == name) else {
        diags.error(
            &at.join("finished-operation"),
            format!("{name:?} is not an operationId"),
        );
        return None;
    };
    if target.body.as_ref().is_some_and(|b| b.required) {
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
        module: target.module.clone(),
        pascal: target.pascal.clone(),
        deprecated: target.deprecated.is_some(),
        fields,
        when,
        when_is_string: when_ty == TypeRef::String,
    })
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn operation(
    spec: &Spec,
    path: &str,
    method: &str,
    id: &str,
    op: &openapi::Operation,
    at: &Pointer,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Operation {
    let pascal = naming::pascal(id);
    let params = parameters(path, op, at, &pascal, id, registry, diags, examples);
    let body = op.request_body.as_ref().and_then(|body| {
        let body_at = at.join("requestBody");
        let media = json_media(&body.content, &body_at, diags)?;
        let schema_at = body_at
            .join("content")
            .join("application/json")
            .join("schema");
        let Some(schema) = &media.schema else {
            diags.error(&schema_at, "request body has no schema");
            return None;
        };
        let ty = registry.schema(schema, &schema_at, &format!("{pascal}RequestBody"), diags);
        registry.mark(&ty, false);
        if let Some(example) = &media.example {
            examples.push(Example {
                test_name: format!("{id}_request_body"),
                origin: body_at
                    .join("content")
                    .join("application/json")
                    .join("example")
                    .to_string(),
                ty: ty.clone(),
                value: example.clone(),
            });
        }
        Some(Body {
            ty,
            required: body.required,
            description: body.description.clone(),
        })
    });
    let response = response(spec, op, at, id, &pascal, registry, diags, examples);
    let pagination = op.pagination.as_ref().and_then(|p| {
        pagination(
            p,
            &params,
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
        method_name: naming::snake(id),
        module: naming::module(id),
        pascal,
        http_method: method.to_uppercase(),
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        doc_notes: op.doc_notes.clone(),
        deprecated: op.deprecated.then(|| Deprecation {
            replaced_by: op.replaced_by.clone(),
        }),
        idempotent: op.idempotent || matches!(method, "get" | "head" | "put" | "delete"),
        params,
        body,
        response,
        pagination,
        log_follow,
        status_envelope,
    }
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
fn parameters(
    path: &str,
    op: &openapi::Operation,
    at: &Pointer,
    pascal: &str,
    id: &str,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Vec<Param> {
    let template: BTreeSet<String> = template_names(path);
    let mut out: Vec<Param> = Vec::new();
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    if op.request_body.is_some() {
        fields.insert("body".to_owned(), "the request body".to_owned());
    }
    for (i, param) in op.parameters.iter().enumerate() {
        let param_at = at.join("parameters").join(i);
        if param.reference.is_some() {
            diags.error(
                &param_at.join("$ref"),
                "unsupported construct: parameter `$ref`; declare parameters inline",
            );
            continue;
        }
        let location = match param.location.as_str() {
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
        if location == Location::Header && (param.name.is_empty() || !param.name.chars().all(token))
        {
            diags.error(
                &param_at.join("name"),
                format!("header parameter {:?} is not a valid HTTP header name (ASCII letters, digits and `-`)", param.name),
            );
            continue;
        }
        if location == Location::Header
            && RESERVED_HEADERS
                .iter()
                .any(|reserved| param.name.eq_ignore_ascii_case(reserved))
        {
            diags.error(
                &param_at.join("name"),
                format!(
                    "header parameter {:?} names a header the client sets itself ({}); it may not be a parameter",
                    param.name,
                    RESERVED_HEADERS.join(", ")
                ),
            );
            continue;
        }
        if location == Location::Path {
            if !template.contains(&param.name) {
                diags.error(
                    &param_at,
                    format!(
                        "path parameter {:?} does not appear in the path template {path:?}",
                        param.name
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
            diags.error(
                &param_at,
                format!("parameter {:?} has no schema", param.name),
            );
            continue;
        };
        let field = naming::snake(&param.name);
        if let Some(other) = fields.insert(field.clone(), format!("parameter {:?}", param.name)) {
            diags.error(
                &param_at.join("name"),
                format!(
                    "parameter {:?} maps to the Rust field `{field}`, already used by {other}",
                    param.name
                ),
            );
            continue;
        }
        let schema_at = param_at.join("schema");
        let ty = registry.schema(
            schema,
            &schema_at,
            &format!("{pascal}{}", naming::pascal(&param.name)),
            diags,
        );
        registry.mark(&ty, false);
        if !is_scalar(&ty, registry) {
            diags.error(&schema_at, "unsupported construct: parameters must be strings, numbers, booleans or string enums");
            continue;
        }
        if let Some(example) = param.example.as_ref().filter(|e| !e.is_null()) {
            examples.push(Example {
                test_name: format!("{id}_param_{}", naming::module(&param.name)),
                origin: param_at.join("example").to_string(),
                ty: ty.clone(),
                value: example.clone(),
            });
        }
        out.push(Param {
            wire: param.name.clone(),
            field,
            location,
            required: param.required,
            constraints: constraints(schema, &ty, &schema_at, diags),
            description: param.description.clone(),
            default: schema.default.clone(),
            ty,
        });
    }
    for name in &template {
        if !out
            .iter()
            .chain([])
            .any(|p| p.location == Location::Path && &p.wire == name)
            && !op
                .parameters
                .iter()
                .any(|p| p.location == "path" && &p.name == name)
        {
            diags.error(&at.join("parameters"), format!("path template {path:?} uses {{{name}}}, which is not declared as a path parameter"));
        }
    }
    out
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

fn json_media<'a>(
    content: &'a BTreeMap<String, openapi::MediaType>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<&'a openapi::MediaType> {
    for (media_type, media) in content {
        if media.examples.is_some() {
            diags.error(
                &at.join("content").join(media_type).join("examples"),
                "unsupported construct: `examples`; use a single `example`",
            );
        }
    }
    match content.get("application/json") {
        Some(media) if content.len() == 1 => Some(media),
        _ => {
            diags.error(&at.join("content"), format!("request bodies must have exactly one media type, application/json (found {:?})", content.keys().collect::<Vec<_>>()));
            None
        }
    }
}

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
    let mut success = None;
    for (code, response) in &op.responses {
        let response_at = responses_at.join(code);
        if let Some(reference) = &response.reference {
            let name = reference.strip_prefix("#/components/responses/");
            if !name.is_some_and(|n| spec.components.responses.contains_key(n)) {
                diags.error(&response_at.join("$ref"), format!("dangling $ref {reference:?}: no such response under #/components/responses"));
            }
        }
        if code.starts_with('2') && success.is_none() {
            success = Some((code, response, response_at));
        }
    }
    let Some((code, response, response_at)) = success else {
        diags.error(&responses_at, "operation has no 2xx response");
        return ResponseKind::Empty;
    };
    let resolved = match &response.reference {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/responses/");
            match spec.components.responses.get(name) {
                Some(r) => r,
                None => return ResponseKind::Empty,
            }
        }
        None => response,
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
    let ty = registry.schema(
        schema,
        &media_at.join("schema"),
        &format!("{pascal}Response"),
        diags,
    );
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
fn steps(
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

fn integer_param<'p>(
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

fn pagination(
    p: &openapi::Pagination,
    params: &[Param],
    response: &ResponseKind,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let (style, position, size) = match p.style.as_str() {
        "page" => (
            PageStyle::Page,
            ("page-param", p.page_param.as_deref()),
            ("size-param", p.size_param.as_deref()),
        ),
        "offset-limit" => (
            PageStyle::OffsetLimit,
            ("offset-param", p.offset_param.as_deref()),
            ("limit-param", p.limit_param.as_deref()),
        ),
        other => {
            diags.error(
                &at.join("style"),
                format!("unknown paging style {other:?} (page or offset-limit)"),
            );
            return None;
        }
    };
    let position = integer_param(params, position.1, position.0, at, diags);
    let size = integer_param(params, size.1, size.0, at, diags);
    let items = steps(&p.items, response, &at.join("items"), registry, diags);
    let total = match &p.total {
        Some(total) => match steps(total, response, &at.join("total"), registry, diags) {
            Some((steps, ty @ (TypeRef::I32 | TypeRef::I64 | TypeRef::String))) => {
                Some(Some((steps, ty)))
            }
            Some(_) => {
                diags.error(
                    &at.join("total"),
                    "the total must be an integer (or numeric string) property",
                );
                None
            }
            None => None,
        },
        None => Some(None),
    };
    let item_ty = match &items {
        Some((_, TypeRef::Array(inner))) => (**inner).clone(),
        Some(_) => {
            diags.error(&at.join("items"), "the items property must be an array");
            return None;
        }
        None => return None,
    };
    let (position, size, total) = (position?, size?, total?);
    Some(Pagination {
        style,
        position_field: position.field.clone(),
        position_ty: position.ty.clone(),
        position_required: position.required,
        size_field: size.field.clone(),
        size_ty: size.ty.clone(),
        size_required: size.required,
        items: items?.0,
        item_ty,
        total,
    })
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
                .is_some_and(|(_, t)| matches!(t, TypeRef::I32 | TypeRef::I64)),
            "an integer",
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
