//! Responses: the success reply's kind and body.

use super::shared;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Example, ResponseKind, TypeRef};
use crate::naming;
use crate::openapi::{self, Spec};
use crate::resolve::schemas::Registry;

/// What the operation's 2xx responses decode into. Several 2xx responses are fine when they
/// all have the same body (the same `$ref`, or none); otherwise the spec is refused, because a
/// call returns one type and choosing one of the bodies would silently drop the others.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the arguments
pub(super) fn response(
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
