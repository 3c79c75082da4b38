//! Files rendered from the askama templates in `templates/crate/`.

use askama::Template;

use crate::ir::Api;

/// Values shared by the scaffolding templates.
pub struct Context<'a> {
    /// The comment block every generated file starts with, already in the file's comment syntax.
    pub header: String,
    /// The API.
    pub api: &'a Api,
    /// The spec file name as shown to readers.
    pub spec_file: &'a str,
    /// SHA-256 of the spec bytes.
    pub spec_sha256: &'a str,
}

/// One operation row of the README.
pub struct OperationRow {
    method: String,
    path: String,
    id: String,
    deprecated: bool,
}

#[derive(Template)]
#[template(path = "crate/Cargo.toml.askama", escape = "none")]
struct CargoToml<'a> {
    header: &'a str,
    crate_version: &'a str,
    testkit_path: &'a str,
}

#[derive(Template)]
#[template(path = "crate/README.md.askama", escape = "none")]
struct Readme<'a> {
    header: &'a str,
    title: &'a str,
    spec_version: &'a str,
    spec_file: &'a str,
    operations: Vec<OperationRow>,
}

#[derive(Template)]
#[template(path = "crate/lib.rs.askama", escape = "none")]
struct LibRs<'a> {
    header: &'a str,
    title: &'a str,
    spec_version: &'a str,
    spec_file: &'a str,
    spec_sha256: &'a str,
    operation_count: usize,
}

/// The generated crate's version; bumped by hand when the generator's output changes shape.
const CRATE_VERSION: &str = "0.1.0";

/// `Cargo.toml`; `testkit` is the path of the `codearts-testkit` crate.
pub fn cargo_toml(header: &str, testkit: &str) -> Result<String, askama::Error> {
    // A TOML basic string: backslashes and quotes escaped.
    let testkit_path = testkit.replace('\\', "\\\\").replace('"', "\\\"");
    CargoToml {
        header,
        crate_version: CRATE_VERSION,
        testkit_path: &testkit_path,
    }
    .render()
}

/// `README.md`.
pub fn readme(cx: &Context) -> Result<String, askama::Error> {
    let operations = cx
        .api
        .operations
        .iter()
        .map(|op| OperationRow {
            method: op.http_method.clone(),
            path: op.path.clone(),
            id: crate::naming::bare(&op.method_name).to_owned(),
            deprecated: op.deprecated.is_some(),
        })
        .collect();
    Readme {
        header: &cx.header,
        title: &cx.api.title,
        spec_version: &cx.api.version,
        spec_file: cx.spec_file,
        operations,
    }
    .render()
}

/// `src/lib.rs`.
pub fn lib_rs(cx: &Context) -> Result<String, askama::Error> {
    LibRs {
        header: &cx.header,
        title: &cx.api.title,
        spec_version: &cx.api.version,
        spec_file: cx.spec_file,
        spec_sha256: cx.spec_sha256,
        operation_count: cx.api.operations.len(),
    }
    .render()
}
