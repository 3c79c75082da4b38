//! Signing cost: the signer alone on a bodyless GET, and a whole request prepared by the
//! client (validation, URL, headers, signature) with AK/SK and with a token.
//!
//! Target: a bodyless GET signed in at most 1 µs. `cargo bench -p codearts-runtime --bench sign`

use std::hint::black_box;

use codearts_runtime::auth::signer::{self, SignableRequest};
use codearts_runtime::encode::canonical_query;
use criterion::{criterion_group, criterion_main, Criterion};

mod support;
use support::{ShowHistory, JOB, PROJECT, SK};

const HOST: &str = "cloudbuild-ext.cn-north-4.myhuaweicloud.com";
const DATE: &str = "20240101T000000Z";

fn sign(c: &mut Criterion) {
    let query = canonical_query(&[("offset", "0"), ("limit", "10"), ("interval", "7")]);
    let headers = [
        ("host", HOST),
        ("x-project-id", PROJECT),
        ("x-sdk-date", DATE),
    ];
    let path = format!("/v3/jobs/{JOB}/history");
    let request = SignableRequest {
        method: "GET",
        path: &path,
        query: &query,
        headers: &headers,
        body: b"",
    };
    c.bench_function("sign bodyless GET (secret key)", |b| {
        b.iter(|| signer::sign(black_box(&request), DATE, black_box(SK)))
    });
    {
        let key = codearts_runtime::auth::key::SigningKey::new(SK);
        c.bench_function("sign bodyless GET (prepared key)", |b| {
            b.iter(|| signer::sign_with_key(black_box(&request), DATE, &key))
        });
    }
}

fn prepare(c: &mut Criterion) {
    let operation = ShowHistory::example();
    for (name, ak_sk) in [("AK/SK", true), ("token", false)] {
        let client = support::client(&format!("https://{HOST}"), ak_sk);
        c.bench_function(
            &format!("prepare GET, {name} (validate, URL, headers, auth)"),
            |b| b.iter(|| client.prepare(black_box(&operation)).expect("prepared")),
        );
    }
}

criterion_group!(benches, sign, prepare);
criterion_main!(benches);
