//! Request bodies: JSON bodies and `multipart/form-data` forms.

use std::collections::{BTreeMap, BTreeSet};

use super::parameters::{field_name, is_scalar};
use crate::diag::{Diagnostics, Pointer};
use crate::ir::Constraints;
use crate::ir::{Body, Example, Form, FormPart, TypeRef};
use crate::naming;
use crate::openapi::{self, Spec};
use crate::resolve::schemas::{constraints, Registry, SCHEMA_PREFIX};

pub(super) const JSON: &str = "application/json";

const MULTIPART: &str = "multipart/form-data";

/// The one media type of a request body, JSON or multipart.
pub(super) fn body_media<'a>(
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
pub(super) fn json_body(
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
pub(super) fn form_body(
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
