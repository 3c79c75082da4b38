//! Errors about the spec: where (file, JSON pointer, line) and what.

use std::fmt;

/// One problem found in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// JSON pointer of the offending node, such as `#/paths/~1v3~1jobs/get`.
    pub pointer: String,
    /// 1-based line in the spec file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Everything wrong with one spec file; generation stops before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file as it was named on the command line.
    pub file: String,
    /// At least one problem, in document order where lines are known.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {}", self.file)?;
            if let Some(line) = d.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": at {}: {}", d.pointer, d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Builds JSON pointers segment by segment, escaping `~` and `/` as RFC 6901 requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// The pointer one level down.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{segment}", self.0))
    }

    /// Parses a local `$ref` (`#/components/schemas/X`) into a pointer.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.to_owned())
    }

    /// The unescaped segments, for looking the node up in the source text.
    pub fn segments(&self) -> Vec<String> {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Collects problems during validation so that one run reports all of them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<(Pointer, String)>,
}

impl Diagnostics {
    /// Records a problem at `at`.
    pub fn error(&mut self, at: &Pointer, message: impl Into<String>) {
        self.items.push((at.clone(), message.into()));
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns the problems into a [`SpecError`], locating each one in `source`.
    pub fn into_error(self, file: &str, source: &str) -> SpecError {
        let mut diagnostics: Vec<Diagnostic> = self
            .items
            .into_iter()
            .map(|(pointer, message)| Diagnostic {
                // The document itself (`#`) starts on line 1.
                line: match pointer.segments().as_slice() {
                    [] => Some(1),
                    segments => crate::source_map::line_of(source, segments),
                },
                pointer: pointer.to_string(),
                message,
            })
            .collect();
        diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
        diagnostics.dedup();
        SpecError {
            file: file.to_owned(),
            diagnostics,
        }
    }
}
