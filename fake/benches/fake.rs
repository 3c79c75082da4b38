//! The fake's throughput with 64 concurrent clients on loopback, and the time to start one.

use std::time::{Duration, Instant};

use codearts_build_fake::Fake;
use criterion::{criterion_group, criterion_main, Criterion};

fn start_time(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    c.bench_function("start one in-process fake", |b| {
        b.iter(|| runtime.block_on(Fake::start()))
    });
}

/// Requests per second: 64 clients (each its own connection pool) calling a signed GET in a
/// loop for a fixed time; printed, as criterion measures latency rather than throughput.
fn throughput(_: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fake = Fake::start().await;
        let job = fake.create_job("bench");
        let window = Duration::from_secs(3);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let client = fake.client();
            let job = job.clone();
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while started.elapsed() < window {
                    client
                        .show_job_info()
                        .job_id(&job)
                        .send()
                        .await
                        .expect("show_job_info");
                    n += 1;
                }
                n
            }));
        }
        let mut total = 0;
        for task in tasks {
            total += task.await.expect("client task");
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "fake throughput: {total} signed requests from 64 concurrent clients in {secs:.2} s = {:.0} requests/s",
            total as f64 / secs
        );
    });
}

criterion_group!(benches, start_time, throughput);
criterion_main!(benches);
