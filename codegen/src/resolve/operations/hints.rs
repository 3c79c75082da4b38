//! The `x-` hints that read an operation's response: status envelopes, log follow and its
//! finished check, and the property paths they share with pagination.

use super::rust_id;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{
    FinishedCheck, FinishedField, Location, LogFollow, Operation, Param, ResponseKind,
    StatusEnvelope, Step, TypeKind, TypeRef,
};
use crate::naming;
use crate::openapi;
use crate::resolve::schemas::Registry;

/// Resolves `finished-operation` / `finished-when` of `x-log-follow`, once every operation is
/// known: the check's request is filled from the log request's same-named parameters.
pub(super) fn finished_check(
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

/// Follows a dotted property path (`result.items`) through the response type.
pub(in crate::resolve) fn steps(
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

pub(in crate::resolve) fn integer_param<'p>(
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
pub(super) fn status_envelope(
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

pub(super) fn log_follow(
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
