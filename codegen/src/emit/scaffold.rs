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

/// One operation row of the per-area tables (README and crate docs).
pub struct OperationRow {
    method: String,
    path: String,
    id: String,
    /// The summary, escaped for a Markdown table cell (and for rustdoc).
    summary: String,
    /// `None`: current; `Some(None)`: deprecated without a successor; `Some(Some(id))`: its
    /// successor.
    deprecated: Option<Option<String>>,
    /// `x-rate-limit-class`, or `-`.
    class: String,
}

/// One area of the operation tables: a root tag, or (for a spec without tags) all operations.
pub struct AreaSection {
    /// Tag name; empty for the single untagged section.
    name: String,
    /// The tag's description.
    description: String,
    /// The features this area's feature enables, as Markdown (`` `records` ``), or empty.
    requires: String,
    /// Operations of the area, in id order.
    rows: Vec<OperationRow>,
    /// `lib.rs` only: the inner attributes defining the link reference of each operation
    /// (`[id]: Client::id`), to the operation when the area's feature is on and to the
    /// crate's "Features" section when it is off (the item is then compiled out).
    link_definitions: String,
}

/// The operations of `api` grouped by area, in the root `tags:` order (one section without a
/// name when the spec declares no areas).
fn sections(api: &Api) -> Vec<AreaSection> {
    let row = |op: &crate::ir::Operation| OperationRow {
        method: op.http_method.clone(),
        path: op.path.clone(),
        id: op.id.clone(),
        summary: super::docs::escape(op.summary.as_deref().unwrap_or("")).replace('|', "\\|"),
        deprecated: op.deprecated.as_ref().map(|d| d.replaced_by.clone()),
        class: op
            .rate_limit_class
            .clone()
            .unwrap_or_else(|| "-".to_owned()),
    };
    let definitions = |area: Option<&str>, ops: &[&crate::ir::Operation]| -> String {
        let linked: Vec<String> = ops
            .iter()
            .map(|op| {
                format!(
                    "[{0}]: Client::{1}",
                    op.id,
                    crate::naming::bare(&op.method_name)
                )
            })
            .collect();
        match area {
            None => linked
                .iter()
                .map(|l| format!("//! {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Some(area) => {
                let unlinked: Vec<String> = ops
                    .iter()
                    .map(|op| format!("[{}]: #features", op.id))
                    .collect();
                [
                    cfg_doc_attr(&format!("feature = \"{area}\""), &linked.join("\n")),
                    cfg_doc_attr(&format!("not(feature = \"{area}\")"), &unlinked.join("\n")),
                ]
                .join("\n")
            }
        }
    };
    if api.areas.is_empty() {
        let ops: Vec<&crate::ir::Operation> = api.operations.iter().collect();
        return vec![AreaSection {
            name: String::new(),
            description: String::new(),
            requires: String::new(),
            rows: ops.iter().map(|op| row(op)).collect(),
            link_definitions: definitions(None, &ops),
        }];
    }
    api.areas
        .iter()
        .map(|area| {
            let ops: Vec<&crate::ir::Operation> = api
                .operations
                .iter()
                .filter(|op| op.area.as_deref() == Some(area.name.as_str()))
                .collect();
            AreaSection {
                name: area.name.clone(),
                description: area
                    .description
                    .as_deref()
                    .map(|d| {
                        super::docs::escape(&d.split_whitespace().collect::<Vec<_>>().join(" "))
                    })
                    .unwrap_or_default(),
                requires: area
                    .requires
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                rows: ops.iter().map(|op| row(op)).collect(),
                link_definitions: definitions(Some(&area.name), &ops),
            }
        })
        .collect()
}

/// `#![cfg_attr(<predicate>, doc = "<text>")]` laid out as rustfmt lays it out: on one line
/// when it fits in 100 columns, else one argument per line.
fn cfg_doc_attr(predicate: &str, text: &str) -> String {
    let literal = format!("{text:?}");
    let one_line = format!("#![cfg_attr({predicate}, doc = {literal})]");
    if one_line.len() <= 100 {
        one_line
    } else {
        format!("#![cfg_attr(\n    {predicate},\n    doc = {literal}\n)]")
    }
}

#[derive(Template)]
#[template(path = "crate/Cargo.toml.askama", escape = "none")]
struct CargoToml<'a> {
    header: &'a str,
    crate_name: &'a str,
    lib_name: &'a str,
    product: &'a str,
    /// The quoted, comma-separated keywords.
    keywords: String,
    crate_version: &'a str,
    runtime_path: &'a str,
    testkit_path: &'a str,
    /// `[features]` lines of the areas (`logs = ["records"]`).
    area_features: Vec<String>,
    /// Examples that need area features: name and the quoted, comma-separated list.
    examples: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "crate/README.md.askama", escape = "none")]
