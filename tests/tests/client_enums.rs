//! Documented value sets are enums: a listed value decodes to its variant, any other value is
//! kept in `Unknown`, and both go back to the wire unchanged.

use codearts_build::types::{CheckJobNameIsExistsResponseStatus, ShowAvailableInnerSpecArch};
use codearts_build::{Client, Credentials, RetryPolicy};
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

#[tokio::test]
async fn a_listed_value_and_an_unlisted_one_both_decode_and_round_trip() {
    let server = TestServer::sequence(vec![
        Reply::json(
            200,
            &serde_json::json!({ "result": true, "status": "success" }),
        ),
        Reply::json(
            200,
            &serde_json::json!({ "result": true, "status": "queued" }),
        ),
    ])
    .await;
    let client = client(&server);
    let check = || {
        client
            .check_job_name_is_exists()
            .project_id(PROJECT)
            .job_name("demo")
            .send()
    };
    let known = check().await.expect("known");
    assert_eq!(
        known.status,
        Some(CheckJobNameIsExistsResponseStatus::Success)
    );
    let unknown = check().await.expect("unknown");
    let status = unknown.status.clone().expect("status");
    assert_eq!(
        status,
        CheckJobNameIsExistsResponseStatus::Unknown("queued".to_owned())
    );
    assert_eq!(status.as_str(), "queued");
    for output in [known, unknown] {
        let wire = serde_json::to_value(&output).expect("serializes");
        let back: codearts_build::types::CheckJobNameIsExistsResponse =
            serde_json::from_value(wire.clone()).expect("decodes");
        assert_eq!(back, output);
        assert_eq!(serde_json::to_value(&back).expect("serializes"), wire);
    }
}

#[tokio::test]
async fn a_request_enum_is_sent_as_its_wire_value_and_an_unlisted_one_is_refused() {
    let server = TestServer::sequence(vec![Reply::json(200, &serde_json::json!([]))]).await;
    let client = client(&server);
    let send = |arch: ShowAvailableInnerSpecArch| {
        client
            .show_available_inner_spec()
            .project_id(PROJECT)
            .arch(arch)
            .send()
    };
    send(ShowAvailableInnerSpecArch::Arm).await.expect("specs");
    assert_eq!(
        server.single_request().query_param("arch").as_deref(),
        Some("arm")
    );
    // The service accepts only the listed values, so an unlisted one fails before sending.
    let error = send(ShowAvailableInnerSpecArch::from("riscv"))
        .await
        .expect_err("unlisted");
    assert!(error.to_string().contains("riscv"), "{error}");
    assert_eq!(server.request_count(), 1);
}
