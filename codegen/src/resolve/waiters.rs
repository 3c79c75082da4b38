//! `x-build-state` (build status enums), `x-waiters` (the client's `wait_for_*` methods) and
//! `x-build-workflow` (the operations behind `run_build`): each checked against the operations
//! and types it names, and reported at its location when it cannot be followed.

use super::operations::{rust_id, steps};
use super::schemas::Registry;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{
    BuildState, BuildWorkflow, Location, Operation, ResponseKind, Step, TypeKind, TypeRef, Until,
    Waiter, WaiterInput,
};
use crate::naming;
use crate::openapi::{BuildWorkflowHint, Spec, WaiterHint};

/// Everything the three hints declare.
pub(super) struct Resolved {
    pub build_states: Vec<BuildState>,
    pub waiters: Vec<Waiter>,
    pub build_workflow: Option<BuildWorkflow>,
}

/// Resolves the hints once every operation and type is known.
pub(super) fn resolve(
    spec: &Spec,
    operations: &[Operation],
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Resolved {
    let build_states = build_states(spec, registry, diags);
    let at = Pointer::root().join("x-waiters");
    let mut waiters: Vec<Waiter> = Vec::new();
    for (i, hint) in spec.waiters.iter().enumerate() {
        let at = at.join(i);
        if waiters.iter().any(|w| w.method == hint.method) {
            diags.error(
                &at.join("method"),
                format!("{:?} is declared twice", hint.method),
            );
            continue;
        }
        if let Some(w) = waiter(hint, operations, registry, &build_states, &at, diags) {
            waiters.push(w);
        }
    }
    let build_workflow = spec.build_workflow.as_ref().and_then(|hint| {
        workflow(
            hint,
            operations,
            registry,
            &waiters,
            &build_states,
            &Pointer::root().join("x-build-workflow"),
            diags,
        )
    });
    Resolved {
        build_states,
        waiters,
        build_workflow,
    }
}

fn build_states(spec: &Spec, registry: &Registry, diags: &mut Diagnostics) -> Vec<BuildState> {
    let mut out = Vec::new();
    for (name, schema) in &spec.components.schemas {
        let Some(hint) = &schema.build_state else {
            continue;
        };
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name)
            .join("x-build-state");
        let rust = naming::pascal(name);
        let Some(TypeKind::Enum(variants)) = registry.get(&rust).map(|t| &t.kind) else {
            diags.error(&at, "`x-build-state` belongs on a string enum schema");
            continue;
        };
        let mut pick = |values: &[String], key: &str| -> Vec<String> {
            let mut picked = Vec::new();
            for value in values {
                match variants.iter().find(|v| &v.wire == value) {
                    Some(v) => picked.push(v.name.clone()),
                    None => diags.error(
                        &at.join(key),
                        format!("{value:?} is not a value of the enum"),
                    ),
                }
            }
            picked
        };
        let terminal = pick(&hint.terminal, "terminal");
        let success = pick(&hint.success, "success");
        for (value, variant) in hint.success.iter().zip(&success) {
            if !terminal.contains(variant) {
                diags.error(
                    &at.join("success"),
                    format!("{value:?} means success, so it must be terminal too"),
                );
            }
        }
        out.push(BuildState {
            ty: rust,
            terminal,
            success,
            areas: Vec::new(),
        });
    }
    out
}

fn find<'o>(
    operations: &'o [Operation],
    id: &str,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<&'o Operation> {
    let found = operations.iter().find(|op| op.id == rust_id(id));
    if found.is_none() {
        diags.error(at, format!("{id:?} is not an operationId"));
    }
    found
}

