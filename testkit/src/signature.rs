//! A second, independent implementation of the `SDK-HMAC-SHA256` check the API gateway runs.
//!
//! It works only from what arrived on the wire (the request line, the headers and the body
//! bytes), so a client that signs one thing and sends another fails here. It shares no code
//! with the client's signer; it follows the vendor's description of the algorithm and the
//! vendor's signer test vectors (see `tests/tests/client_auth.rs`).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::server::{http_date, percent_decode, RecordedRequest, Reply};

/// Longest accepted distance between `X-Sdk-Date` and the server clock, as the gateway
/// enforces (15 minutes).
pub const MAX_CLOCK_SKEW_SECS: u64 = 15 * 60;

/// The parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key.
    pub access: String,
    /// Signed header names, as listed.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b>, Signature=<hex>`.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or_else(|| format!("unknown algorithm in `{value}`"))?;
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for field in rest.split(", ") {
        match field.split_once('=') {
            Some(("Access", v)) => access = Some(v.to_owned()),
            Some(("SignedHeaders", v)) => signed = Some(v.split(';').map(str::to_owned).collect()),
            Some(("Signature", v)) => signature = Some(v.to_owned()),
            _ => return Err(format!("unexpected field `{field}`")),
        }
    }
    Ok(Authorization {
        access: access.ok_or("no Access")?,
        signed_headers: signed.ok_or("no SignedHeaders")?,
        signature: signature.ok_or("no Signature")?,
    })
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical query string the gateway computes: the decoded pairs sorted by name, then by
/// value, comparing the decoded text (as the vendor signers do: huaweicloud-sdk-go-v3 sorts the
/// names and then each name's values with `sort.Strings` before escaping them), then each
/// re-encoded and joined as `name=value` with `&`.
///
/// Two other orders are easy to write and wrong: sorting whole `name=value` strings differs
/// when one name is a prefix of another followed by a byte below `=` (`a-b=1` sorts before
/// `a=2` as a string, but name `a` sorts before name `a-b`); sorting the encoded forms differs
/// for values such as `a{` and `ab` (`a%7B` sorts before `ab`, but `a{` after it).
pub fn canonical_query(request: &RecordedRequest) -> String {
    let mut pairs: Vec<(String, String)> = request.query_pairs();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request the gateway would compute for `request` and `signed_headers`.
pub fn canonical_request(request: &RecordedRequest, signed_headers: &[String]) -> String {
    let mut uri: Vec<String> = percent_decode(&request.path)
        .split('/')
        .map(escape)
        .collect::<Vec<_>>();
    if uri.last().is_some_and(|s| !s.is_empty()) {
        uri.push(String::new());
    }
    let uri = uri.join("/");
    let headers: String = signed_headers
        .iter()
        .map(|name| format!("{name}:{}\n", request.header(name).unwrap_or("").trim()))
        .collect();
    // A signed `X-Sdk-Content-Sha256` replaces the body hash: `UNSIGNED-PAYLOAD` is how the
    // vendor SDKs sign a body that is not JSON (multipart uploads). `verify` checks that it is
    // signed and, when it is a hash, that it is the body's.
    let content_hash = match request.header("x-sdk-content-sha256") {
        Some(value) if signed_headers.iter().any(|h| h == "x-sdk-content-sha256") => {
            value.trim().to_owned()
        }
        _ => hex(&Sha256::digest(&request.body)),
    };
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        uri,
        canonical_query(request),
        headers,
        signed_headers.join(";"),
        content_hash
    )
}

