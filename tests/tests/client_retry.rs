//! Retries: which failures are retried, for which operations, how many times, and how long the
//! client waits when the server sends `Retry-After`.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::time::{Duration, SystemTime};

use codearts_build::runtime::time::format_http_date;
use codearts_build::{CallOptions, Client, Credentials, Error, ErrorCode, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};

const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

/// A client whose jittered backoff is at most 2 ms, so that a wait of a second or more can
/// only come from `Retry-After`.
fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("client")
}

fn ok_status() -> Reply {
    Reply::json(200, &serde_json::json!({ "result": true }))
}

fn ok_run() -> Reply {
    Reply::json(200, &serde_json::json!({ "actual_build_number": "7" }))
}

#[tokio::test]
async fn get_is_retried_after_503_then_succeeds() {
    let server = TestServer::sequence(vec![
        Reply::error(503, "APIGW.0308", "busy", "r1"),
        ok_status(),
    ])
    .await;
    let out = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("retried");
    assert_eq!(out.result, Some(true));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    for status in [429, 502, 503, 504] {
        let server = TestServer::sequence(vec![Reply::status(status), ok_status()]).await;
        client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .expect("retried");
        assert_eq!(server.request_count(), 2, "HTTP {status}");
    }
    for status in [400, 401, 403, 404, 500] {
        let server = TestServer::sequence(vec![Reply::status(status), ok_status()]).await;
        client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            server.request_count(),
            1,
            "HTTP {status} must not be retried"
        );
    }
}

#[tokio::test]
async fn catalogue_codes_marked_retryable_are_retried_whatever_the_status() {
    // CB.00060211 "too many requests" comes with HTTP 400, CB.00060100 "network busy" with 500:
    // statuses that are not retried on their own, but the catalogue says retrying helps.
    for (status, code, typed) in [
        (400, "CB.00060211", ErrorCode::TooManyRequests),
        (500, "CB.00060100", ErrorCode::NetworkBusy),
    ] {
        assert!(typed.is_retryable());
        let server = TestServer::sequence(vec![
            Reply::error(status, code, "try again later", "r1"),
            ok_status(),
        ])
        .await;
        let out = client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{code} was not retried: {e}"));
        assert_eq!(out.result, Some(true));
        assert_eq!(server.request_count(), 2, "{code}");
    }
    // Other catalogue codes with the same statuses are final.
    for (status, code) in [(400, "CB.00060200"), (500, "CB.00060101")] {
        let server =
            TestServer::sequence(vec![Reply::error(status, code, "no", "r1"), ok_status()]).await;
        let error = client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .unwrap_err();
        assert!(!error.is_retryable(), "{code}");
        assert_eq!(server.request_count(), 1, "{code}");
    }
}

#[tokio::test]
async fn retryable_code_does_not_make_a_post_retried() {
    let server = TestServer::sequence(vec![
        Reply::error(400, "CB.00060211", "too many requests", "r1"),
        ok_run(),
    ])
    .await;
    let error = client(&server)
        .run_job()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::TooManyRequests));
    assert!(error.is_retryable());
    assert_eq!(server.request_count(), 1);

    // Unless the call opts in.
    let server = TestServer::sequence(vec![
        Reply::error(400, "CB.00060211", "too many requests", "r1"),
        ok_run(),
    ])
    .await;
    client(&server)
        .run_job()
        .job_id(JOB)
        .send_with(CallOptions::new().retry_non_idempotent(true))
        .await
        .expect("retried");
    assert_eq!(server.request_count(), 2);
}

/// A retryable catalogue code inside a 200 reply (decoded by the operation, not by the send
/// loop's error path) is marked by the client too: the GET is retried, and the caller sees the
/// code as retryable.
#[tokio::test]
async fn a_retryable_code_in_a_200_reply_is_retried() {
    let server = TestServer::sequence(vec![
        Reply::error(200, "CB.00060211", "too many requests", "r1"),
        ok_status(),
    ])
    .await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("retried");
    assert_eq!(server.request_count(), 2);

    let server =
        TestServer::start(|_| Reply::error(200, "CB.00060211", "too many requests", "r1")).await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Service {
                status: 200,
                retryable_code: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.code(), Some(ErrorCode::TooManyRequests));
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = TestServer::start(|_| Reply::error(503, "APIGW.0308", "busy", "r-busy")).await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.request_count(), 3);
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(CallOptions::new().max_attempts(5))
        .await
        .unwrap_err();
    assert_eq!(error.request_id(), Some("r-busy"));
    assert_eq!(server.request_count(), 3 + 5);
}

