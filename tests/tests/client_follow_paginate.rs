//! The log follower and the paginators: what they request, what they yield, when they end.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codearts_build::runtime::follow::follow;
use codearts_build::runtime::paginate::paginate;
use codearts_build::{Client, Credentials, Error, LogChunk, Page, PageStyle, RetryPolicy};
use futures_util::StreamExt;
use workspace_tests::server::{Reply, TestServer};

const JOB: &str = "48c66c6002964721be537cdc6ce0297b";
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

fn log_reply(content: &str, offset: u64, more: bool) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": { "content": content, "offset": offset, "has_more_data": more, "current_offset": 0 },
            "error": null,
            "status": "success"
        }),
    )
}

fn record_reply(finish_time: Option<&str>) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({
            "result": { "build_no": 33, "status": "RUNNING", "finish_time": finish_time },
            "status": "success"
        }),
    )
}

#[tokio::test]
async fn follow_re_polls_from_the_returned_offset_until_no_more_data_and_the_build_finished() {
    // The second poll finds no new log yet; the follower waits and asks again. "No more data"
    // while the record has no finish time (the build is still running) does not end the stream,
    // and once the build is seen finished one more read picks up lines written just before the
    // finish.
    let server = TestServer::sequence(vec![
        log_reply("line 1\n", 7, true),
        log_reply("", 7, true),
        log_reply("line 2\n", 14, false),
        record_reply(None),
        log_reply("done\n", 19, false),
        record_reply(Some("2022-10-11T08:30:27.000+00:00")),
        log_reply("tail\n", 24, false),
    ])
    .await;
    let mut log = client(&server)
        .download_real_time_log()
        .job_id(JOB)
        .build_no(33)
        .offset(0)
        .follow()
        .expect("valid request")
        .poll_interval(Duration::from_millis(1));
    let mut texts = Vec::new();
    while let Some(chunk) = log.next().await {
        texts.push(chunk.expect("chunk").text);
    }
    assert_eq!(texts, ["line 1\n", "line 2\n", "done\n", "tail\n"]);
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let log_path = format!("/v3/jobs/{JOB}/33/real-time-log");
    let record_path = format!("/v4/jobs/{JOB}/33/record-info");
    assert_eq!(
        paths,
        [
            &log_path,
            &log_path,
            &log_path,
            &record_path,
            &log_path,
            &record_path,
            &log_path
        ]
    );
    let offsets: Vec<String> = requests
        .iter()
        .filter_map(|r| r.query_param("offset"))
        .collect();
    assert_eq!(offsets, ["0", "7", "7", "14", "19"]);
    assert!(log.next().await.is_none(), "the stream stays ended");
    assert_eq!(
        server.request_count(),
        7,
        "no poll after the last read of a finished build"
    );
}

#[tokio::test]
async fn follow_yields_an_error_once_and_ends() {
    let server = TestServer::sequence(vec![
        log_reply("line 1\n", 7, true),
        Reply::error(500, "CB.00060100", "internal", "r-500"),
        log_reply("never\n", 14, false),
    ])
    .await;
    let mut log = client(&server)
        .download_real_time_log()
        .job_id(JOB)
        .build_no(33)
        .offset(0)
        .follow()
        .expect("valid request")
        .poll_interval(Duration::ZERO);
    assert_eq!(
        log.next().await.expect("first").expect("ok").text,
        "line 1\n"
    );
    let error = log.next().await.expect("second").unwrap_err();
    assert_eq!(error.request_id(), Some("r-500"));
    assert!(log.next().await.is_none());
    assert_eq!(server.request_count(), 2);
    assert_eq!(log.offset(), 7, "resume point after the error");
}

fn job_page(start: usize, count: usize, total: usize) -> Reply {
    let jobs: Vec<_> = (start..start + count)
        .map(|i| serde_json::json!({ "id": format!("job-{i}"), "job_name": format!("Job {i}") }))
        .collect();
    Reply::json(200, &serde_json::json!({ "jobs": jobs, "total": total }))
}

#[tokio::test]
async fn job_list_paginator_fetches_pages_lazily_and_stops_at_the_total() {
    let server = TestServer::start(|request| {
        let index: usize = request
            .query_param("page_index")
            .expect("page_index")
            .parse()
            .expect("number");
        let size: usize = request
            .query_param("page_size")
            .expect("page_size")
            .parse()
            .expect("number");
        let start = index * size;
        job_page(start, size.min(250usize.saturating_sub(start)), 250)
    })
    .await;
    let mut jobs = client(&server)
        .show_job_list_by_project_id()
        .page_index(0)
        .page_size(100)
        .paginate()
        .expect("valid request");
    for i in 0..5 {
        assert_eq!(
            jobs.next().await.expect("item").expect("ok").id.as_deref(),
            Some(format!("job-{i}").as_str())
        );
    }
    assert_eq!(
        server.request_count(),
        1,
        "only the first page is fetched for the first items"
    );
    let rest: Vec<_> = jobs.collect_all().await.expect("all pages");
    assert_eq!(rest.len(), 245);
    assert_eq!(rest.last().and_then(|j| j.id.as_deref()), Some("job-249"));
    let requests = server.requests();
    let pages: Vec<String> = requests
        .iter()
        .map(|r| r.query_param("page_index").expect("index"))
        .collect();
    assert_eq!(
        pages,
        ["0", "1", "2"],
        "the total (250) is reached on page 2"
    );
    assert!(requests
        .iter()
        .all(|r| r.path == format!("/v3/{PROJECT}/jobs")));
}

