//! Requests as data: typed request structs written as struct literals or built with
//! `Request::builder()`, sent with `Client::send` / `Client::send_with`, checked on the wire
//! (method, path, query, headers, body, signature).

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codearts_build::operations::{RunJobRequest, ShowListHistoryRequest};
use codearts_build::types::{RunJobParameter, RunJobRequestBody};
use codearts_build::{CallOptions, Client, Credentials, Error, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};
use workspace_tests::signature;

const AK: &str = "HPUAEXAMPLEACCESSKEY";
const SK: &str = "requests-as-data-secret-key";
const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("client")
}

#[tokio::test]
async fn request_built_as_data_goes_on_the_wire_as_written() {
    let server = TestServer::start(|_| {
        Reply::json(200, &serde_json::json!({ "actual_build_number": "12" }))
    })
    .await;
    let body = RunJobRequestBody::builder()
        .job_id(JOB)
        .parameter(vec![RunJobParameter::builder()
            .name("branch")
            .value("release/1.0")
            .build()
            .expect("both fields set")])
        .build()
        .expect("job_id set");
    let request = RunJobRequest::builder()
        .body(body)
        .build()
        .expect("body set");
    let out = client(&server).send(request).await.expect("sent");
    assert_eq!(out.actual_build_number.as_deref(), Some("12"));

    let wire = server.single_request();
    assert_eq!(wire.method, "POST");
    assert_eq!(wire.path, "/v3/jobs/build");
    assert_eq!(wire.query, "");
    assert_eq!(wire.header("content-type"), Some("application/json"));
    assert_eq!(wire.header("x-project-id"), Some(PROJECT));
    assert_eq!(
        wire.json(),
        serde_json::json!({
            "job_id": JOB,
            "parameter": [{ "name": "branch", "value": "release/1.0" }]
        })
    );
    signature::verify(&wire, AK, SK, Some(now())).expect("signature");
}

#[tokio::test]
async fn request_value_get_is_validated_and_sent() {
    let server = TestServer::start(|_| Reply::json(200, &serde_json::json!({}))).await;
    let client = client(&server);
    let request = ShowListHistoryRequest::builder()
        .job_id(JOB)
        .offset(2)
        .limit(25)
        .interval(14)
        .build()
        .expect("all set");
    client.send(request.clone()).await.expect("sent");
    let wire = server.single_request();
    assert_eq!(wire.method, "GET");
    assert_eq!(wire.path, format!("/v3/jobs/{JOB}/history"));
    // The canonical (sorted) query is what goes on the wire.
    assert_eq!(wire.query, "interval=14&limit=25&offset=2");
    assert!(wire.body.is_empty());
    signature::verify(&wire, AK, SK, Some(now())).expect("signature");

    // Requests changed as data get the same checks as the fluent builder, before any I/O.
    let mut changed = request;
    changed.job_id = "../../v3/other".to_owned();
    let error = client.send(changed).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "job_id"),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn builder_request_with_call_options() -> Result<(), Error> {
    let server = TestServer::sequence(vec![
        Reply::error(503, "APIGW.0308", "busy", "r-1"),
        Reply::error(503, "APIGW.0308", "busy", "r-2"),
        Reply::json(200, &serde_json::json!({})),
    ])
    .await;
    let client = client(&server);
    let request = ShowListHistoryRequest::builder()
        .job_id(JOB)
        .offset(0)
        .limit(10)
        .interval(7)
        .build()?;
    assert_eq!(
        (
            request.job_id.as_str(),
            request.offset,
            request.limit,
            request.interval
        ),
        (JOB, 0, 10, 7)
    );

    // One attempt only: the 503 comes back without a retry.
    let error = client
        .send_with(
            request.clone(),
            CallOptions::new()
                .max_attempts(1)
                .timeout(Duration::from_secs(5)),
        )
        .await
        .unwrap_err();
    assert_eq!(error.request_id(), Some("r-1"));
    assert_eq!(server.request_count(), 1);

    // The client's policy otherwise: retried, then answered.
    client
        .send_with(request, CallOptions::new())
        .await
        .expect("second attempt succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for wire in &requests {
        assert_eq!(wire.method, "GET");
        assert_eq!(wire.path, format!("/v3/jobs/{JOB}/history"));
        assert_eq!(wire.query, "interval=7&limit=10&offset=0");
        signature::verify(wire, AK, SK, Some(now())).expect("every attempt is signed");
    }

    // A missing required input is reported by `build()`, by name.
    let error = ShowListHistoryRequest::builder()
        .job_id(JOB)
        .offset(0)
        .limit(10)
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { parameter, .. } if parameter == "interval"),
        "{error:?}"
    );
    Ok(())
}
