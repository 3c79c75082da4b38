//! Synthetic specs and timing for `cargo xtask bench-gen`.

use std::time::{Duration, Instant};

use codegen::Statics;
use serde_yaml::{Mapping, Value};

/// The spec with `copies` copies of every path and schema; copy `k > 0` renames operationIds
/// (`_c<k>`), schemas (`C<k>`, with every `$ref` to them) and paths (`/c<k>` prefix).
pub fn replicate(source: &str, copies: usize) -> Result<String, String> {
    if copies == 1 {
        return Ok(source.to_owned());
    }
    let doc: Value =
        serde_yaml::from_str(source).map_err(|e| format!("error: the spec is not YAML: {e}"))?;
    let mut out = doc.clone();
    let mut paths = Mapping::new();
    let mut schemas = Mapping::new();
    for k in 0..copies {
        let copy = rename(&doc, k);
        if let Some(Value::Mapping(p)) = copy.get("paths") {
            for (key, value) in p {
                let key = match (k, key.as_str()) {
                    (0, _) | (_, None) => key.clone(),
                    (_, Some(path)) => Value::from(format!("/c{k}{path}")),
                };
                paths.insert(key, value.clone());
            }
        }
        if let Some(Value::Mapping(s)) = copy.get("components").and_then(|c| c.get("schemas")) {
            for (key, value) in s {
                schemas.insert(key.clone(), value.clone());
            }
        }
    }
    out["paths"] = Value::Mapping(paths);
    out["components"]["schemas"] = Value::Mapping(schemas);
    serde_yaml::to_string(&out).map_err(|e| format!("error: {e}"))
}

/// Renames one copy's operationIds, schema names and references.
fn rename(value: &Value, k: usize) -> Value {
    if k == 0 {
        return value.clone();
    }
    match value {
        Value::Mapping(map) => {
            let mut out = Mapping::new();
            for (key, v) in map {
                let renamed = match (key.as_str(), v) {
                    (
                        Some("operationId" | "x-replaced-by" | "finished-operation"),
                        Value::String(id),
                    ) => Value::from(format!("{id}_c{k}")),
                    (Some("$ref"), Value::String(r)) if r.starts_with("#/components/schemas/") => {
                        Value::from(format!("{r}C{k}"))
                    }
                    _ => rename(v, k),
                };
                out.insert(key.clone(), renamed);
            }
            // Schema names are the keys of components/schemas.
            if let Some(Value::Mapping(schemas)) = out.get_mut("schemas") {
                let renamed: Mapping = schemas
                    .iter()
                    .map(|(name, s)| {
                        (
                            Value::from(format!("{}C{k}", name.as_str().unwrap_or_default())),
                            s.clone(),
                        )
                    })
                    .collect();
                *schemas = renamed;
            }
            Value::Mapping(out)
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| rename(v, k)).collect()),
        other => other.clone(),
    }
}

/// Time spent per stage of one generation.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// YAML to the typed model.
    pub load: Duration,
    /// Validation and resolution to the IR.
    pub resolve: Duration,
    /// IR to files in memory.
    pub emit: Duration,
    /// The public API listing (`API.txt`) from the emitted sources.
    pub list: Duration,
}

impl Timing {
    /// All stages.
    pub fn total(&self) -> Duration {
        self.load + self.resolve + self.emit + self.list
    }
}

/// The fastest of `runs` generations of `spec`, and the number of lines generated.
pub fn time(spec: &str, statics: &Statics, runs: usize) -> Result<(Timing, usize), String> {
    let mut best: Option<Timing> = None;
    let mut lines = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let (model, problems) =
            codegen::load::load("bench.yaml", spec).map_err(|e| e.to_string())?;
        if !problems.is_empty() {
            return Err(problems.into_error("bench.yaml", spec).to_string());
        }
        let loaded = Instant::now();
        let api = codegen::resolve::resolve(&model)
            .map_err(|d| d.into_error("bench.yaml", spec).to_string())?;
        let resolved = Instant::now();
        let files = codegen::emit::crate_files(&api, "bench.yaml", "0", statics)
            .map_err(|e| e.to_string())?;
        let emitted = Instant::now();
        codegen::surface::listing(&files)?;
        let timing = Timing {
            load: loaded - started,
            resolve: resolved - loaded,
            emit: emitted - resolved,
            list: emitted.elapsed(),
        };
        if best.is_none_or(|b| timing.total() < b.total()) {
            best = Some(timing);
        }
        lines = files.values().map(|f| f.lines().count()).sum();
    }
    best.map(|b| (b, lines)).ok_or_else(|| "no runs".to_owned())
}
