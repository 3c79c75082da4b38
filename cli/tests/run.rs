//! `codearts-build run` against a simulated build: the exit code is the verdict, the log is
//! streamed, and Ctrl-C stops the build once.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use codearts_testkit::server::{RecordedRequest, Reply, TestServer};
use common::{run, JOB};
use serde_json::json;

/// The log the simulated build writes, one chunk per log request.
const LOG: [&str; 3] = [
    "[INFO] checkout main\n",
    "[INFO] mvn package\n",
    "[INFO] BUILD DONE\n",
];

/// A build that runs for `polls` status polls (and, when followed, until its log is read),
/// then ends in `status` (`None`: it never ends).
fn simulated_build(
    status: Option<&'static str>,
    polls: usize,
) -> impl Fn(&RecordedRequest) -> Reply {
    let record_polls = Arc::new(AtomicUsize::new(0));
    let log_reads = Arc::new(AtomicUsize::new(0));
    move |request: &RecordedRequest| {
        let path = request.path.as_str();
        if path == "/v1/job/execute" {
            return Reply::json(
                200,
                &json!({"actual_build_number": "7", "daily_build_number": "20261208.3"}),
            );
        }
        if path == format!("/v1/job/{JOB}/stop") {
            return Reply::json(200, &json!({"status": "success"}));
        }
        if path == format!("/v1/record/{JOB}/7/record-info") {
            let seen = record_polls.fetch_add(1, Ordering::SeqCst) + 1;
            // A followed build ends once its log was read; an unfollowed one a poll later.
            let log_done = log_reads.load(Ordering::SeqCst) >= LOG.len();
            let done = status.is_some() && seen > polls && (log_done || seen > polls + 1);
            let result = if done {
                json!({"build_no": 7, "status": status, "finish_time": "2026-12-08T02:00:05Z",
                       "duration": 65000, "id": "0123abcd-0123-4567-89ab-0123456789ab",
                       "err_msg": if status == Some("FAILURE") { json!("exit code 1 in step mvn package") } else { json!(null) }})
            } else {
                json!({"build_no": 7, "status": "RUNNING", "finish_time": ""})
            };
            return Reply::json(200, &json!({"status": "success", "result": result}));
        }
        if path == format!("/v1/log/{JOB}/7/real-time-log") {
            let offset: usize = request
                .query_param("start_offset")
                .and_then(|o| o.parse().ok())
                .unwrap_or(0);
            let full: String = LOG.concat();
            let index = LOG
                .iter()
                .scan(0, |at, line| {
                    let here = *at;
                    *at += line.len();
                    Some(here)
                })
                .position(|at| at == offset);
            let (text, end) = match index {
                Some(i) => {
                    log_reads.fetch_max(i + 1, Ordering::SeqCst);
                    (LOG[i], offset + LOG[i].len())
                }
                None => ("", offset),
            };
            let has_more = end < full.len();
            return Reply::json(
                200,
                &json!({"status": "success", "result": {
                    "log": text, "start_offset": offset.to_string(),
                    "end_offset": end.to_string(), "has_more": has_more}}),
            );
        }
        Reply::bytes(
            599,
            format!("unexpected request {} {}", request.method, path),
        )
    }
}

