//! Every request is recorded with its operation, query, headers and body, never credentials.

use codearts_build_fake::Fake;

#[tokio::test]
async fn requests_are_recorded_without_secrets() {
    let fake = Fake::start().await;
    fake.client()
        .list_project_jobs()
        .project_id(fake.project_id())
        .page_index(0)
        .page_size(5)
        .search("nightly build")
        .send()
        .await
        .expect("list");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.operation.as_deref(), Some("list_project_jobs"));
    assert_eq!(r.method, "GET");
    assert_eq!(r.path, format!("/v1/job/{}/list", fake.project_id()));
    assert_eq!(r.query_param("search").as_deref(), Some("nightly build"));
    assert_eq!(r.query_param("page_size").as_deref(), Some("5"));
    assert!(r.header("x-sdk-date").is_some());
    assert!(
        r.header("authorization").is_none(),
        "the signature is a secret"
    );
    fake.clear_requests();
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn json_bodies_are_recorded() {
    let fake = Fake::start().await;
    let job = fake.create_job("x");
    let body: codearts_build::types::ExecuteJobRequestBody =
        serde_json::from_value(serde_json::json!({ "job_id": job })).expect("body");
    fake.client()
        .execute_job()
        .body(body)
        .send()
        .await
        .expect("run");
    let sent = fake.requests_of("execute_job");
    assert_eq!(sent[0].json()["job_id"], job.as_str());
}
