//! Helpers for generated builders: free-form JSON fields (`properties`, `additionalProperties`
//! objects) are set from any `serde::Serialize` value, so callers need no `serde_json` import.
//!
//! The value is serialized when the setter is called; a failure is kept (as its message) in the
//! builder and reported by `build()` naming the field, so a setter never panics and never needs
//! to return a `Result` in the middle of a chain.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// A free-form value as a builder holds it: the JSON value, or why it could not be serialized.
pub type Pending<T> = Result<T, String>;

/// `value` as a JSON value.
pub fn json_value<T: Serialize + ?Sized>(value: &T) -> Pending<Value> {
    serde_json::to_value(value).map_err(|e| format!("could not be serialized: {e}"))
}

/// `value` as a JSON object (a map of names to JSON values); anything that serializes to
/// something else (a string, a number, an array, `null`) is an error.
pub fn json_object<T: Serialize + ?Sized>(value: &T) -> Pending<BTreeMap<String, Value>> {
    match json_value(value)? {
        Value::Object(map) => Ok(map.into_iter().collect()),
        other => Err(format!(
            "must serialize to a JSON object, not {}",
            kind(&other)
        )),
    }
}

/// The value held for `field`: `None` when it was never set, an
/// [`Error::InvalidRequest`] naming `field` when it could not be serialized.
pub fn take<T>(field: &str, slot: Option<Pending<T>>) -> Result<Option<T>, Error> {
    slot.transpose()
        .map_err(|reason| Error::invalid(field, reason))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_from_any_serialize() {
        #[derive(Serialize)]
        struct Props {
            image: &'static str,
            depth: u8,
        }
        let map = json_object(&Props {
            image: "alpine",
            depth: 1,
        })
        .expect("an object");
        assert_eq!(map["image"], "alpine");
        assert_eq!(map["depth"], 1);
        assert_eq!(
            json_object(&[1, 2]).unwrap_err(),
            "must serialize to a JSON object, not an array"
        );
    }

    #[test]
    fn a_failed_value_is_reported_with_its_field() {
        // A map with non-string keys cannot be a JSON object.
        let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let error = take("properties", Some(json_value(&bad))).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { parameter, reason }
                if parameter == "properties" && reason.starts_with("could not be serialized")),
            "{error}"
        );
        assert_eq!(take::<Value>("x", None).expect("unset"), None);
    }
}
