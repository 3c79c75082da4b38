//! Values made up for inputs and replies the spec gives no example for: the smallest value of a
//! type that satisfies its documented constraints.

use serde_json::Value;

use super::pattern;
use crate::ir::{Constraints, NamedType, Param, TypeKind, TypeRef, Variant};

/// Makes up values that satisfy a type and its documented constraints.
pub struct Synth<'a> {
    /// Sorted by name.
    pub types: &'a [NamedType],
}

/// How deep made-up values may nest before giving up (a required field cycle).
const MAX_DEPTH: usize = 16;

impl Synth<'_> {
    fn named(&self, name: &str) -> Option<&NamedType> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The variants of the named enum, `None` when `name` is not an enum.
    pub fn enum_variants(&self, name: &str) -> Option<&[Variant]> {
        match &self.named(name)?.kind {
            TypeKind::Enum(variants) => Some(variants),
            TypeKind::Struct(_) => None,
        }
    }

    /// A value for a required parameter without an example: its default when that fits the
    /// constraints, otherwise one made up from the type and constraints.
    /// The value and where it came from.
    pub fn param(&self, p: &Param) -> Result<(Value, &'static str), String> {
        if let Some(default) = &p.default {
            if self.fits(default, &p.ty, &p.constraints) {
                return Ok((default.clone(), "its default"));
            }
        }
        let value = self.value(&p.ty, &p.constraints, 0).ok_or_else(|| {
            format!(
                "the required parameter `{}` has no example, and no value could be made up that satisfies its constraints",
                p.wire
            )
        })?;
        Ok((value, "made up from its schema"))
    }

    /// Whether `value` is a `t` within `c`.
    pub fn fits(&self, value: &Value, t: &TypeRef, c: &Constraints) -> bool {
        // An enum on a number or boolean lists the only values the client lets through.
        if let Some(allowed) = &c.allowed {
            if !allowed.iter().any(|a| same_scalar(a, value)) {
                return false;
            }
        }
        match (t, value) {
            (TypeRef::String, Value::String(s)) => string_fits(s, c),
            (TypeRef::Bool, Value::Bool(_)) => true,
            (TypeRef::I32, Value::Number(n)) => n
                .as_i64()
                .is_some_and(|n| i32::try_from(n).is_ok() && number_fits(n as f64, c)),
            (TypeRef::I64, Value::Number(n)) => {
                n.as_i64().is_some_and(|n| number_fits(n as f64, c))
            }
            (TypeRef::F64, Value::Number(n)) => n.as_f64().is_some_and(|n| number_fits(n, c)),
            (TypeRef::Named(name), Value::String(s)) => self
                .enum_variants(name)
                .is_some_and(|vs| vs.iter().any(|v| &v.wire == s)),
            _ => false,
        }
    }

    /// A value of `t` within `c`: the smallest sensible one (first enum variant, required
    /// struct fields only, the fewest array items).
    pub fn value(&self, t: &TypeRef, c: &Constraints, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(allowed) = &c.allowed {
            return allowed.iter().find(|a| self.fits(a, t, c)).cloned();
        }
        match t {
            TypeRef::String => string_sample(c).map(Value::from),
            TypeRef::Bool => Some(Value::Bool(true)),
            TypeRef::I32 | TypeRef::I64 => {
                let (low, high) = if *t == TypeRef::I32 {
                    (f64::from(i32::MIN), f64::from(i32::MAX))
                } else {
                    (-9_007_199_254_740_991.0, 9_007_199_254_740_991.0)
                };
                let low = c.minimum.map_or(low, |m| m.ceil().max(low));
                let high = c.maximum.map_or(high, |m| m.floor().min(high));
                let n = 1f64.clamp(low, high.max(low));
                (low <= high).then(|| Value::from(n as i64))
            }
            TypeRef::F64 => {
                let low = c.minimum.unwrap_or(f64::MIN);
                let high = c.maximum.unwrap_or(f64::MAX);
                (low <= high).then(|| Value::from(1f64.clamp(low, high)))
            }
            TypeRef::Any => Some(Value::Null),
            // A multipart file part has no JSON form.
            TypeRef::File => None,
            TypeRef::Map(_) => Some(Value::Object(Default::default())),
            TypeRef::Array(inner) => {
                let count = c.min_items.unwrap_or(0);
                if c.max_items.is_some_and(|max| max < count) || count > 16 {
                    return None;
                }
                (0..count)
                    .map(|_| self.value(inner, &Constraints::default(), depth + 1))
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
            TypeRef::Named(name) => match &self.named(name)?.kind {
                TypeKind::Enum(variants) => variants.first().map(|v| Value::from(v.wire.clone())),
                TypeKind::Struct(fields) => {
                    let mut object = serde_json::Map::new();
                    for f in fields.iter().filter(|f| f.required) {
                        let value = if f.nullable {
                            Value::Null
                        } else {
                            self.value(&f.ty, &f.constraints, depth + 1)?
                        };
                        object.insert(f.wire.clone(), value);
                    }
                    Some(Value::Object(object))
                }
            },
        }
    }
}

