//! The generated code reads like hand-written code: no token-spacing artefacts such as
//! `crate ::runtime::…(& self.x)`, which appear when expressions are passed through a macro's
//! arguments (`format!`) that the formatter cannot lay out.

use std::path::{Path, PathBuf};

use workspace_tests::generator::{read, root};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Spacing that only unformatted macro arguments produce, outside string literals.
const ARTEFACTS: &[&str] = &["crate ::", "& self", "(& ", ":: ", "self ."];

/// The artefacts of one line's code (its string literals and comments removed).
fn artefacts(line: &str) -> Vec<&'static str> {
    if line.trim_start().starts_with("//") {
        return Vec::new();
    }
    let mut code = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else {
            code.push(c);
        }
    }
    ARTEFACTS
        .iter()
        .copied()
        .filter(|a| code.contains(a))
        .collect()
}

#[test]
fn the_checker_finds_artefacts() {
    assert_eq!(
        artefacts(
            r#"    "/v1/job/{}/status", crate ::runtime::operation::encode_path_segment(& self.job_id)"#
        ),
        ["crate ::", "& self", "(& "]
    );
    assert!(artefacts(r#"    path: crate::runtime::encode::expand_path(SPEC.path_template, &[self.job_id.as_str()]),"#).is_empty());
    assert!(artefacts(r#"    let x = "crate :: in a string & self";"#).is_empty());
    assert!(artefacts("    ::std::result::Result::Ok(())").is_empty());
}

#[test]
fn generated_code_has_no_macro_argument_artefacts() {
    let mut files = Vec::new();
    rust_files(&root().join("generated"), &mut files);
    assert!(files.len() > 100, "the scan found the generated crate");
    let mut found = Vec::new();
    for file in files {
        for (n, line) in read(&file).lines().enumerate() {
            let hits = artefacts(line);
            if !hits.is_empty() {
                found.push(format!("{}:{}: {hits:?}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "unreadable generated code:\n{}",
        found.join("\n")
    );
}
