//! Schemas to types: component schemas and inline objects become named types, everything else a
//! [`TypeRef`] built from Rust's standard types.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Constraints, Example, Field, NamedType, TypeKind, TypeRef, Variant};
use crate::naming;
use crate::openapi::{AdditionalProperties, Schema};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Collects named types while schemas are resolved, and checks that no two get the same name.
pub struct Registry<'s> {
    components: &'s BTreeMap<String, Schema>,
    /// Rust name → type; a `None` kind marks a component being resolved (breaks reference cycles).
    types: BTreeMap<String, NamedType>,
    /// Component name → what references to it resolve to.
    resolved: BTreeMap<String, TypeRef>,
    /// Rust type name → origin pointer, to report collisions.
    origins: BTreeMap<String, String>,
    /// Examples found on properties.
    pub examples: Vec<Example>,
}

impl<'s> Registry<'s> {
    /// A registry over the spec's component schemas.
    pub fn new(components: &'s BTreeMap<String, Schema>) -> Self {
        Registry {
            components,
            types: BTreeMap::new(),
            resolved: BTreeMap::new(),
            origins: BTreeMap::new(),
            examples: Vec::new(),
        }
    }

    /// Resolves every component schema, so unused ones are still generated and checked.
    pub fn resolve_components(&mut self, diags: &mut Diagnostics) {
        let base = Pointer::root().join("components").join("schemas");
        for name in self.components.keys() {
            self.component(name, &base.join(name), diags);
        }
    }

    /// The named types, sorted by Rust name.
    pub fn into_types(self) -> (Vec<NamedType>, Vec<Example>) {
        (self.types.into_values().collect(), self.examples)
    }

    /// Looks up a generated type.
    pub fn get(&self, name: &str) -> Option<&NamedType> {
        self.types.get(name)
    }

    /// Whether a `$ref` or schema is nullable itself (a component marked `nullable: true`).
    pub fn is_nullable(&self, schema: &Schema) -> bool {
        if schema.nullable {
            return true;
        }
        match schema
            .reference
            .as_deref()
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
        {
            Some(name) => self.components.get(name).is_some_and(|s| s.nullable),
            None => false,
        }
    }

    fn component(&mut self, name: &str, at: &Pointer, diags: &mut Diagnostics) -> TypeRef {
        if let Some(done) = self.resolved.get(name) {
            return done.clone();
        }
        let schema = &self.components[name];
        // Structs and enums are referenced by name, which is known before their fields are
        // resolved; that is what lets recursive schemas terminate.
        let rust = naming::pascal(name);
        if defines_type(schema) {
            self.resolved
                .insert(name.to_owned(), TypeRef::Named(rust.clone()));
        } else {
            // An alias: resolved on first use; a self-referencing alias falls back to a value.
            self.resolved.insert(name.to_owned(), TypeRef::Any);
        }
        let ty = self.schema(schema, at, &rust, diags);
        self.resolved.insert(name.to_owned(), ty.clone());
        ty
    }

    /// The type of `schema` at `at`; a new named type (called `hint`) when it defines one.
    pub fn schema(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        check_unsupported(schema, at, diags);
        let ty = self.schema_inner(schema, at, hint, diags);
        if let Some(example) = schema.example.as_ref().filter(|e| !e.is_null()) {
            self.examples.push(Example {
                test_name: String::new(),
                origin: at.to_string(),
                ty: ty.clone(),
                value: example.clone(),
            });
        }
        ty
    }