struct Readme<'a> {
    header: &'a str,
    crate_name: &'a str,
    lib_name: &'a str,
    product: &'a str,
    env_prefix: &'a str,
    title: &'a str,
    spec_version: &'a str,
    spec_file: &'a str,
    areas: Vec<AreaSection>,
    has_areas: bool,
}

#[derive(Template)]
#[template(path = "crate/lib.rs.askama", escape = "none")]
struct LibRs<'a> {
    header: &'a str,
    /// Whether `region.rs` has `OtherRegion` (the spec has a host pattern).
    has_region_pattern: bool,
    /// The library name the doc examples import (`codearts_build`).
    lib_name: &'a str,
    env_prefix: &'a str,
    title: &'a str,
    spec_version: &'a str,
    spec_file: &'a str,
    spec_sha256: &'a str,
    operation_count: usize,
    areas: Vec<AreaSection>,
    has_areas: bool,
    /// Whether the spec declares `x-build-workflow` (`Client::run_build` exists).
    has_build_workflow: bool,
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
    /// A region for the doc example (`Region::CnNorth4`), when the spec lists one.
    example_region: Option<String>,
}

/// The generated crate's version; bumped by hand when the generator's output changes shape.
const CRATE_VERSION: &str = "0.1.0";

/// `Cargo.toml`; `runtime` and `testkit` are the paths of the `codearts-runtime` and
/// `codearts-testkit` crates as the manifest names them, `examples` the shipped examples (file
/// name → source), each declared with the area features it uses.
pub fn cargo_toml(
    header: &str,
    runtime: &str,
    testkit: &str,
    api: &Api,
    examples: &std::collections::BTreeMap<String, String>,
) -> Result<String, askama::Error> {
    // A TOML basic string: backslashes and quotes escaped.
    let escape = |path: &str| path.replace('\\', "\\\\").replace('"', "\\\"");
    let examples = examples
        .iter()
        .filter_map(|(file, source)| {
            let needed = super::features::example_features(api, source);
            let name = file.strip_suffix(".rs")?;
            (!needed.is_empty()).then(|| {
                let list = needed
                    .iter()
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>();
                (name.to_owned(), list.join(", "))
            })
        })
        .collect();
    let service = &api.service;
    CargoToml {
        header,
        crate_name: &service.crate_name,
        lib_name: &service.lib_name,
        product: &service.product,
        keywords: service
            .keywords
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", "),
        crate_version: CRATE_VERSION,
        runtime_path: &escape(runtime),
        testkit_path: &escape(testkit),
        area_features: super::features::cargo_features(api),
        examples,
    }
    .render()
}

/// `src/client.rs`: the client type and the runtime traits it implements. The service's
/// identity as the runtime sees it (`ServiceIdentity`) is the crate name (in `tracing` spans),
/// the environment variable prefix and the user agent's product token, all from `x-service`.
pub fn client_rs(cx: &Context) -> Result<String, askama::Error> {
    let service = &cx.api.service;
    let example_region = cx
        .api
        .regions
        .iter()
        .find(|r| {
            cx.api
                .region_pattern
                .as_ref()
                .is_some_and(|p| p.default == r.id)
        })
        .or(cx.api.regions.first())
        .map(|r| format!("Region::{}", r.variant));
    ClientRs {
        header: &cx.header,
        title: &cx.api.title,
        crate_name: &service.lib_name,
        service_name: &service.crate_name,
        env_prefix: &service.env_prefix,
        user_agent: &service.user_agent,
        example_region,
    }
    .render()
}

/// `README.md`.
pub fn readme(cx: &Context) -> Result<String, askama::Error> {
    Readme {
        header: &cx.header,
        crate_name: &cx.api.service.crate_name,
        lib_name: &cx.api.service.lib_name,
        product: &cx.api.service.product,
        env_prefix: &cx.api.service.env_prefix,
        title: &cx.api.title,
        spec_version: &cx.api.version,
        spec_file: cx.spec_file,
        areas: sections(cx.api),
        has_areas: !cx.api.areas.is_empty(),
    }
    .render()
}

/// `src/lib.rs`.
pub fn lib_rs(cx: &Context) -> Result<String, askama::Error> {
    LibRs {
        header: &cx.header,
        has_region_pattern: cx.api.region_pattern.is_some(),
        lib_name: &cx.api.service.lib_name,
        env_prefix: &cx.api.service.env_prefix,
        title: &cx.api.title,
        spec_version: &cx.api.version,
        spec_file: cx.spec_file,
        spec_sha256: cx.spec_sha256,
        operation_count: cx.api.operations.len(),
        areas: sections(cx.api),
        has_areas: !cx.api.areas.is_empty(),
        has_build_workflow: cx.api.build_workflow.is_some(),
    }
    .render()
}