#[tokio::test]
async fn post_is_not_retried() {
    let server = TestServer::sequence(vec![
        Reply::error(503, "APIGW.0308", "busy", "r1"),
        ok_run(),
    ])
    .await;
    let error = client(&server)
        .run_job()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.request_count(), 1);

    // Nor after a dropped connection: the build may have started.
    let server = TestServer::sequence(vec![Reply::drop_connection(), ok_run()]).await;
    let error = client(&server)
        .run_job()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn post_is_retried_when_the_call_opts_in() {
    let server = TestServer::sequence(vec![Reply::status(503), ok_run()]).await;
    let out = client(&server)
        .run_job()
        .job_id(JOB)
        .send_with(CallOptions::new().retry_non_idempotent(true))
        .await
        .expect("retried");
    assert_eq!(out.actual_build_number.as_deref(), Some("7"));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn idempotent_post_is_retried() {
    // stop_build_job is a POST marked x-idempotent in the spec.
    let server = TestServer::sequence(vec![
        Reply::status(502),
        Reply::json(200, &serde_json::json!({ "status": "success" })),
    ])
    .await;
    client(&server)
        .stop_build_job()
        .job_id(JOB)
        .build_no(2)
        .send()
        .await
        .expect("retried");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn dropped_connection_and_timeout_are_retried_for_get() {
    let server = TestServer::sequence(vec![Reply::drop_connection(), ok_status()]).await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("retried");
    assert_eq!(server.request_count(), 2);

    let server = TestServer::sequence(vec![
        ok_status().delay(Duration::from_secs(30)),
        ok_status(),
    ])
    .await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(CallOptions::new().timeout(Duration::from_millis(200)))
        .await
        .expect("second attempt answers in time");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = TestServer::sequence(vec![
        Reply::status(503).header("Retry-After", "1"),
        ok_status(),
    ])
    .await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("retried");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].received_at - requests[0].received_at;
    // The backoff alone is at most 2 ms; only Retry-After explains a pause of a second.
    assert!(waited >= Duration::from_secs(1), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    // Whole seconds: a date 2 s ahead is between 1 and 2 s away.
    let date = format_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = TestServer::sequence(vec![
        Reply::status(429).header("Retry-After", &date),
        ok_status(),
    ])
    .await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("retried");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].received_at - requests[0].received_at;
    assert!(
        waited >= Duration::from_millis(900),
        "waited {waited:?} for {date}"
    );
}

#[tokio::test]
async fn malformed_retry_after_dates_fall_back_to_backoff() {
    for value in [
        "Sun, 06 Nov 1000000000000 08:49:37 GMT",
        "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
        "Sun, 99 Nov 1994 99:99:99 GMT",
        "18446744073709551616",
        "soon",
    ] {
        let server = TestServer::sequence(vec![
            Reply::status(503).header("Retry-After", value),
            ok_status(),
        ])
        .await;
        client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .unwrap_or_else(|e| panic!("Retry-After {value:?}: {e}"));
        assert_eq!(server.request_count(), 2, "{value:?}");
    }
}

#[tokio::test]
async fn retry_after_beyond_the_policy_limit_ends_retries() {
    let server = TestServer::sequence(vec![
        Reply::status(503).header("Retry-After", "3600"),
        ok_status(),
    ])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_policy_without_retries_sends_once() {
    let server = TestServer::sequence(vec![Reply::status(503), ok_status()]).await;
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_post_whose_connection_was_refused_is_sent_again() {
    // Nothing listens at first: the connection is refused, so the request never left and even
    // a non-idempotent POST may be sent again. The server comes up shortly after.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = probe.local_addr().expect("addr");
    drop(probe);
    let client = Client::builder()
        .endpoint(format!("http://{addr}"))
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(50)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build()
        .expect("client");
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        TestServer::start_on(addr, |_| ok_run()).await
    });
    let started = client
        .run_job()
        .job_id(JOB)
        .send()
        .await
        .expect("sent once the server is up");
    assert_eq!(started.actual_build_number.as_deref(), Some("7"));
    let server = server.await.expect("server task");
    assert_eq!(
        server.request_count(),
        1,
        "exactly one request reached the server"
    );
}
