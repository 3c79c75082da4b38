//! The generator's lists of taken names match the code they protect: a generated operation or
//! input that took one of these names would collide with it, so the generator renames it; a name
//! missing from a list would give a crate that does not compile (or silently shadows a method).

use std::path::Path;

use codegen::naming::{BUILDER_METHODS, CLIENT_METHODS};
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

/// The bodies of every `impl <ty> {` block in `source` (brace-matched).
fn impl_blocks<'a>(source: &'a str, ty: &str) -> Vec<&'a str> {
    let header = format!("impl {ty} {{");
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find(&header) {
        let body = &rest[start + header.len()..];
        let mut depth = 1usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

#[test]
fn every_runtime_client_method_is_reserved_for_the_client() {
    let pattern = regex_lite::Regex::new(r"pub (?:async )?fn ([a-z_][a-z0-9_]*)").expect("regex");
    let mut found = Vec::new();
    // The generated crate's `Client` (which forwards to the runtime's) and the runtime's own.
    let mut files = rust_files(&root().join("runtime").join("src"));
    files.push(root().join("generated").join("src").join("client.rs"));
    for file in files {
        let source = read(&file);
        for block in impl_blocks(&source, "Client") {
            found.extend(pattern.captures_iter(block).map(|c| c[1].to_owned()));
        }
    }
    assert!(
        found.contains(&"send".to_owned()),
        "the scan finds Client's methods: {found:?}"
    );
    for method in &found {
        assert!(
            CLIENT_METHODS.contains(&method.as_str()),
            "the runtime's Client::{method} is not in codegen::naming::CLIENT_METHODS: an \
             operation named `{method}` would collide with it"
        );
    }
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
