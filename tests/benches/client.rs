//! Client hot paths without I/O: signing, building and signing a whole request, and decoding a
//! large list response into the typed struct versus into `serde_json::Value`.
//!
//! Targets: build+sign under 20 µs; typed decode at least as fast as `Value`.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::hint::black_box;

use codearts_build::operations::{RunJobRequest, ShowListHistoryRequest};
use codearts_build::runtime::auth::signer::{self, SignableRequest};
use codearts_build::runtime::encode::canonical_query;
use codearts_build::types::{RunJobRequestBody, ShowJobListByProjectIdResponse};
use codearts_build::{Client, Credentials};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

fn client() -> Client {
    Client::builder()
        .endpoint("https://cloudbuild-ext.cn-north-4.myhuaweicloud.com")
        .credentials(Credentials::ak_sk(
            "HPUAEXAMPLEACCESSKEY",
            "example-secret-key-0123456789abcdef",
        ))
        .project_id("6ecbc5bac7c8442fb3d2563d53c13582")
        .build()
        .expect("client")
}

fn sign(c: &mut Criterion) {
    let query = canonical_query(&[("offset", "0"), ("limit", "10"), ("interval", "7")]);
    let headers = [
        ("host", "cloudbuild-ext.cn-north-4.myhuaweicloud.com"),
        ("x-project-id", "6ecbc5bac7c8442fb3d2563d53c13582"),
        ("x-sdk-date", "20240101T000000Z"),
    ];
    let path = format!("/v3/jobs/{JOB}/history");
    c.bench_function("sign one GET request", |b| {
        b.iter(|| {
            signer::sign(
                black_box(&SignableRequest {
                    method: "GET",
                    path: &path,
                    query: &query,
                    headers: &headers,
                    body: b"",
                }),
                "20240101T000000Z",
                "example-secret-key-0123456789abcdef",
            )
        })
    });
}

fn build_and_sign(c: &mut Criterion) {
    let client = client();
    let get = ShowListHistoryRequest::builder()
        .job_id(JOB)
        .offset(0)
        .limit(10)
        .interval(7)
        .build()
        .expect("request");
    c.bench_function(
        "build+sign show_list_history (validate, URL, headers, signature)",
        |b| b.iter(|| client.prepare(black_box(&get)).expect("prepared")),
    );
    let body = RunJobRequestBody::builder()
        .job_id(JOB)
        .build()
        .expect("body");
    let post = RunJobRequest::builder()
        .body(body)
        .build()
        .expect("request");
    c.bench_function("build+sign run_job (JSON body)", |b| {
        b.iter(|| client.prepare(black_box(&post)).expect("prepared"))
    });
}

/// A `show_job_list_by_project_id` response with 1,000 fully populated jobs.
fn job_list(count: usize) -> Vec<u8> {
    let jobs: Vec<_> = (0..count)
        .map(|i| {
            serde_json::json!({
                "id": format!("{i:032x}"),
                "job_name": format!("maven-build-{i}"),
                "job_creator": "devcloud_user_01",
                "user_name": "devcloud_user_01",
                "last_build_time": 1_700_000_000_000i64 + i as i64,
                "health_score": (i % 100) as i32,
                "source_code": "https://codehub.example.com/group/repo.git",
                "last_build_status": if i % 3 == 0 { "success" } else { "failed" },
                "is_finished": true,
                "disabled": false,
                "favorite": i % 7 == 0,
                "is_modify": true,
                "is_delete": true,
                "is_execute": true,
                "is_copy": true,
                "is_forbidden": false,
                "is_view": true
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "jobs": jobs, "total": count })).expect("json")
}

fn decode(c: &mut Criterion) {
    let body = job_list(1000);
    let mut group = c.benchmark_group("decode 1,000-job show_job_list_by_project_id");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| {
            serde_json::from_slice::<ShowJobListByProjectIdResponse>(black_box(&body))
                .expect("typed")
        })
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("value"))
    });
    group.finish();
}

criterion_group!(benches, sign, build_and_sign, decode);
criterion_main!(benches);
