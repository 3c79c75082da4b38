//! The one place where wire names become Rust identifiers.
//!
//! Everything goes through [`snake`] or [`pascal`], built on `heck`, so the same wire name always
//! gets the same Rust name. Names that cannot be identifiers as they are (keywords, leading digits,
//! punctuation, non-ASCII letters) are rewritten deterministically; callers detect collisions
//! between the results and report them rather than merging two wire names into one Rust name.

use heck::{ToPascalCase, ToSnakeCase};

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const PLAIN_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces characters heck would drop (anything not ASCII alphanumeric) by a readable,
/// collision-free spelling: non-ASCII letters become `u<hex>` words, other punctuation a word
/// boundary.
fn ascii_words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push('_');
        } else {
            out.push_str(&format!("_u{:04x}_", c as u32));
        }
    }
    out
}

/// A snake_case identifier for a field, function or module (`buildNo` → `build_no`,
/// `type` → `r#type`, `self` → `self_`, `2fa` → `_2fa`).
pub fn snake(wire: &str) -> String {
    let mut name = ascii_words(wire).to_snake_case();
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape(name)
}

/// A snake_case name usable as a file and module name: like [`snake`], but keywords always get a
/// trailing underscore, because `r#` cannot be part of a file name.
pub fn module(wire: &str) -> String {
    let name = snake(wire);
    match name.strip_prefix("r#") {
        Some(bare) => format!("{bare}_"),
        None => name,
    }
}

/// A PascalCase identifier for a type or enum variant (`build-status` → `BuildStatus`,
/// `2fa` → `V2fa`).
pub fn pascal(wire: &str) -> String {
    let mut name = ascii_words(wire).to_pascal_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    escape(name)
}

/// An UPPER_SNAKE_CASE name for a constant or static.
pub fn constant(wire: &str) -> String {
    module(wire).trim_start_matches('_').to_uppercase()
}

fn escape(name: String) -> String {
    if PLAIN_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix, for composing other names and for messages.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("buildNo"), "build_no");
        assert_eq!(snake("build-no"), "build_no");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("名称"), "u540d_u79f0");
        assert_eq!(snake("$ref"), "r#ref");
        assert_eq!(module("box"), "box_");
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("show_job_status"), "ShowJobStatus");
        assert_eq!(pascal("YAML"), "Yaml");
        assert_eq!(pascal("true"), "True");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("2fa"), "V2fa");
        assert_eq!(pascal("cn-north-4"), "CnNorth4");
        assert_eq!(pascal("CB.00060200"), "Cb00060200");
        assert_eq!(constant("job_id"), "JOB_ID");
    }
}
