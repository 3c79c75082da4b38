//! Faults through the Rust API and the control endpoint, as the client sees them.

use std::time::{Duration, Instant};

use codearts_build::CallOptions;
use codearts_build_fake::{Fake, Fault, FaultRule};

fn once() -> CallOptions {
    CallOptions::new().max_attempts(1)
}

#[tokio::test]
async fn too_many_requests_carries_retry_after_and_the_client_retries() {
    let fake = Fake::start().await;
    fake.inject(
        FaultRule::new(Fault::TooManyRequests { retry_after: 0 })
            .on("list_keystore")
            .times(1),
    );
    fake.client()
        .list_keystore()
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(fake.requests_of("list_keystore").len(), 2);
}

#[tokio::test]
async fn server_errors_and_error_bodies_in_200_fail_the_call() {
    let fake = Fake::start().await;
    fake.inject(FaultRule::new(Fault::ServerError(503)).times(1));
    let error = fake
        .client()
        .list_keystore()
        .send_with(once())
        .await
        .expect_err("503");
    assert!(error.to_string().contains("503"), "{error}");
    fake.inject(
        FaultRule::new(Fault::ErrorInOk {
            message: "broken".into(),
        })
        .times(1),
    );
    let error = fake
        .client()
        .list_keystore()
        .send_with(once())
        .await
        .expect_err("error in 200");
    assert!(error.to_string().contains("broken"), "{error}");
    fake.client()
        .list_keystore()
        .send()
        .await
        .expect("faults expired");
}

#[tokio::test]
async fn dropped_connections_and_truncated_bodies_are_transport_errors() {
    let fake = Fake::start().await;
    fake.inject(FaultRule::new(Fault::DropConnection).times(1));
    assert!(fake
        .client()
        .list_keystore()
        .send_with(once())
        .await
        .is_err());
    fake.inject(FaultRule::new(Fault::TruncatedBody).times(1));
    assert!(fake
        .client()
        .list_keystore()
        .send_with(once())
        .await
        .is_err());
}

#[tokio::test]
async fn a_delay_slows_the_answer() {
    let fake = Fake::start().await;
    fake.inject(FaultRule::new(Fault::Delay(Duration::from_millis(300))).times(1));
    let started = Instant::now();
    fake.client().list_keystore().send().await.expect("delayed");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn json_where_a_download_was_expected_is_an_error() {
    let fake = Fake::start().await;
    fake.add_keystore("1e68199508214389a3eff8302dbe868f", "a.jks", b"JKS".to_vec());
    fake.inject(FaultRule::new(Fault::JsonInsteadOfStream).on("download_keystore_by_name"));
    let result = fake
        .client()
        .download_keystore_by_name()
        .name("a.jks")
        .domain_id(fake.domain_id())
        .id("1e68199508214389a3eff8302dbe868f")
        .send_with(once())
        .await;
    assert!(result.is_err(), "a JSON error body is not the file");
}

#[tokio::test]
async fn the_control_endpoint_injects_faults_and_lists_requests() {
    let fake = Fake::start().await;
    let http = |method: &'static str, path: &'static str, body: &'static str| {
        let addr = fake.addr();
        async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let req = format!(
                "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            s.write_all(req.as_bytes()).await.expect("write");
            let mut out = String::new();
            s.read_to_string(&mut out).await.expect("read");
            out
        }
    };
    let reply = http("POST", "/__fake/faults", r#"{"fault":"502","times":1}"#).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let error = fake
        .client()
        .list_keystore()
        .send_with(once())
        .await
        .expect_err("502");
    assert!(error.to_string().contains("502"), "{error}");
    let listed = http("GET", "/__fake/requests", "").await;
    assert!(
        listed.contains("\"operation\":\"list_keystore\""),
        "{listed}"
    );
    let bad = http("POST", "/__fake/faults", r#"{"fault":"boom"}"#).await;
    assert!(
        bad.starts_with("HTTP/1.1 400") && bad.contains("unknown fault"),
        "{bad}"
    );
}
