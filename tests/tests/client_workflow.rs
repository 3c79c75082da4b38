//! `Client::run_build` against the local server: the start request, start retries, the build
//! number, the log that ends with the build, the verdict and stopping.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use codearts_build::types::BuildStatus;
use codearts_build::{Client, Credentials, Error, RetryPolicy};
use futures_util::StreamExt;
use workspace_tests::server::{RecordedRequest, Reply, TestServer};

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../../generated/examples/run_build_and_follow_log.rs"]
mod run_build_and_follow_log;

const JOB: &str = "48c66c6002964721be537cdc6ce0297b";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        // Retries on: what is not retried below is not retried by choice.
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("client")
}

fn started(number: Option<&str>) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "actual_build_number": number,
            "daily_build_number": "20240626.20",
            "octopus_job_name": "j_x"
        }),
    )
}

fn record(status: &str, finish_time: Option<&str>) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": {
                "build_no": 20,
                "status": status,
                "finish_time": finish_time,
                "duration": 61500
            },
            "status": "success"
        }),
    )
}

fn log(text: &str, end: u64, more: bool) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": { "log": text, "start_offset": "0", "end_offset": end.to_string(), "has_more": more },
            "error": null,
            "status": "success"
        }),
    )
}

/// A server for one build, 20, of JOB: starting answers 20; the record is RUNNING for
/// `running` polls, then `verdict` with a finish time; the log comes in `chunks`.
async fn build_server(
    running: usize,
    verdict: &'static str,
    chunks: Vec<(&'static str, bool)>,
) -> TestServer {
    let polls = AtomicUsize::new(0);
    let reads = AtomicUsize::new(0);
    let record_path = format!("/v1/record/{JOB}/20/record-info");
    let log_path = format!("/v1/log/{JOB}/20/real-time-log");
    let stop_path = format!("/v1/job/{JOB}/stop");
    TestServer::start(move |r: &RecordedRequest| match r.path.as_str() {
        "/v1/job/execute" => started(Some("20")),
        p if p == record_path => {
            if polls.fetch_add(1, Ordering::SeqCst) < running {
                record("RUNNING", None)
            } else {
                record(verdict, Some("2024-06-26T08:30:00.000+00:00"))
            }
        }
        p if p == log_path => {
            let i = reads.fetch_add(1, Ordering::SeqCst);
            let end: u64 = chunks.iter().take(i + 1).map(|(t, _)| t.len() as u64).sum();
            match chunks.get(i) {
                Some((text, more)) => log(text, end, *more),
                None => log("", end, false),
            }
        }
        p if p == stop_path => Reply::json(200, &serde_json::json!({ "status": "success" })),
        _ => Reply::bytes(599, "unexpected request"),
    })
    .await
}

#[tokio::test]
async fn start_sends_one_request_with_the_inputs_and_reads_the_build_number() {
    let server = TestServer::sequence(vec![started(Some("20"))]).await;
    let handle = client(&server)
        .run_build(JOB)
        .parameter("version", "1.2.3")
        .parameter("env", "staging")
        .branch("main")
        .tag("v1.2.3")
        .commit("0a1b2c3")
        .start()
        .await
        .expect("started");
    assert_eq!(handle.build_no().get(), 20);
    assert_eq!(handle.job_id(), JOB);
    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/job/execute");
    assert_eq!(
        request.json(),
        serde_json::json!({
            "job_id": JOB,
            "parameter": [
                { "name": "version", "value": "1.2.3" },
                { "name": "env", "value": "staging" },
                { "name": "codeBranch", "value": "main" }
            ],
            "scm": { "build_tag": "v1.2.3", "build_commit_id": "0a1b2c3" }
        })
    );
}

#[tokio::test]
async fn a_plain_start_sends_only_the_job() {
    let server = TestServer::sequence(vec![started(Some("3"))]).await;
    let handle = client(&server)
        .run_build(JOB)
        .start()
        .await
        .expect("started");
    assert_eq!(handle.build_no().get(), 3);
    assert_eq!(
        server.single_request().json(),
        serde_json::json!({ "job_id": JOB })
    );
}

#[tokio::test]
async fn start_is_not_retried_on_a_5xx_unless_asked() {
    let server = TestServer::sequence(vec![
        Reply::error(503, "CB.00060100", "busy", "r-503"),
        started(Some("21")),
    ])
    .await;
    let error = client(&server).run_build(JOB).start().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.request_count(),
        1,
        "a retried start can queue two builds"
    );

    let server = TestServer::sequence(vec![
        Reply::error(503, "CB.00060100", "busy", "r-503"),
        started(Some("21")),
    ])
    .await;
    let handle = client(&server)
        .run_build(JOB)
        .retry_start(true)
        .start()
        .await
        .expect("started on the second attempt");
    assert_eq!(handle.build_no().get(), 21);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_start_reply_without_a_build_number_is_an_error_not_a_default() {
    for number in [None, Some(""), Some("twenty")] {
        let server = TestServer::sequence(vec![started(number)]).await;
        let error = client(&server).run_build(JOB).start().await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(error.to_string().contains("actual_build_number"), "{error}");
    }
}

#[tokio::test]
async fn wait_returns_the_verdict_of_a_build_that_runs_for_a_few_polls() {
    for (verdict, status, success) in [
        ("SUCCESS", BuildStatus::Success, true),
        ("FAILURE", BuildStatus::Failure, false),
        ("ABORTED", BuildStatus::Aborted, false),
    ] {
        let server = build_server(2, verdict, Vec::new()).await;
        let handle = client(&server)
            .run_build(JOB)
            .start()
            .await
            .expect("started");
        let outcome = handle
            .waiter()
            .poll_interval(Duration::from_millis(5))
            .await
            .map(codearts_build::BuildOutcome::from_record::<Client>)
            .expect("a verdict");
        assert_eq!(outcome.status, Some(status));
        assert_eq!(outcome.is_success(), success);
        assert_eq!(outcome.duration, Some(Duration::from_millis(61500)));
        assert_eq!(outcome.record.build_no, Some(20));
        let polls = server
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/record-info"))
            .count();
        assert_eq!(polls, 3, "{verdict}");
    }
}

#[tokio::test]
async fn follow_log_ends_when_the_build_ends() {
    let server = build_server(
        1,
        "SUCCESS",
        vec![("compiling\n", true), ("tests pass\n", false)],
    )
    .await;
    let handle = client(&server)
        .run_build(JOB)
        .start()
        .await
        .expect("started");
    let mut log = handle
        .follow_log()
        .expect("a log request")
        .poll_interval(Duration::from_millis(1));
    let mut text = String::new();
    while let Some(chunk) = log.next().await {
        text.push_str(&chunk.expect("a chunk").text);
    }
    assert_eq!(text, "compiling\ntests pass\n");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let log_path = format!("/v1/log/{JOB}/20/real-time-log");
    let record_path = format!("/v1/record/{JOB}/20/record-info");
    // The second chunk says "no more", but the record still runs: follow on until the record
    // has finished, then read once more.
    assert_eq!(
        paths,
        [
            "/v1/job/execute",
            &log_path,
            &log_path,
            &record_path,
            &log_path,
            &record_path,
            &log_path
        ]
    );
    assert_eq!(requests[1].query_param("size").as_deref(), Some("1000"));
    assert_eq!(
        requests[2].query_param("start_offset").as_deref(),
        Some("10")
    );
}

#[tokio::test]
async fn stop_sends_one_request_for_the_build() {
    let server = build_server(5, "ABORTED", Vec::new()).await;
    let handle = client(&server)
        .run_build(JOB)
        .start()
        .await
        .expect("started");
    handle.stop().await.expect("stopped");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].path, format!("/v1/job/{JOB}/stop"));
    assert_eq!(requests[1].query_param("build_no").as_deref(), Some("20"));
}

