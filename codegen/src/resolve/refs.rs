//! Every `$ref` in the spec must resolve: a local reference (`#/...`) into the components section
//! its place expects (a schema `$ref` into `#/components/schemas/`, a parameter `$ref` into
//! `#/components/parameters/`, ...), naming an entry that exists. Checked once over the whole
//! document (error responses and unused components included), so the resolvers that follow
//! references stay silent about dangling ones.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Pointer};
use crate::openapi::{
    AdditionalProperties, MediaType, Parameter, RequestBody, Response, Schema, Spec,
};

/// The kinds of things a `$ref` can name, with the section they live in.
#[derive(Clone, Copy)]
enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::Response => "response",
        }
    }
}

/// Reports every `$ref` of `spec` that does not resolve, and shared parameters, request bodies
/// and responses that are themselves only a `$ref` (the generator follows one level).
pub fn check(spec: &Spec, diags: &mut Diagnostics) {
    let mut walker = Walker { spec, diags };
    let components = Pointer::root().join("components");
    let at = components.join("schemas");
    for (name, schema) in &spec.components.schemas {
        walker.schema(schema, &at.join(name));
    }
    let at = components.join("parameters");
    for (name, parameter) in &spec.components.parameters {
        let at = at.join(name);
        walker.not_a_chain(&parameter.reference, Kind::Parameter, &at);
        if parameter.reference.is_none()
            && (parameter.name.is_none() || parameter.location.is_none())
        {
            walker
                .diags
                .error(&at, "a parameter needs a `name` and an `in`");
        }
        walker.parameter(parameter, &at);
    }
    let at = components.join("requestBodies");
    for (name, body) in &spec.components.request_bodies {
        let at = at.join(name);
        walker.not_a_chain(&body.reference, Kind::RequestBody, &at);
        walker.request_body(body, &at);
    }
    let at = components.join("responses");
    for (name, response) in &spec.components.responses {
        let at = at.join(name);
        walker.not_a_chain(&response.reference, Kind::Response, &at);
        walker.response(response, &at);
    }
    for (path, item) in &spec.paths {
        let item_at = Pointer::root().join("paths").join(path);
        for (i, parameter) in item.parameters.iter().enumerate() {
            walker.parameter(parameter, &item_at.join("parameters").join(i));
        }
        for (method, op) in item.operations() {
            let at = item_at.join(method);
            for (i, parameter) in op.parameters.iter().enumerate() {
                walker.parameter(parameter, &at.join("parameters").join(i));
            }
            if let Some(body) = &op.request_body {
                walker.request_body(body, &at.join("requestBody"));
            }
            for (code, response) in &op.responses {
                walker.response(response, &at.join("responses").join(code));
            }
        }
    }
}

struct Walker<'s, 'd> {
    spec: &'s Spec,
    diags: &'d mut Diagnostics,
}

impl Walker<'_, '_> {
    /// Checks one `$ref` (at `at`, the pointer of the `$ref` key) naming a `kind`.
    fn reference(&mut self, reference: &str, kind: Kind, at: &Pointer) {
        let prefix = format!("#/components/{}/", kind.section());
        if !reference.starts_with('#') {
            self.diags.error(
                at,
                format!("unsupported $ref {reference:?}: only references within this file (`#/...`) are followed"),
            );
            return;
        }
        let Some(name) = reference.strip_prefix(&prefix).filter(|n| !n.contains('/')) else {
            self.diags.error(
                at,
                format!(
                    "$ref {reference:?} must name a {} directly under {}",
                    kind.what(),
                    prefix.trim_end_matches('/')
                ),
            );
            return;
        };
        if self.spec.broken.components.contains(reference) {
            return;
        }
        let components = &self.spec.components;
        let exists = match kind {
            Kind::Schema => components.schemas.contains_key(name),
            Kind::Parameter => components.parameters.contains_key(name),
            Kind::RequestBody => components.request_bodies.contains_key(name),
            Kind::Response => components.responses.contains_key(name),
        };
        if !exists {
            self.diags.error(
                at,
                format!(
                    "dangling $ref {reference:?}: no such {} under {}",
                    kind.what(),
                    prefix.trim_end_matches('/')
                ),
            );
        }
    }

    /// A shared component that is only a `$ref` to another.
    fn not_a_chain(&mut self, reference: &Option<String>, kind: Kind, at: &Pointer) {
        if reference.is_some() {
            self.diags.error(
                &at.join("$ref"),
                format!(
                    "a shared {} must be defined here, not be a `$ref` to another",
                    kind.what()
                ),
            );
        }
    }

    fn schema(&mut self, schema: &Schema, at: &Pointer) {
        if let Some(reference) = &schema.reference {
            self.reference(reference, Kind::Schema, &at.join("$ref"));
        }
        for (name, property) in schema.properties.iter().flatten() {
            self.schema(property, &at.join("properties").join(name));
        }
        if let Some(items) = &schema.items {
            self.schema(items, &at.join("items"));
        }
        if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
            self.schema(values, &at.join("additionalProperties"));
        }
    }

    fn parameter(&mut self, parameter: &Parameter, at: &Pointer) {
        if let Some(reference) = &parameter.reference {
            self.reference(reference, Kind::Parameter, &at.join("$ref"));
        }
        if let Some(schema) = &parameter.schema {
            self.schema(schema, &at.join("schema"));
        }
    }

    fn request_body(&mut self, body: &RequestBody, at: &Pointer) {
        if let Some(reference) = &body.reference {
            self.reference(reference, Kind::RequestBody, &at.join("$ref"));
        }
        self.content(&body.content, at);
    }

    fn response(&mut self, response: &Response, at: &Pointer) {
        if let Some(reference) = &response.reference {
            self.reference(reference, Kind::Response, &at.join("$ref"));
        }
        self.content(&response.content, at);
    }

    fn content(&mut self, content: &BTreeMap<String, MediaType>, at: &Pointer) {
        for (media_type, media) in content {
            if let Some(schema) = &media.schema {
                self.schema(schema, &at.join("content").join(media_type).join("schema"));
            }
        }
    }
}
