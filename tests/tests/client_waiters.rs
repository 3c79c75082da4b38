//! `Client::wait_for_build` against the local server: builds that run for a few polls and
//! then pass, fail or are aborted; the deadline; 429 replies; errors; cancelling by dropping.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use codearts_build::types::BuildStatus;
use codearts_build::{BuildNumber, Client, Credentials, RetryPolicy, WaitError};
use workspace_tests::server::{Reply, TestServer};

const JOB: &str = "48c66c6002964721be537cdc6ce0297b";

fn client(server: &TestServer, retries: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(retries)
        .build()
        .expect("client")
}

fn build(n: i32) -> BuildNumber {
    BuildNumber::new(n).expect("a build number")
}

fn record(status: &str, finish_time: Option<&str>) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": {
                "build_no": 7,
                "status": status,
                "finish_time": finish_time,
                "duration": 61000
            },
            "status": "success"
        }),
    )
}

async fn wait_through(
    statuses: &[&str],
) -> (TestServer, codearts_build::types::ShowRecordDetailResult) {
    let server = TestServer::sequence(statuses.iter().map(|s| record(s, None)).collect()).await;
    let done = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(5))
        .await
        .expect("the build ends");
    (server, done)
}

#[tokio::test]
async fn a_build_that_passes_after_a_few_polls_returns_its_final_record() {
    let (server, done) = wait_through(&["RUNNING", "RUNNING", "SUCCESS"]).await;
    assert_eq!(done.status, Some(BuildStatus::Success));
    assert!(done.status.as_ref().is_some_and(BuildStatus::is_success));
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "no poll after the final state");
    for r in &requests {
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, format!("/v1/record/{JOB}/7/record-info"));
    }
}

