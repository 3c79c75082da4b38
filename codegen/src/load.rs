//! Stage 1: parse the YAML text into the typed [`openapi`](crate::openapi) model.

use crate::diag::{Diagnostic, SpecError};
use crate::openapi::Spec;

/// Parses `source`; on failure the error names `file`, the line and the JSON pointer there.
pub fn load(file: &str, source: &str) -> Result<Spec, SpecError> {
    serde_yaml::from_str::<Spec>(source).map_err(|error| {
        let line = error.location().map(|l| l.line());
        let pointer = match line {
            Some(line) => crate::source_map::pointer_at(source, line),
            None => "#".to_owned(),
        };
        // The parser appends its own "at line X column Y"; the line is reported separately.
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
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
