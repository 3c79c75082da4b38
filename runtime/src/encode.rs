//! Percent-encoding shared by the URL builder and the request signer.
//!
//! The service's API gateway recomputes the signature from the request it receives, so the path
//! and query we put on the wire and the ones we sign must use one encoding: RFC 3986 unreserved
//! characters (`A-Z a-z 0-9 - . _ ~`) stay as they are, every other byte becomes `%XX` with
//! upper-case hex digits. This is the `escape` function of the vendor's signer.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte except the RFC 3986 unreserved characters is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes one path parameter value so that it stays inside its path segment.
///
/// `/`, `?`, `#` and `%` are encoded, so `a/b`, `../x`, `x?y=1`, `x#f` and `%2F` cannot change
/// the path or add a query. A value that is exactly `.` or `..` (or empty) is still a dot (or
/// empty) segment after encoding; the client rejects such paths before sending (see
/// [`Client::send`](crate::Client::send)).
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Fills the `{name}` placeholders of a path template, in order, with `values`, each encoded
/// with [`encode_path_segment`]: `expand_path("/v1/job/{job_id}/{build_no}", &["a b", "7"])`
/// is `/v1/job/a%20b/7`. Generated requests call this with the spec's template, so the template
/// is written once and a changed path is a one-line change. A placeholder without a value is
/// left empty (the generator never emits one).
pub fn expand_path(template: &str, values: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        if let Some(value) = values.next() {
            out.extend(utf8_percent_encode(value, UNRESERVED));
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// Encodes a query name or value (same character set as path segments).
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Builds the canonical query string: pairs sorted by name, then by value, comparing the raw
/// (unencoded) text byte by byte; each then written `encoded-name=encoded-value`, joined with
/// `&`. A repeated name (an array parameter) gives one pair per value, its values in that order.
///
/// This is the vendor signers' order (huaweicloud-sdk-go-v3 `core/auth/signer`,
/// `canonicalQueryString`: `sort.Strings` on the names, then on each name's values, escaping
/// afterwards; the Python SDK sorts the raw `(name, value)` pairs likewise). Sorting the encoded
/// forms instead differs for values such as `a{` and `ab` (`a%7B` sorts before `ab`, but `a{`
/// after it). The client sends exactly this string, so the query the gateway sees is the one
/// that was signed.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(v, UNRESERVED));
    }
    out
}

/// Decodes `%XX` sequences of a path; bytes that are not valid UTF-8 are replaced.
pub(crate) fn decode_path(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_expanded_in_order_and_encoded() {
        assert_eq!(
            expand_path("/v1/job/{job_id}/{build_no}/output", &["a b/c", "7"]),
            "/v1/job/a%20b%2Fc/7/output"
        );
        assert_eq!(expand_path("/v3/jobs/build", &[]), "/v3/jobs/build");
        assert_eq!(expand_path("/v1/{a}{b}", &["x", "y"]), "/v1/xy");
    }

    #[test]
    fn injection_attempts_stay_in_their_segment() {
        assert_eq!(encode_path_segment("../x"), "..%2Fx");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_path_segment("x?y=1"), "x%3Fy%3D1");
        assert_eq!(encode_path_segment("x#f"), "x%23f");
        assert_eq!(encode_path_segment("%2F"), "%252F");
        assert_eq!(encode_path_segment("a b+c"), "a%20b%2Bc");
        assert_eq!(encode_path_segment("Az09-._~"), "Az09-._~");
        assert_eq!(encode_path_segment("一"), "%E4%B8%80");
    }

    #[test]
    fn canonical_query_sorts_names_then_values() {
        let q = canonical_query(&[("b", "2"), ("a", "z"), ("a", "y"), ("A", "1")]);
        assert_eq!(q, "A=1&a=y&a=z&b=2");
        assert_eq!(canonical_query::<&str, &str>(&[]), "");
    }

    /// A repeated name's values are sorted as raw text before escaping, as the vendor's Go
    /// signer does (`sort.Strings(query[key])`, then `escape(v)`): `{` (0x7B) sorts after `x`
    /// (0x78), although its escape `%7B` sorts before it; numbers sort as text.
    #[test]
    fn repeated_names_sort_raw_values_like_the_vendor() {
        let q = canonical_query(&[
            ("branch", "feature-{x}"),
            ("branch", "feature-x"),
            ("build_no", "9"),
            ("build_no", "10"),
            ("a b", "1"),
        ]);
        assert_eq!(
            q,
            "a%20b=1&branch=feature-x&branch=feature-%7Bx%7D&build_no=10&build_no=9"
        );
    }
}
