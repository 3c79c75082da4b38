//! Stage 1: parse the YAML text into the typed [`openapi`] model.
//!
//! A YAML syntax error stops here with its line. A document that is valid YAML but does not fit
//! the model (a typo, a missing field, a wrong type) is read again piece by piece (the root
//! fields, each path's operations and parameters, each component) so that one mistake does not
//! hide the others: every piece that fails is reported with its location, the rest is kept, and
//! validation runs on what was read. References to pieces that failed are not reported again as
//! dangling ([`Broken`]).

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostic, Diagnostics, Pointer, SpecError};
use crate::openapi::{self, Broken, Components, Spec};

/// Parses `source`. A syntax error is an `Err` naming `file`, the line and the JSON pointer
/// there; otherwise the spec (possibly without the pieces that failed) and the problems found
/// while reading it.
pub fn load(file: &str, source: &str) -> Result<(Spec, Diagnostics), SpecError> {
    let error = match serde_yaml::from_str::<Spec>(source) {
        Ok(spec) => return Ok((spec, Diagnostics::default())),
        Err(error) => error,
    };
    let single = |error: serde_yaml::Error| {
        let (pointer, line, message) = describe(source, &error);
        SpecError {
            file: file.to_owned(),
            diagnostics: vec![Diagnostic {
                pointer,
                line,
                message,
            }],
        }
    };
    // Not even YAML: nothing can be read reliably.
    let Ok(document) = serde_yaml::from_str::<Value>(source) else {
        return Err(single(error));
    };
    let mut diags = Diagnostics::default();
    let spec = pieces(&document, &mut diags);
    if diags.is_empty() {
        // The pieces all read on their own, so the whole should have: report what it said.
        return Err(single(error));
    }
    Ok((spec, diags))
}

/// The pointer, line and message of a parse error in `source`.
fn describe(source: &str, error: &serde_yaml::Error) -> (String, Option<usize>, String) {
    let raw = error.to_string();
    // A syntax error names the construct it was reading ("while scanning a quoted scalar at
    // line 9"); that line is where the mistake is, not the end of input where it surfaced.
    let line = context_line(&raw).or(error.location().map(|l| l.line()));
    let message = without_location(&raw);
    // The parser prefixes its own dotted path (`paths./v1/a.get: ...`); the JSON pointer
    // replaces it, because keys such as `/v1/a.b` make dotted paths ambiguous.
    let message = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(char::is_whitespace) => rest.to_owned(),
        _ => message,
    };
    let mut pointer = match line {
        Some(line) => crate::source_map::pointer_at(source, line),
        None => "#".to_owned(),
    };
    // A missing field is reported at the start of the mapping that lacks it, which is the
    // line of that mapping's first key: the mapping itself is the parent of that key.
    if message.starts_with("missing field") {
        if let Some((parent, _)) = pointer.rsplit_once('/') {
            pointer = parent.to_owned();
        }
    }
    (pointer, line, message)
}

/// Reads `value` (found at `at` in the document) as a `T`; on failure reports where inside it
/// and what, and gives `None`.
fn piece<T: DeserializeOwned>(value: &Value, at: &Pointer, diags: &mut Diagnostics) -> Option<T> {
    // Parsed from text (not from the value) so that the error has a line, which locates it
    // inside the piece.
    let text = match serde_yaml::to_string(value) {
        Ok(text) => text,
        Err(error) => {
            diags.error(at, error.to_string());
            return None;
        }
    };
    match serde_yaml::from_str::<T>(&text) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            let (inner, _, message) = describe(&text, &error);
            let mut pointer = at.clone();
            for segment in Pointer::from_ref(&inner).segments() {
                pointer = pointer.join(segment);
            }
            diags.error(&pointer, message);
            None
        }
    }
}

