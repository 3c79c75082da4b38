//! AK/SK signing at its edges, checked by the independent verifier against a gateway clock:
//! a machine clock 20 minutes off (corrected from the gateway's `Date`, the correction kept),
//! non-ASCII header values, parameters that try to replace headers the client sets, and the
//! opt-in canonical request of a rejected signature.

#![expect(
    deprecated,
    reason = "exercised through legacy operations, which the service still answers and the crate still offers"
)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use codearts_build::runtime::operation::{
    decode_json, Operation, OperationSpec, RawResponse, RequestParts,
};
use codearts_build::{Client, Credentials, Error, RetryPolicy};
use workspace_tests::server::{RecordedRequest, Reply, TestServer};
use workspace_tests::signature::{self, Rejection};

const AK: &str = "HPUAEXAMPLEACCESSKEY";
const SK: &str = "signing-edges-secret-key-0123456789";
const STS: &str = "sts-token-must-not-show";
const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";
/// How far the gateway's clock is ahead of this machine's in the skew tests.
const SKEW: i64 = 20 * 60;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn client(server: &TestServer, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(credentials)
        .project_id(PROJECT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// A gateway whose clock is `skew` seconds ahead of this machine's (changeable while it runs):
/// it checks the signing time and the signature like the real one and answers a rejection with
/// its own message and `Date`.
async fn gateway(skew: Arc<AtomicI64>) -> TestServer {
    TestServer::start(move |request| {
        let server_now = now().saturating_add_signed(skew.load(Ordering::SeqCst));
        match signature::check(request, AK, SK, server_now) {
            Ok(()) => Reply::json(200, &serde_json::json!({ "result": true })),
            Err(rejection) => rejection.reply(server_now),
        }
    })
    .await
}

fn signed_at(request: &RecordedRequest) -> u64 {
    signature::sdk_date_to_unix(request.header("x-sdk-date").expect("x-sdk-date"))
        .expect("yyyyMMddTHHmmssZ")
}

#[tokio::test]
async fn a_clock_twenty_minutes_behind_is_corrected_from_the_gateway_date_and_kept() {
    let skew = Arc::new(AtomicI64::new(SKEW));
    let server = gateway(Arc::clone(&skew)).await;
    let client = client(&server, Credentials::ak_sk(AK, SK));
    assert_eq!(client.clock_offset_secs(), 0);

    let status = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("accepted after the correction");
    assert_eq!(status.result, Some(true));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one rejection, one corrected retry");
    let server_now = now() + SKEW as u64;
    assert_eq!(
        signature::check(&requests[0], AK, SK, server_now),
        Err(Rejection::Expired {
            signed_at: signed_at(&requests[0])
        }),
        "the first request was signed with this machine's clock"
    );
    signature::check(&requests[1], AK, SK, server_now).expect("the retry fits the gateway clock");
    assert!(signed_at(&requests[1]).abs_diff(server_now) <= 5);
    assert!(
        (SKEW - 2..=SKEW + 2).contains(&client.clock_offset_secs()),
        "offset {}",
        client.clock_offset_secs()
    );

    // The correction is kept: the next call, from a clone too, is signed right the first time.
    client
        .clone()
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("accepted at once");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    signature::check(&requests[2], AK, SK, now() + SKEW as u64).expect("signed with the offset");

    // The gateway's clock is fixed later: the client follows it back once more.
    skew.store(0, Ordering::SeqCst);
    client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("corrected back");
    assert_eq!(server.request_count(), 5);
    assert!(client.clock_offset_secs().abs() <= 2);

    // A POST that is not idempotent is corrected the same way: the gateway refused the first
    // request before the service saw it.
    skew.store(SKEW, Ordering::SeqCst);
    client
        .run_job()
        .job_id(JOB)
        .send()
        .await
        .expect("run_job accepted after the correction");
    let requests = server.requests();
    assert_eq!(requests.len(), 7);
    assert!(requests[5..].iter().all(|r| r.method == "POST"));
    signature::check(&requests[6], AK, SK, now() + SKEW as u64).expect("corrected POST");
}

#[tokio::test]
async fn a_skew_that_persists_is_reported_with_its_size() {
    // A gateway that rejects every signing time, whatever it is: the client retries once with
    // the corrected time, then says how far off this machine's clock is.
    let server =
        TestServer::start(|_| Rejection::Expired { signed_at: 0 }.reply(now() + SKEW as u64)).await;
    let client = client(&server, Credentials::ak_sk(AK, SK));
    let error = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::SignatureRejected {
            clock_skew_secs: Some(measured),
            source,
            ..
        } => {
            assert!((SKEW - 2..=SKEW + 2).contains(measured), "{measured}");
            assert!(matches!(**source, Error::Service { status: 401, .. }));
        }
        other => panic!("expected SignatureRejected with the skew, got {other:?}"),
    }
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.error_code(), Some("APIGW.0301"));
    assert_eq!(error.request_id(), Some("gw-401"));
    let text = error.to_string();
    assert!(text.contains("signature expired"), "{text}");
    assert!(
        text.contains("clock is 20 min") || text.contains("clock is 19 min"),
        "{text}"
    );
    assert!(text.contains("behind"), "{text}");
    assert_eq!(server.request_count(), 2, "one correction, no more");
}

