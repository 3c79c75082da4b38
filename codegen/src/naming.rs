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

/// An UPPER_SNAKE_CASE name for a constant or static (`job_id` → `JOB_ID`, `type` → `TYPE_`,
/// `2fa` → `_2FA`). The result is always an identifier, also when other words are appended.
pub fn constant(wire: &str) -> String {
    // `module` never starts with an underscore except before a leading digit, which keeps it.
    module(wire).to_uppercase()
}

/// Whether `name` can be used as a Rust identifier as it is: ASCII letters, digits and
/// underscores, not starting with a digit, not a keyword unless written raw (`r#type`).
/// Every name the generator emits is checked with this before any code is built from it.
pub fn is_identifier(name: &str) -> bool {
    let (bare, raw) = match name.strip_prefix("r#") {
        Some(bare) => (bare, true),
        None => (name, false),
    };
    let mut chars = bare.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        || bare == "_"
        || PLAIN_KEYWORDS.contains(&bare)
    {
        return false;
    }
    // Raw identifiers exist for keywords; other names must be written plainly.
    RAW_KEYWORDS.contains(&bare) == raw
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

/// Methods every `Client` has: the runtime's own (`impl Client` in `templates/runtime/`; a
/// workspace test fails when the runtime gains one that is not listed) and those of the traits
/// it implements (`Clone`, `Debug`). An operation whose method would take one of these names is
/// renamed ([`Scope::claim`]).
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "project_id",
    "endpoint",
    "send",
    "send_with",
    "prepare",
    "clock_offset_secs",
    "clone",
    "clone_from",
    "fmt",
];

/// Methods of a generated request builder and fluent builder (`build`, `send`, `send_with`,
/// `paginate`, `follow`) and of the traits they implement (`Default`, `Clone`, `PartialEq`,
/// `Debug`): a request field with one of these names would give a setter that shadows or
/// clashes with it, so the field is renamed ([`Scope::claim`]).
pub const BUILDER_METHODS: &[&str] = &[
    "build",
    "send",
    "send_with",
    "paginate",
    "follow",
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
];

/// Methods of a generated type builder (`TBuilder`: `build`) and of the traits it implements
/// (`Default`, `Clone`, `PartialEq`, `Debug`): a struct field with one of these names gets a
/// `_value` setter instead ([`Scope::claim`]).
pub const TYPE_BUILDER_METHODS: &[&str] =
    &["build", "default", "clone", "clone_from", "eq", "ne", "fmt"];

/// The names taken in one Rust scope (the client's methods, one request's fields), so that a
/// generated name never collides with another: a name that is taken is renamed, with a suffix,
/// and the rename is reported so that it can be documented.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Name → what holds it, for messages and docs.
    taken: std::collections::BTreeMap<String, String>,
}

impl Scope {
    /// A scope whose `names` are held by `holder` (such as "the client's own method").
    pub fn reserved(names: &[&str], holder: &str) -> Self {
        Scope {
            taken: names
                .iter()
                .map(|n| ((*n).to_owned(), holder.to_owned()))
                .collect(),
        }
    }

    /// Who holds `name`, if anyone.
    pub fn holder(&self, name: &str) -> Option<&str> {
        self.taken.get(bare(name)).map(String::as_str)
    }

    /// Records `name` for `holder`. When it is taken, `name` + `suffix` (then `suffix2`, ...) is
    /// used instead and returned with who held the name.
    pub fn claim(&mut self, name: &str, suffix: &str, holder: &str) -> (String, Option<String>) {
        let base = bare(name).to_owned();
        let Some(previous) = self.taken.get(&base).cloned() else {
            self.taken.insert(base, holder.to_owned());
            return (name.to_owned(), None);
        };
        let mut candidate = format!("{base}{suffix}");
        let mut n = 2;
        while self.taken.contains_key(&candidate) {
            candidate = format!("{base}{suffix}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone(), holder.to_owned());
        (candidate, Some(previous))
    }
}

/// Headers the client sets itself (lower case): a header parameter may not use these names,
/// or it could replace the host, the credentials, the signing time or the project that the
/// signature covers. The runtime refuses them too (`codearts_runtime::client::RESERVED_HEADERS`;
/// `tests/tests/runtime_reserved_names.rs` keeps the two lists equal).
pub const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "content-type",
    "content-length",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
];

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

    #[test]
    fn constant_names() {
        assert_eq!(constant("job_id"), "JOB_ID");
        assert_eq!(constant("2fa"), "_2FA");
        assert_eq!(constant("_2fa"), "_2FA");
        assert_eq!(constant("type"), "TYPE_");
        assert_eq!(constant("self"), "SELF_");
        assert_eq!(constant("名称"), "U540D_U79F0");
        assert_eq!(constant(""), "FIELD");
    }

    #[test]
    fn scope_renames_taken_names() {
        let mut scope = Scope::reserved(BUILDER_METHODS, "a builder method");
        assert_eq!(
            scope.claim("limit", "_value", "p"),
            ("limit".to_owned(), None)
        );
        assert_eq!(
            scope.claim("build", "_value", "p"),
            (
                "build_value".to_owned(),
                Some("a builder method".to_owned())
            )
        );
        assert_eq!(
            scope.claim("build", "_value", "q"),
            (
                "build_value2".to_owned(),
                Some("a builder method".to_owned())
            )
        );
        assert_eq!(scope.holder("r#type"), None);
    }

    #[test]
    fn identifier_check() {
        for good in ["a", "_a", "_2fa", "A1", "r#type", "self_", "Self_", "U00c4"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in [
            "", "_", "2fa", "2FA", "a-b", "ä", "type", "r#self", "r#abc", "self", "r#", "a b",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    /// Whatever the wire name, every naming function yields an identifier, also with the
    /// suffixes the emitters append.
    #[test]
    fn every_name_is_an_identifier() {
        let wires = [
            "",
            "_",
            "__",
            "-",
            "1",
            "2fa",
            "42",
            "a-b",
            "x y",
            "ÄÖ",
            "名称",
            "🙂",
            "type",
            "Self",
            "self",
            "super",
            "crate",
            "r#type",
            "match",
            "gen",
            "try",
            "_2fa",
            "a__b",
            "$ref",
            "CB.00060200",
            "cn-north-4",
            "Unknown",
            "0_0",
            "ß",
            "\t",
            "a\nb",
            "mod",
            "union",
        ];
        for wire in wires {
            for name in [snake(wire), module(wire), pascal(wire), constant(wire)] {
                assert!(is_identifier(&name), "{wire:?} -> {name:?}");
            }
            assert!(
                is_identifier(&format!("{}_PATTERN", constant(bare(&snake(wire))))),
                "{wire:?}"
            );
            assert!(
                is_identifier(&format!("{}Request", pascal(wire))),
                "{wire:?}"
            );
            assert!(is_identifier(&format!("x_{}", module(wire))), "{wire:?}");
        }
    }
}
