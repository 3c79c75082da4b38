//! Paginators start at the first page with the documented page size when the caller sets
//! neither, and every stream has `try_next` / `try_collect` without importing a trait.

#![expect(
    deprecated,
    reason = "downloads and log following are exercised through legacy operations, which the crate still offers"
)]

// Deliberately no `futures_util::StreamExt` / `TryStreamExt` import in this file.
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

fn page(ids: &[&str], total: u64) -> Reply {
    let jobs: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id, "job_name": id }))
        .collect();
    Reply::json(200, &serde_json::json!({ "jobs": jobs, "total": total }))
}

fn ten(prefix: &str) -> Vec<String> {
    (0..10).map(|i| format!("{prefix}{i}")).collect()
}

#[tokio::test]
async fn paginate_without_a_position_fetches_the_first_page_with_the_default_size() {
    let first = ten("a");
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    let server = TestServer::sequence(vec![page(&first, 12), page(&["b0", "b1"], 12)]).await;
    let jobs = client(&server)
        .list_project_jobs()
        .paginate()
        .expect("no position needed")
        .try_collect()
        .await
        .expect("every job");
    assert_eq!(jobs.len(), 12);
    assert_eq!(jobs[0].id.as_deref(), Some("a0"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].query_param("page_index").as_deref(), Some("0"));
    assert_eq!(requests[0].query_param("page_size").as_deref(), Some("10"));
    assert_eq!(requests[1].query_param("page_index").as_deref(), Some("1"));
}

#[tokio::test]
async fn a_position_set_by_the_caller_is_kept() {
    let server = TestServer::sequence(vec![page(&["c0"], 0)]).await;
    let jobs = client(&server)
        .list_project_jobs()
        .page_index(3)
        .page_size(5)
        .paginate()
        .expect("paginator")
        .try_collect()
        .await
        .expect("jobs");
    assert_eq!(jobs.len(), 1);
    let request = server.single_request();
    assert_eq!(request.query_param("page_index").as_deref(), Some("3"));
    assert_eq!(request.query_param("page_size").as_deref(), Some("5"));
}

#[tokio::test]
async fn try_next_walks_a_paginator_item_by_item() {
    let server = TestServer::sequence(vec![page(&["d0", "d1"], 2)]).await;
    let mut jobs = client(&server)
        .list_project_jobs()
        .paginate()
        .expect("paginator");
    let mut ids = Vec::new();
    while let Some(job) = jobs.try_next().await.expect("job") {
        ids.push(job.id.unwrap_or_default());
    }
    assert_eq!(ids, ["d0", "d1"]);
    assert_eq!(jobs.try_next().await.expect("ended"), None);
}

#[tokio::test]
async fn try_next_and_try_collect_read_a_download() {
    let reply = || {
        Reply::bytes(200, b"0123456789".to_vec()).header("Content-Type", "application/octet-stream")
    };
    let server = TestServer::sequence(vec![reply(), reply()]).await;
    let client = client(&server);
    let download = || {
        client
            .download_keystore()
            .file_name("release.jks")
            .domain_id("0123456789abcdef0123456789abcdef")
            .send()
    };
    let mut body = download().await.expect("download");
    let mut read = Vec::new();
    while let Some(chunk) = body.try_next().await.expect("chunk") {
        read.extend_from_slice(&chunk);
    }
    assert_eq!(read, b"0123456789");
    let whole = download()
        .await
        .expect("download")
        .try_collect()
        .await
        .expect("body");
    assert_eq!(&whole[..], b"0123456789");
}

#[tokio::test]
async fn try_collect_follows_a_log_to_its_end() {
    let log = |content: &str, offset: u64, more: bool| {
        Reply::json(
            200,
            &serde_json::json!({
                "result": { "content": content, "offset": offset, "has_more_data": more, "current_offset": 0 },
                "error": null,
                "status": "success"
            }),
        )
    };
    let finished = Reply::json(
        200,
        &serde_json::json!({
            "result": { "build_no": 1, "status": "SUCCESS", "finish_time": "2022-10-11T08:30:27.000+00:00" },
            "status": "success"
        }),
    );
    let server =
        TestServer::sequence(vec![log("one\n", 4, false), finished, log("", 4, false)]).await;
    let chunks = client(&server)
        .download_real_time_log()
        .job_id("48c66c6002964721be537cdc6ce0297b")
        .build_no(1)
        .offset(0)
        .follow()
        .expect("valid request")
        .poll_interval(std::time::Duration::from_millis(1))
        .try_collect()
        .await
        .expect("log");
    let text: String = chunks.into_iter().map(|c| c.text).collect();
    assert_eq!(text, "one\n");
}