#[tokio::test]
async fn a_rejection_that_is_not_about_time_is_not_retried() {
    // The gateway's clock agrees with ours; the secret key is wrong.
    let server = gateway(Arc::new(AtomicI64::new(0))).await;
    let client = client(&server, Credentials::ak_sk(AK, "not-the-secret"));
    let error = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Service { status: 401, error_msg: Some(m), .. } if m == signature::MISMATCH_MESSAGE),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
    assert_eq!(client.clock_offset_secs(), 0);
}

/// An operation with header parameters, built through the public `Operation` trait (the
/// CodeArts Build spec has no header parameter today).
struct WithHeaders(Vec<(&'static str, String)>);

static WITH_HEADERS: OperationSpec = OperationSpec {
    id: "with_headers",
    method: reqwest::Method::GET,
    path_template: "/v1/labels",
    idempotent: true,
    deprecated: false,
};

impl Operation for WithHeaders {
    type Output = serde_json::Value;
    const SPEC: &'static OperationSpec = &WITH_HEADERS;
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
    fn to_parts(&self) -> Result<RequestParts, Error> {
        Ok(RequestParts {
            path: "/v1/labels".to_owned(),
            headers: self.0.clone(),
            ..RequestParts::default()
        })
    }
    async fn decode(response: RawResponse) -> Result<serde_json::Value, Error> {
        decode_json(response).await
    }
}

#[tokio::test]
async fn a_non_ascii_header_value_is_sent_and_signed_as_utf8_text() {
    let server = gateway(Arc::new(AtomicI64::new(0))).await;
    let client = client(&server, Credentials::ak_sk(AK, SK).security_token(STS));
    let label = "发布 Überprüfung-1.0";
    client
        .send(WithHeaders(vec![("X-Build-Label", label.to_owned())]))
        .await
        .expect("the gateway accepts the signature");
    let wire = server.single_request();
    assert_eq!(
        wire.header("x-build-label"),
        Some(label),
        "UTF-8 on the wire"
    );
    let authorization =
        signature::parse_authorization(wire.header("authorization").expect("authorization"))
            .expect("parsed");
    assert!(authorization
        .signed_headers
        .contains(&"x-build-label".to_owned()));
    signature::verify(&wire, AK, SK, Some(now())).expect("independent verification");

    // A line break could end the header early: refused, nothing sent.
    let error = client
        .send(WithHeaders(vec![(
            "X-Build-Label",
            "a\r\nX-Evil: 1".to_owned(),
        )]))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "X-Build-Label"),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_parameter_cannot_replace_a_header_the_client_sets() {
    let server = TestServer::start(|_| Reply::json(200, &serde_json::json!({}))).await;
    let signed = client(&server, Credentials::ak_sk(AK, SK).security_token(STS));
    let token = client(&server, Credentials::token("iam-token"));
    for name in [
        "Host",
        "authorization",
        "Content-Type",
        "CONTENT-LENGTH",
        "X-Sdk-Date",
        "x-auth-token",
        "X-Security-Token",
        "X-Project-Id",
    ] {
        for client in [&signed, &token] {
            let error = client
                .send(WithHeaders(vec![(name, "attacker-value".to_owned())]))
                .await
                .unwrap_err();
            assert!(
                matches!(&error, Error::InvalidRequest { parameter, reason } if parameter == name && reason.contains("sets itself")),
                "{name}: {error:?}"
            );
        }
    }
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn debug_signing_shows_the_canonical_request_of_a_rejected_signature() {
    // Every signature is rejected; with the debug option the error carries what was signed.
    let server =
        TestServer::start(|_| Rejection::Signature("mismatch".to_owned()).reply(now())).await;
    let debug = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::ak_sk(AK, SK).security_token(STS))
        .project_id(PROJECT)
        .retry_policy(RetryPolicy::none())
        .debug_signing(true)
        .build()
        .expect("client");
    let error = debug
        .show_list_history()
        .job_id(JOB)
        .offset(0)
        .limit(10)
        .interval(7)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::SignatureRejected {
                clock_skew_secs: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(401));
    let canonical = error.canonical_request().expect("a canonical request");
    let wire = server.single_request();
    let authorization =
        signature::parse_authorization(wire.header("authorization").expect("authorization"))
            .expect("parsed");
    // It is the canonical request the gateway computes from the wire, token redacted.
    let expected = signature::canonical_request(&wire, &authorization.signed_headers)
        .replace(STS, "<redacted>");
    assert_eq!(canonical, expected);
    assert!(canonical.starts_with(&format!("GET\n/v3/jobs/{JOB}/history/\n")));
    assert!(canonical.contains("x-security-token:<redacted>\n"));
    for secret in [SK, STS, authorization.signature.as_str()] {
        assert!(!canonical.contains(secret), "`{secret}` in {canonical}");
        assert!(
            !format!("{error:?}").contains(secret),
            "`{secret}` in {error:?}"
        );
        assert!(!error.to_string().contains(secret));
    }

    // Off by default: the gateway's reply as it came.
    let plain = client(&server, Credentials::ak_sk(AK, SK).security_token(STS));
    let error = plain
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Service { status: 401, .. }),
        "{error:?}"
    );
    assert_eq!(error.canonical_request(), None);
}