/// Checks the request's signature with the secret key `sk`; `Err` says why it is rejected.
///
/// Requires `host` and `x-sdk-date` to be signed and the date to be within
/// [`MAX_CLOCK_SKEW_SECS`] of `now_unix` (pass `None` to skip the clock check).
pub fn verify(
    request: &RecordedRequest,
    ak: &str,
    sk: &str,
    now_unix: Option<u64>,
) -> Result<(), String> {
    let authorization = parse_authorization(
        request
            .header("authorization")
            .ok_or("no Authorization header")?,
    )?;
    if authorization.access != ak {
        return Err(format!("unknown access key `{}`", authorization.access));
    }
    for required in ["host", "x-sdk-date"] {
        if !authorization.signed_headers.iter().any(|h| h == required) {
            return Err(format!("`{required}` is not signed"));
        }
    }
    if let Some(content) = request.header("x-sdk-content-sha256") {
        if !authorization
            .signed_headers
            .iter()
            .any(|h| h == "x-sdk-content-sha256")
        {
            return Err("`x-sdk-content-sha256` is sent but not signed".to_owned());
        }
        let content = content.trim();
        if content != "UNSIGNED-PAYLOAD" && content != hex(&Sha256::digest(&request.body)) {
            return Err(format!(
                "X-Sdk-Content-Sha256 `{content}` is neither UNSIGNED-PAYLOAD nor the body's hash"
            ));
        }
    }
    let date = request.header("x-sdk-date").ok_or("no X-Sdk-Date")?;
    if let Some(now) = now_unix {
        let signed_at = sdk_date_to_unix(date).ok_or_else(|| format!("bad X-Sdk-Date `{date}`"))?;
        if now.abs_diff(signed_at) > MAX_CLOCK_SKEW_SECS {
            return Err(format!(
                "X-Sdk-Date `{date}` is too far from the server clock"
            ));
        }
    }
    let (canonical, expected) = signature(request, &authorization.signed_headers, date, sk);
    if expected == authorization.signature {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch; canonical request was:\n{canonical}"
        ))
    }
}

/// Why a gateway refuses a request, as [`check`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// `X-Sdk-Date` is more than [`MAX_CLOCK_SKEW_SECS`] from the gateway's clock.
    Expired {
        /// The signing time, seconds since the epoch.
        signed_at: u64,
    },
    /// Anything else: a missing header, an unknown key, a wrong signature.
    Signature(String),
}

/// The API gateway's message for a signing time too far from its clock (code `APIGW.0301`), as
/// the vendor's documentation quotes it.
pub const EXPIRED_MESSAGE: &str =
    "Incorrect IAM authentication information: calc ak sk signature fail:signature expired";
/// The API gateway's message for a signature that does not match (code `APIGW.0301`).
pub const MISMATCH_MESSAGE: &str =
    "Incorrect IAM authentication information: verify aksk signature fail";

/// Checks `request` like the gateway whose clock reads `server_now` (seconds since the epoch):
/// the signing time first, then the signature.
pub fn check(
    request: &RecordedRequest,
    ak: &str,
    sk: &str,
    server_now: u64,
) -> Result<(), Rejection> {
    if let Some(signed_at) = request.header("x-sdk-date").and_then(sdk_date_to_unix) {
        if server_now.abs_diff(signed_at) > MAX_CLOCK_SKEW_SECS {
            return Err(Rejection::Expired { signed_at });
        }
    }
    verify(request, ak, sk, Some(server_now)).map_err(Rejection::Signature)
}

impl Rejection {
    /// The gateway's reply: HTTP 401, `APIGW.0301` with its message, a request id, and its
    /// clock in the `Date` header.
    pub fn reply(&self, server_now: u64) -> Reply {
        let message = match self {
            Rejection::Expired { .. } => EXPIRED_MESSAGE,
            Rejection::Signature(_) => MISMATCH_MESSAGE,
        };
        Reply::json(
            401,
            &serde_json::json!({
                "error_code": "APIGW.0301",
                "error_msg": message,
                "request_id": "gw-401",
            }),
        )
        .header("Date", &http_date(server_now))
    }
}

/// The canonical request and the hex signature the gateway expects for `request` signed at
/// `date` over `signed_headers` with the secret key `sk`, with none of the policy checks of
/// [`verify`] (which headers must be signed, clock skew).
pub fn signature(
    request: &RecordedRequest,
    signed_headers: &[String],
    date: &str,
    sk: &str,
) -> (String, String) {
    let canonical = canonical_request(request, signed_headers);
    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("HMAC takes any key");
    mac.update(string_to_sign.as_bytes());
    (canonical, hex(&mac.finalize().into_bytes()))
}

/// Seconds since the epoch of a `yyyyMMddTHHmmssZ` date.
pub fn sdk_date_to_unix(date: &str) -> Option<u64> {
    if date.len() != 16 || &date[8..9] != "T" || !date.ends_with('Z') {
        return None;
    }
    let n = |a: usize, b: usize| date.get(a..b)?.parse::<i64>().ok();
    let (y, m, d) = (n(0, 4)?, n(4, 6)?, n(6, 8)?);
    let (hh, mm, ss) = (n(9, 11)?, n(11, 13)?, n(13, 15)?);
    // Days from civil (proleptic Gregorian), written out independently of the client's copy.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}