/// Whether two JSON scalars are the same value (`1` and `1.0` are).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn number_fits(n: f64, c: &Constraints) -> bool {
    c.minimum.is_none_or(|m| n >= m) && c.maximum.is_none_or(|m| n <= m)
}

fn string_fits(s: &str, c: &Constraints) -> bool {
    let length = s.chars().count() as u64;
    c.min_length.is_none_or(|m| length >= m)
        && c.max_length.is_none_or(|m| length <= m)
        && c.pattern
            .as_ref()
            .is_none_or(|p| regex_lite::Regex::new(p).is_ok_and(|re| re.is_match(s)))
}

/// A string that satisfies `c`: built from the pattern when there is one (trying a few
/// repetition counts), else a word padded or cut to the length bounds.
fn string_sample(c: &Constraints) -> Option<String> {
    let candidates: Vec<String> = match &c.pattern {
        Some(pattern) => {
            let parsed = pattern::parse(pattern)?;
            [1, 0, 2, 4, 8, 16, 32, 64, 128, 256]
                .iter()
                .map(|extra| pattern::sample(&parsed, *extra))
                .collect()
        }
        None => {
            let min = c.min_length.unwrap_or(0) as usize;
            let max = c.max_length.map_or(usize::MAX, |m| m as usize);
            let mut word: String = "example".chars().take(max).collect();
            while word.chars().count() < min {
                word.push('a');
            }
            vec![word]
        }
    };
    candidates.into_iter().find(|s| string_fits(s, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(pattern: &str, min: Option<u64>, max: Option<u64>) -> Option<String> {
        string_sample(&Constraints {
            pattern: Some(pattern.to_owned()),
            min_length: min,
            max_length: max,
            ..Constraints::default()
        })
    }

    #[test]
    fn samples_satisfy_the_patterns_the_vendor_uses() {
        assert_eq!(
            sample("^[a-zA-Z0-9]{32}$", Some(32), Some(32)).as_deref(),
            Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(
            sample("^[0-9a-z-]{36}$", None, None).map(|s| s.len()),
            Some(36)
        );
        assert_eq!(
            sample(
                "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
                None,
                None
            )
            .as_deref(),
            Some("0000-00-00 00:00:00")
        );
        assert_eq!(
            sample("^[^\\x{4e00}-\\x{9fa5}]{0,}$", None, None).as_deref(),
            Some("a")
        );
        assert_eq!(
            sample("^(?:main|dev)-\\d+\\.x$", None, None).as_deref(),
            Some("main-00.x")
        );
        // Repetitions grow until the length bounds are met.
        assert_eq!(
            sample("^[a-z]+$", Some(5), Some(9)).map(|s| s.len()),
            Some(5)
        );
    }

    #[test]
    fn unsatisfiable_or_unsupported_patterns_give_no_sample() {
        assert_eq!(sample("^[a-z]{3}$", Some(5), None), None);
        assert_eq!(sample("^(?=a)a$", None, None), None);
        assert_eq!(sample("^\\pL$", None, None), None);
    }

    #[test]
    fn strings_without_pattern_meet_the_length_bounds() {
        let c = |min, max| Constraints {
            min_length: min,
            max_length: max,
            ..Constraints::default()
        };
        assert_eq!(string_sample(&c(None, None)).as_deref(), Some("example"));
        assert_eq!(
            string_sample(&c(Some(10), None)).as_deref(),
            Some("exampleaaa")
        );
        assert_eq!(string_sample(&c(None, Some(3))).as_deref(), Some("exa"));
    }

    #[test]
    fn numbers_respect_bounds() {
        let synth = Synth { types: &[] };
        let c = |min: Option<f64>, max: Option<f64>| Constraints {
            minimum: min,
            maximum: max,
            ..Constraints::default()
        };
        assert_eq!(
            synth.value(&TypeRef::I32, &c(None, None), 0),
            Some(Value::from(1))
        );
        assert_eq!(
            synth.value(&TypeRef::I32, &c(Some(5.5), None), 0),
            Some(Value::from(6))
        );
        assert_eq!(
            synth.value(&TypeRef::I64, &c(None, Some(-3.0)), 0),
            Some(Value::from(-3))
        );
        assert_eq!(
            synth.value(&TypeRef::I32, &c(Some(3.0), Some(2.0)), 0),
            None
        );
        assert_eq!(
            synth.value(&TypeRef::F64, &c(Some(2.5), None), 0),
            Some(Value::from(2.5))
        );
    }
}
