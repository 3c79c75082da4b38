//! `cargo test --workspace` alone catches drift: `generated/` must be exactly what the spec,
//! the templates and the generator produce now (the in-process twin of `cargo xtask gen --check`,
//! in the manner of rust-analyzer's `ensure_file_contents`).

use codegen::{output, Statics};
use workspace_tests::generator::{read, root};

#[test]
fn generated_crate_is_up_to_date_with_the_spec() {
    let root = root();
    let spec = "spec/codeartsbuild.yaml";
    let source = read(&root.join(spec));
    let statics = Statics::load(&root.join("templates")).expect("templates/ is readable");
    let files = codegen::generate(spec, &source, &statics).unwrap_or_else(|e| panic!("{e}"));
    let drift = output::check(&root.join("generated"), &files).expect("generated/ is readable");
    assert!(
        drift.is_empty(),
        "generated/ is out of date with {spec} ({} stale, {} missing, {} extra); \
         run `cargo xtask gen` and commit the result\n{drift}",
        drift.stale.len(),
        drift.missing.len(),
        drift.extra.len()
    );
}

#[test]
fn cli_subcommands_are_up_to_date_with_the_spec() {
    let root = root();
    let spec = "spec/codeartsbuild.yaml";
    let source = read(&root.join(spec));
    let files = codegen::generate_cli(spec, &source).unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("cli").join("src").join("generated");
    let drift = output::check(&dir, &files).expect("cli/src/generated/ is readable");
    assert!(
        drift.is_empty(),
        "cli/src/generated/ is out of date with {spec}; run `cargo xtask gen` and commit the \
         result\n{drift}"
    );
    // One subcommand per operation, plus the module that lists them.
    let operations = codegen::parse(spec, &source)
        .expect("the spec is valid")
        .operations
        .len();
    assert_eq!(files.len(), operations + 1);
}
