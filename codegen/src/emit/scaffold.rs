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
    runtime_path: &'a str,
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

#[derive(Template)]
#[template(path = "crate/client.rs.askama", escape = "none")]
struct ClientRs<'a> {
    header: &'a str,
    title: &'a str,
    crate_name: &'a str,
    service_name: &'a str,
    env_prefix: &'a str,
    user_agent: &'a str,
}

/// The generated crate's version; bumped by hand when the generator's output changes shape.
const CRATE_VERSION: &str = "0.1.0";

/// The service's identity as the runtime sees it (`ServiceIdentity`): the name in `tracing`
/// spans, the prefix of the environment variables `from_env` reads, and the user agent's
/// product name. The crate and package names in the templates match them.
const SERVICE_NAME: &str = "codearts-build";
const ENV_PREFIX: &str = "CODEARTS_BUILD";
const USER_AGENT: &str = "codearts-build-rust";
/// The generated library's name, as user code (and doc examples) write it.
const LIB_NAME: &str = "codearts_build";

/// `Cargo.toml`; `runtime` and `testkit` are the paths of the `codearts-runtime` and
/// `codearts-testkit` crates as the manifest names them.
pub fn cargo_toml(header: &str, runtime: &str, testkit: &str) -> Result<String, askama::Error> {
    // A TOML basic string: backslashes and quotes escaped.
    let escape = |path: &str| path.replace('\\', "\\\\").replace('"', "\\\"");
    CargoToml {
        header,
        crate_version: CRATE_VERSION,
        runtime_path: &escape(runtime),
        testkit_path: &escape(testkit),
    }
    .render()
}

/// `src/client.rs`: the client type and the runtime traits it implements.
pub fn client_rs(cx: &Context) -> Result<String, askama::Error> {
    ClientRs {
        header: &cx.header,
        title: &cx.api.title,
        crate_name: LIB_NAME,
        service_name: SERVICE_NAME,
        env_prefix: ENV_PREFIX,
        user_agent: USER_AGENT,
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
            id: op.id.clone(),
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