#[tokio::test]
async fn a_failed_build_ends_the_wait_without_success() {
    let (server, done) = wait_through(&["RUNNING", "FAILURE"]).await;
    let status = done.status.expect("a status");
    assert_eq!(status, BuildStatus::Failure);
    assert!(status.is_terminal() && !status.is_success());
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn an_aborted_build_ends_the_wait_without_success() {
    let (server, done) = wait_through(&["RUNNING", "RUNNING", "RUNNING", "ABORTED"]).await;
    let status = done.status.expect("a status");
    assert_eq!(status, BuildStatus::Aborted);
    assert!(status.is_terminal() && !status.is_success());
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn an_unknown_state_waits_until_the_record_has_a_finish_time() {
    let server = TestServer::sequence(vec![
        record("PAUSED", None),
        record("SOMETHING_NEW", Some("2024-06-26T08:30:00.000+00:00")),
    ])
    .await;
    let done = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(5))
        .await
        .expect("finished");
    assert_eq!(
        done.status,
        Some(BuildStatus::Unknown("SOMETHING_NEW".to_owned()))
    );
    assert!(!BuildStatus::Unknown("SOMETHING_NEW".to_owned()).is_terminal());
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_state_seen() {
    let server = TestServer::start(|_| record("RUNNING", None)).await;
    let error = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(20))
        .deadline(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    match &error {
        WaitError::Timeout {
            last,
            waited,
            polls,
        } => {
            let last = last.as_ref().expect("a state was seen");
            assert_eq!(last.status, Some(BuildStatus::Running));
            assert!(*waited >= Duration::from_millis(200), "{waited:?}");
            assert!(*waited < Duration::from_secs(2), "{waited:?}");
            assert!(*polls >= 2, "{polls}");
            assert_eq!(*polls as usize, server.request_count());
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("gave up waiting"), "{error}");
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured_before_polling_again() {
    let server = TestServer::sequence(vec![
        record("RUNNING", None),
        Reply::error(429, "APIG.0308", "too many requests", "r-429").header("Retry-After", "1"),
        record("SUCCESS", None),
    ])
    .await;
    let done = client(&server, RetryPolicy::default())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(5))
        .await
        .expect("passes");
    assert_eq!(done.status, Some(BuildStatus::Success));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let gap = requests[2].received_at - requests[1].received_at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[tokio::test]
async fn a_429_the_client_does_not_retry_slows_the_wait_down_instead_of_ending_it() {
    let server = TestServer::sequence(vec![
        record("RUNNING", None),
        Reply::error(429, "APIG.0308", "too many requests", "r-429"),
        record("SUCCESS", None),
    ])
    .await;
    let done = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(40))
        .max_interval(Duration::from_secs(1))
        .await
        .expect("passes");
    assert_eq!(done.status, Some(BuildStatus::Success));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // After the pending answer the pause grew to 60 ms; the 429 doubles the next one.
    let after_busy = requests[2].received_at - requests[1].received_at;
    assert!(after_busy >= Duration::from_millis(60), "{after_busy:?}");
}

#[tokio::test]
async fn an_error_that_polling_cannot_clear_ends_the_wait_with_the_last_state() {
    let server = TestServer::sequence(vec![
        record("RUNNING", None),
        Reply::error(404, "CB.00060214", "no such build", "r-404"),
        record("SUCCESS", None),
    ])
    .await;
    let error = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(5))
        .await
        .unwrap_err();
    match &error {
        WaitError::Failed { source, last } => {
            assert_eq!(source.request_id(), Some("r-404"));
            assert_eq!(
                last.as_ref().and_then(|r| r.status.clone()),
                Some(BuildStatus::Running)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn dropping_the_wait_sends_no_more_requests() {
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    let server = TestServer::start(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
        record("RUNNING", None)
    })
    .await;
    let wait = client(&server, RetryPolicy::none())
        .wait_for_build(JOB, build(7))
        .poll_interval(Duration::from_millis(30))
        .max_interval(Duration::from_millis(30));
    let cut = tokio::time::timeout(Duration::from_millis(150), wait).await;
    assert!(cut.is_err(), "still waiting when dropped");
    let at_drop = served.load(Ordering::SeqCst);
    assert!(at_drop >= 2, "{at_drop}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        served.load(Ordering::SeqCst),
        at_drop,
        "no poll after the drop"
    );
}

#[tokio::test]
async fn the_default_pause_is_paced_by_the_rate_limit_class() {
    // show_job_build_record_detail is `ten_120_min` (0.5 s pace): the runtime's 2 s default
    // is the longer, so it stays.
    let server = TestServer::sequence(Vec::new()).await;
    let waiter = client(&server, RetryPolicy::none()).wait_for_build(JOB, build(7));
    let shown = format!("{waiter:?}");
    assert!(shown.contains("interval: 2s"), "{shown}");
    assert_eq!(server.request_count(), 0, "nothing is sent before awaiting");
}

#[test]
fn build_numbers_are_positive_and_convert_to_the_integer_the_operations_take() {
    assert_eq!(i32::from(build(20)), 20);
    assert_eq!("20".parse::<BuildNumber>().expect("parses"), build(20));
    assert!("0".parse::<BuildNumber>().is_err());
    assert!("20.5".parse::<BuildNumber>().is_err());
    assert!(BuildNumber::new(0).is_none());
}

fn job_info(disabled: bool) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": { "id": JOB, "job_name": "app", "disabled": disabled },
            "error": null,
            "status": "success"
        }),
    )
}

#[tokio::test]
async fn waits_for_a_job_to_be_disabled_and_enabled() {
    let server = TestServer::sequence(vec![job_info(false), job_info(false), job_info(true)]).await;
    let info = client(&server, RetryPolicy::none())
        .wait_for_job_disabled(JOB)
        .poll_interval(Duration::from_millis(5))
        .await
        .expect("disabled");
    assert_eq!(info.disabled, Some(true));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| r.path == format!("/v1/job/{JOB}/info")));

    let server = TestServer::sequence(vec![job_info(true), job_info(false)]).await;
    let info = client(&server, RetryPolicy::none())
        .wait_for_job_enabled(JOB)
        .poll_interval(Duration::from_millis(5))
        .await
        .expect("enabled");
    assert_eq!(info.disabled, Some(false));
    assert_eq!(server.request_count(), 2);
}
