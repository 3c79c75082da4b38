//! Operations: resolution of each operation from its spec entry; what it holds is resolved in
//! one module each (parameters, bodies, responses, hints).

mod bodies;
mod hints;
mod parameters;
mod responses;

use std::collections::BTreeMap;

use super::schemas::Registry;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{Deprecation, Example, Operation, RATE_LIMIT_CLASSES};
use crate::naming;
use crate::openapi::{self, Spec};

pub use bodies::form_schemas;
use bodies::{body_media, form_body, json_body, JSON};
pub(super) use hints::steps;
use hints::{finished_check, log_follow, status_envelope};
use parameters::parameters;
use responses::response;

/// Resolves all operations (sorted by id) and their examples.
pub fn resolve(
    spec: &Spec,
    registry: &mut Registry,
    diags: &mut Diagnostics,
) -> (Vec<Operation>, Vec<Example>) {
    let mut operations: Vec<Operation> = Vec::new();
    let mut examples = Vec::new();
    // snake_case id → (the id as written, where).
    let mut ids: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
    let mut replaced: Vec<(Pointer, String)> = Vec::new();
    let mut finished: Vec<(String, Pointer, &openapi::LogFollow)> = Vec::new();
    let mut methods = naming::Scope::reserved(naming::CLIENT_METHODS, "the client's own method");
    let paths = Pointer::root().join("paths");
    for (path, item) in &spec.paths {
        let item_at = paths.join(path);
        for (method, op) in item.operations() {
            let at = item_at.join(method);
            let Some(spec_id) = &op.operation_id else {
                diags.error(&at, "operation has no operationId");
                continue;
            };
            // camelCase and PascalCase ids (the vendor's SDK names) become snake_case.
            let id = rust_id(spec_id);
            if let Some((first_id, first)) = ids.get(&id) {
                let message = if first_id == spec_id {
                    format!("duplicate operationId {spec_id:?}, already used at {first}")
                } else {
                    format!("duplicate operationId {spec_id:?}: {first_id:?} at {first} has the same snake_case name `{id}`")
                };
                diags.error(&at.join("operationId"), message);
                continue;
            }
            ids.insert(id.clone(), (spec_id.clone(), at.clone()));
            if let Some(successor) = &op.replaced_by {
                replaced.push((at.join("x-replaced-by"), successor.clone()));
                if !op.deprecated {
                    diags.error(
                        &at.join("x-replaced-by"),
                        "`x-replaced-by` on an operation that is not `deprecated: true`",
                    );
                }
            }
            if let Some(follow) = &op.log_follow {
                finished.push((id.clone(), at.join("x-log-follow"), follow));
            }
            if let Some(class) = &op.rate_limit_class {
                if !RATE_LIMIT_CLASSES.contains(&class.as_str()) {
                    diags.error(
                        &at.join("x-rate-limit-class"),
                        format!(
                            "unknown `x-rate-limit-class` {class:?}; expected one of {}",
                            RATE_LIMIT_CLASSES.join(", ")
                        ),
                    );
                }
            }
            let site = Site {
                path,
                item,
                item_at: &item_at,
                method,
                at: &at,
            };
            let mut resolved = operation(spec, &site, &id, op, registry, diags, &mut examples);
            resolved.spec_id.clone_from(spec_id);
            // The client's own methods keep their names; the operation's method is renamed.
            let (method, holder) =
                methods.claim(&resolved.method_name, "_operation", "another operation");
            if let Some(holder) = holder {
                resolved.method_note = Some(format!(
                    "The client method is `{}` because `{}` is {holder}.",
                    naming::bare(&method),
                    naming::bare(&resolved.method_name)
                ));
                resolved.method_name = method;
            }
            operations.push(resolved);
        }
    }
    for (at, successor) in replaced {
        let known = ids.contains_key(&rust_id(&successor));
        if !known && !spec.broken.operation_ids.contains(&successor) {
            diags.error(
                &at,
                format!("`x-replaced-by` names {successor:?}, which is not an operationId"),
            );
        }
    }
    for (id, at, follow) in finished {
        let check = finished_check(follow, &id, &operations, &at, registry, diags);
        if let Some(f) = operations
            .iter_mut()
            .find(|op| op.id == id)
            .and_then(|op| op.log_follow.as_mut())
        {
            f.finished = check;
        }
    }
    // A successor is named by its client method, which may have been renamed.
    let method_of: BTreeMap<String, String> = operations
        .iter()
        .map(|op| (op.id.clone(), naming::bare(&op.method_name).to_owned()))
        .collect();
    for op in &mut operations {
        if let Some(successor) = op.deprecated.as_mut().and_then(|d| d.replaced_by.as_mut()) {
            if let Some(method) = method_of.get(successor.as_str()) {
                successor.clone_from(method);
            }
        }
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    (operations, examples)
}

/// The Rust name of an operationId: snake_case (`ShowJobConfigDiff` → `show_job_config_diff`),
/// without a raw prefix.
pub(crate) fn rust_id(operation_id: &str) -> String {
    naming::bare(&naming::snake(operation_id)).to_owned()
}

/// Where an operation sits in the spec.
struct Site<'s> {
    path: &'s str,
    item: &'s openapi::PathItem,
    item_at: &'s Pointer,
    method: &'s str,
    at: &'s Pointer,
}

