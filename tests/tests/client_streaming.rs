//! Binary downloads: chunk-by-chunk streams, `write_to`, `collect`, and bodies cut short.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use codearts_build::{ByteStream, Client, Credentials, Error, RetryPolicy};
use futures_util::StreamExt;
use workspace_tests::server::{pattern_byte, Reply, TestServer};

const RECORD: &str = "2cc26382-b2cb-4234-8eb0-b37d362f4d4c";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn stream_yields_every_byte_in_order_in_several_chunks() {
    const SIZE: u64 = 3 << 20;
    let server = TestServer::start(|_| Reply::stream(200, SIZE, 16 << 10)).await;
    let mut log = client(&server)
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .expect("send");
    let (mut total, mut chunks) = (0u64, 0);
    while let Some(chunk) = log.next().await {
        let chunk = chunk.expect("chunk");
        for (i, byte) in chunk.iter().enumerate() {
            assert_eq!(*byte, pattern_byte(total + i as u64));
        }
        total += chunk.len() as u64;
        chunks += 1;
    }
    assert_eq!(total, SIZE);
    assert!(chunks > 1, "a 3 MiB body arrived in one chunk");
}

#[tokio::test]
async fn write_to_copies_the_body_and_collect_buffers_it() {
    let server = TestServer::start(|_| Reply::bytes(200, "line 1\nline 2\n")).await;
    let client = client(&server);
    let mut out = Vec::new();
    let written = client
        .download_task_log()
        .record_id(RECORD)
        .task_name("build")
        .send()
        .await
        .expect("send")
        .write_to(&mut out)
        .await
        .expect("write");
    assert_eq!(written, 14);
    assert_eq!(out, b"line 1\nline 2\n");
    let bytes = client
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .expect("send")
        .collect()
        .await
        .expect("collect");
    assert_eq!(&bytes[..], b"line 1\nline 2\n");
}

#[tokio::test]
async fn a_body_cut_short_ends_the_stream_with_a_transport_error() {
    let server = TestServer::start(|_| Reply::truncated(200, vec![b'x'; 10_000], 1 << 20)).await;
    let log = client(&server)
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(log.content_length(), Some(1 << 20));
    let mut out = Vec::new();
    let error = log.write_to(&mut out).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(out.len() <= 10_000);
}

#[tokio::test]
async fn a_failing_destination_is_an_io_error() {
    struct Broken;
    impl tokio::io::AsyncWrite for Broken {
        fn poll_write(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            _: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()))
        }
        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
        fn poll_shutdown(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
    }
    let stream = ByteStream::from_stream(
        futures_util::stream::iter(vec![Ok(bytes::Bytes::from_static(b"data"))]),
        Some(4),
    );
    let error = stream.write_to(Broken).await.unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
}

#[tokio::test]
async fn error_status_on_a_download_is_a_service_error() {
    let server =
        TestServer::start(|_| Reply::error(404, "CB.00060214", "no such record", "r-404")).await;
    let error = client(&server)
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("r-404"));
}
