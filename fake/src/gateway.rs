//! The API gateway in front of the service: AK/SK signatures and IAM tokens.
//!
//! The signature check is `codearts-testkit`'s, written from the vendor's description of
//! `SDK-HMAC-SHA256` and the request as it arrived on the wire; it shares no code with the
//! client's signer (`codearts-runtime`), so a bug in one cannot hide in the other.

use codearts_testkit::server::RecordedRequest;
use codearts_testkit::signature::{self, Rejection};

/// Who may call the fake.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub ak: String,
    pub sk: String,
    /// The accepted IAM token; `None` accepts any non-empty token.
    pub token: Option<String>,
}

/// `Ok` when the gateway lets the request through; the 401 message otherwise.
pub(crate) fn authenticate(
    request: &RecordedRequest,
    keys: &Keys,
    now: u64,
) -> Result<(), &'static str> {
    if let Some(token) = request.header("x-auth-token") {
        let ok = match &keys.token {
            Some(expected) => token == expected,
            None => !token.trim().is_empty(),
        };
        return if ok {
            Ok(())
        } else {
            Err("Incorrect IAM authentication information: decrypt token fail")
        };
    }
    if request.header("authorization").is_none() {
        return Err("Incorrect IAM authentication information: Authorization not found in header");
    }
    match signature::check(request, &keys.ak, &keys.sk, now) {
        Ok(()) => Ok(()),
        Err(Rejection::Expired { .. }) => Err(signature::EXPIRED_MESSAGE),
        Err(Rejection::Signature(_)) => Err(signature::MISMATCH_MESSAGE),
    }
}
