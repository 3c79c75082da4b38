//! Failures the service reports inside a success reply: HTTP 200 with the usual error body
//! (`error_code`, `error_msg`), the `status: fail` envelope of `show_job_info`, and a JSON error
//! where a download's file should be. None of them may come back as `Ok`.

#![expect(
    deprecated,
    reason = "exercised through legacy operations, which the service still answers and the crate still offers"
)]

use codearts_build::runtime::operation::{
    decode_empty, Operation, OperationSpec, RawResponse, RequestParts,
};
use codearts_build::types::{BuildJobConfigStep, CreateBuildJobRequestBody};
use codearts_build::{Client, Credentials, Error, RetryPolicy};
use workspace_tests::server::{pattern_byte, Reply, TestServer};

const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";
const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const RECORD: &str = "2cc26382-b2cb-4234-8eb0-b37d362f4d4c";

/// What the vendor's Terraform provider documents CodeArts Build sending for a missing task.
const NOT_FOUND: &str = r#"{"error_code":"DEVCB.00031006","error_msg":"build task not found"}"#;

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// HTTP 200, JSON content type, the error body and a request id.
fn error_in_200() -> Reply {
    Reply::bytes(200, NOT_FOUND)
        .header("Content-Type", "application/json;charset=UTF-8")
        .header("X-Request-Id", "req-in-200")
}

/// The error is the service's, with the status, code, message and request id of the reply.
fn assert_not_found(operation: &str, result: Result<impl std::fmt::Debug, Error>) {
    let error = result.expect_err(operation);
    match &error {
        Error::Service {
            status,
            error_code,
            error_msg,
            request_id,
            body,
            retryable_code,
        } => {
            assert_eq!(*status, 200, "{operation}");
            assert!(!retryable_code, "{operation}: not in the catalogue");
            assert_eq!(error_code.as_deref(), Some("DEVCB.00031006"), "{operation}");
            assert_eq!(
                error_msg.as_deref(),
                Some("build task not found"),
                "{operation}"
            );
            assert_eq!(request_id.as_deref(), Some("req-in-200"), "{operation}");
            assert!(body.contains("DEVCB.00031006"), "{operation}: {body}");
        }
        other => panic!("{operation}: expected a service error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "service error: HTTP 200 DEVCB.00031006: build task not found (request id req-in-200)"
    );
    assert!(!error.is_retryable(), "{operation}");
}

#[tokio::test]
async fn error_code_in_a_200_reply_to_a_get_is_a_service_error() {
    let server = TestServer::start(|_| error_in_200()).await;
    let client = client(&server);
    assert_not_found(
        "show_job_status",
        client.show_job_status().job_id(JOB).send().await,
    );
    assert_not_found(
        "show_record_detail",
        client
            .show_record_detail()
            .job_id(JOB)
            .build_no(3)
            .send()
            .await,
    );
}

#[tokio::test]
async fn error_code_in_a_200_reply_to_a_post_is_a_service_error() {
    let server = TestServer::start(|_| error_in_200()).await;
    let client = client(&server);
    assert_not_found("run_job", client.run_job().job_id(JOB).send().await);
    let step = BuildJobConfigStep::builder()
        .module_id("devcloud2018.codeci_action_20043.action")
        .name("Maven build")
        .build()
        .expect("step");
    let body = CreateBuildJobRequestBody::builder()
        .arch("x86-64")
        .job_name("demo-job")
        .project_id(PROJECT)
        .steps([step])
        .build()
        .expect("body");
    assert_not_found(
        "create_build_job",
        client.create_build_job().body(body).send().await,
    );
}

#[tokio::test]
async fn an_empty_or_null_error_code_in_a_200_reply_is_a_success() {
    let server = TestServer::sequence(vec![
        Reply::json(
            200,
            &serde_json::json!({ "result": true, "error_code": "", "error_msg": "" }),
        ),
        Reply::json(
            200,
            &serde_json::json!({ "result": false, "error_code": null }),
        ),
    ])
    .await;
    let client = client(&server);
    let first = client.show_job_status().job_id(JOB).send().await;
    assert_eq!(first.expect("empty code").result, Some(true));
    let second = client.show_job_status().job_id(JOB).send().await;
    assert_eq!(second.expect("null code").result, Some(false));
}

#[tokio::test]
async fn a_json_reply_to_a_build_log_download_is_an_error_not_the_log() {
    let server = TestServer::start(|_| error_in_200()).await;
    let result = client(&server)
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await;
    assert_not_found("download_build_log", result);
}

#[tokio::test]
async fn a_json_error_without_content_type_is_not_saved_as_the_keystore() {
    // No Content-Type at all: the body alone shows it is an error object, not a keystore.
    let server = TestServer::start(|_| {
        Reply::bytes(200, format!("\n  {NOT_FOUND}\n")).header("X-Request-Id", "req-in-200")
    })
    .await;
    let result = client(&server)
        .download_keystore()
        .file_name("android.keystore")
        .domain_id("60021bab32fd450aa2cb89226f425e06")
        .send()
        .await;
    assert_not_found("download_keystore", result);
}

#[tokio::test]
async fn a_json_document_that_is_not_an_error_is_still_not_a_download() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &serde_json::json!({ "status": "success", "result": {} }),
        )
    })
    .await;
    let error = client(&server)
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, message, .. } if message.contains("JSON")),
        "{error:?}"
    );
}