/// A spec with nothing in it, standing in for a root that could not be read.
fn empty_spec() -> Spec {
    Spec {
        openapi: "3.0.3".to_owned(),
        info: openapi::Info {
            title: String::new(),
            version: "0".to_owned(),
            description: None,
            license: None,
            contact: None,
        },
        servers: Vec::new(),
        service: None,
        security: Vec::new(),
        tags: Vec::new(),
        paths: Default::default(),
        components: Components::default(),
        error_codes: Vec::new(),
        waiters: Vec::new(),
        build_workflow: None,
        broken: Broken::default(),
    }
}

/// The document read piece by piece.
fn pieces(document: &Value, diags: &mut Diagnostics) -> Spec {
    let root = Pointer::root();
    let Some(map) = document.as_mapping() else {
        diags.error(
            &root,
            "the spec must be a YAML mapping (`openapi:`, `info:`, `paths:`, ...)",
        );
        return empty_spec();
    };
    let mut rest = map.clone();
    let paths = rest.remove("paths");
    let components = rest.remove("components");
    rest.insert("paths".into(), Value::Mapping(Mapping::new()));
    let mut spec: Spec = match serde_yaml::from_value(Value::Mapping(rest)) {
        Ok(spec) => spec,
        Err(_) => root_fields(map, diags),
    };
    let mut broken = Broken::default();
    match paths {
        None => diags.error(&root, "missing field `paths`"),
        Some(Value::Mapping(paths)) => {
            for (key, value) in &paths {
                let Some(path) = key.as_str() else {
                    diags.error(&root.join("paths"), format!("path {key:?} is not a string"));
                    continue;
                };
                let at = root.join("paths").join(path);
                if let Some(item) = path_item(value, &at, diags, &mut broken) {
                    spec.paths.insert(path.to_owned(), item);
                }
            }
        }
        Some(_) => diags.error(
            &root.join("paths"),
            "`paths` must be a mapping of path templates",
        ),
    }
    if let Some(value) = components {
        spec.components = self::components(&value, &root.join("components"), diags, &mut broken);
    }
    spec.broken = broken;
    spec
}

const ROOT_KEYS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "security",
    "tags",
    "paths",
    "components",
    "x-error-codes",
    "x-service",
    "x-waiters",
    "x-build-workflow",
];

/// The root's own fields (not `paths` and `components`), each read on its own.
fn root_fields(map: &Mapping, diags: &mut Diagnostics) -> Spec {
    let root = Pointer::root();
    let mut spec = empty_spec();
    for key in ["openapi", "info"] {
        if !map.contains_key(key) {
            diags.error(&root, format!("missing field `{key}`"));
        }
    }
    for (key, value) in map {
        let name = key.as_str().unwrap_or_default();
        let at = root.join(name);
        match name {
            "openapi" => {
                if let Some(v) = piece(value, &at, diags) {
                    spec.openapi = v;
                }
            }
            "info" => {
                if let Some(v) = piece(value, &at, diags) {
                    spec.info = v;
                }
            }
            "servers" => spec.servers = piece(value, &at, diags).unwrap_or_default(),
            "security" => spec.security = piece(value, &at, diags).unwrap_or_default(),
            "tags" => spec.tags = piece(value, &at, diags).unwrap_or_default(),
            "x-error-codes" => spec.error_codes = piece(value, &at, diags).unwrap_or_default(),
            "x-service" => spec.service = piece(value, &at, diags),
            "x-waiters" => spec.waiters = piece(value, &at, diags).unwrap_or_default(),
            "x-build-workflow" => spec.build_workflow = piece(value, &at, diags),
            "paths" | "components" => {}
            _ => diags.error(
                &at,
                format!(
                    "unknown field `{name}`, expected one of {}",
                    quoted(ROOT_KEYS)
                ),
            ),
        }
    }
    spec
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head"];
const PATH_ITEM_KEYS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "parameters",
    "summary",
    "description",
];