    fn schema_inner(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        if let Some(reference) = &schema.reference {
            return match reference.strip_prefix(SCHEMA_PREFIX) {
                Some(name) if self.components.contains_key(name) => {
                    self.component(name, &Pointer::from_ref(reference), diags)
                }
                _ => {
                    diags.error(&at.join("$ref"), format!("dangling $ref {reference:?}: no such schema under #/components/schemas"));
                    TypeRef::Any
                }
            };
        }
        if let Some(values) = &schema.enum_values {
            return self.enumeration(schema, values, at, hint, diags);
        }
        match schema.kind.as_deref() {
            Some("string") => {
                if schema.format.as_deref() == Some("binary") {
                    diags.error(
                        at,
                        "binary strings are only supported as a whole response body",
                    );
                }
                TypeRef::String
            }
            Some("integer") => match schema.format.as_deref() {
                Some("int32") => TypeRef::I32,
                Some("int64") | None => TypeRef::I64,
                Some(other) => {
                    diags.error(
                        &at.join("format"),
                        format!("unsupported integer format {other:?} (use int32 or int64)"),
                    );
                    TypeRef::I64
                }
            },
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => match &schema.items {
                Some(items) => TypeRef::Array(Box::new(self.schema(
                    items,
                    &at.join("items"),
                    &format!("{hint}Item"),
                    diags,
                ))),
                None => {
                    diags.error(at, "array schema without `items`");
                    TypeRef::Array(Box::new(TypeRef::Any))
                }
            },
            Some("object") | None => self.object(schema, at, hint, diags),
            Some(other) => {
                diags.error(&at.join("type"), format!("unsupported type {other:?}"));
                TypeRef::Any
            }
        }
    }

    fn object(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        let extra = match &schema.additional_properties {
            Some(AdditionalProperties::Schema(values)) => Some(self.schema(
                values,
                &at.join("additionalProperties"),
                &format!("{hint}Value"),
                diags,
            )),
            Some(AdditionalProperties::Flag(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Flag(false)) | None => None,
        };
        let Some(properties) = &schema.properties else {
            if schema.kind.is_none() && extra.is_none() {
                return TypeRef::Any;
            }
            return TypeRef::Map(Box::new(extra.unwrap_or(TypeRef::Any)));
        };
        if extra.is_some() {
            diags.error(&at.join("additionalProperties"), "unsupported construct: an object with both `properties` and `additionalProperties`");
        }
        for name in &schema.required {
            if !properties.contains_key(name) {
                diags.error(
                    &at.join("required"),
                    format!("required property {name:?} is not defined in `properties`"),
                );
            }
        }
        if !self.claim(hint, at, diags) {
            return TypeRef::Named(hint.to_owned());
        }
        let mut fields = Vec::new();
        let mut by_rust: BTreeMap<String, &str> = BTreeMap::new();
        for (wire, property) in properties {
            let name = naming::snake(wire);
            let field_at = at.join("properties").join(wire);
            if let Some(other) = by_rust.insert(name.clone(), wire) {
                diags.error(&field_at, format!("properties {other:?} and {wire:?} both map to the Rust field name `{name}`"));
                continue;
            }
            let ty = self.schema(
                property,
                &field_at,
                &format!("{hint}{}", naming::pascal(wire)),
                diags,
            );
            fields.push(Field {
                wire: wire.clone(),
                name,
                required: schema.required.contains(wire),
                nullable: self.is_nullable(property),
                description: property
                    .description
                    .clone()
                    .or_else(|| property.title.clone()),
                constraints: constraints(property, &ty, &field_at, diags),
                deprecated: property.deprecated,
                ty,
            });
        }
        self.insert(hint, schema, at, TypeKind::Struct(fields));
        TypeRef::Named(hint.to_owned())
    }

    fn enumeration(
        &mut self,
        schema: &Schema,
        values: &[serde_json::Value],
        at: &Pointer,
        hint: &str,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        if schema.kind.as_deref().is_some_and(|k| k != "string") {
            diags.error(
                &at.join("enum"),
                "unsupported construct: `enum` is only supported on strings",
            );
            return TypeRef::Any;
        }
        if !self.claim(hint, at, diags) {
            return TypeRef::Named(hint.to_owned());
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let wire = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null if schema.nullable => continue,
                other => {
                    diags.error(
                        &at.join("enum").join(i),
                        format!("enum value {other} is not a string"),
                    );
                    continue;
                }
            };
            let name = naming::pascal(&wire);
            if name == "Unknown" {
                diags.error(&at.join("enum").join(i), "enum value maps to `Unknown`, which is reserved for values the spec does not list");
            } else if let Some(other) = variants.iter().find(|v| v.name == name) {
                diags.error(
                    &at.join("enum").join(i),
                    format!(
                        "enum values {:?} and {wire:?} both map to the Rust variant `{name}`",
                        other.wire
                    ),
                );
            } else {
                variants.push(Variant { wire, name });
            }
        }
        self.insert(hint, schema, at, TypeKind::Enum(variants));
        TypeRef::Named(hint.to_owned())
    }