fn operation(
    spec: &Spec,
    site: &Site,
    id: &str,
    op: &openapi::Operation,
    registry: &mut Registry,
    diags: &mut Diagnostics,
    examples: &mut Vec<Example>,
) -> Operation {
    let (path, method, at) = (site.path, site.method, site.at);
    let pascal = naming::pascal(id);
    let request_body = op.request_body.as_ref().and_then(|body| {
        let body_at = at.join("requestBody");
        shared(
            spec,
            body,
            &body.reference,
            &body_at,
            REQUEST_BODY_PREFIX,
            |s| &s.components.request_bodies,
        )
    });
    // One scope for every field of the request: the builders' own methods, the JSON body,
    // the parameters, the multipart parts.
    let mut fields =
        naming::Scope::reserved(naming::BUILDER_METHODS, "a method of the request builders");
    if request_body
        .as_ref()
        .is_some_and(|(b, _)| b.content.contains_key(JSON))
    {
        fields.claim("body", "_value", "the JSON request body");
    }
    let params = parameters(
        spec,
        site,
        op,
        &pascal,
        id,
        &mut fields,
        registry,
        diags,
        examples,
    );
    let mut body = None;
    let mut form = None;
    if let Some((request_body, body_at)) = request_body {
        match body_media(&request_body.content, &body_at, diags) {
            Some((JSON, media)) => {
                body = json_body(
                    request_body,
                    media,
                    &body_at,
                    id,
                    &pascal,
                    registry,
                    diags,
                    examples,
                );
            }
            Some((_, media)) => {
                form = form_body(
                    spec,
                    request_body,
                    media,
                    &body_at,
                    &pascal,
                    &mut fields,
                    registry,
                    diags,
                );
            }
            None => {}
        }
    }
    let response = response(spec, op, at, id, &pascal, registry, diags, examples);
    let pagination = op.pagination.as_ref().and_then(|p| {
        super::pagination::resolve(
            p,
            &params,
            body.as_ref(),
            &response,
            &at.join("x-pagination"),
            registry,
            diags,
        )
    });
    let log_follow = op.log_follow.as_ref().and_then(|f| {
        log_follow(
            f,
            &params,
            &response,
            &at.join("x-log-follow"),
            registry,
            diags,
        )
    });
    let status_envelope = op.status_envelope.as_ref().and_then(|e| {
        status_envelope(e, &response, &at.join("x-status-envelope"), registry, diags)
    });
    Operation {
        id: id.to_owned(),
        spec_id: id.to_owned(),
        method_name: naming::snake(id),
        method_note: None,
        module: naming::module(id),
        pascal,
        http_method: method.to_uppercase(),
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        doc_notes: op.doc_notes.clone(),
        rate_limit_class: op.rate_limit_class.clone(),
        area: None,
        deprecated: op.deprecated.then(|| Deprecation {
            replaced_by: op.replaced_by.as_deref().map(rust_id),
        }),
        idempotent: op.idempotent || matches!(method, "get" | "head" | "put" | "delete"),
        params,
        body,
        form,
        response,
        pagination,
        log_follow,
        status_envelope,
    }
}

/// Where `$ref`s to shared parameters point.
pub(crate) const PARAMETER_PREFIX: &str = "#/components/parameters/";

/// Where `$ref`s to shared request bodies point.
pub(crate) const REQUEST_BODY_PREFIX: &str = "#/components/requestBodies/";

/// `item` itself (at `at`), or the shared component its `$ref` names, with the component's
/// pointer. A `$ref` that does not resolve gives `None` and no diagnostic: the reference check
/// (`resolve::refs`) reports every dangling `$ref` once.
fn shared<'s, T>(
    spec: &'s Spec,
    item: &'s T,
    reference: &Option<String>,
    at: &Pointer,
    prefix: &str,
    section: impl Fn(&'s Spec) -> &'s BTreeMap<String, T>,
) -> Option<(&'s T, Pointer)> {
    match reference {
        None => Some((item, at.clone())),
        Some(reference) => {
            let name = reference.strip_prefix(prefix)?;
            let component = section(spec).get(name)?;
            Some((component, Pointer::from_ref(reference)))
        }
    }
}
