//! Error mapping and fault handling: service errors with request ids, malformed and truncated
//! bodies, dropped connections, timeouts, validation before I/O, path injection, bad
//! configuration. Every fault ends in a typed error, never a panic.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::str::FromStr;
use std::time::Duration;

use codearts_build::{CallOptions, Client, Credentials, Error, ErrorCode, Region, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};

const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("client")
}

fn once() -> CallOptions {
    CallOptions::new().max_attempts(1)
}

#[tokio::test]
async fn error_statuses_map_to_service_errors_with_request_ids() {
    // (status, code, whether the code is in the spec's catalogue)
    let cases = [
        (400, "CB.00060200", true),
        (401, "APIGW.0301", false),
        (403, "CB.00060403", false),
        (404, "CB.00060214", true),
        (500, "CB.00060100", true),
    ];
    for (status, code, known) in cases {
        let request_id = format!("req-{status}");
        let reply = Reply::error(status, code, "something went wrong", &request_id);
        let server = TestServer::start(move |_| reply.clone()).await;
        let error = client(&server)
            .show_job_status()
            .job_id(JOB)
            .send()
            .await
            .unwrap_err();
        // The one code of these that the catalogue marks as retryable.
        let retryable = code == "CB.00060100";
        match &error {
            Error::Service {
                status: s,
                error_code,
                error_msg,
                request_id: id,
                body,
                retryable_code,
            } => {
                assert_eq!(*s, status);
                assert_eq!(error_code.as_deref(), Some(code));
                assert_eq!(error_msg.as_deref(), Some("something went wrong"));
                assert_eq!(id.as_deref(), Some(request_id.as_str()));
                assert!(body.contains(code), "{body}");
                assert_eq!(*retryable_code, retryable, "{code}");
            }
            other => panic!("HTTP {status} became {other:?}"),
        }
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.request_id(), Some(request_id.as_str()));
        assert_eq!(
            error.to_string(),
            format!("service error: HTTP {status} {code}: something went wrong (request id {request_id})")
        );
        assert!(!error.to_string().contains('\n'));
        assert_eq!(error.code::<ErrorCode>().is_some(), known, "{code}");
        if let Some(typed) = error.code::<ErrorCode>() {
            assert_eq!(typed, ErrorCode::from_code(code).expect("catalogued"));
            assert_eq!(typed.code(), code);
            assert_eq!(typed.http_status(), status);
            assert!(!typed.meaning().is_empty());
        }
        // 4xx and 500 are not retried (the server saw one request), except for the codes the
        // catalogue marks as retryable, such as CB.00060100 "network busy", which the client
        // sends until the policy's 3 attempts are used up.
        assert_eq!(error.is_retryable(), retryable, "{code}");
        let attempts = if retryable { 3 } else { 1 };
        assert_eq!(server.request_count(), attempts, "HTTP {status} {code}");
    }
}

