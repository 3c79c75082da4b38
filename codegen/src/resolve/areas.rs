//! Areas: the root `tags:` list, each operation's one tag, and which types each area reaches.
//!
//! Each area becomes a Cargo feature of the generated crate, so every operation must sit in
//! exactly one declared area, and every type is compiled with the features of the operations
//! that use it. A spec without root tags has no areas: its operations may not carry tags either
//! (a tag that names nothing is a typo), and nothing is gated.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::operations::rust_id;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Area, NamedType, Operation, TypeKind, TypeRef};
use crate::openapi::Spec;

/// Feature names the generated crate defines itself: an area may not take one of them.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "all-areas",
    "rustls-tls",
    "rustls-native-roots",
    "tracing",
];

/// Reads the root `tags:` list into areas (dependencies still empty).
pub fn declared(spec: &Spec, diags: &mut Diagnostics) -> Vec<Area> {
    let at = Pointer::root().join("tags");
    let mut areas: Vec<Area> = Vec::new();
    for (i, tag) in spec.tags.iter().enumerate() {
        let tag_at = at.join(i);
        let Some(entry) = tag.as_object() else {
            diags.error(
                &tag_at,
                "a root tag must be an object with a `name` and a `description`",
            );
            continue;
        };
        for key in entry.keys() {
            if !matches!(key.as_str(), "name" | "description") {
                diags.error(
                    &tag_at.join(key),
                    format!("unknown key {key:?} in a root tag; expected `name` and `description`"),
                );
            }
        }
        let Some(name) = entry.get("name").and_then(Value::as_str) else {
            diags.error(&tag_at, "a root tag needs a string `name`");
            continue;
        };
        let name_at = tag_at.join("name");
        if !is_feature_name(name) {
            diags.error(
                &name_at,
                format!("tag {name:?} cannot be a Cargo feature name: use lower-case ASCII letters, digits, `-` and `_`, starting with a letter"),
            );
            continue;
        }
        if RESERVED_FEATURES.contains(&name) {
            diags.error(
                &name_at,
                format!(
                    "tag {name:?} would be a Cargo feature that the generated crate already defines ({})",
                    RESERVED_FEATURES.join(", ")
                ),
            );
            continue;
        }
        if areas.iter().any(|a| a.name == name) {
            diags.error(&name_at, format!("tag {name:?} is declared twice"));
            continue;
        }
        let description = match entry.get("description") {
            None => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                diags.error(
                    &tag_at.join("description"),
                    "a tag's `description` must be a string",
                );
                None
            }
        };
        areas.push(Area {
            name: name.to_owned(),
            description,
            requires: Vec::new(),
        });
    }
    areas
}

/// `[a-z][a-z0-9_-]*`: a Cargo feature name that also reads well in `cfg(feature = "..")`.
fn is_feature_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Gives every operation its area from its `tags`, reporting an operation with none, with
/// several, or with one the root list does not declare.
pub fn assign(spec: &Spec, areas: &[Area], operations: &mut [Operation], diags: &mut Diagnostics) {
    let declared: Vec<&str> = areas.iter().map(|a| a.name.as_str()).collect();
    // Tags the root list names but that were refused as areas are reported there only.
    let named: Vec<&str> = spec
        .tags
        .iter()
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .collect();
    let by_id: BTreeMap<String, usize> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| (op.id.clone(), i))
        .collect();
    let paths = Pointer::root().join("paths");
    for (path, item) in &spec.paths {
        for (method, op) in item.operations() {
            let at = paths.join(path).join(method);
            let Some(index) = op
                .operation_id
                .as_deref()
                .and_then(|id| by_id.get(&rust_id(id)))
            else {
                continue;
            };
            for (i, tag) in op.tags.iter().enumerate() {
                if !named.contains(&tag.as_str()) {
                    let known = if named.is_empty() {
                        "the spec declares no root `tags:`, so operations carry none".to_owned()
                    } else {
                        format!("the areas are {}", declared.join(", "))
                    };
                    diags.error(
                        &at.join("tags").join(i),
                        format!("tag {tag:?} is not declared in the root `tags:` list; {known}"),
                    );
                }
            }
            if named.is_empty() {
                continue;
            }
            match op.tags.as_slice() {
                [] => diags.error(
                    &at,
                    format!(
                        "operation has no area: give it exactly one tag of the root `tags:` list ({})",
                        declared.join(", ")
                    ),
                ),
                [tag] => {
                    if declared.contains(&tag.as_str()) {
                        operations[*index].area = Some(tag.clone());
                    }
                }
                [_, ..] => diags.error(
                    &at.join("tags"),
                    format!(
                        "operation has {} tags ({}); an operation belongs to exactly one area",
                        op.tags.len(),
                        op.tags.join(", ")
                    ),
                ),
            }
        }
    }
}

/// Fills in each area's dependencies: an operation whose generated code calls an operation of
/// another area (the log follow's "has the build finished?" check) needs that area's feature.
pub fn dependencies(areas: &mut [Area], operations: &[Operation]) {
    let area_of: BTreeMap<&str, &str> = operations
        .iter()
        .filter_map(|op| Some((op.module.as_str(), op.area.as_deref()?)))
        .collect();
    let mut requires: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in operations {
        let (Some(area), Some(check)) = (
            &op.area,
            op.log_follow.as_ref().and_then(|f| f.finished.as_ref()),
        ) else {
            continue;
        };
        if let Some(other) = area_of.get(check.module.as_str()) {
            if *other != area {
                requires
                    .entry(area.clone())
                    .or_default()
                    .insert((*other).to_owned());
            }
        }
    }
    let order: Vec<String> = areas.iter().map(|a| a.name.clone()).collect();
    for area in areas.iter_mut() {
        if let Some(needed) = requires.get(&area.name) {
            area.requires = order
                .iter()
                .filter(|a| needed.contains(*a))
                .cloned()
                .collect();
        }
    }
}

/// Records on every type the areas of the operations that reach it (through parameters,
/// bodies, form parts and responses, and from type to type through fields), in area order.
pub fn reach(areas: &[Area], operations: &[Operation], types: &mut [NamedType]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut reached: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); types.len()];
    for op in operations {
        let Some(area) = op.area.as_deref() else {
            continue;
        };
        let mut stack: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        stack.extend(op.body.iter().map(|b| &b.ty));
        stack.extend(op.form.iter().flat_map(|f| &f.parts).map(|p| &p.ty));
        if let crate::ir::ResponseKind::Json(t) = &op.response {
            stack.push(t);
        }
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
                TypeRef::Named(name) => {
                    let Some(&i) = index.get(name) else { continue };
                    if !reached[i].insert(area) {
                        continue;
                    }
                    if let TypeKind::Struct(fields) = &types[i].kind {
                        stack.extend(fields.iter().map(|f| &f.ty));
                    }
                }
                _ => {}
            }
        }
    }
    for (t, set) in types.iter_mut().zip(reached) {
        t.areas = areas
            .iter()
            .map(|a| a.name.as_str())
            .filter(|a| set.contains(a))
            .map(str::to_owned)
            .collect();
    }
}
