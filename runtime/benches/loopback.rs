//! Per-request CPU of the client against plain `reqwest` on loopback.
//!
//! One server process answers every request with the same JSON reply. Each measurement is its
//! own client process: 64 tasks share `REQUESTS` requests (after a warm-up), and the process
//! reports the CPU time it used (user + system) per request. The variants run interleaved,
//! `ROUNDS` times, so that the load of the machine hits all of them alike:
//!
//! - `reqwest`: plain reqwest, the same GET with a token header, reply decoded with serde_json;
//! - `token`: the client sending the same operation with a token;
//! - `aksk`: the client signing each request with AK/SK;
//! - `reqwest+timeouts`: plain reqwest with the client's transport settings (connect and read
//!   timeouts, a timeout around each attempt), which shows what those settings cost alone.
//!
//! Targets: `token` ≤ 1.03× and `aksk` ≤ 1.10× of `reqwest`.
//!
//! `cargo bench -p codearts-runtime --bench loopback` (environment: `LOOPBACK_ROUNDS`,
//! `LOOPBACK_REQUESTS`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod support;
use support::{History, ShowHistory, JOB, TOKEN};

const TASKS: usize = 64;
const VARIANTS: [&str; 4] = ["reqwest", "token", "aksk", "reqwest+timeouts"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--serve") => serve(),
        Some("--client") => run_client(&args[1], &args[2], parse_env("LOOPBACK_REQUESTS", 20_000)),
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: then one quick round
        // shows that the bench still works.
        _ if args.iter().any(|a| a == "--bench") => compare(parse_env("LOOPBACK_ROUNDS", 5)),
        _ => compare(0),
    }
}

fn parse_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Starts the server, runs the variants interleaved and prints the CPU per request and the
/// ratios to plain reqwest.
fn compare(rounds: usize) {
    let exe = std::env::current_exe().expect("bench executable");
    let mut server = Command::new(&exe)
        .arg("--serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("server process");
    let mut address = String::new();
    BufReader::new(server.stdout.take().expect("server stdout"))
        .read_line(&mut address)
        .expect("server address");
    let endpoint = format!("http://{}", address.trim());
    let quick = rounds == 0;
    let rounds = rounds.max(1);
    let mut results: Vec<Vec<f64>> = vec![Vec::new(); VARIANTS.len()];
    for round in 0..rounds {
        for (i, variant) in VARIANTS.iter().enumerate() {
            let mut command = Command::new(&exe);
            command.args(["--client", variant, &endpoint]);
            if quick {
                command.env("LOOPBACK_REQUESTS", "500");
            }
            let output = command.output().expect("client process");
            assert!(
                output.status.success(),
                "{variant}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let micros: f64 = String::from_utf8_lossy(&output.stdout)
                .trim()
                .parse()
                .expect("CPU µs per request");
            results[i].push(micros);
            eprintln!(
                "round {}: {variant:>8} {micros:6.2} µs CPU/request",
                round + 1
            );
        }
    }
    server.kill().ok();
    server.wait().ok();
    let range = |values: &[f64]| {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        (min, sorted[sorted.len() / 2], max)
    };
    println!("CPU per request over {rounds} interleaved rounds (min / median / max):");
    for (variant, values) in VARIANTS.iter().zip(&results) {
        let (min, median, max) = range(values);
        println!("  {variant:>8}: {min:6.2} / {median:6.2} / {max:6.2} µs");
    }
    for (i, variant) in VARIANTS.iter().enumerate().skip(1) {
        let ratios: Vec<f64> = results[i]
            .iter()
            .zip(&results[0])
            .map(|(v, base)| v / base)
            .collect();
        let (min, median, max) = range(&ratios);
        println!("  {variant:>8} / reqwest: {min:.3} / {median:.3} / {max:.3}×");
    }
}

/// CPU time (user + system) this process has used.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// One measurement: `requests` requests of `variant` from 64 tasks; prints CPU µs per request.
fn run_client(variant: &str, endpoint: &str, requests: usize) {
    let runtime = runtime();
    let endpoint = endpoint.to_owned();
    let variant = variant.to_owned();
    runtime.block_on(async move {
        let send: Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, History> + Send + Sync> =
            match variant.as_str() {
                plain @ ("reqwest" | "reqwest+timeouts") => {
                    let timeouts = plain == "reqwest+timeouts";
                    let http = if timeouts {
                        reqwest::Client::builder()
                            .connect_timeout(codearts_runtime::client::DEFAULT_CONNECT_TIMEOUT)
                            .read_timeout(codearts_runtime::client::DEFAULT_READ_TIMEOUT)
                            .redirect(reqwest::redirect::Policy::none())
                            .build()
                            .expect("reqwest client")
                    } else {
                        reqwest::Client::new()
                    };
                    let url =
                        format!("{endpoint}/v3/jobs/{JOB}/history?interval=7&limit=10&offset=0");
                    Arc::new(move || {
                        let http = http.clone();
                        let url = url.clone();
                        Box::pin(async move {
                            let exchange = async {
                                let response = http
                                    .get(&url)
                                    .header("x-auth-token", TOKEN)
                                    .send()
                                    .await
                                    .expect("reply");
                                assert!(response.status().is_success());
                                let body = response.bytes().await.expect("body");
                                serde_json::from_slice(&body).expect("typed reply")
                            };
                            if timeouts {
                                tokio::time::timeout(
                                    codearts_runtime::client::DEFAULT_REQUEST_TIMEOUT,
                                    exchange,
                                )
                                .await
                                .expect("in time")
                            } else {
                                exchange.await
                            }
                        })
                    })
                }
                kind => {
                    let client = support::client(&endpoint, kind == "aksk");
                    Arc::new(move || {
                        let client = client.clone();
                        Box::pin(async move {
                            client.send(ShowHistory::example()).await.expect("reply")
                        })
                    })
                }
            };
        // Warm-up: connections opened, allocator and caches settled.
        burst(&send, 2_000.min(requests)).await;
        let cpu = cpu_time();
        burst(&send, requests).await;
        let cpu = cpu_time() - cpu;
        println!("{:.3}", cpu.as_secs_f64() * 1e6 / requests as f64);
    });
}

async fn burst(
    send: &Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, History> + Send + Sync>,
    requests: usize,
) {
    let left = Arc::new(AtomicUsize::new(requests));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let send = send.clone();
            let left = left.clone();
            tokio::spawn(async move {
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let history = send().await;
                    assert_eq!(history.total, 3);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
}

/// The server: HTTP/1.1 with keep-alive, the same reply to every request.
fn serve() {
    let body = support::reply_body();
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: \
         0123456789abcdef0123456789abcdef\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(&body);
    let reply: &'static [u8] = reply.leak();
    runtime().block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{}", listener.local_addr().expect("address")).expect("stdout");
        stdout.flush().expect("stdout");
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                continue;
            };
            socket.set_nodelay(true).ok();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    // Requests are bodyless GETs: each ends at its blank line.
                    while let Some(end) = find(&buffer[..filled], b"\r\n\r\n") {
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                }
            });
        }
    });
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
