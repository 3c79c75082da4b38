//! Building a client from the environment: which variables win, and what a bad one reports.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::collections::BTreeMap;

use codearts_build::{Client, Error, Region};
use workspace_tests::server::{Reply, TestServer};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

const AK_SK: [(&str, &str); 2] = [("CLOUD_SDK_AK", "AKEXAMPLE"), ("CLOUD_SDK_SK", "secret")];

#[test]
fn endpoint_beats_region_and_the_project_id_is_picked_up() {
    let client = Client::builder()
        .region(Region::CnNorth4)
        .from_lookup(env(&[
            AK_SK[0],
            AK_SK[1],
            ("CODEARTS_BUILD_ENDPOINT", "https://build.example.com"),
            ("CODEARTS_BUILD_REGION", "cn-east-2"),
            (
                "CODEARTS_BUILD_PROJECT_ID",
                "6ecbc5bac7c8442fb3d2563d53c13582",
            ),
        ]))
        .and_then(|b| b.build())
        .expect("client");
    assert_eq!(client.endpoint(), "https://build.example.com");
    assert_eq!(
        client.project_id(),
        Some("6ecbc5bac7c8442fb3d2563d53c13582")
    );
}

#[test]
fn region_from_the_environment_replaces_the_default_and_blank_values_are_ignored() {
    let client = Client::builder()
        .region(Region::CnNorth4)
        .from_lookup(env(&[
            ("CODEARTS_BUILD_TOKEN", "token"),
            ("CODEARTS_BUILD_ENDPOINT", "  "),
            ("CODEARTS_BUILD_REGION", "cn-east-2"),
        ]))
        .and_then(|b| b.build())
        .expect("client");
    assert_eq!(
        client.endpoint().trim_end_matches('/'),
        Region::CnEast2.endpoint().trim_end_matches('/')
    );
    assert_eq!(client.project_id(), None);
}

#[test]
fn bad_environments_are_config_errors_that_name_the_variable() {
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            // Any region id is accepted; one that cannot be part of a host name is not.
            &[AK_SK[0], AK_SK[1], ("CODEARTS_BUILD_REGION", "Mars_1")],
            "CODEARTS_BUILD_REGION",
        ),
        (&[], "CODEARTS_BUILD_TOKEN"),
        (&[AK_SK[0]], "CLOUD_SDK_SK"),
    ];
    for (pairs, named) in cases {
        let error = Client::builder()
            .region(Region::CnNorth4)
            .from_lookup(env(pairs))
            .and_then(|b| b.build())
            .expect_err("must fail");
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(
            error.to_string().contains(named),
            "{error} should name {named}"
        );
    }
    // AK/SK without a project id is refused at build time, naming the variable to set.
    let error = Client::builder()
        .region(Region::CnNorth4)
        .from_lookup(env(&AK_SK))
        .and_then(|b| b.build())
        .expect_err("AK/SK needs a project id");
    assert!(
        error.to_string().contains("CODEARTS_BUILD_PROJECT_ID"),
        "{error}"
    );
}

#[tokio::test]
async fn a_client_from_the_environment_sends_its_token_to_the_endpoint() {
    let server =
        TestServer::start(|_| Reply::json(200, &serde_json::json!({"result": true}))).await;
    let client = Client::builder()
        .from_lookup(env(&[
            ("CODEARTS_BUILD_TOKEN", "env-token"),
            ("CODEARTS_BUILD_ENDPOINT", &server.url()),
            // The test server speaks plain HTTP.
            ("CODEARTS_BUILD_ALLOW_INSECURE_HTTP", "true"),
        ]))
        .and_then(|b| b.build())
        .expect("client");
    let status = client
        .show_job_status()
        .job_id("cb5fa20de5fd4cf8be681d4bd6fdd2f6")
        .send()
        .await
        .expect("status");
    assert_eq!(status.result, Some(true));
    assert_eq!(
        server.single_request().header("x-auth-token"),
        Some("env-token")
    );
}
