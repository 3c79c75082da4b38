//! [`BuildNumber`]: the one type for a build's number within its job.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The number of one build of a job: 1 for the first build, one more for every run.
///
/// The service sends it as a string in the reply that starts a build and takes it as an
/// integer (a positive `int32`) everywhere else; this type is both, and refuses anything that
/// is not a positive number rather than defaulting.
///
/// ```
/// use codearts_runtime::BuildNumber;
///
/// let n: BuildNumber = "20".parse().unwrap();
/// assert_eq!(n.get(), 20);
/// assert_eq!(i32::from(n), 20);
/// assert!("0".parse::<BuildNumber>().is_err());
/// assert!(BuildNumber::new(-1).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildNumber(i32);

impl BuildNumber {
    /// `n` as a build number, `None` unless it is at least 1.
    pub const fn new(n: i32) -> Option<Self> {
        if n >= 1 {
            Some(BuildNumber(n))
        } else {
            None
        }
    }

    /// The number, as the operations that take a build number want it.
    pub const fn get(self) -> i32 {
        self.0
    }

    /// Reads the build number a reply carries as text in `field`; a missing, empty or
    /// non-numeric value is an [`Error::Decode`] naming the field, never a default.
    pub fn from_reply(field: &str, value: Option<impl AsRef<str>>) -> Result<Self, Error> {
        let text = value.ok_or_else(|| missing(field, "is missing"))?;
        text.as_ref()
            .parse()
            .map_err(|e: ParseBuildNumberError| missing(field, &e.to_string()))
    }
}

fn missing(field: &str, why: &str) -> Error {
    Error::Decode {
        status: 200,
        message: format!("the build number `{field}` {why}"),
        body: String::new(),
        request_id: None,
    }
}

impl fmt::Display for BuildNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<BuildNumber> for i32 {
    fn from(n: BuildNumber) -> i32 {
        n.0
    }
}

impl TryFrom<i32> for BuildNumber {
    type Error = ParseBuildNumberError;

    fn try_from(n: i32) -> Result<Self, Self::Error> {
        BuildNumber::new(n).ok_or_else(|| ParseBuildNumberError(n.to_string()))
    }
}

impl FromStr for BuildNumber {
    type Err = ParseBuildNumberError;

    /// Decimal digits only (the service's `"20"`); no sign, spaces or fractions.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseBuildNumberError(s.to_owned());
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<i32>()
            .ok()
            .and_then(BuildNumber::new)
            .ok_or_else(bad)
    }
}

/// A value that is not a build number (a positive `int32` in decimal digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseBuildNumberError(String);

impl fmt::Display for ParseBuildNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a build number (a whole number from 1 to 2147483647)",
            self.0
        )
    }
}

impl std::error::Error for ParseBuildNumberError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_positive_decimal_numbers() {
        assert_eq!("1".parse::<BuildNumber>().unwrap().get(), 1);
        assert_eq!("2147483647".parse::<BuildNumber>().unwrap().get(), i32::MAX);
        for bad in ["", "0", "-3", "+3", " 3", "3.0", "2147483648", "x"] {
            assert!(bad.parse::<BuildNumber>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_missing_reply_field_is_an_error_naming_it() {
        let e = BuildNumber::from_reply("actual_build_number", None::<&str>).unwrap_err();
        assert!(e.to_string().contains("actual_build_number"), "{e}");
        let e = BuildNumber::from_reply("actual_build_number", Some("")).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }));
        assert_eq!(
            BuildNumber::from_reply("n", Some("20")).unwrap(),
            BuildNumber::new(20).unwrap()
        );
    }
}