#[tokio::test]
async fn non_json_error_body_keeps_an_excerpt() {
    let server = TestServer::sequence(vec![Reply::bytes(
        502,
        "<html>\n<b>Bad gateway</b>\n</html>",
    )])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(once())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Service {
                status: 502,
                error_code: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "service error: HTTP 502: <html> <b>Bad gateway</b> </html>"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let server = TestServer::sequence(vec![
        Reply::bytes(200, "{\"result\": tru").header("X-Request-Id", "r-bad")
    ])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status,
            body,
            request_id,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(body, "{\"result\": tru");
            assert_eq!(request_id.as_deref(), Some("r-bad"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // A body of the wrong shape is a decode error too, and is not retried.
    let server = TestServer::sequence(vec![Reply::json(
        200,
        &serde_json::json!({ "result": "yes" }),
    )])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn oversized_json_body_is_a_decode_error() {
    let limit = codearts_build::runtime::operation::MAX_JSON_BODY as u64;
    assert_eq!(limit, 64 * 1024 * 1024);
    // Announced by Content-Length: refused before the body is read.
    let server = TestServer::sequence(vec![
        Reply::stream(200, limit + 1, 64 * 1024).header("X-Request-Id", "r-big")
    ])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status: 200,
            message,
            request_id,
            ..
        } => {
            assert!(message.contains("limit"), "{message}");
            assert!(message.contains(&(limit + 1).to_string()), "{message}");
            assert_eq!(request_id.as_deref(), Some("r-big"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Not retried: the same body would come back.
    assert!(!error.is_retryable());
    assert_eq!(server.request_count(), 1);

    // Chunked, so the size shows only while reading: reading stops at the limit.
    let server =
        TestServer::sequence(vec![Reply::stream_chunked(200, limit + 1, 256 * 1024)]).await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status: 200,
            message,
            body,
            ..
        } => {
            assert!(message.contains("limit"), "{message}");
            // The excerpt is bounded however much was read.
            assert!(body.len() <= 4 * 1024, "{} bytes of excerpt", body.len());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // A chunked JSON body under the limit still decodes.
    let server = TestServer::sequence(vec![Reply::stream_chunked(200, 0, 1)]).await;
    let out = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("an empty chunked body is read as {}");
    assert_eq!(out.result, None);
}

#[tokio::test]
async fn truncated_body_is_a_transport_error() {
    let server = TestServer::sequence(vec![Reply::truncated(200, "{\"result\": true", 100)]).await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(once())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let server = TestServer::sequence(vec![Reply::drop_connection()]).await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(once())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let client = Client::builder()
        .endpoint(url)
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let error = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn slow_response_is_a_timeout() {
    let server = TestServer::sequence(vec![Reply::json(
        200,
        &serde_json::json!({ "result": true }),
    )
    .delay(Duration::from_secs(30))])
    .await;
    let error = client(&server)
        .show_job_status()
        .job_id(JOB)
        .send_with(once().timeout(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.to_string().contains("show_job_status"), "{error}");

    // The client-wide request timeout applies the same way.
    let slow = TestServer::sequence(vec![Reply::json(
        200,
        &serde_json::json!({ "result": true }),
    )
    .delay(Duration::from_secs(30))])
    .await;
    let client = Client::builder()
        .endpoint(slow.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .request_timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let error = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn invalid_inputs_are_rejected_before_any_request() {
    let server = TestServer::start(|_| Reply::json(200, &serde_json::json!({}))).await;
    let client = client(&server);
    let error = client
        .show_job_status()
        .job_id("cb5fa20de5fd4cf8be681d4bd6fdd2f-")
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest { parameter, reason } => {
            assert_eq!(parameter, "job_id");
            assert!(reason.contains("^[a-zA-Z0-9]{32}$"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let error = client.show_job_status().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "job_id"),
        "{error:?}"
    );
    let error = client
        .show_job_list_by_project_id()
        .project_id("6ecbc5bac7c8442fb3d2563d53c13582")
        .page_index(0)
        .page_size(1000)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "page_size"),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn path_injection_attempts_stay_inside_their_segment() {
    let server =
        TestServer::start(|_| Reply::json(200, &serde_json::json!({ "status": "success" }))).await;
    let client = client(&server);
    let attempts = [
        "../x",
        "a/b",
        "x?y=1",
        "x#f",
        "%2F",
        "../../v3/jobs/build",
        "a b",
        "..%2F",
        "é/ü",
    ];
    for value in attempts {
        client
            .delete_templates()
            .uuid(value)
            .send()
            .await
            .expect(value);
        let request = server.requests().pop().expect("request");
        assert_eq!(request.method, "DELETE");
        assert_eq!(
            request.path_segments(),
            ["v3", "templates", value, "delete"],
            "{value} -> {}",
            request.path
        );
        assert_eq!(request.query, "", "{value} added a query");
    }
    // Segments that no encoding can keep in place are refused before sending.
    for value in ["..", ".", ""] {
        let error = client
            .delete_templates()
            .uuid(value)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "uuid"),
            "{value:?}: {error:?}"
        );
    }
    assert_eq!(server.request_count(), attempts.len());
}

#[test]
fn bad_configuration_is_reported_by_build() {
    let token = || Credentials::token("token");
    let cases = [
        (
            Client::builder().endpoint("https://example.com"),
            "no credentials",
        ),
        (Client::builder().credentials(token()), "no endpoint"),
        (
            Client::builder()
                .credentials(token())
                .endpoint("ftp://example.com"),
            "scheme",
        ),
        (
            Client::builder().credentials(token()).endpoint("not a url"),
            "invalid endpoint",
        ),
        (
            Client::builder()
                .credentials(token())
                .endpoint("https://example.com/?a=1"),
            "query",
        ),
        (
            Client::builder()
                .credentials(token())
                .endpoint("https://example.com")
                .project_id("has space"),
            "project id",
        ),
        // AK/SK signatures go with X-Project-Id; the message says how to set it.
        (
            Client::builder()
                .credentials(Credentials::ak_sk("AK", "SK"))
                .endpoint("https://example.com"),
            ".project_id(",
        ),
        (
            Client::builder()
                .credentials(Credentials::ak_sk("AK", "SK").security_token("STS"))
                .region(Region::CnNorth4),
            "CODEARTS_BUILD_PROJECT_ID",
        ),
    ];
    for (builder, expected) in cases {
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(
            error.to_string().contains(expected),
            "{error} does not say {expected}"
        );
    }
    assert!(Region::from_str("mars north 1").is_err());
    let client = Client::builder()
        .credentials(token())
        .region(Region::from_str("cn-north-4").expect("documented region"))
        .build()
        .expect("client");
    assert_eq!(
        client.endpoint(),
        "https://cloudbuild-ext.cn-north-4.myhuaweicloud.com"
    );
    // A token needs no project id; AK/SK with one builds.
    assert_eq!(client.project_id(), None);
    Client::builder()
        .credentials(Credentials::ak_sk("AK", "SK"))
        .region(Region::CnNorth4)
        .project_id("6ecbc5bac7c8442fb3d2563d53c13582")
        .build()
        .expect("AK/SK with a project id");
}

#[tokio::test]
async fn legacy_job_bodies_are_checked_against_their_documented_ranges() {
    use codearts_build::types::{
        BuildJobConfigStep, CreateBuildJobRequestBody, UpdateBuildJobRequestBody,
    };
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &serde_json::json!({ "result": { "job_id": JOB }, "status": "success" }),
        )
    })
    .await;
    let client = client(&server);
    let project = "6ecbc5bac7c8442fb3d2563d53c13582";
    let steps = || {
        [BuildJobConfigStep::builder()
            .module_id("module")
            .name("step")
            .build()
            .expect("a complete step")]
    };
    let create = |name: &str, project: &str| {
        CreateBuildJobRequestBody::builder()
            .arch("x86-64")
            .job_name(name)
            .project_id(project)
            .steps(steps())
            .build()
            .expect("a complete body")
    };
    // 116 characters is one past the documented limit of the job name; 115 is accepted.
    let error = client
        .create_build_job()
        .body(create(&"j".repeat(116), project))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter.ends_with("job_name")),
        "{error:?}"
    );
    let error = client
        .create_build_job()
        .body(create("job", "not-a-project-id"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter.ends_with("project_id")),
        "{error:?}"
    );
    let update = UpdateBuildJobRequestBody::builder()
        .arch("x86-64")
        .job_id(JOB)
        .job_name("")
        .project_id(project)
        .steps(steps())
        .build()
        .expect("a complete body");
    let error = client
        .update_build_job()
        .body(update)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter.ends_with("job_name")),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 0);
    client
        .create_build_job()
        .body(create(&"j".repeat(115), project))
        .send()
        .await
        .expect("a 115-character name is within the documented range");
    assert_eq!(server.request_count(), 1);
}