#[tokio::test]
async fn downloads_that_merely_start_like_json_are_streamed_whole() {
    // A JSON-lines log without a content type, and a large body starting with `{` (past the
    // peek limit): both are data, delivered byte for byte.
    let lines = "{\"line\":1,\"error_code\":\"x\"}\n{\"line\":2}\n".to_owned();
    let mut large = b"{".to_vec();
    large.extend((0..200_000u64).map(pattern_byte));
    let server = TestServer::sequence(vec![
        Reply::bytes(200, lines.clone()),
        Reply::bytes(200, large.clone()),
        Reply::bytes(200, "plain text log\n").header("Content-Type", "text/plain"),
    ])
    .await;
    let client = client(&server);
    for expected in [lines.into_bytes(), large, b"plain text log\n".to_vec()] {
        let body = client
            .download_build_log()
            .record_id(RECORD)
            .send()
            .await
            .expect("a download")
            .collect()
            .await
            .expect("whole body");
        assert_eq!(body.len(), expected.len());
        assert!(body == expected, "the body changed on the way");
    }
}

#[tokio::test]
async fn the_fail_envelope_of_show_job_info_is_a_service_error() {
    let server = TestServer::sequence(vec![
        Reply::json(
            200,
            &serde_json::json!({ "result": null, "status": "fail", "error": "job does not exist" }),
        )
        .header("X-Request-Id", "req-fail"),
        Reply::json(
            200,
            &serde_json::json!({ "result": { "job_name": "demo" }, "status": "success", "error": null }),
        ),
    ])
    .await;
    let client = client(&server);
    let error = client.show_job_info().job_id(JOB).send().await.unwrap_err();
    match &error {
        Error::Service {
            status,
            error_msg,
            request_id,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(error_msg.as_deref(), Some("job does not exist"));
            assert_eq!(request_id.as_deref(), Some("req-fail"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert!(error.to_string().contains("job does not exist"), "{error}");
    // `success` is an answer as before.
    let info = client
        .show_job_info()
        .job_id(JOB)
        .send()
        .await
        .expect("success envelope");
    assert_eq!(
        info.result.and_then(|r| r.job_name).as_deref(),
        Some("demo")
    );
}

/// An operation whose reply has no documented body, to reach `decode_empty` through the
/// public `Operation` trait (the CodeArts Build spec has no such operation today).
struct Acknowledge;

static ACKNOWLEDGE: OperationSpec = OperationSpec {
    id: "acknowledge",
    method: reqwest::Method::DELETE,
    path_template: "/v1/acknowledge",
    idempotent: true,
    deprecated: false,
};

impl Operation for Acknowledge {
    type Output = ();
    const SPEC: &'static OperationSpec = &ACKNOWLEDGE;
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
    fn to_parts(&self) -> Result<RequestParts, Error> {
        Ok(RequestParts {
            path: "/v1/acknowledge".to_owned(),
            ..RequestParts::default()
        })
    }
    async fn decode(response: RawResponse) -> Result<(), Error> {
        decode_empty(response).await
    }
}

#[tokio::test]
async fn an_error_code_in_a_reply_without_documented_body_is_a_service_error() {
    let server = TestServer::sequence(vec![error_in_200(), Reply::status(204)]).await;
    let client = client(&server);
    assert_not_found("acknowledge", client.send(Acknowledge).await);
    client.send(Acknowledge).await.expect("an empty 204");
}