#[tokio::test]
async fn a_failed_stop_is_not_sent_again() {
    let stops = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&stops);
    let server = TestServer::start(move |r: &RecordedRequest| {
        if r.path == "/v1/job/execute" {
            started(Some("20"))
        } else {
            seen.fetch_add(1, Ordering::SeqCst);
            Reply::error(503, "CB.00060100", "busy", "r-503")
        }
    })
    .await;
    let handle = client(&server)
        .run_build(JOB)
        .start()
        .await
        .expect("started");
    let error = handle.stop().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(stops.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn wait_on_a_build_already_over_returns_its_outcome_after_one_poll() {
    let server = build_server(0, "SUCCESS", Vec::new()).await;
    let handle = client(&server)
        .run_build(JOB)
        .start()
        .await
        .expect("started");
    let outcome = handle.wait().await.expect("a verdict");
    assert!(outcome.is_success());
    assert_eq!(outcome.status, Some(BuildStatus::Success));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_example_runs_a_build_prints_its_log_and_returns_the_verdict() {
    for (verdict, success) in [("SUCCESS", true), ("FAILURE", false)] {
        let server = build_server(0, verdict, vec![("step 1\n", false)]).await;
        let mut out = Vec::new();
        let outcome = run_build_and_follow_log::run(&client(&server), JOB, Some("main"), &mut out)
            .await
            .expect("the example runs");
        assert_eq!(outcome.is_success(), success, "{verdict}");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "step 1\n");
        let start = &server.requests()[0];
        assert_eq!(
            start.json()["parameter"],
            serde_json::json!([{ "name": "codeBranch", "value": "main" }])
        );
    }
}
