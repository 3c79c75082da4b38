//! The service's identity (`x-service`) and its regions (`servers`): everything that makes a
//! generated crate one service's client rather than another's.

use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Endpoint, Location, Operation, ProjectIdParam, Region, RegionPattern, Service};
use crate::naming;
use crate::openapi::{ServiceInfo, Spec};

/// The identity of a spec without `x-service` (the generator fixtures): this repository's
/// CodeArts Build crate, so that a fixture crate reads like the real one.
fn fallback() -> Service {
    Service {
        crate_name: "codearts-build".to_owned(),
        lib_name: "codearts_build".to_owned(),
        product: "CodeArts Build".to_owned(),
        env_prefix: "CODEARTS_BUILD".to_owned(),
        user_agent: "codearts-build-rust".to_owned(),
        keywords: ["huaweicloud", "codearts", "build", "ci", "sdk"]
            .map(str::to_owned)
            .to_vec(),
        project_id: Some(ProjectIdParam {
            wire: "project_id".to_owned(),
            location: Location::Path,
        }),
    }
}

/// Checks `x-service` and turns it into the IR; the fallback identity when it is absent.
pub fn identity(spec: &Spec, diags: &mut Diagnostics) -> Service {
    let Some(info) = &spec.service else {
        return fallback();
    };
    let at = Pointer::root().join("x-service");
    check_identity(info, &at, diags);
    let project_id = info.project_id.as_ref().and_then(|p| {
        let location = match p.location.as_str() {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            other => {
                diags.error(
                    &at.join("project-id").join("in"),
                    format!(
                        "project-id parameter location {other:?} must be path, query or header"
                    ),
                );
                return None;
            }
        };
        Some(ProjectIdParam {
            wire: p.name.clone(),
            location,
        })
    });
    Service {
        crate_name: info.crate_name.clone(),
        lib_name: info
            .lib
            .clone()
            .unwrap_or_else(|| info.crate_name.replace('-', "_")),
        product: info.product.clone(),
        env_prefix: info.env_prefix.clone(),
        user_agent: info.user_agent.clone(),
        keywords: info.keywords.clone(),
        project_id,
    }
}

fn check_identity(info: &ServiceInfo, at: &Pointer, diags: &mut Diagnostics) {
    // A Cargo package name that is also a usable crates.io name: ASCII letters, digits, `-`
    // and `_`, starting with a letter.
    let package = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !package(&info.crate_name) {
        diags.error(
            &at.join("crate"),
            format!(
                "crate name {:?} must be ASCII letters, digits, `-` and `_`, starting with a letter",
                info.crate_name
            ),
        );
    }
    let lib = info
        .lib
        .clone()
        .unwrap_or_else(|| info.crate_name.replace('-', "_"));
    if !naming::is_identifier(&lib) || lib.starts_with("r#") || lib.contains(char::is_uppercase) {
        diags.error(
            &at.join(if info.lib.is_some() { "lib" } else { "crate" }),
            format!(
                "library name {lib:?} must be a lowercase Rust identifier that is not a keyword"
            ),
        );
    }
    if info.product.trim().is_empty() || info.product.contains(['\n', '`', '"']) {
        diags.error(
            &at.join("product"),
            "product name must be one line of plain text (no quotes or backticks)",
        );
    }
    let env_ok = info
        .env_prefix
        .starts_with(|c: char| c.is_ascii_uppercase())
        && info
            .env_prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !info.env_prefix.ends_with('_');
    if !env_ok {
        diags.error(
            &at.join("env-prefix"),
            format!(
                "environment variable prefix {:?} must be upper-case ASCII letters, digits and `_`, starting with a letter and not ending with `_`",
                info.env_prefix
            ),
        );
    }
    // An HTTP token (RFC 9110), without `/`: the version is appended after one.
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    };
    if !token(&info.user_agent) {
        diags.error(
            &at.join("user-agent"),
            format!(
                "user agent product {:?} must be an HTTP token (letters, digits, `-`, `.`, `_`, ...; no spaces or `/`)",
                info.user_agent
            ),
        );
    }
    for (i, keyword) in info.keywords.iter().enumerate() {
        if !package(keyword) || keyword.len() > 20 {
            diags.error(
                &at.join("keywords").join(i),
                format!("keyword {keyword:?} must be at most 20 ASCII letters, digits, `-` and `_`, starting with a letter"),
            );
        }
    }
}

/// Reports a declared project-id parameter that no operation has (a typo would otherwise
/// silently drop the default).
pub fn check_project_id(service: &Service, operations: &[Operation], diags: &mut Diagnostics) {
    let Some(param) = &service.project_id else {
        return;
    };
    if operations.is_empty()
        || operations
            .iter()
            .flat_map(|op| &op.params)
            .any(|p| param.matches(p))
    {
        return;
    }
    let location = match param.location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    };
    diags.error(
        &Pointer::root().join("x-service").join("project-id"),
        format!(
            "no operation has a string {location} parameter {:?} to take the client's project id",
            param.wire
        ),
    );
}

