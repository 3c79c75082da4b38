//! Whether a generated crate directory is exactly what the spec, the templates and the generator
//! produce now: the check behind `generated_fresh.rs`, the in-process twin of
//! `cargo xtask gen --check`.

use std::path::Path;

use codegen::{output, Statics};

use crate::generator::{read, root};

/// The spec `generated/` is generated from, as `cargo xtask gen` names it.
pub const SPEC: &str = "spec/codeartsbuild.yaml";

/// Compares the crate directory `out` with what `cargo xtask gen --out generated` writes (the
/// same spec, templates and dependency paths); `Err` says what is stale, missing or extra, with
/// a diff per file, and how to fix it.
pub fn check(out: &Path) -> Result<usize, String> {
    let root = root();
    let source = read(&root.join(SPEC));
    let mut statics =
        Statics::load(&root.join("templates")).map_err(|e| format!("reading templates/: {e}"))?;
    // The paths `cargo xtask gen` writes for the crate in generated/, computed the same way.
    let generated = root.join("generated");
    statics.runtime = codegen::emit::dependency_path(&generated, &root, &root.join("runtime"));
    statics.testkit = codegen::emit::testkit_path(&generated, &root, &root.join("testkit"));
    let files = codegen::generate(SPEC, &source, &statics).map_err(|e| e.to_string())?;
    let drift =
        output::check(out, &files).map_err(|e| format!("reading {}: {e}", out.display()))?;
    if drift.is_empty() {
        return Ok(files.len());
    }
    Err(format!(
        "generated/ is out of date with {SPEC} ({} stale, {} missing, {} extra); \
         run `cargo xtask gen` and commit the result\n{drift}",
        drift.stale.len(),
        drift.missing.len(),
        drift.extra.len()
    ))
}
