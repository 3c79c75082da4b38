//! A strict JSON-Schema check for the OpenAPI subset the spec uses, so spec examples can be
//! validated without a general-purpose validator.
//!
//! Strict means: an object without `additionalProperties` accepts no undeclared property. The
//! docs' examples are the main source of typos (a misspelt field, a camelCase variant), and a
//! lenient check would let those through.

use serde_json::Value;

/// Checks `value` against `schema`, resolving `#/components/schemas/...` references in `spec`.
/// Returns one message per violation, each prefixed with the JSON pointer of the offending value.
pub fn check(spec: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    walk(spec, schema, value, "", &mut errors);
    errors
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> Result<&'a Value, String> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .ok_or_else(|| format!("unsupported $ref {reference}"))?;
            spec.pointer(pointer)
                .ok_or_else(|| format!("dangling $ref {reference}"))
        }
        None => Ok(schema),
    }
}

fn walk(spec: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = match resolve(spec, schema) {
        Ok(schema) => schema,
        Err(message) => return errors.push(format!("{at}: {message}")),
    };
    if value.is_null() {
        // OpenAPI 3.0.3: `nullable` only widens an explicit `type`; a schema without one (any
        // JSON value) already admits null.
        let untyped = schema.get("type").is_none() && schema.get("enum").is_none();
        if !untyped && schema.get("nullable") != Some(&Value::Bool(true)) {
            errors.push(format!("{at}: null but the schema is not nullable"));
        }
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    let ty = schema.get("type").and_then(Value::as_str);
    match ty {
        Some("object") => check_object(spec, schema, value, at, errors),
        // A schema without `type` but with properties still describes an object.
        None if schema.get("properties").is_some() => check_object(spec, schema, value, at, errors),
        Some("array") => check_array(spec, schema, value, at, errors),
        Some("string") => check_string(schema, value, at, errors),
        Some("integer") => match value.as_i64() {
            Some(n) => check_range(schema, n as f64, at, errors),
            None => errors.push(format!("{at}: expected an integer, found {value}")),
        },
        Some("number") => match value.as_f64() {
            Some(n) => check_range(schema, n, at, errors),
            None => errors.push(format!("{at}: expected a number, found {value}")),
        },
        Some("boolean") if !value.is_boolean() => {
            errors.push(format!("{at}: expected a boolean, found {value}"))
        }
        Some("boolean") | None => {}
        Some(other) => errors.push(format!("{at}: unsupported schema type {other}")),
    }
}

fn check_object(spec: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return errors.push(format!("{at}: expected an object, found {value}"));
    };
    let empty = serde_json::Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        if !object.contains_key(name) {
            errors.push(format!("{at}: required property `{name}` is missing"));
        }
    }
    for (name, item) in object {
        let item_at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
        match (properties.get(name), schema.get("additionalProperties")) {
            (Some(property), _) => walk(spec, property, item, &item_at, errors),
            (None, Some(Value::Bool(true))) => {}
            (None, Some(extra @ Value::Object(_))) => walk(spec, extra, item, &item_at, errors),
            (None, _) => errors.push(format!("{at}: undeclared property `{name}`")),
        }
    }
}

fn check_array(spec: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(items) = value.as_array() else {
        return errors.push(format!("{at}: expected an array, found {value}"));
    };
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
    if bound("minItems").is_some_and(|min| (items.len() as u64) < min)
        || bound("maxItems").is_some_and(|max| (items.len() as u64) > max)
    {
        errors.push(format!(
            "{at}: {} items is outside minItems/maxItems",
            items.len()
        ));
    }
    if let Some(item_schema) = schema.get("items") {
        for (index, item) in items.iter().enumerate() {
            walk(spec, item_schema, item, &format!("{at}/{index}"), errors);
        }
    }
}

fn check_string(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(text) = value.as_str() else {
        return errors.push(format!("{at}: expected a string, found {value}"));
    };
    let chars = text.chars().count() as u64;
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
    if bound("minLength").is_some_and(|min| chars < min)
        || bound("maxLength").is_some_and(|max| chars > max)
    {
        errors.push(format!(
            "{at}: length {chars} is outside minLength/maxLength"
        ));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        match regex_lite::Regex::new(&ecma_to_rust(pattern)) {
            Ok(re) if !re.is_match(text) => {
                errors.push(format!("{at}: {text:?} does not match {pattern}"))
            }
            Ok(_) => {}
            Err(error) => errors.push(format!("{at}: pattern {pattern} does not compile: {error}")),
        }
    }
}

fn check_range(schema: &Value, number: f64, at: &str, errors: &mut Vec<String>) {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    if bound("minimum").is_some_and(|min| number < min)
        || bound("maximum").is_some_and(|max| number > max)
    {
        errors.push(format!("{at}: {number} is outside minimum/maximum"));
    }
}

/// OpenAPI patterns are ECMA-262; the one construct the spec uses that Rust regexes spell
/// differently is `\uXXXX`.
fn ecma_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'u') {
            chars.next();
            let hex: String = chars.by_ref().take(4).collect();
            out.push_str(&format!("\\x{{{hex}}}"));
        } else {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Job": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "pattern": "^[a-z]{2}$"},
                "tags": {"type": "array", "maxItems": 1, "items": {"type": "integer", "minimum": 1}},
                "state": {"type": "string", "enum": ["on", "off"], "nullable": true},
                "name": {"type": "string", "pattern": "^[^\\u4e00-\\u9fa5]*$"}
            }}
        }}})
    }

    #[test]
    fn accepts_a_valid_value() {
        let value = json!({"id": "ab", "tags": [3], "state": null, "name": "x"});
        assert_eq!(
            check(
                &spec(),
                &json!({"$ref": "#/components/schemas/Job"}),
                &value
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reports_each_violation_with_its_location() {
        let value = json!({"tags": [0, 2], "state": "maybe", "extra": 1, "name": "构建"});
        let errors = check(
            &spec(),
            &json!({"$ref": "#/components/schemas/Job"}),
            &value,
        );
        let text = errors.join("\n");
        for expected in [
            "required property `id` is missing",
            "/tags: 2 items is outside",
            "/tags/0: 0 is outside",
            "/state: \"maybe\" is not one of",
            "undeclared property `extra`",
            "/name: \"构建\" does not match",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
    }
}
