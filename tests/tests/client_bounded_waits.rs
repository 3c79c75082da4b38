//! Bounded waiting: a followed log that stops producing output, a follow deadline, and a whole
//! call's `operation_timeout` across retries and `Retry-After`. Every limit here is small so
//! that the tests are fast; each test also bounds itself, so a missing limit fails instead of
//! hanging.

#![expect(
    deprecated,
    reason = "exercised through legacy operations, which the service still answers and the crate still offers"
)]

use std::time::{Duration, Instant};

use codearts_build::{CallOptions, Client, Credentials, Error, RetryPolicy};
use futures_util::StreamExt;
use workspace_tests::server::{Reply, TestServer};

const JOB: &str = "48c66c6002964721be537cdc6ce0297b";
const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";

/// Longer than any limit under test: reaching it means the limit did not work.
const GUARD: Duration = Duration::from_secs(10);

fn builder(server: &TestServer) -> codearts_build::ClientBuilder {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .project_id(PROJECT)
}

fn log_reply(content: &str, offset: u64, more: bool) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": { "content": content, "offset": offset, "has_more_data": more },
            "status": "success"
        }),
    )
}

fn follow(client: &Client) -> codearts_build::LogFollow {
    client
        .download_real_time_log()
        .job_id(JOB)
        .build_no(33)
        .offset(0)
        .follow()
        .expect("valid request")
        .poll_interval(Duration::from_millis(10))
}

#[tokio::test]
async fn a_log_that_stops_growing_ends_with_an_idle_timeout() {
    // One line, then "more to come" forever with nothing new: a stuck build.
    let server = TestServer::start(|request| {
        if request.query_param("offset").as_deref() == Some("0") {
            log_reply("line 1\n", 7, true)
        } else {
            log_reply("", 7, true)
        }
    })
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let mut log = follow(&client).idle_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let first = tokio::time::timeout(GUARD, log.next())
        .await
        .expect("no hang");
    assert_eq!(first.expect("a chunk").expect("ok").text, "line 1\n");
    let after_text = Instant::now();
    let end = tokio::time::timeout(GUARD, log.next())
        .await
        .expect("the idle timeout ends the stream");
    let waited = after_text.elapsed();
    match end {
        Some(Err(Error::LogStalled { idle, offset })) => {
            assert_eq!(idle, Duration::from_millis(300));
            assert_eq!(offset, 7, "the resume offset");
        }
        other => panic!("expected LogStalled, got {other:?}"),
    }
    assert!(
        waited >= Duration::from_millis(280) && waited < Duration::from_secs(3),
        "stopped after {waited:?}"
    );
    assert!(log.next().await.is_none(), "the stream stays ended");
    assert!(log.polls() > 3, "it kept polling while waiting");
    assert!(started.elapsed() < GUARD);
}

#[tokio::test]
async fn the_idle_timeout_also_cuts_a_request_that_hangs() {
    // The server answers nothing for longer than the idle timeout: the request in flight is
    // abandoned, not waited for until its own 60 s timeout.
    let server = TestServer::start(|_| log_reply("", 0, true).delay(Duration::from_secs(30))).await;
    let client = builder(&server).build().expect("client");
    let mut log = follow(&client).idle_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let end = tokio::time::timeout(GUARD, log.next())
        .await
        .expect("the idle timeout ends the stream");
    assert!(
        matches!(end, Some(Err(Error::LogStalled { offset: 0, .. }))),
        "{end:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_follow_deadline_ends_a_log_that_keeps_growing() {
    let server = TestServer::start(|request| {
        let offset: u64 = request
            .query_param("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        log_reply("tick\n", offset + 5, true)
    })
    .await;
    let client = builder(&server).build().expect("client");
    let mut log = follow(&client)
        .idle_timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(500));
    let started = Instant::now();
    let mut chunks = 0;
    // Bounded as a whole: without a deadline the text would keep coming forever.
    let end = tokio::time::timeout(GUARD, async {
        loop {
            match log.next().await {
                Some(Ok(chunk)) => {
                    assert_eq!(chunk.text, "tick\n");
                    chunks += 1;
                }
                other => break other,
            }
        }
    })
    .await
    .expect("the deadline ends the stream");
    let elapsed = started.elapsed();
    match end {
        Some(Err(Error::LogDeadline { deadline, offset })) => {
            assert_eq!(deadline, Duration::from_millis(500));
            assert_eq!(
                offset,
                5 * chunks,
                "the resume offset is after the last chunk"
            );
        }
        other => panic!("expected LogDeadline, got {other:?}"),
    }
    assert!(chunks > 3, "text kept arriving: {chunks} chunks");
    assert!(
        elapsed >= Duration::from_millis(480) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

fn busy() -> Reply {
    Reply::error(503, "APIGW.0308", "busy", "r-busy").delay(Duration::from_millis(300))
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(2))
}

#[tokio::test]
async fn operation_timeout_bounds_a_call_across_its_retries() {
    // Each attempt takes 300 ms and fails; 20 attempts would take 6 s. The whole call gets 1 s.
    let server = TestServer::start(|_| busy()).await;
    let client = builder(&server)
        .retry_policy(fast_retries(20))
        .operation_timeout(Duration::from_secs(1))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = tokio::time::timeout(GUARD, client.show_job_status().job_id(JOB).send())
        .await
        .expect("bounded")
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&error, Error::Timeout { message } if message.contains("operation timeout of 1000 ms")),
        "{error:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_millis(2500),
        "{elapsed:?}"
    );
    let attempts = server.request_count();
    // 300 ms each: three or four fit in the second (fewer on a loaded machine), not twenty.
    assert!((2..=4).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn operation_timeout_per_call_overrides_the_client() {
    let server = TestServer::start(|_| busy()).await;
    let client = builder(&server)
        .retry_policy(fast_retries(20))
        .operation_timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = tokio::time::timeout(
        GUARD,
        client
            .show_job_status()
            .job_id(JOB)
            .send_with(CallOptions::new().operation_timeout(Duration::from_millis(500))),
    )
    .await
    .expect("bounded")
    .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(2000));
}

#[tokio::test]
async fn a_retry_after_longer_than_the_time_left_is_not_waited_for() {
    let server = TestServer::sequence(vec![
        Reply::error(503, "APIGW.0308", "busy", "r-1").header("Retry-After", "5"),
        Reply::json(200, &serde_json::json!({ "result": true })),
        Reply::error(503, "APIGW.0308", "busy", "r-3").header("Retry-After", "1"),
        Reply::json(200, &serde_json::json!({ "result": true })),
    ])
    .await;
    let client = builder(&server)
        .retry_policy(fast_retries(3))
        .operation_timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    // 5 s asked, 2 s allowed: the call ends at once with what the service said.
    let started = Instant::now();
    let error = tokio::time::timeout(GUARD, client.show_job_status().job_id(JOB).send())
        .await
        .expect("bounded")
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.request_id(), Some("r-1"));
    assert_eq!(server.request_count(), 1);
    // The server's answer was not consumed by a retry; take it so the sequence moves on.
    client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("second reply");

    // 1 s asked, time left: waited for, then answered.
    let started = Instant::now();
    let status = tokio::time::timeout(GUARD, client.show_job_status().job_id(JOB).send())
        .await
        .expect("bounded")
        .expect("answered after Retry-After");
    assert_eq!(status.result, Some(true));
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_millis(3000),
        "{elapsed:?}"
    );
    assert_eq!(server.request_count(), 4);
}