    /// Reserves `name` for the type at `at`; reports a collision with another schema.
    fn claim(&mut self, name: &str, at: &Pointer, diags: &mut Diagnostics) -> bool {
        let origin = at.to_string();
        match self.origins.get(name) {
            Some(other) if *other != origin => {
                diags.error(at, format!("the generated type name `{name}` is already used for {other}; rename one of the schemas"));
                false
            }
            Some(_) => false,
            None => {
                self.origins.insert(name.to_owned(), origin);
                true
            }
        }
    }

    fn insert(&mut self, name: &str, schema: &Schema, at: &Pointer, kind: TypeKind) {
        self.types.insert(
            name.to_owned(),
            NamedType {
                name: name.to_owned(),
                module: naming::module(name),
                description: schema.description.clone().or_else(|| schema.title.clone()),
                origin: at.to_string(),
                in_response: false,
                in_request: false,
                kind,
            },
        );
    }

    /// Marks `ty` and every type reachable from it as used in requests or responses.
    pub fn mark(&mut self, ty: &TypeRef, response: bool) {
        let mut stack = vec![ty.clone()];
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
                TypeRef::Named(name) => {
                    let Some(named) = self.types.get_mut(&name) else {
                        continue;
                    };
                    let flag = if response {
                        &mut named.in_response
                    } else {
                        &mut named.in_request
                    };
                    if *flag {
                        continue;
                    }
                    *flag = true;
                    if let TypeKind::Struct(fields) = &named.kind {
                        stack.extend(fields.iter().map(|f| f.ty.clone()));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether a schema becomes a named Rust type rather than an alias of a standard type.
fn defines_type(schema: &Schema) -> bool {
    schema.reference.is_none()
        && (schema.enum_values.is_some()
            || (matches!(schema.kind.as_deref(), Some("object") | None)
                && schema.properties.is_some()))
}

fn check_unsupported(schema: &Schema, at: &Pointer, diags: &mut Diagnostics) {
    let unsupported = [
        ("allOf", schema.all_of.is_some()),
        ("oneOf", schema.one_of.is_some()),
        ("anyOf", schema.any_of.is_some()),
        ("not", schema.not.is_some()),
        ("discriminator", schema.discriminator.is_some()),
        ("exclusiveMinimum", schema.exclusive_minimum.is_some()),
        ("exclusiveMaximum", schema.exclusive_maximum.is_some()),
    ];
    for (key, present) in unsupported {
        if present {
            diags.error(&at.join(key), format!("unsupported construct `{key}`: the generator supports plain objects, arrays, maps, scalars and string enums"));
        }
    }
}

/// The documented constraints of `schema`, checked against the type they apply to.
pub fn constraints(
    schema: &Schema,
    ty: &TypeRef,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Constraints {
    let mut c = Constraints {
        pattern: None,
        min_length: schema.min_length,
        max_length: schema.max_length,
        minimum: schema.minimum,
        maximum: schema.maximum,
        min_items: schema.min_items,
        max_items: schema.max_items,
    };
    if let Some(pattern) = &schema.pattern {
        match super::pattern::translate(pattern) {
            Ok(p) => c.pattern = Some(p),
            Err(message) => diags.error(&at.join("pattern"), message),
        }
    }
    let is_string = *ty == TypeRef::String;
    let is_number = matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
    let is_array = matches!(ty, TypeRef::Array(_));
    let misplaced = [
        ("pattern", schema.pattern.is_some() && !is_string, "strings"),
        ("minLength", c.min_length.is_some() && !is_string, "strings"),
        ("maxLength", c.max_length.is_some() && !is_string, "strings"),
        ("minimum", c.minimum.is_some() && !is_number, "numbers"),
        ("maximum", c.maximum.is_some() && !is_number, "numbers"),
        ("minItems", c.min_items.is_some() && !is_array, "arrays"),
        ("maxItems", c.max_items.is_some() && !is_array, "arrays"),
    ];
    for (key, bad, applies) in misplaced {
        if bad && schema.reference.is_none() {
            diags.error(
                &at.join(key),
                format!("`{key}` only applies to {applies} here"),
            );
        }
    }
    if schema.reference.is_some() {
        // Constraints beside a `$ref` are ignored by OpenAPI 3.0.
        return Constraints::default();
    }
    c
}
