//! Credentials that change while the client runs: a `ReloadingCredentials` provider, observed
//! on the wire by the test server (new tokens, temporary AK/SK signed and checked, a rejected
//! token replaced and the call repeated once).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codearts_build::{Client, Credentials, Error, ReloadingCredentials};
use workspace_tests::server::{Reply, TestServer};
use workspace_tests::signature;

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

fn ok() -> Reply {
    Reply::json(200, &serde_json::json!({ "result": {} }))
}

fn rejected() -> Reply {
    Reply::error(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information",
        "gw-1",
    )
}

/// What the test providers' closures return: credentials at once.
type Loaded = std::future::Ready<Result<Credentials, Error>>;

/// A provider whose `n`-th load (from 1) yields `make(n)`, and the number of loads so far.
fn counting(
    make: impl Fn(usize) -> Credentials + Send + Sync + 'static,
) -> (Arc<AtomicUsize>, ReloadingCredentials<impl Fn() -> Loaded>) {
    let loads = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&loads);
    let provider = ReloadingCredentials::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        std::future::ready(Ok(make(n)))
    });
    (loads, provider)
}

fn client(server: &TestServer, provider: impl codearts_build::CredentialsProvider) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials_provider(provider)
        .project_id(PROJECT)
        .build()
        .expect("client")
}

async fn call(client: &Client) -> Result<(), Error> {
    client
        .show_running_status()
        .job_id(JOB)
        .send()
        .await
        .map(|_| ())
}

fn tokens(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("x-auth-token").unwrap_or("-").to_owned())
        .collect()
}

#[tokio::test]
async fn tokens_due_for_refresh_are_reloaded_between_calls() {
    let server = TestServer::start(|_| ok()).await;
    // Expiring in two minutes, inside the default five-minute margin: due at every call.
    let (loads, provider) = counting(|n| {
        Credentials::token(format!("token-{n}"))
            .with_expiry(SystemTime::now() + Duration::from_secs(120))
    });
    let client = client(&server, provider);
    call(&client).await.expect("first call");
    call(&client).await.expect("second call");
    assert_eq!(tokens(&server), ["token-1", "token-2"]);
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn tokens_not_due_are_reused() {
    let server = TestServer::start(|_| ok()).await;
    let (loads, provider) = counting(|n| {
        Credentials::token(format!("token-{n}"))
            .with_expiry(SystemTime::now() + Duration::from_secs(24 * 3600))
    });
    let client = client(&server, provider);
    for _ in 0..3 {
        call(&client).await.expect("call");
    }
    assert_eq!(tokens(&server), ["token-1", "token-1", "token-1"]);
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_and_the_call_repeated_once() {
    // The gateway accepts only the second token.
    let server = TestServer::start(|request| match request.header("x-auth-token") {
        Some("token-2") => ok(),
        _ => rejected(),
    })
    .await;
    let (loads, provider) = counting(|n| Credentials::token(format!("token-{n}")));
    let client = client(&server, provider);
    call(&client).await.expect("repeated with the new token");
    assert_eq!(tokens(&server), ["token-1", "token-2"]);
    assert_eq!(loads.load(Ordering::SeqCst), 2);

    // Never accepted: one repeat, then the gateway's error.
    let server = TestServer::start(|_| rejected()).await;
    let (loads, provider) = counting(|n| Credentials::token(format!("token-{n}")));
    let client = self::client(&server, provider);
    let error = call(&client).await.expect_err("still rejected");
    assert_eq!(error.error_code(), Some("APIGW.0301"));
    assert_eq!(server.request_count(), 2);
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn temporary_keys_from_a_provider_are_signed_with_their_security_token() {
    let now = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs()
    };
    // Each load hands out a new key pair; the server checks each request's signature against
    // the pair with that access key.
    let server = TestServer::start(move |request| {
        let authorization = request.header("authorization").unwrap_or_default();
        let n = if authorization.contains("Access=TMPAK1,") {
            1
        } else {
            2
        };
        let verified = signature::verify(
            request,
            &format!("TMPAK{n}"),
            &format!("tmp-sk-{n}"),
            Some(now()),
        );
        match (verified, request.header("x-security-token")) {
            (Ok(()), Some(token)) if token == format!("sts-{n}") => ok(),
            _ => rejected(),
        }
    })
    .await;
    let (_, provider) = counting(|n| {
        Credentials::ak_sk(format!("TMPAK{n}"), format!("tmp-sk-{n}"))
            .security_token(format!("sts-{n}"))
    });
    let client = client(&server, provider.refresh_every(Duration::ZERO));
    call(&client).await.expect("first keys");
    call(&client).await.expect("second keys");
    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-security-token").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(tokens, ["sts-1", "sts-2"]);
}

#[tokio::test]
async fn a_provider_that_fails_fails_the_call_before_sending() {
    let server = TestServer::start(|_| ok()).await;
    let provider = ReloadingCredentials::new(|| {
        std::future::ready(Err::<Credentials, _>(Error::config("IAM is unreachable")))
    });
    let client = client(&server, provider);
    let error = call(&client).await.expect_err("no credentials");
    assert_eq!(error.to_string(), "configuration error: IAM is unreachable");
    assert_eq!(server.request_count(), 0);

    // AK/SK from a provider still need a project id, checked when they arrive.
    let provider =
        ReloadingCredentials::new(|| std::future::ready(Ok(Credentials::ak_sk("a", "s"))));
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials_provider(provider)
        .build()
        .expect("built without knowing the kind of credentials");
    let error = call(&client).await.expect_err("no project id");
    assert!(
        error.to_string().contains("CODEARTS_BUILD_PROJECT_ID"),
        "{error}"
    );
}
