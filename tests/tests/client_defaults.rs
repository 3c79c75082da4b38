//! What the client adds to requests on its own, beyond what the caller set (the exchange of
//! each operation is covered by the generated tests in `generated/tests/operations/`): the
//! user agent, the project id header with token auth, and the `{project_id}` path parameter
//! filled from the client.

#![expect(
    deprecated,
    reason = "the defaults are exercised through legacy operations, which the crate still offers"
)]

use codearts_build::{Client, Credentials};
use workspace_tests::server::{Reply, TestServer};

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";
const TOKEN: &str = "test-iam-token";

async fn server() -> TestServer {
    TestServer::start(|_| Reply::json(200, &serde_json::json!({ "result": true }))).await
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token(TOKEN))
        .project_id(PROJECT)
        .user_agent_suffix("my-service/2.1")
        .build()
        .expect("client")
}

#[tokio::test]
async fn token_requests_carry_the_project_id_and_the_user_agent_with_its_suffix() {
    let server = server().await;
    client(&server)
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("call");
    let request = server.single_request();
    assert_eq!(request.header("x-auth-token"), Some(TOKEN));
    assert_eq!(request.header("x-project-id"), Some(PROJECT));
    assert!(request.header("authorization").is_none());
    let user_agent = request.header("user-agent").expect("user agent");
    assert!(
        user_agent.starts_with("codearts-build-rust/"),
        "{user_agent}"
    );
    assert!(
        user_agent.contains(&format!("(spec {})", codearts_build::SPEC_VERSION)),
        "{user_agent}"
    );
    assert!(user_agent.ends_with(" my-service/2.1"), "{user_agent}");
}

#[tokio::test]
async fn the_project_id_path_parameter_defaults_to_the_clients_project() {
    let server = server().await;
    let client = client(&server);
    client
        .show_job_list_by_project_id()
        .page_index(0)
        .page_size(10)
        .send()
        .await
        .expect("the client's project fills the path");
    assert_eq!(server.single_request().path, format!("/v3/{PROJECT}/jobs"));

    // Set on the call, it wins.
    let other = "ffffffffffffffffffffffffffffffff";
    let request = client
        .show_job_list_by_project_id()
        .project_id(other)
        .page_index(0)
        .page_size(10)
        .build()
        .expect("request");
    assert_eq!(request.project_id, other);
}
