//! Stage 1: parse the YAML text into the typed [`openapi`](crate::openapi) model.

use crate::diag::{Diagnostic, SpecError};
use crate::openapi::Spec;

/// Parses `source`; on failure the error names `file`, the line and the JSON pointer there.
pub fn load(file: &str, source: &str) -> Result<Spec, SpecError> {
    serde_yaml::from_str::<Spec>(source).map_err(|error| {
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
        SpecError {
            file: file.to_owned(),
            diagnostics: vec![Diagnostic {
                pointer,
                line,
                message,
            }],
        }
    })
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
