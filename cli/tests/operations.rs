//! Generated operation subcommands: flags → the exact request the server sees, the reply as
//! printed, and inputs refused before anything is sent.

mod common;

use codearts_testkit::server::{Reply, TestServer};
use codearts_testkit::signature;
use common::{run, run_with, AK, JOB, PROJECT, SECRET};
use serde_json::json;

#[tokio::test]
async fn path_parameter_to_a_signed_get_and_json_out() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({"status": "success", "result": {"is_running": true, "last_build_no": "7"}}),
        )
    })
    .await;
    let out = run(&server.url(), &["show-running-status", "--job-id", JOB]).await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("/v1/job/{JOB}/running-status"));
    assert_eq!(request.query, "");
    signature::verify(&request, AK, SECRET, None).expect("signed with the AK/SK pair");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed["result"]["is_running"], json!(true));
    assert_eq!(printed["result"]["last_build_no"], json!("7"));
}

#[tokio::test]
async fn project_id_query_parameters_and_a_table() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({"total": 2, "jobs": [
                {"id": "j1", "job_name": "first"},
                {"id": "j2", "job_name": "second"}
            ]}),
        )
    })
    .await;
    let out = run(
        &server.url(),
        &[
            "list-project-jobs",
            "--page-index",
            "0",
            "--page-size",
            "10",
            "--build-status",
            "red",
            "--output",
            "table",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let request = server.single_request();
    assert_eq!(request.method, "GET");
    // The project id comes from the environment into the path.
    assert_eq!(request.path, format!("/v1/job/{PROJECT}/list"));
    assert_eq!(request.query_param("page_index").as_deref(), Some("0"));
    assert_eq!(request.query_param("page_size").as_deref(), Some("10"));
    assert_eq!(request.query_param("build_status").as_deref(), Some("red"));
    assert!(out.stdout.starts_with("ID"), "{}", out.stdout);
    assert!(out.stdout.contains("j2  second"), "{}", out.stdout);

    // --project-id wins over the environment.
    let other = "fedcba9876543210fedcba9876543210";
    let out = run(
        &server.url(),
        &[
            "--project-id",
            other,
            "list-project-jobs",
            "--page-index",
            "1",
            "--page-size",
            "5",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(server.requests()[1].path, format!("/v1/job/{other}/list"));
}

#[tokio::test]
async fn request_body_inline_from_a_file_and_from_stdin() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({"actual_build_number": "12", "daily_build_number": "20260101.1"}),
        )
    })
    .await;
    let body = json!({"job_id": JOB, "parameter": [{"name": "version", "value": "1.2"}]});
    let text = body.to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("run.json");
    std::fs::write(&file, &text).expect("write body");
    let at_file = format!("@{}", file.display());

    for (args, stdin) in [
        (vec!["execute-job", "--body", text.as_str()], ""),
        (vec!["execute-job", "--body", at_file.as_str()], ""),
        (vec!["execute-job", "--body", "-"], text.as_str()),
    ] {
        let out = run_with(common::command(&server.url()), &args, stdin).await;
        assert_eq!(out.code, Some(0), "{args:?}: {out:?}");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/v1/job/execute");
        assert_eq!(request.json(), body);
    }
}

#[tokio::test]
async fn optional_query_parameter_on_a_post() {
    let server = TestServer::start(|_| Reply::json(200, &json!({"status": "success"}))).await;
    let out = run(
        &server.url(),
        &["stop-the-job", "--job-id", JOB, "--build-no", "3"],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/v1/job/{JOB}/stop"));
    assert_eq!(request.query_param("build_no").as_deref(), Some("3"));
}

#[tokio::test]
async fn binary_reply_to_a_file_and_to_stdout() {
    let log = "line one\nline two\n";
    let server = TestServer::start(move |_| Reply::bytes(200, log)).await;
    let record = "0123abcd-0123-4567-89ab-0123456789ab";
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("build.log");
    let out = run(
        &server.url(),
        &[
            "download-build-full-log",
            "--record-id",
            record,
            "-o",
            file.to_str().expect("utf-8 path"),
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), log);
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("wrote 18 bytes"), "{out:?}");
    assert_eq!(
        server.single_request().path,
        format!("/v1/log/{record}/download-log")
    );

    let out = run(
        &server.url(),
        &["download-build-full-log", "--record-id", record],
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(out.stdout, log);
}

/// Values the documented constraints refuse, and values clap refuses: exit 2, one line, and
/// nothing sent.
#[tokio::test]
async fn bad_inputs_exit_2_with_one_line_and_send_nothing() {
    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["show-running-status", "--job-id", "short"], "job_id"),
        (vec!["show-running-status"], "--job-id"),
        (
            vec!["show-running-status", "--job-id", JOB, "--nope"],
            "--nope",
        ),
        (
            vec![
                "list-project-jobs",
                "--page-index",
                "0",
                "--page-size",
                "ten",
            ],
            "--page-size",
        ),
        (
            vec![
                "list-project-jobs",
                "--page-index",
                "0",
                "--page-size",
                "500",
            ],
            "page_size",
        ),
        (
            vec![
                "list-project-jobs",
                "--page-index",
                "0",
                "--page-size",
                "5",
                "--build-status",
                "green",
            ],
            "green",
        ),
        (vec!["execute-job", "--body", "{not json"], "--body"),
        (
            vec!["execute-job", "--body", "{\"parameter\": []}"],
            "job_id",
        ),
        (
            vec!["execute-job", "--body", "@/nonexistent/run.json"],
            "/nonexistent/run.json",
        ),
        (vec!["no-such-command"], "no-such-command"),
        (vec!["run"], "JOB_ID"),
        (vec!["run", JOB, "--timeout", "soon"], "--timeout"),
        (vec!["run", JOB, "--param", "novalue"], "--param"),
    ];
    for (args, named) in cases {
        let out = run(&server.url(), &args).await;
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: one line, got {:?}", out.stderr);
        assert!(lines[0].starts_with("error: "), "{args:?}: {lines:?}");
        assert!(
            lines[0].contains(named),
            "{args:?} should name {named}: {lines:?}"
        );
    }
    assert_eq!(server.request_count(), 0, "nothing is sent for a bad input");
}

