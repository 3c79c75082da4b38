//! Input checks called by generated `validate` methods. Each error names the parameter by its
//! documented (wire) name.

use std::sync::OnceLock;

use crate::Error;

/// A regular expression from the spec, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Compiled>>,
}

/// A pattern ready to match: the fast matcher when the pattern is simple enough for it.
enum Compiled {
    Simple(crate::pattern::Simple),
    Regex(regex_lite::Regex),
}

impl Compiled {
    fn is_match(&self, value: &str) -> bool {
        match self {
            Compiled::Simple(simple) => simple.is_match(value),
            Compiled::Regex(regex) => regex.is_match(value),
        }
    }
}

impl Pattern {
    /// A pattern for `source` (anchored `^…$` in the spec); compiled lazily.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn regex(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| match crate::pattern::Simple::parse(self.source) {
                Some(simple) => Some(Compiled::Simple(simple)),
                None => regex_lite::Regex::new(self.source)
                    .ok()
                    .map(Compiled::Regex),
            })
            .as_ref()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Fails when a required input is missing.
pub fn required<T>(parameter: &str, value: &Option<T>) -> Result<(), Error> {
    match value {
        Some(_) => Ok(()),
        None => Err(Error::invalid(parameter, "is required")),
    }
}

/// Checks a string's length in characters (not bytes).
pub fn length(
    parameter: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    let len = value.chars().count() as u64;
    bounds(
        parameter,
        len,
        min,
        max,
        ("be at least", "be at most", " characters long"),
    )
}

/// Checks a string against a pattern.
pub fn pattern(parameter: &str, value: &str, pattern: &Pattern) -> Result<(), Error> {
    let regex = pattern.regex().ok_or_else(|| {
        Error::config(format!(
            "the pattern `{}` of `{parameter}` does not compile",
            pattern.source
        ))
    })?;
    if regex.is_match(value) {
        Ok(())
    } else {
        Err(Error::invalid(
            parameter,
            format!("must match `{}`", pattern.source),
        ))
    }
}

/// Checks an integer against its inclusive bounds.
pub fn range_i64(
    parameter: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    bounds(
        parameter,
        value,
        min,
        max,
        ("be at least", "be at most", ""),
    )
}

/// Checks a number against its inclusive bounds; NaN is rejected.
pub fn range_f64(
    parameter: &str,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), Error> {
    if value.is_nan() {
        return Err(Error::invalid(parameter, "must be a number (got NaN)"));
    }
    bounds(
        parameter,
        value,
        min,
        max,
        ("be at least", "be at most", ""),
    )
}

/// Checks the number of items of a list.
pub fn items(parameter: &str, len: usize, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    bounds(
        parameter,
        len as u64,
        min,
        max,
        ("have at least", "have at most", " items"),
    )
}

/// The one inclusive-bounds check behind [`length`], [`range_i64`], [`range_f64`] and
/// [`items`]: the phrase tuple says "below min", "above max" and the unit, so every message
/// reads "must <phrase> <bound><unit> (got <value>)".
fn bounds<T: PartialOrd + std::fmt::Display>(
    parameter: &str,
    value: T,
    min: Option<T>,
    max: Option<T>,
    (below, above, unit): (&str, &str, &str),
) -> Result<(), Error> {
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(Error::invalid(
            parameter,
            format!("must {below} {min}{unit} (got {value})"),
        ));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(Error::invalid(
            parameter,
            format!("must {above} {max}{unit} (got {value})"),
        ));
    }
    Ok(())
}

/// Checks that a string is one of the documented values.
pub fn one_of(parameter: &str, value: &str, allowed: &[&str]) -> Result<(), Error> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            parameter,
            format!("must be one of {} (got `{value}`)", allowed.join(", ")),
        ))
    }
}

/// Checks that a number or boolean is one of the documented values (an `enum` on an integer,
/// number or boolean schema).
pub fn allowed<T: PartialEq + std::fmt::Display>(
    parameter: &str,
    value: &T,
    allowed: &[T],
) -> Result<(), Error> {
    if allowed.contains(value) {
        Ok(())
    } else {
        let list: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        Err(Error::invalid(
            parameter,
            format!("must be one of {} (got `{value}`)", list.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_numbers() {
        assert!(allowed("share", &1i32, &[0, 1]).is_ok());
        let error = allowed("share", &2i32, &[0, 1]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid request: `share` must be one of 0, 1 (got `2`)"
        );
    }

    static JOB_ID: Pattern = Pattern::new("^[a-zA-Z0-9]{32}$");

    #[test]
    fn errors_name_the_parameter() {
        let e = pattern("job_id", "../x", &JOB_ID).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid request: `job_id` must match `^[a-zA-Z0-9]{32}$`"
        );
        assert!(pattern("job_id", "db8467d972cc47f7a1bd2a3a3e77596a", &JOB_ID).is_ok());
        assert!(required::<u8>("offset", &None)
            .unwrap_err()
            .to_string()
            .contains("`offset`"));
        assert!(length("name", "日本", Some(1), Some(2)).is_ok());
        assert!(length("name", "日本語", None, Some(2)).is_err());
        assert!(range_i64("limit", 101, Some(0), Some(100)).is_err());
        assert!(range_i64("limit", -1, Some(0), None).is_err());
        assert!(range_f64("ratio", f64::NAN, None, None).is_err());
        assert!(items("ids", 0, Some(1), None).is_err());
        assert!(one_of("arch", "x86-64", &["x86-64", "arm"]).is_ok());
        assert!(one_of("arch", "mips", &["x86-64", "arm"]).is_err());
    }

    #[test]
    fn a_broken_pattern_is_a_config_error_not_a_panic() {
        static BROKEN: Pattern = Pattern::new("^(unclosed$");
        assert!(matches!(
            pattern("x", "y", &BROKEN),
            Err(Error::Config { .. })
        ));
    }
}
