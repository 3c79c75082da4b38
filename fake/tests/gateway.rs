//! The gateway: a good signature passes; a bad, missing or skewed one gets the 401 reply with
//! `APIGW.0301` and a `Date` header; an IAM token passes.

use codearts_build::Credentials;
use codearts_build_fake::Fake;

async fn raw(fake: &Fake, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(fake.addr())
        .await
        .expect("connect");
    let request = format!(
        "GET /v2/keystore/name HTTP/1.1\r\nHost: {}\r\n{head}Connection: close\r\n\r\n",
        fake.addr()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    reply
}

#[tokio::test]
async fn a_correct_signature_passes() {
    let fake = Fake::start().await;
    fake.client()
        .list_keystore()
        .send()
        .await
        .expect("signed call");
}

#[tokio::test]
async fn a_wrong_secret_key_gets_the_gateways_401() {
    let fake = Fake::start().await;
    let client = fake
        .client_builder()
        .credentials(Credentials::ak_sk(fake.access_key(), "wrong-secret"))
        .build()
        .expect("client");
    let error = client.list_keystore().send().await.expect_err("rejected");
    let text = error.to_string();
    assert!(
        text.contains("401") && text.contains("APIGW.0301"),
        "{text}"
    );
}

#[tokio::test]
async fn a_missing_signature_gets_401_with_a_date_header() {
    let fake = Fake::start().await;
    let reply = raw(&fake, "").await;
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
    assert!(reply.contains("\r\nDate: "), "{reply}");
    assert!(reply.contains("\"error_code\":\"APIGW.0301\""), "{reply}");
    assert!(reply.contains("\"request_id\":"), "{reply}");
}

#[tokio::test]
async fn a_signing_time_more_than_15_minutes_off_is_refused() {
    let fake = Fake::start().await;
    // The client signs with its clock; the gateway's runs 16 minutes ahead. The first request
    // is refused with the gateway's clock in `Date`; the client adopts it and signs again.
    fake.set_clock_offset(16 * 60);
    let client = fake.client();
    client
        .list_keystore()
        .send()
        .await
        .expect("re-signed with the gateway's clock");
    assert_eq!(
        fake.requests_of("list_keystore").len(),
        2,
        "refused once, then accepted"
    );
    assert!(
        (950..=970).contains(&client.clock_offset_secs()),
        "{}",
        client.clock_offset_secs()
    );
    // 14 minutes is within the window: accepted at once.
    fake.set_clock_offset(14 * 60);
    fake.clear_requests();
    fake.client()
        .list_keystore()
        .send()
        .await
        .expect("within 15 minutes");
    assert_eq!(fake.requests_of("list_keystore").len(), 1);
    // A raw request signed 16 minutes off is answered 401.
    let reply = raw(
        &fake,
        "X-Sdk-Date: 20000101T000000Z\r\nAuthorization: SDK-HMAC-SHA256 Access=x, SignedHeaders=host;x-sdk-date, Signature=00\r\n",
    )
    .await;
    assert!(
        reply.starts_with("HTTP/1.1 401") && reply.contains("signature expired"),
        "{reply}"
    );
}

#[tokio::test]
async fn a_garbled_signature_is_refused() {
    let fake = Fake::start().await;
    let reply = raw(
        &fake,
        "X-Sdk-Date: 20260101T000000Z\r\nAuthorization: SDK-HMAC-SHA256 Access=x, SignedHeaders=host;x-sdk-date, Signature=00\r\n",
    )
    .await;
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
}

#[tokio::test]
async fn an_iam_token_passes_and_a_wrong_one_does_not() {
    let fake = Fake::builder().token("the-token").start().await;
    let token = fake
        .client_builder()
        .credentials(Credentials::token("the-token"))
        .build()
        .expect("client");
    token.list_keystore().send().await.expect("token call");
    let reply = raw(&fake, "X-Auth-Token: other\r\n").await;
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
}
