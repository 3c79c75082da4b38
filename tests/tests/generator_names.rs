//! The generator's lists of taken names match the code they protect: a generated operation or
//! input that took one of these names would collide with it, so the generator renames it; a name
//! missing from a list would give a crate that does not compile (or silently shadows a method).
//! (Client methods are checked by `runtime_reserved_names.rs`.)

use std::path::Path;

use codegen::naming::BUILDER_METHODS;
use workspace_tests::generator::{read, root};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The generated builders' own methods (everything but the `(mut self, value: T)` setters) are
/// reserved: an input with such a name gets a `_value` setter instead.
#[test]
fn every_generated_builder_method_is_reserved_for_the_builders() {
    let pattern = regex_lite::Regex::new(
        r"pub (?:async )?fn ([a-z_][a-z0-9_]*)\(\s*(?:mut )?self\s*(?:,\s*([a-z_]+):)?",
    )
    .expect("regex");
    let mut seen = Vec::new();
    for file in rust_files(&root().join("generated").join("src").join("operations")) {
        let source = read(&file);
        for captures in pattern.captures_iter(&source) {
            let method = captures[1].to_owned();
            if captures.get(2).is_some_and(|p| p.as_str() == "value") {
                continue;
            }
            assert!(
                BUILDER_METHODS.contains(&method.as_str()),
                "{}: generated method `{method}` is not in codegen::naming::BUILDER_METHODS",
                file.display()
            );
            seen.push(method);
        }
    }
    for expected in ["build", "send", "send_with", "paginate", "follow"] {
        assert!(
            seen.iter().any(|m| m == expected),
            "no `{expected}` found: the scan is broken"
        );
    }
}