/// A path item: whole if it reads, else each operation and the parameters on their own.
fn path_item(
    value: &Value,
    at: &Pointer,
    diags: &mut Diagnostics,
    broken: &mut Broken,
) -> Option<openapi::PathItem> {
    if let Ok(item) = serde_yaml::from_value::<openapi::PathItem>(value.clone()) {
        return Some(item);
    }
    let Some(map) = value.as_mapping() else {
        return piece(value, at, diags);
    };
    let mut kept = Mapping::new();
    for (key, entry) in map {
        let name = key.as_str().unwrap_or_default();
        let entry_at = at.join(name);
        let ok = if METHODS.contains(&name) {
            let ok = piece::<openapi::Operation>(entry, &entry_at, diags).is_some();
            if !ok {
                if let Some(id) = entry.get("operationId").and_then(Value::as_str) {
                    broken.operation_ids.insert(id.to_owned());
                }
            }
            ok
        } else if name == "parameters" {
            piece::<Vec<openapi::Parameter>>(entry, &entry_at, diags).is_some()
        } else if PATH_ITEM_KEYS.contains(&name) {
            true
        } else {
            diags.error(
                &entry_at,
                format!(
                    "unknown field `{name}`, expected one of {}",
                    quoted(PATH_ITEM_KEYS)
                ),
            );
            false
        };
        if ok {
            kept.insert(key.clone(), entry.clone());
        }
    }
    piece(&Value::Mapping(kept), at, diags)
}

const COMPONENT_SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "securitySchemes",
];

/// The components: whole if they read, else each entry of each section on its own. Entries
/// that fail are left out and listed in `broken`.
fn components(
    value: &Value,
    at: &Pointer,
    diags: &mut Diagnostics,
    broken: &mut Broken,
) -> Components {
    if let Ok(components) = serde_yaml::from_value::<Components>(value.clone()) {
        return components;
    }
    let Some(map) = value.as_mapping() else {
        return piece(value, at, diags).unwrap_or_default();
    };
    let mut kept = Mapping::new();
    for (key, section) in map {
        let name = key.as_str().unwrap_or_default();
        let section_at = at.join(name);
        if !COMPONENT_SECTIONS.contains(&name) {
            diags.error(
                &section_at,
                format!(
                    "unknown field `{name}`, expected one of {}",
                    quoted(COMPONENT_SECTIONS)
                ),
            );
            continue;
        }
        let Some(entries) = section.as_mapping() else {
            diags.error(
                &section_at,
                format!("`{name}` must be a mapping of names to entries"),
            );
            continue;
        };
        let mut good = Mapping::new();
        for (entry_key, entry) in entries {
            let entry_name = entry_key.as_str().unwrap_or_default();
            let entry_at = section_at.join(entry_name);
            let ok = match name {
                "schemas" => piece::<openapi::Schema>(entry, &entry_at, diags).is_some(),
                "responses" => piece::<openapi::Response>(entry, &entry_at, diags).is_some(),
                "parameters" => piece::<openapi::Parameter>(entry, &entry_at, diags).is_some(),
                "requestBodies" => piece::<openapi::RequestBody>(entry, &entry_at, diags).is_some(),
                _ => true,
            };
            if ok {
                good.insert(entry_key.clone(), entry.clone());
            } else {
                broken
                    .components
                    .insert(format!("#/components/{name}/{entry_name}"));
            }
        }
        kept.insert(key.clone(), Value::Mapping(good));
    }
    piece(&Value::Mapping(kept), at, diags).unwrap_or_default()
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Drops the parser's first "at line X column Y" (the line is reported separately) and keeps any
/// context after it, such as "while scanning a quoted scalar at line 9 column 16".
fn without_location(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[at + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(" column ").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{rest}", &message[..at])
}

/// The line in a ", while <doing something> at line N" suffix.
fn context_line(message: &str) -> Option<usize> {
    let (_, context) = message.split_once(", while ")?;
    let (_, after) = context.split_once(" at line ")?;
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}
