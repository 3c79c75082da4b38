//! Every successful output carries the response's request id, HTTP status and headers, without
//! changing how its fields are read, and equality ignores them.

#![expect(
    deprecated,
    reason = "downloads and log following are exercised through legacy operations, which the crate still offers"
)]

use codearts_build::runtime::operation::{Operation, OperationSpec, RawResponse, RequestParts};
use codearts_build::types::ListProjectJobsResponse;
use codearts_build::{Client, Credentials, EmptyOutput, Error, ListOutput, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .project_id(PROJECT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

fn jobs_reply(request_id: &str) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "jobs": [{ "id": "2a86c3c1ed18416399279fe600000000", "job_name": "demo" }],
            "total": 1
        }),
    )
    .header("X-Request-Id", request_id)
    .header("X-Trace", "t-1")
}

#[tokio::test]
async fn a_json_output_has_the_request_id_status_and_headers_and_its_fields() {
    let server = TestServer::sequence(vec![jobs_reply("req-json")]).await;
    let output = client(&server)
        .list_project_jobs()
        .page_index(0)
        .page_size(10)
        .send()
        .await
        .expect("jobs");
    assert_eq!(output.request_id(), Some("req-json"));
    assert_eq!(output.http_status(), 200);
    assert_eq!(
        output.headers().get("x-trace").map(|v| v.as_bytes()),
        Some(&b"t-1"[..])
    );
    assert_eq!(output.response_metadata().request_id(), Some("req-json"));
    // Field access and moving a field out work as before.
    assert_eq!(output.total, Some(1));
    let jobs = output.jobs.expect("jobs");
    assert_eq!(jobs[0].job_name.as_deref(), Some("demo"));
}

#[tokio::test]
async fn equality_of_outputs_ignores_the_metadata() {
    let server = TestServer::sequence(vec![jobs_reply("req-a"), jobs_reply("req-b")]).await;
    let client = client(&server);
    let send = || {
        client
            .list_project_jobs()
            .page_index(0)
            .page_size(10)
            .send()
    };
    let (a, b) = (send().await.expect("a"), send().await.expect("b"));
    assert_ne!(a.request_id(), b.request_id());
    assert_eq!(a, b);
    let mut by_hand = ListProjectJobsResponse::default();
    by_hand.total = Some(1);
    by_hand.jobs.clone_from(&a.jobs);
    assert_eq!(by_hand, a);
    assert_eq!(
        by_hand.http_status(),
        0,
        "a value built by hand has no response"
    );
    assert_eq!(by_hand.request_id(), None);
    let mut other = by_hand.clone();
    other.total = Some(2);
    assert_ne!(other, a, "fields still count");
}

#[tokio::test]
async fn a_list_output_derefs_to_its_items_and_has_the_metadata() {
    let server = TestServer::sequence(vec![Reply::json(
        200,
        &serde_json::json!(["linux.codeci.large", "linux.codeci.xlarge"]),
    )
    .header("X-Request-Id", "req-list")])
    .await;
    let specs: ListOutput<String> = client(&server)
        .show_available_inner_spec()
        .project_id(PROJECT)
        .arch("x86-64")
        .send()
        .await
        .expect("specs");
    assert_eq!(specs.request_id(), Some("req-list"));
    assert_eq!(specs.http_status(), 200);
    assert_eq!(specs.len(), 2);
    assert_eq!(specs[0], "linux.codeci.large");
    assert_eq!(
        specs,
        ListOutput::new(vec![
            "linux.codeci.large".to_owned(),
            "linux.codeci.xlarge".to_owned()
        ]),
        "equality compares the items only"
    );
    let items: Vec<String> = specs.into_inner();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn a_download_has_the_metadata_before_its_body_is_read() {
    let server = TestServer::sequence(vec![Reply::bytes(201, b"keystore bytes".to_vec())
        .header("Content-Type", "application/octet-stream")
        .header("X-Request-Id", "req-file")])
    .await;
    let file = client(&server)
        .download_keystore()
        .file_name("release.jks")
        .domain_id("0123456789abcdef0123456789abcdef")
        .send()
        .await
        .expect("download");
    assert_eq!(file.request_id(), Some("req-file"));
    assert_eq!(file.http_status(), 201);
    assert_eq!(
        file.headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("application/octet-stream")
    );
    assert_eq!(&file.collect().await.expect("body")[..], b"keystore bytes");
}

/// An operation whose reply has no body (the CodeArts Build spec has none today), decoded as
/// a generated one would be.
struct Acknowledge;

static ACKNOWLEDGE: OperationSpec = OperationSpec {
    id: "acknowledge",
    method: reqwest::Method::DELETE,
    path_template: "/v1/acknowledge",
    idempotent: true,
    deprecated: false,
};

impl Operation for Acknowledge {
    type Output = EmptyOutput;
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
    async fn decode(response: RawResponse) -> Result<EmptyOutput, Error> {
        codearts_build::runtime::output::decode_empty_output(response).await
    }
}

#[tokio::test]
async fn an_empty_output_has_the_metadata() {
    let server =
        TestServer::sequence(vec![Reply::status(204).header("X-Request-Id", "req-empty")]).await;
    let output = client(&server).send(Acknowledge).await.expect("empty");
    assert_eq!(output.request_id(), Some("req-empty"));
    assert_eq!(output.http_status(), 204);
    assert_eq!(
        output,
        EmptyOutput::default(),
        "empty outputs are all equal"
    );
}

#[tokio::test]
async fn outputs_share_the_response_meta_trait() {
    fn id_of(output: &impl codearts_build::ResponseMeta) -> Option<String> {
        output.request_id().map(str::to_owned)
    }
    let server = TestServer::sequence(vec![jobs_reply("req-trait")]).await;
    let output = client(&server)
        .list_project_jobs()
        .page_index(0)
        .page_size(10)
        .send()
        .await
        .expect("jobs");
    assert_eq!(id_of(&output).as_deref(), Some("req-trait"));
}
