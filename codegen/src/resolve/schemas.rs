//! Schemas to types: component schemas and inline objects become named types, everything else a
//! [`TypeRef`] built from Rust's standard types.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Constraints, Example, Field, NamedType, TypeKind, TypeRef, Variant};
use crate::naming;
use crate::openapi::{AdditionalProperties, Schema};

/// Where `$ref`s to named schemas point.
pub const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Collects named types while schemas are resolved, and checks that no two get the same name.
pub struct Registry<'s> {
    components: &'s BTreeMap<String, Schema>,
    /// Rust name → type; a `None` kind marks a component being resolved (breaks reference cycles).
    types: BTreeMap<String, NamedType>,
    /// Component name → what references to it resolve to.
    resolved: BTreeMap<String, TypeRef>,
    /// Alias components (no type of their own) whose resolution is under way.
    resolving: BTreeSet<String>,
    /// Components already named in a reported alias cycle, to report each cycle once.
    in_reported_cycle: BTreeSet<String>,
    /// Rust type name → origin pointer, to report collisions.
    origins: BTreeMap<String, String>,
    /// Examples found on properties.
    pub examples: Vec<Example>,
    /// Components that are not types (multipart bodies), skipped by `resolve_components`.
    excluded: BTreeSet<String>,
}

impl<'s> Registry<'s> {
    /// A registry over the spec's component schemas.
    pub fn new(components: &'s BTreeMap<String, Schema>) -> Self {
        Registry {
            components,
            types: BTreeMap::new(),
            resolved: BTreeMap::new(),
            resolving: BTreeSet::new(),
            in_reported_cycle: BTreeSet::new(),
            origins: BTreeMap::new(),
            examples: Vec::new(),
            excluded: BTreeSet::new(),
        }
    }

    /// Leaves the components `names` out of [`resolve_components`](Self::resolve_components):
    /// they are not types (multipart bodies become request fields). A `$ref` to one from a
    /// type still resolves it as a type.
    pub fn exclude(&mut self, names: BTreeSet<String>) {
        self.excluded = names;
    }

    /// Resolves every component schema, so unused ones are still generated and checked.
    pub fn resolve_components(&mut self, diags: &mut Diagnostics) {
        let base = Pointer::root().join("components").join("schemas");
        for name in self.components.keys() {
            if !self.excluded.contains(name) {
                self.component(name, &base.join(name), diags);
            }
        }
    }

    /// The named types, sorted by Rust name, with the fields that close a reference cycle boxed.
    pub fn into_types(self) -> (Vec<NamedType>, Vec<Example>) {
        let mut types: Vec<NamedType> = self.types.into_values().collect();
        box_cycles(&mut types);
        (types, self.examples)
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
        if self.resolving.contains(name) {
            // A reference back into an alias under resolution: what it stands for is found by
            // following its references up to the named types (or back to itself: an error).
            let mut stack = vec![name.to_owned()];
            return match self.peek_component(name, &mut stack) {
                Ok(ty) => ty,
                Err(cycle) => {
                    self.report_cycle(cycle, diags);
                    TypeRef::Any
                }
            };
        }
        let schema = &self.components[name];
        // Structs and enums are referenced by name, which is known before their fields are
        // resolved; that is what lets recursive schemas terminate.
        let rust = naming::pascal(name);
        if defines_type(schema) {
            self.resolved
                .insert(name.to_owned(), TypeRef::Named(rust.clone()));
        } else {
            self.resolving.insert(name.to_owned());
        }
        let ty = self.schema(schema, at, &rust, diags);
        self.resolving.remove(name);
        self.resolved.insert(name.to_owned(), ty.clone());
        ty
    }

    /// What a reference to component `name` resolves to, without resolving anything: named
    /// types by name, aliases by following them. `stack` holds the aliases being followed; a
    /// reference back into one of them is a cycle no Rust type can express.
    fn peek_component(&self, name: &str, stack: &mut Vec<String>) -> Result<TypeRef, Cycle> {
        let schema = &self.components[name];
        if defines_type(schema) {
            return Ok(TypeRef::Named(naming::pascal(name)));
        }
        if let Some(done) = self.resolved.get(name) {
            return Ok(done.clone());
        }
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        self.peek(schema, &at, &naming::pascal(name), stack)
    }

    /// The type [`Registry::schema`] gives `schema`, computed the same way but without side
    /// effects; see [`Registry::peek_component`].
    fn peek(
        &self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        stack: &mut Vec<String>,
    ) -> Result<TypeRef, Cycle> {
        if let Some(reference) = &schema.reference {
            let Some(name) = reference
                .strip_prefix(SCHEMA_PREFIX)
                .filter(|n| self.components.contains_key(*n))
            else {
                return Ok(TypeRef::Any);
            };
            if let Some(start) = stack.iter().position(|s| s == name) {
                let mut names = stack[start..].to_vec();
                names.push(name.to_owned());
                return Err(Cycle {
                    names,
                    at: at.join("$ref"),
                });
            }
            stack.push(name.to_owned());
            let ty = self.peek_component(name, stack);
            stack.pop();
            return ty;
        }
        if schema.enum_values.is_some() && is_string_enum(schema) {
            return Ok(TypeRef::Named(hint.to_owned()));
        }
        Ok(match schema.kind.as_deref() {
            Some("string") => TypeRef::String,
            Some("integer") => match schema.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => TypeRef::Array(Box::new(match &schema.items {
                Some(items) => {
                    self.peek(items, &at.join("items"), &format!("{hint}Item"), stack)?
                }
                None => TypeRef::Any,
            })),
            Some("object") | None => {
                let extra = match &schema.additional_properties {
                    Some(AdditionalProperties::Schema(values)) => Some(self.peek(
                        values,
                        &at.join("additionalProperties"),
                        &format!("{hint}Value"),
                        stack,
                    )?),
                    Some(AdditionalProperties::Flag(true)) => Some(TypeRef::Any),
                    Some(AdditionalProperties::Flag(false)) | None => None,
                };
                match (&schema.properties, extra) {
                    (Some(_), _) => TypeRef::Named(hint.to_owned()),
                    (None, None) if schema.kind.is_none() => TypeRef::Any,
                    (None, extra) => TypeRef::Map(Box::new(extra.unwrap_or(TypeRef::Any))),
                }
            }
            Some(_) => TypeRef::Any,
        })
    }