#[tokio::test]
async fn paginator_stops_on_a_short_page_without_a_total() {
    let server = TestServer::sequence(vec![
        Reply::json(
            200,
            &serde_json::json!({ "jobs": [{ "id": "a" }, { "id": "b" }] }),
        ),
        Reply::json(200, &serde_json::json!({ "jobs": [{ "id": "c" }] })),
    ])
    .await;
    let jobs = client(&server)
        .show_job_list_by_project_id()
        .page_index(0)
        .page_size(2)
        .paginate()
        .expect("valid request")
        .collect_all()
        .await
        .expect("pages");
    assert_eq!(jobs.len(), 3);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn paginator_yields_an_error_and_ends() {
    let server = TestServer::sequence(vec![
        job_page(0, 2, 10),
        Reply::error(503, "APIGW.0308", "busy", "r-503"),
    ])
    .await;
    let mut jobs = client(&server)
        .show_job_list_by_project_id()
        .page_index(0)
        .page_size(2)
        .paginate()
        .expect("valid request");
    assert!(jobs.next().await.expect("1").is_ok());
    assert!(jobs.next().await.expect("2").is_ok());
    let error = jobs.next().await.expect("3").unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(jobs.next().await.is_none());
}

/// The positions a paginator asked for.
type Asked = Arc<Mutex<Vec<u64>>>;
type PageResult = std::future::Ready<Result<Page<u32>, Error>>;

/// Scripted pages for the generic adaptor: records the positions asked for.
fn scripted(pages: Vec<Page<u32>>) -> (Asked, impl FnMut(u64) -> PageResult) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    let mut pages: VecDeque<_> = pages.into();
    (asked, move |position| {
        log.lock().expect("log").push(position);
        std::future::ready(Ok(pages.pop_front().unwrap_or(Page {
            items: vec![],
            total: None,
        })))
    })
}

#[tokio::test]
async fn offset_limit_style_advances_by_items_received() {
    let (asked, fetch) = scripted(vec![
        Page {
            items: vec![1, 2, 3],
            total: Some(7),
        },
        Page {
            items: vec![4, 5, 6],
            total: Some(7),
        },
        Page {
            items: vec![7],
            total: Some(7),
        },
    ]);
    let items = paginate(PageStyle::OffsetLimit, 0, Some(3), fetch)
        .collect_all()
        .await
        .expect("items");
    assert_eq!(items, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(*asked.lock().expect("log"), [0, 3, 6]);
}

#[tokio::test]
async fn unknown_page_size_stops_on_an_empty_page() {
    let (asked, fetch) = scripted(vec![
        Page {
            items: vec![1, 2],
            total: None,
        },
        Page {
            items: vec![3, 4],
            total: None,
        },
        Page {
            items: vec![],
            total: None,
        },
    ]);
    let items = paginate(PageStyle::PageNumber, 1, None, fetch)
        .collect_all()
        .await
        .expect("items");
    assert_eq!(items, [1, 2, 3, 4]);
    assert_eq!(*asked.lock().expect("log"), [1, 2, 3]);
}

#[tokio::test]
async fn generic_follow_skips_empty_chunks_and_ends_when_done() {
    let mut answers: VecDeque<LogChunk> = vec![
        LogChunk {
            text: String::new(),
            next_offset: 0,
            has_more: true,
        },
        LogChunk {
            text: "a".into(),
            next_offset: 1,
            has_more: true,
        },
        LogChunk {
            text: "b".into(),
            next_offset: 2,
            has_more: false,
        },
    ]
    .into();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    let chunks: Vec<_> = follow(0, move |offset| {
        log.lock().expect("log").push(offset);
        std::future::ready(Ok(answers.pop_front().expect("no poll after the end")))
    })
    .poll_interval(Duration::ZERO)
    .map(|c| c.expect("chunk").text)
    .collect()
    .await;
    assert_eq!(chunks, ["a", "b"]);
    assert_eq!(*asked.lock().expect("log"), [0, 0, 1]);
}

/// Pages numbered from 1: starting at page 2 of 2-item pages, 2 items came before, so the total
/// of 4 is reached with page 2 itself.
#[tokio::test]
async fn first_page_counts_the_items_before_the_starting_page() {
    let (asked, fetch) = scripted(vec![Page {
        items: vec![3, 4],
        total: Some(4),
    }]);
    let items = paginate(PageStyle::PageNumber, 2, Some(2), fetch)
        .first_page(1)
        .collect_all()
        .await
        .expect("items");
    assert_eq!(items, [3, 4]);
    assert_eq!(*asked.lock().expect("log"), [2]);
}

/// A repeated page stops paging with a typed error; identical items within one page do not.
#[tokio::test]
async fn a_repeated_page_is_an_error() {
    let (asked, fetch) = scripted(vec![
        Page {
            items: vec![7, 7],
            total: None,
        },
        Page {
            items: vec![7, 7],
            total: None,
        },
    ]);
    let mut stream = paginate(PageStyle::OffsetLimit, 0, Some(2), fetch);
    assert_eq!(stream.next().await.and_then(Result::ok), Some(7));
    assert_eq!(stream.next().await.and_then(Result::ok), Some(7));
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::Pagination { .. }))
    ));
    assert!(stream.next().await.is_none());
    assert_eq!(*asked.lock().expect("log"), [0, 2]);
}