/// Whether `id` can be a region id: lower-case ASCII letters and digits in `-`-separated
/// groups (`cn-north-4`), so that it is a valid part of a host name.
pub fn is_region_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && id.split('-').all(|g| {
            !g.is_empty()
                && g.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The regions, the host pattern of every region and the endpoint-only servers, from `servers`.
pub fn regions(
    spec: &Spec,
    diags: &mut Diagnostics,
) -> (Vec<Region>, Option<RegionPattern>, Vec<Endpoint>) {
    let at = Pointer::root().join("servers");
    let mut regions: Vec<Region> = Vec::new();
    let mut pattern: Option<(RegionPattern, Vec<String>)> = None;
    let mut endpoints = Vec::new();
    let add = |regions: &mut Vec<Region>,
               diags: &mut Diagnostics,
               at: &Pointer,
               id: &str,
               url: String,
               description: Option<String>| {
        if !is_region_id(id) {
            diags.error(
                at,
                format!("region id {id:?} must be lower-case letters and digits in `-`-separated groups, such as cn-north-4"),
            );
            return;
        }
        let variant = naming::pascal(id);
        if regions.iter().any(|r| r.variant == variant) || variant == "Other" {
            diags.error(
                at,
                format!("region {id:?} maps to the Rust variant `{variant}` a second time"),
            );
            return;
        }
        regions.push(Region {
            id: id.to_owned(),
            variant,
            url,
            description,
        });
    };
    for (i, server) in spec.servers.iter().enumerate() {
        let server_at = at.join(i);
        let url = server.url.trim_end_matches('/');
        let mut unknown = false;
        for name in server.variables.keys().filter(|name| *name != "region") {
            diags.error(
                &server_at.join("variables").join(name),
                format!("server variable {name:?} is not supported; the only variable is `region`, the region id in the host"),
            );
            unknown = true;
        }
        if unknown {
            continue;
        }
        let Some(variable) = server.variables.get("region") else {
            if url.contains('{') {
                diags.error(
                    &server_at.join("url"),
                    "the server URL has a `{...}` template but no `variables.region`",
                );
                continue;
            }
            match &server.region_id {
                Some(id) => add(
                    &mut regions,
                    diags,
                    &server_at.join("x-region-id"),
                    id,
                    url.to_owned(),
                    server.description.clone(),
                ),
                None => endpoints.push(Endpoint {
                    url: url.to_owned(),
                    description: server.description.clone(),
                }),
            }
            continue;
        };
        if server.region_id.is_some() {
            diags.error(
                &server_at.join("x-region-id"),
                "a server with a `region` variable serves every region; it cannot also name one with `x-region-id`",
            );
            continue;
        }
        let parts: Vec<&str> = url.split("{region}").collect();
        let [prefix, suffix] = parts[..] else {
            diags.error(
                &server_at.join("url"),
                "a server with a `region` variable must use `{region}` exactly once in its URL",
            );
            continue;
        };
        if prefix.contains(['{', '}']) || suffix.contains(['{', '}']) {
            diags.error(
                &server_at.join("url"),
                "the server URL may have no variable other than `{region}`",
            );
            continue;
        }
        if pattern.is_some() {
            diags.error(
                &server_at,
                "a second server with a `region` variable; one host pattern serves every region",
            );
            continue;
        }
        if !is_region_id(&variable.default) {
            diags.error(
                &server_at.join("variables").join("region").join("default"),
                format!(
                    "default region {:?} is not a region id such as cn-north-4",
                    variable.default
                ),
            );
        }
        if !variable.values.is_empty() && !variable.values.contains(&variable.default) {
            diags.error(
                &server_at.join("variables").join("region").join("default"),
                format!(
                    "default region {:?} is not in the variable's `enum`",
                    variable.default
                ),
            );
        }
        pattern = Some((
            RegionPattern {
                prefix: prefix.to_owned(),
                suffix: suffix.to_owned(),
                default: variable.default.clone(),
            },
            // The enum's ids are added after the explicit servers, below.
            variable.values.clone(),
        ));
    }
    if let Some((pattern, ids)) = &pattern {
        let enum_at = at
            .join(
                spec.servers
                    .iter()
                    .position(|s| s.variables.contains_key("region"))
                    .unwrap_or_default(),
            )
            .join("variables")
            .join("region")
            .join("enum");
        for (i, id) in ids.iter().enumerate() {
            // A region listed by its own server keeps that server's URL and name.
            if regions.iter().any(|r| &r.id == id) {
                continue;
            }
            add(
                &mut regions,
                diags,
                &enum_at.join(i),
                id,
                pattern.url(id),
                None,
            );
        }
    }
    if spec.servers.is_empty() {
        diags.error(
            &at,
            "at least one server is required: one per region (with `x-region-id`), one with a `{region}` variable, or an endpoint",
        );
    }
    (regions, pattern.map(|(p, _)| p), endpoints)
}
