//! Transport safety: a plain-HTTP endpoint needs an explicit opt-in, and a certificate the
//! client does not trust fails at once, without retries.

#![expect(
    deprecated,
    reason = "exercised through legacy operations, which the service still answers and the crate still offers"
)]

use std::time::{Duration, Instant};

use codearts_build::{Client, Credentials, Error, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};
use workspace_tests::tls::TlsServer;

const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

#[tokio::test]
async fn a_plain_http_endpoint_is_refused_unless_allowed() {
    let server =
        TestServer::start(|_| Reply::json(200, &serde_json::json!({ "result": true }))).await;
    let error = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::token("token-never-sent"))
        .build()
        .unwrap_err();
    match &error {
        Error::Config { message } => {
            assert!(message.contains("plain-HTTP"), "{message}");
            assert!(message.contains(".allow_insecure_http(true)"), "{message}");
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert!(!error.to_string().contains("token-never-sent"));
    // Explicitly off is the same.
    let off = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(false)
        .credentials(Credentials::token("token"))
        .build();
    assert!(matches!(off, Err(Error::Config { .. })));

    // From the environment: refused, unless the variable says yes; a value that is neither
    // yes nor no is an error rather than a guess.
    let url = server.url();
    let lookup = |allow: Option<&'static str>| {
        let url = url.clone();
        move |name: &str| match name {
            "CODEARTS_BUILD_TOKEN" => Some("env-token".to_owned()),
            "CODEARTS_BUILD_ENDPOINT" => Some(url.clone()),
            "CODEARTS_BUILD_ALLOW_INSECURE_HTTP" => allow.map(str::to_owned),
            _ => None,
        }
    };
    for (allow, accepted) in [(None, false), (Some("false"), false), (Some("TRUE"), true)] {
        let built = Client::builder()
            .from_lookup(lookup(allow))
            .and_then(|b| b.build());
        assert_eq!(built.is_ok(), accepted, "{allow:?}: {built:?}");
    }
    let error = Client::builder()
        .from_lookup(lookup(Some("maybe")))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("CODEARTS_BUILD_ALLOW_INSECURE_HTTP"),
        "{error}"
    );
    assert_eq!(server.request_count(), 0, "nothing was sent");

    // Allowed: it works, and https endpoints never needed it.
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .build()
        .expect("allowed");
    let status = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("sent");
    assert_eq!(status.result, Some(true));
    Client::builder()
        .endpoint("https://cloudbuild-ext.cn-north-4.myhuaweicloud.com")
        .credentials(Credentials::token("token"))
        .build()
        .expect("https needs no opt-in");
}

#[tokio::test]
async fn an_untrusted_certificate_fails_at_once_without_retries() {
    let server = TlsServer::start().await;
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::token("token"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("client");
    let started = Instant::now();
    // An idempotent GET, which every other transport failure would retry.
    let error = client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Tls { message, .. } => {
            assert!(message.contains("certificate"), "{message}");
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert!(error.to_string().starts_with("TLS error: "), "{error}");
    assert_eq!(server.connections(), 1, "one handshake, no retries");
    assert!(started.elapsed() < Duration::from_secs(5));
}
