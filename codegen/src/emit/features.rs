//! Cargo features per area ("pay for what you use"): the `#[cfg]` attributes that gate
//! operations, types and tests, the feature table of `Cargo.toml`, and the features each shipped
//! example needs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, NamedType, Operation, TypeRef};

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", ..))]` for several areas; nothing for
/// none (an item no area reaches is always compiled).
pub fn cfg(areas: &[String]) -> TokenStream {
    match predicate(areas) {
        Some(p) => quote!(#[cfg(#p)]),
        None => TokenStream::new(),
    }
}

/// The `cfg` predicate that holds when one of `areas` is enabled.
pub fn predicate(areas: &[String]) -> Option<TokenStream> {
    match areas {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        several => Some(quote!(any( #( feature = #several ),* ))),
    }
}

/// The gate of an operation's items: its area's feature.
pub fn operation_cfg(op: &Operation) -> TokenStream {
    cfg(op.area.as_slice())
}

/// The areas of the named types inside `t` (the first one found: a field, body or example
/// names at most one), empty when `t` is a plain scalar or an ungated type.
pub fn type_areas<'a>(api: &'a Api, t: &TypeRef) -> &'a [String] {
    match t {
        TypeRef::Array(inner) | TypeRef::Map(inner) => type_areas(api, inner),
        TypeRef::Named(name) => named(api, name).map_or(&[], |t| t.areas.as_slice()),
        _ => &[],
    }
}

fn named<'a>(api: &'a Api, name: &str) -> Option<&'a NamedType> {
    api.types
        .binary_search_by(|t| t.name.as_str().cmp(name))
        .ok()
        .map(|i| &api.types[i])
}

/// Whether code compiled with `from`'s feature can rely on `to`'s items: the same area, no
/// area at all, or an area that `from`'s feature enables.
pub fn reaches(api: &Api, from: Option<&str>, to: Option<&str>) -> bool {
    match (from, to) {
        (_, None) => true,
        (Some(from), Some(to)) => {
            let mut seen = BTreeSet::new();
            let mut pending = vec![from];
            while let Some(area) = pending.pop() {
                if area == to {
                    return true;
                }
                if seen.insert(area) {
                    if let Some(a) = api.areas.iter().find(|a| a.name == area) {
                        pending.extend(a.requires.iter().map(String::as_str));
                    }
                }
            }
            false
        }
        (None, Some(_)) => false,
    }
}

/// The `[features]` entries of the areas, one line each (`logs = ["records"]`), and
/// `all-areas`; empty when the spec has no areas.
pub fn cargo_features(api: &Api) -> Vec<String> {
    if api.areas.is_empty() {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<String> = api.areas.iter().map(|a| a.name.clone()).collect();
    lines.push(format!("all-areas = [{}]", quoted(&all)));
    for area in &api.areas {
        if let Some(description) = &area.description {
            lines.push(format!(
                "# {}",
                description.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        lines.push(format!("{} = [{}]", area.name, quoted(&area.requires)));
    }
    lines
}

/// The areas a shipped example uses, in area order: those of the operations and waiters it
/// calls (`.method(`), of the build-run workflow when it uses it, and of the generated types it
/// names (request types included). Comments and
/// string literals are skipped, so prose that mentions an operation does not count.
pub fn example_features(api: &Api, source: &str) -> Vec<String> {
    let tokens = identifiers(source);
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    for op in &api.operations {
        let Some(area) = op.area.as_deref() else {
            continue;
        };
        let own_types =
            ["Request", "RequestBuilder", "FluentBuilder"].map(|s| format!("{}{s}", op.pascal));
        let used = tokens.iter().any(|(ident, after_dot)| {
            (*after_dot && *ident == op.method_name.trim_start_matches("r#"))
                || own_types.iter().any(|t| t == ident)
        });
        if used {
            needed.insert(area);
        }
    }
    for w in &api.waiters {
        if tokens
            .iter()
            .any(|(ident, after_dot)| *after_dot && *ident == w.method)
        {
            needed.extend(w.area.as_deref());
        }
    }
    if let Some(w) = &api.build_workflow {
        let used = tokens.iter().any(|(ident, after_dot)| {
            (*after_dot && *ident == "run_build")
                || ["RunBuild", "BuildHandle", "BuildOutcome"].contains(ident)
        });
        if used {
            needed.extend(w.areas.iter().map(String::as_str));
        }
    }
    for t in &api.types {
        if t.areas.is_empty() || !tokens.iter().any(|(ident, _)| *ident == t.name) {
            continue;
        }
        // A type shared by several areas needs one of them: one the example enables already,
        // else the first.
        if !t.areas.iter().any(|a| needed.contains(a.as_str())) {
            needed.insert(&t.areas[0]);
        }
    }
    api.areas
        .iter()
        .filter(|a| needed.contains(a.name.as_str()))
        .map(|a| a.name.clone())
        .collect()
}

/// The identifiers of Rust source outside comments and string/char literals, each with whether
/// it follows a `.` (a method call or field access).
fn identifiers(source: &str) -> Vec<(&str, bool)> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_dot = false;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                after_dot = false;
            }
            b'.' => {
                after_dot = true;
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                // A raw string `r"..."` / `r#"..."#` starts like an identifier.
                if &source[start..i] == "r" && matches!(bytes.get(i), Some(b'"' | b'#')) {
                    let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + hashes + 1;
                    i = source
                        .get(body..)
                        .and_then(|rest| rest.find(&close))
                        .map_or(bytes.len(), |end| body + end + close.len());
                    after_dot = false;
                    continue;
                }
                out.push((&source[start..i], after_dot));
                after_dot = false;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                after_dot = false;
                i += 1;
            }
        }
    }
    out
}

/// A paragraph of generated docs that may link to an item of another area.
pub enum DocBlock {
    /// Always the same text.
    Plain(String),
    /// `linked` when `feature` is on (the link target exists), else `unlinked`: an intra-doc
    /// link to a compiled-out item would fail `rustdoc -D warnings`.
    Gated {
        /// The feature the link target needs.
        feature: String,
        /// Text with the link.
        linked: String,
        /// Text without it.
        unlinked: String,
    },
}

/// Inner doc attributes (`//!`) for `blocks`, separated by blank doc lines.
pub fn inner_docs(blocks: &[DocBlock]) -> TokenStream {
    let mut out = TokenStream::new();
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| format!(" {l}").trim_end().to_owned())
            .collect()
    };
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.extend(quote!(#![doc = ""]));
        }
        match block {
            DocBlock::Plain(text) => {
                for line in lines(text) {
                    out.extend(quote!(#![doc = #line]));
                }
            }
            DocBlock::Gated {
                feature,
                linked,
                unlinked,
            } => {
                for line in lines(linked) {
                    out.extend(quote!(#![cfg_attr(feature = #feature, doc = #line)]));
                }
                for line in lines(unlinked) {
                    out.extend(quote!(#![cfg_attr(not(feature = #feature), doc = #line)]));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::identifiers;

    #[test]
    fn identifiers_skip_comments_and_strings() {
        let source = "// client.run_job()\nlet x = client\n    .execute_job() /* .stop_job( */;\nlet s = \"a.show_job()\"; let r = r#\"b.c\"#; y.z";
        let found: Vec<(&str, bool)> = identifiers(source);
        assert_eq!(
            found,
            vec![
                ("let", false),
                ("x", false),
                ("client", false),
                ("execute_job", true),
                ("let", false),
                ("s", false),
                ("let", false),
                ("r", false),
                ("y", false),
                ("z", true),
            ]
        );
    }
}