/// A dotted path inside `ty` (a step list relative to it), and the type at its end.
fn path_in(
    ty: &TypeRef,
    path: &str,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<(Vec<Step>, TypeRef)> {
    steps(path, &ResponseKind::Json(ty.clone()), at, registry, diags)
}

fn waiter(
    hint: &WaiterHint,
    operations: &[Operation],
    registry: &Registry,
    build_states: &[BuildState],
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<Waiter> {
    if !naming::is_identifier(&hint.method) || !hint.method.starts_with("wait_for_") {
        diags.error(
            &at.join("method"),
            format!(
                "{:?} must be a snake_case name starting with `wait_for_`",
                hint.method
            ),
        );
        return None;
    }
    if operations
        .iter()
        .any(|op| naming::bare(&op.method_name) == hint.method)
    {
        diags.error(
            &at.join("method"),
            format!(
                "{:?} is already the client method of an operation",
                hint.method
            ),
        );
        return None;
    }
    let op = find(operations, &hint.operation, &at.join("operation"), diags)?;
    if op.body.as_ref().is_some_and(|b| b.required) || op.form.is_some() {
        diags.error(
            &at.join("operation"),
            format!(
                "{:?} needs a request body; a waiter fills parameters only",
                hint.operation
            ),
        );
        return None;
    }
    let mut inputs = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let build_number = hint.build_number.as_deref() == Some(p.wire.as_str());
        if build_number && p.ty != TypeRef::I32 {
            diags.error(
                &at.join("build-number"),
                format!(
                    "{:?} must be an int32 parameter to take a build number",
                    p.wire
                ),
            );
            return None;
        }
        inputs.push(WaiterInput {
            field: p.field.clone(),
            ty: p.ty.clone(),
            build_number,
        });
    }
    if let Some(name) = &hint.build_number {
        if !inputs.iter().any(|i| i.build_number) {
            diags.error(
                &at.join("build-number"),
                format!(
                    "{name:?} is not a required parameter of {:?}",
                    hint.operation
                ),
            );
            return None;
        }
    }
    let (result, result_ty) = steps(
        &hint.result,
        &op.response,
        &at.join("result"),
        registry,
        diags,
    )?;
    let (state, state_ty) = path_in(&result_ty, &hint.state, &at.join("state"), registry, diags)?;
    let until = match &hint.until {
        serde_json::Value::String(s) if s == "terminal" => {
            let is_state =
                matches!(&state_ty, TypeRef::Named(n) if build_states.iter().any(|b| &b.ty == n));
            if !is_state {
                diags.error(
                    &at.join("until"),
                    "`terminal` needs a state that is an enum with `x-build-state`",
                );
                return None;
            }
            Until::Terminal
        }
        serde_json::Value::Object(map) if map.len() == 1 && map.contains_key("equals") => {
            Until::Equals(map["equals"].clone())
        }
        _ => {
            diags.error(
                &at.join("until"),
                "expected `terminal` or `{equals: <value>}`",
            );
            return None;
        }
    };
    let finished_when = match &hint.finished_when {
        Some(path) => {
            let (steps, ty) =
                path_in(&result_ty, path, &at.join("finished-when"), registry, diags)?;
            if ty != TypeRef::String {
                diags.error(
                    &at.join("finished-when"),
                    format!("{path:?} must be a string"),
                );
                return None;
            }
            Some(steps)
        }
        None => None,
    };
    Some(Waiter {
        method: hint.method.clone(),
        summary: hint.summary.clone(),
        operation: naming::bare(&op.method_name).to_owned(),
        rate_limit_class: op.rate_limit_class.clone(),
        area: op.area.clone(),
        deprecated: op.deprecated.is_some(),
        inputs,
        result,
        result_ty,
        state,
        until,
        finished_when,
    })
}

/// A wire path of the start body, checked to exist; returned as its wire names.
fn body_path(
    body: &TypeRef,
    path: &str,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<(Vec<String>, TypeRef)> {
    let (_, ty) = path_in(body, path, at, registry, diags)?;
    Some((path.split('.').map(str::to_owned).collect(), ty))
}

fn workflow(
    hint: &BuildWorkflowHint,
    operations: &[Operation],
    registry: &Registry,
    waiters: &[Waiter],
    build_states: &[BuildState],
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<BuildWorkflow> {
    if operations
        .iter()
        .any(|op| naming::bare(&op.method_name) == "run_build")
    {
        diags.error(
            at,
            "an operation is already the client method `run_build`, which the workflow adds",
        );
        return None;
    }
    let start = find(operations, &hint.start, &at.join("start"), diags)?;
    let Some(body) = start.body.as_ref().filter(|b| b.required) else {
        diags.error(
            &at.join("start"),
            format!("{:?} must take a required JSON body", hint.start),
        );
        return None;
    };
    let string_at = |path: &str, key: &str, diags: &mut Diagnostics| -> Option<Vec<String>> {
        let (wire, ty) = body_path(&body.ty, path, &at.join(key), registry, diags)?;
        if ty != TypeRef::String {
            diags.error(&at.join(key), format!("{path:?} must be a string"));
            return None;
        }
        Some(wire)
    };
    let job_id = string_at(&hint.job_id, "job-id", diags)?;
    let tag = string_at(&hint.tag, "tag", diags)?;
    let commit = string_at(&hint.commit, "commit", diags)?;
    let (parameters, list_ty) = body_path(
        &body.ty,
        &hint.parameters,
        &at.join("parameters"),
        registry,
        diags,
    )?;
    let TypeRef::Array(item) = list_ty else {
        diags.error(
            &at.join("parameters"),
            format!("{:?} must be an array", hint.parameters),
        );
        return None;
    };
    for (key, name) in [
        ("parameter-name", &hint.parameter_name),
        ("parameter-value", &hint.parameter_value),
    ] {
        let (_, ty) = path_in(&item, name, &at.join(key), registry, diags)?;
        if ty != TypeRef::String {
            diags.error(&at.join(key), format!("{name:?} must be a string"));
            return None;
        }
    }
    let build_number = steps(
        &hint.build_number,
        &start.response,
        &at.join("build-number"),
        registry,
        diags,
    )?;
    if !matches!(
        build_number.1,
        TypeRef::String | TypeRef::I32 | TypeRef::I64
    ) {
        diags.error(
            &at.join("build-number"),
            format!("{:?} must be a string or an integer", hint.build_number),
        );
        return None;
    }
    let ResponseKind::Json(started_ty) = start.response.clone() else {
        return None;
    };
    let Some(wait) = waiters.iter().find(|w| w.method == hint.wait) else {
        diags.error(
            &at.join("wait"),
            format!("{:?} is not a method of `x-waiters`", hint.wait),
        );
        return None;
    };
    if !matches!(wait.until, Until::Terminal)
        || wait.inputs.len() != 2
        || !wait.inputs.iter().any(|i| i.build_number)
        || !wait.inputs.iter().any(|i| i.ty == TypeRef::String)
    {
        diags.error(
            &at.join("wait"),
            format!(
                "{:?} must wait for a terminal build state and take a job id and a build number",
                hint.wait
            ),
        );
        return None;
    }
    let (status_steps, status_ty) = path_in(
        &wait.result_ty,
        &hint.status,
        &at.join("status"),
        registry,
        diags,
    )?;
    let status_enum = match &status_ty {
        TypeRef::Named(n) if build_states.iter().any(|b| &b.ty == n) => n.clone(),
        _ => {
            diags.error(&at.join("status"), "must be an enum with `x-build-state`");
            return None;
        }
    };
    let (duration, duration_ty) = path_in(
        &wait.result_ty,
        &hint.duration,
        &at.join("duration"),
        registry,
        diags,
    )?;
    if !matches!(duration_ty, TypeRef::I32 | TypeRef::I64) {
        diags.error(&at.join("duration"), "must be an integer (milliseconds)");
        return None;
    }
    let stop = find(operations, &hint.stop, &at.join("stop"), diags)?;
    let log = find(operations, &hint.log, &at.join("log"), diags)?;
    if log.log_follow.is_none() {
        diags.error(
            &at.join("log"),
            format!("{:?} has no `x-log-follow`", hint.log),
        );
        return None;
    }
    // The stop and log requests are filled by wire name: the job id and the build number.
    let mut fields = Vec::new();
    for (op, key) in [(stop, "stop"), (log, "log")] {
        let field = |wire: &str, ty: TypeRef| {
            op.params
                .iter()
                .find(|p| p.wire == wire && p.location != Location::Header && p.ty == ty)
                .map(|p| p.field.clone())
        };
        match (
            field("job_id", TypeRef::String),
            field("build_no", TypeRef::I32),
        ) {
            (Some(job), Some(build)) => fields.push([job, build]),
            _ => {
                diags.error(
                    &at.join(key),
                    format!(
                        "{:?} must take a string `job_id` and an int32 `build_no`",
                        op.id
                    ),
                );
                return None;
            }
        }
    }
    let log_fields = fields.pop()?;
    let stop_fields = fields.pop()?;
    let mut log_defaults = Vec::new();
    for p in log
        .params
        .iter()
        .filter(|p| p.required && p.wire != "job_id" && p.wire != "build_no")
    {
        match (&p.ty, p.default.as_ref().and_then(|d| d.as_str())) {
            (TypeRef::String, Some(default)) => {
                log_defaults.push((p.field.clone(), default.to_owned()))
            }
            _ => {
                diags.error(
                    &at.join("log"),
                    format!("the required parameter {:?} needs a string default for the workflow to fill", p.wire),
                );
                return None;
            }
        }
    }
    let mut areas: Vec<String> = [start, stop, log]
        .iter()
        .filter_map(|op| op.area.clone())
        .chain(wait.area.clone())
        .collect();
    areas.sort();
    areas.dedup();
    Some(BuildWorkflow {
        start: naming::bare(&start.method_name).to_owned(),
        start_body: body.ty.clone(),
        job_id,
        parameters,
        parameter_name: hint.parameter_name.clone(),
        parameter_value: hint.parameter_value.clone(),
        branch_parameter: hint.branch_parameter.clone(),
        tag,
        commit,
        build_number,
        build_number_wire: hint.build_number.clone(),
        started_ty,
        wait: wait.method.clone(),
        record_ty: wait.result_ty.clone(),
        status: (status_steps, status_enum),
        duration,
        stop: naming::bare(&stop.method_name).to_owned(),
        stop_fields,
        log: naming::bare(&log.method_name).to_owned(),
        log_fields,
        log_defaults,
        areas,
        start_area: start.area.clone(),
    })
}
