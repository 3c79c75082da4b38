//! The `list_jobs` example's logic, run against the in-process server through the endpoint
//! override, and its messages when no credentials or no project id are set.

use std::collections::HashMap;

use workspace_tests::server::{Reply, TestServer};

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../../generated/examples/list_jobs.rs"]
mod list_jobs;

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";

#[tokio::test]
async fn list_jobs_lists_every_job_through_the_endpoint_override() {
    let server = TestServer::start(|request| {
        let index: usize = request.query_param("page_index").and_then(|v| v.parse().ok()).unwrap_or(0);
        let jobs: Vec<_> = match index {
            0 => (0..100).map(|i| serde_json::json!({ "id": format!("job{i}"), "job_name": format!("Job {i}"), "last_build_status": "success" })).collect(),
            1 => vec![serde_json::json!({ "id": "job100", "job_name": "Last", "last_build_status": "failed" })],
            _ => vec![],
        };
        Reply::json(200, &serde_json::json!({ "jobs": jobs, "total": 101 }))
    })
    .await;
    let env: HashMap<&str, String> = HashMap::from([
        ("CLOUD_SDK_AK", "AKEXAMPLE".to_owned()),
        ("CLOUD_SDK_SK", "SKEXAMPLE".to_owned()),
        ("CODEARTS_BUILD_ENDPOINT", server.url()),
        ("CODEARTS_BUILD_PROJECT_ID", PROJECT.to_owned()),
        // The test server speaks plain HTTP.
        ("CODEARTS_BUILD_ALLOW_INSECURE_HTTP", "true".to_owned()),
    ]);
    let lookup = |name: &str| env.get(name).cloned();
    let mut out = Vec::new();
    let count = list_jobs::run(&lookup, &mut out)
        .await
        .expect("example runs");
    assert_eq!(count, 101);
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.starts_with("job0\tJob 0\tsuccess\n"), "{text}");
    assert!(text.contains("job100\tLast\tfailed\n"));
    assert!(text.ends_with("101 jobs\n"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.path, format!("/v1/job/{PROJECT}/list"));
        workspace_tests::signature::verify(request, "AKEXAMPLE", "SKEXAMPLE", None)
            .expect("signed");
    }
}

#[tokio::test]
async fn list_jobs_explains_missing_credentials() {
    let lookup = |_: &str| None;
    let error = list_jobs::run(&lookup, &mut Vec::new()).await.unwrap_err();
    let message = error.to_string();
    for variable in ["CLOUD_SDK_AK", "CLOUD_SDK_SK", "CODEARTS_BUILD_TOKEN"] {
        assert!(message.contains(variable), "{message}");
    }
}

#[tokio::test]
async fn list_jobs_explains_a_missing_project_id() {
    // With AK/SK the client refuses to build without one; with a token the example itself
    // asks for it. Either way the message names the variable and nothing is sent.
    let server = TestServer::start(|_| Reply::status(599)).await;
    let credentials = [
        vec![
            ("CLOUD_SDK_AK", "AKEXAMPLE".to_owned()),
            ("CLOUD_SDK_SK", "SKEXAMPLE".to_owned()),
        ],
        vec![("CODEARTS_BUILD_TOKEN", "token".to_owned())],
    ];
    for credential in credentials {
        let mut env: HashMap<&str, String> = HashMap::from_iter(credential);
        env.insert("CODEARTS_BUILD_ENDPOINT", server.url());
        env.insert("CODEARTS_BUILD_ALLOW_INSECURE_HTTP", "true".to_owned());
        let lookup = |name: &str| env.get(name).cloned();
        let error = list_jobs::run(&lookup, &mut Vec::new()).await.unwrap_err();
        assert!(
            error.to_string().contains("CODEARTS_BUILD_PROJECT_ID"),
            "{error}"
        );
        let ak_sk = env.contains_key("CLOUD_SDK_AK");
        assert_eq!(error.to_string().contains(".project_id("), ak_sk, "{error}");
    }
    assert_eq!(server.request_count(), 0);
}