#[tokio::test]
async fn service_errors_are_one_line_with_status_code_message_and_request_id() {
    let server = TestServer::start(|_| {
        Reply::error(404, "CB.00060201", "The job does not exist.", "req-1234")
    })
    .await;
    let out = run(&server.url(), &["show-running-status", "--job-id", JOB]).await;
    assert_eq!(out.code, Some(7), "{out:?}");
    let first = out.stderr.lines().next().unwrap_or_default();
    for part in ["404", "CB.00060201", "The job does not exist.", "req-1234"] {
        assert!(first.contains(part), "{part} missing in {first:?}");
    }
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn a_reply_that_is_not_json_is_an_error_not_a_panic() {
    let server = TestServer::start(|_| Reply::bytes(200, "<html>gateway</html>")).await;
    let out = run(&server.url(), &["show-running-status", "--job-id", JOB]).await;
    assert_eq!(out.code, Some(7), "{out:?}");
    assert!(out.stderr.starts_with("error: could not decode"), "{out:?}");
}

#[tokio::test]
async fn rejected_credentials_exit_6_with_a_hint() {
    let server = TestServer::start(|_| {
        Reply::error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information",
            "req-9",
        )
    })
    .await;
    let out = run(&server.url(), &["show-running-status", "--job-id", JOB]).await;
    assert_eq!(out.code, Some(6), "{out:?}");
    assert!(out.stderr.contains("APIGW.0301"), "{out:?}");
    assert!(out.stderr.contains("hint: "), "{out:?}");
    assert!(out.stderr.contains("clock"), "{out:?}");
}

#[tokio::test]
async fn missing_credentials_exit_5() {
    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let mut command = common::command(&server.url());
    command
        .env_remove("HUAWEICLOUD_SDK_AK")
        .env_remove("HUAWEICLOUD_SDK_SK");
    let out = run_with(command, &["show-running-status", "--job-id", JOB], "").await;
    assert_eq!(out.code, Some(5), "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: configuration error: no credentials"),
        "{out:?}"
    );

    // Half a key pair is an error too, and the half that is set is not echoed.
    let mut command = common::command(&server.url());
    command.env_remove("HUAWEICLOUD_SDK_AK");
    let out = run_with(command, &["show-running-status", "--job-id", JOB], "").await;
    assert_eq!(out.code, Some(5), "{out:?}");
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_credentials_profile_from_flags() {
    let server = TestServer::start(|_| Reply::json(200, &json!({"status": "success"}))).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!("[ci]\nak = {AK}\nsk = {SECRET}\nproject_id = {PROJECT}\n"),
    )
    .expect("write credentials");
    let mut command = common::command(&server.url());
    command
        .env_remove("HUAWEICLOUD_SDK_AK")
        .env_remove("HUAWEICLOUD_SDK_SK")
        .env_remove("HUAWEICLOUD_SDK_PROJECT_ID");
    let out = run_with(
        command,
        &[
            "--profile",
            "ci",
            "--credentials-file",
            file.to_str().expect("utf-8 path"),
            "show-running-status",
            "--job-id",
            JOB,
        ],
        "",
    )
    .await;
    assert_eq!(out.code, Some(0), "{out:?}");
    signature::verify(&server.single_request(), AK, SECRET, None).expect("signed");
}
