//! Spec → IR → Rust generator for the CodeArts Build client.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! 1. [`load`]: YAML text to the typed [`openapi`] model (syntax errors and typos, with lines);
//! 2. [`resolve`]: validation and resolution into the [`ir`] (references, names, hints);
//! 3. [`emit`]: the IR to the generated crate's files, in memory;
//! 4. [`output`]: compare with or write to the output directory.
//!
//! Nothing is written unless every stage succeeds.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod naming;
pub mod openapi;
pub mod output;
pub mod resolve;
pub mod source_map;
pub mod surface;

use sha2::{Digest, Sha256};

pub use diag::SpecError;
pub use emit::{Files, Statics};

/// Why generation failed.
#[derive(Debug)]
pub enum GenError {
    /// The spec is invalid or uses something the generator does not support.
    Spec(SpecError),
    /// A template failed to render, or an emitter built invalid Rust (a bug in `templates/`
    /// or the generator; nothing is written).
    Template(String),
}

impl std::fmt::Display for GenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenError::Spec(e) => e.fmt(f),
            GenError::Template(e) => write!(f, "error: {e}"),
        }
    }
}

impl std::error::Error for GenError {}

/// Parses and validates a spec into the IR; `file` names it in errors.
pub fn parse(file: &str, source: &str) -> Result<ir::Api, SpecError> {
    let (spec, mut problems) = load::load(file, source)?;
    // What failed to load is reported together with what validation finds in the rest.
    match resolve::resolve(&spec) {
        Ok(api) if problems.is_empty() => Ok(api),
        Ok(_) => Err(problems.into_error(file, source)),
        Err(more) => {
            problems.extend(more);
            Err(problems.into_error(file, source))
        }
    }
}

/// Generates every file of the crate from the spec text.
pub fn generate(file: &str, source: &str, statics: &Statics) -> Result<Files, GenError> {
    let api = parse(file, source).map_err(GenError::Spec)?;
    let sha = hex(&Sha256::digest(source.as_bytes()));
    let mut files = emit::crate_files(&api, file, &sha, statics).map_err(GenError::Template)?;
    // The public API listing is derived from the emitted sources, so that `--check` and the
    // freshness test cover it and a change to the API shows in review as a diff of it.
    let listing = surface::listing(&files)
        .map_err(|e| GenError::Template(format!("listing the public API: {e}")))?;
    files.insert(API_LISTING.to_owned(), listing);
    Ok(files)
}

/// Where in the generated crate the public API listing ([`surface::listing`]) is written.
pub const API_LISTING: &str = "API.txt";

/// Generates the route files of the fake server (`fake/src/generated/`) from the spec text.
pub fn generate_fake(file: &str, source: &str) -> Result<Files, GenError> {
    let api = parse(file, source).map_err(GenError::Spec)?;
    emit::fake::files(&api, file).map_err(GenError::Template)
}

/// Generates the command line's operation subcommands (`cli/src/generated/`) from the spec
/// text, as paths relative to that directory.
pub fn generate_cli(file: &str, source: &str) -> Result<Files, GenError> {
    let api = parse(file, source).map_err(GenError::Spec)?;
    emit::cli::files(&api, file).map_err(GenError::Template)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
