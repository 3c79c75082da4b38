//! The `rustls-native-roots` feature: a CA in the system's trust store (here through
//! `SSL_CERT_FILE`, which the native store loader honours) is trusted. Alone in its test binary
//! because it sets a process-wide environment variable.

#![expect(
    deprecated,
    reason = "exercised through legacy operations, which the service still answers and the crate still offers"
)]

use codearts_build::{Client, Credentials};
use workspace_tests::tls::{test_ca_pem, TlsServer};

#[tokio::test]
async fn a_ca_from_the_system_store_is_trusted_with_native_roots() {
    let server = TlsServer::start().await;
    // Before any client is built, and nothing else in this process reads it concurrently.
    std::env::set_var("SSL_CERT_FILE", test_ca_pem());
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::token("token"))
        .build()
        .expect("client");
    let status = client
        .show_job_status()
        .job_id("cb5fa20de5fd4cf8be681d4bd6fdd2f6")
        .send()
        .await
        .expect("the server's certificate chains to the trusted test CA");
    assert_eq!(status.result, Some(true));
    assert_eq!(server.connections(), 1);
}