    fn report_cycle(&mut self, cycle: Cycle, diags: &mut Diagnostics) {
        if cycle
            .names
            .iter()
            .any(|n| self.in_reported_cycle.contains(n))
        {
            return;
        }
        self.in_reported_cycle.extend(cycle.names.iter().cloned());
        let chain: Vec<String> = cycle.names.iter().map(|n| format!("`{n}`")).collect();
        diags.error(
            &cycle.at,
            format!(
                "reference cycle {}: these schemas are defined only through each other (by `$ref`, \
                 arrays or maps), so no Rust type can be generated for them; give one of them \
                 `properties`",
                chain.join(" -> ")
            ),
        );
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
                // Reported once by the reference check (`refs`).
                _ => TypeRef::Any,
            };
        }
        if let Some(values) = &schema.enum_values {
            if is_string_enum(schema) {
                return self.enumeration(schema, values, at, hint, diags);
            }
            // Integer, number and boolean enums keep their type; `constraints` checks the values.
        }
        match schema.kind.as_deref() {
            Some("string") => {
                if schema.format.as_deref() == Some("binary") {
                    diags.error(
                        at,
                        "binary strings are only supported as a whole response body or as a file part of a multipart/form-data body",
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
                boxed: false,
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
                areas: Vec::new(),
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

/// A chain of alias components that leads back to its start.
struct Cycle {
    /// Component names, the first repeated at the end.
    names: Vec<String>,
    /// The `$ref` that closes the cycle.
    at: Pointer,
}

/// Boxes every struct field that holds a struct (directly or in an `Option`) of its own strongly
/// connected component: those fields are what would make the types infinitely large. `Vec` and
/// `BTreeMap` already store their values on the heap and need no box.
fn box_cycles(types: &mut [NamedType]) {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TypeKind::Struct(_)))
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let direct = |f: &Field| match &f.ty {
        TypeRef::Named(name) => index.get(name.as_str()).copied(),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(fields) => fields.iter().filter_map(direct).collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .enumerate()
        .map(|(i, t)| match &t.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .map(|f| direct(f).is_some_and(|j| component[j] == component[i]))
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    for (t, boxed) in types.iter_mut().zip(boxed) {
        if let TypeKind::Struct(fields) = &mut t.kind {
            for (f, boxed) in fields.iter_mut().zip(boxed) {
                f.boxed = boxed;
            }
        }
    }
}

/// The strongly connected component of every node of the graph `edges` (Tarjan's algorithm,
/// iterative so that long reference chains cannot overflow the stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut next, mut components) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = calls.last_mut() {
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Whether an `enum` schema is a string enum (a type of its own): `type: string` or no type.
fn is_string_enum(schema: &Schema) -> bool {
    matches!(schema.kind.as_deref(), Some("string") | None)
}

/// Whether a schema becomes a named Rust type rather than an alias of a standard type.
fn defines_type(schema: &Schema) -> bool {
    schema.reference.is_none()
        && ((schema.enum_values.is_some() && is_string_enum(schema))
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

/// The values of an `enum` on an integer, number or boolean schema, each checked against the
/// type; `None` for string enums (types of their own) and other types, which are reported.
fn allowed_values(
    values: &[serde_json::Value],
    ty: &TypeRef,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<Vec<serde_json::Value>> {
    let fits = |v: &serde_json::Value| match ty {
        TypeRef::I32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => v.is_i64(),
        TypeRef::F64 => v.is_number(),
        TypeRef::Bool => v.is_boolean(),
        _ => false,
    };
    match ty {
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => {}
        // String enums are named types; their values were read there.
        TypeRef::Named(_) => return None,
        _ => {
            diags.error(at, "unsupported construct: `enum` on an array or object; it is supported on strings, integers, numbers and booleans");
            return None;
        }
    }
    let mut ok = true;
    for (i, value) in values.iter().enumerate() {
        if !fits(value) {
            diags.error(
                &at.join(i),
                format!("enum value {value} does not fit the schema's type"),
            );
            ok = false;
        }
    }
    ok.then(|| values.to_vec())
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
        allowed: None,
    };
    if let (Some(values), false) = (&schema.enum_values, *ty == TypeRef::Any) {
        // `null` in the list of a nullable schema is the `Option`, not a value.
        let values: Vec<serde_json::Value> = values
            .iter()
            .filter(|v| !(v.is_null() && schema.nullable))
            .cloned()
            .collect();
        c.allowed = allowed_values(&values, ty, &at.join("enum"), diags);
    }
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

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_of_cycles() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4 alone.
        let c = strongly_connected(&[vec![1], vec![2], vec![0, 3], vec![3], vec![]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[4] != c[3]);
    }
}