fn count(server: &TestServer, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

#[tokio::test]
async fn success_with_follow_streams_the_log_and_exits_0() {
    let server = TestServer::start(simulated_build(Some("SUCCESS"), 1)).await;
    let out = run(
        &server.url(),
        &[
            "run",
            JOB,
            "--branch",
            "main",
            "--follow",
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, LOG.concat(), "the whole log, once, in order");
    assert!(out.stderr.contains("started build #7"), "{out:?}");
    assert!(out.stderr.contains("build #7 of job"), "{out:?}");
    assert!(
        out.stderr.contains("succeeded (SUCCESS) in 1m05s"),
        "{out:?}"
    );
    assert_eq!(count(&server, "POST", "/v1/job/execute"), 1);
    let start = server.requests().into_iter().next().expect("a request");
    assert_eq!(
        start.json(),
        json!({"job_id": JOB, "parameter": [{"name": "codeBranch", "value": "main"}]})
    );
}

#[tokio::test]
async fn failure_with_follow_exits_1_with_the_reason() {
    let server = TestServer::start(simulated_build(Some("FAILURE"), 1)).await;
    let out = run(
        &server.url(),
        &["run", JOB, "--follow", "--poll-interval", "50ms"],
    )
    .await;
    assert_eq!(out.code, Some(1), "{out:?}");
    assert_eq!(out.stdout, LOG.concat());
    assert!(out.stderr.contains("failed (FAILURE)"), "{out:?}");
    assert!(
        out.stderr.contains("exit code 1 in step mvn package"),
        "{out:?}"
    );
}

#[tokio::test]
async fn aborted_exits_3() {
    let server = TestServer::start(simulated_build(Some("ABORTED"), 2)).await;
    let out = run(
        &server.url(),
        &["run", JOB, "--wait", "--poll-interval", "50ms"],
    )
    .await;
    assert_eq!(out.code, Some(3), "{out:?}");
    assert!(out.stderr.contains("aborted"), "{out:?}");
    assert_eq!(
        count(&server, "GET", &format!("/v1/log/{JOB}/7/real-time-log")),
        0
    );
}

#[tokio::test]
async fn timeout_exits_4_and_leaves_the_build_running() {
    let server = TestServer::start(simulated_build(None, 0)).await;
    let out = run(
        &server.url(),
        &[
            "run",
            JOB,
            "--wait",
            "--timeout",
            "600ms",
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
    assert_eq!(out.code, Some(4), "{out:?}");
    assert!(out.stderr.contains("not finished after"), "{out:?}");
    assert_eq!(count(&server, "POST", &format!("/v1/job/{JOB}/stop")), 0);
}

#[tokio::test]
async fn json_summary_and_parameters() {
    let server = TestServer::start(simulated_build(Some("SUCCESS"), 1)).await;
    let out = run(
        &server.url(),
        &[
            "run",
            JOB,
            "--param",
            "version=1.2=rc",
            "--param",
            "env=ci",
            "--tag",
            "v1.2",
            "--wait",
            "--json",
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let summary: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect("JSON summary");
    assert_eq!(summary["verdict"], json!("succeeded"));
    assert_eq!(summary["exit_code"], json!(0));
    assert_eq!(summary["build_no"], json!(7));
    assert_eq!(summary["duration_ms"], json!(65000));
    let start = server.requests().into_iter().next().expect("a request");
    assert_eq!(
        start.json(),
        json!({"job_id": JOB,
               "parameter": [{"name": "version", "value": "1.2=rc"}, {"name": "env", "value": "ci"}],
               "scm": {"build_tag": "v1.2"}})
    );
}

#[tokio::test]
async fn without_wait_it_exits_0_once_started() {
    let server = TestServer::start(simulated_build(None, 0)).await;
    let out = run(&server.url(), &["run", JOB]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stderr.contains("started build #7"), "{out:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_start_the_service_refuses_is_not_retried() {
    let server = TestServer::start(|_| Reply::error(500, "CB.00000001", "internal", "req-5")).await;
    let out = run(&server.url(), &["run", JOB, "--wait"]).await;
    assert_eq!(out.code, Some(7), "{out:?}");
    assert_eq!(server.request_count(), 1, "starting is not idempotent");

    let server = TestServer::start(|_| Reply::error(403, "APIGW.0302", "denied", "req-6")).await;
    let out = run(&server.url(), &["run", JOB, "--wait"]).await;
    assert_eq!(out.code, Some(6), "{out:?}");
}

async fn interrupt_sends_one_stop(signal: &str) {
    let server = TestServer::start(simulated_build(None, 0)).await;
    let child = common::command(&server.url())
        .args(["run", JOB, "--follow", "--poll-interval", "50ms"])
        .spawn()
        .expect("the binary starts");
    // Wait until the build runs and is being followed.
    let record = format!("/v1/record/{JOB}/7/record-info");
    for _ in 0..200 {
        if count(&server, "GET", &record) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        count(&server, "GET", &record) > 0,
        "the build was never watched"
    );
    let pid = child.id().expect("running").to_string();
    let status = tokio::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(status.success());
    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("exits after the signal")
        .expect("waits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("stopping build #7"), "{stderr}");
    let stops: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == format!("/v1/job/{JOB}/stop"))
        .collect();
    assert_eq!(stops.len(), 1, "exactly one stop request");
    assert_eq!(stops[0].method, "POST");
    assert_eq!(stops[0].query_param("build_no").as_deref(), Some("7"));
}

#[tokio::test]
async fn sigint_stops_the_build_once_and_exits_130() {
    interrupt_sends_one_stop("-INT").await;
}

#[tokio::test]
async fn sigterm_stops_the_build_once_and_exits_130() {
    interrupt_sends_one_stop("-TERM").await;
}

#[tokio::test]
async fn logs_and_download_log() {
    let server = TestServer::start(simulated_build(Some("SUCCESS"), 0)).await;
    let out = run(&server.url(), &["logs", JOB, "7"]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, LOG.concat());

    let out = run(
        &server.url(),
        &["logs", JOB, "7", "--follow", "--poll-interval", "50ms"],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, LOG.concat());

    let server = TestServer::start(|request: &RecordedRequest| {
        if request.path.ends_with("/record-info") {
            Reply::json(
                200,
                &json!({"status": "success",
                "result": {"id": "0123abcd-0123-4567-89ab-0123456789ab"}}),
            )
        } else {
            Reply::bytes(200, "full log\n")
        }
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("7.log");
    let out = run(
        &server.url(),
        &[
            "download-log",
            JOB,
            "7",
            "-o",
            file.to_str().expect("utf-8 path"),
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("written"),
        "full log\n"
    );
    // Not a terminal: plain lines, no control codes.
    assert!(
        out.stderr.contains("wrote 9 bytes of the log of build #7"),
        "{out:?}"
    );
    assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
    assert_eq!(
        server.requests()[1].path,
        "/v1/log/0123abcd-0123-4567-89ab-0123456789ab/download-log"
    );
}
