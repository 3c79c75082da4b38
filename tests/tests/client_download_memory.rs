//! A 50 MiB build log streams through the client with bounded memory.
//!
//! This binary holds a single test so that the allocation counter below sees only this
//! download (the in-process server included): the peak of live heap bytes during the download
//! must stay far below the body size.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use codearts_build::{Client, Credentials};
use workspace_tests::server::{pattern_byte, Reply, TestServer};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const BODY: u64 = 50 << 20;
const RECORD: &str = "2cc26382-b2cb-4234-8eb0-b37d362f4d4c";

/// An `AsyncWrite` that checks the bytes against the generated pattern and keeps none.
#[derive(Default)]
struct CheckingSink {
    written: u64,
    largest_write: usize,
}

impl tokio::io::AsyncWrite for CheckingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        for (i, byte) in buf.iter().enumerate() {
            assert_eq!(
                *byte,
                pattern_byte(self.written + i as u64),
                "byte {}",
                self.written + i as u64
            );
        }
        self.written += buf.len() as u64;
        self.largest_write = self.largest_write.max(buf.len());
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn fifty_mib_log_streams_with_bounded_memory() {
    let server = TestServer::start(|_| Reply::stream(200, BODY, 64 << 10)).await;
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .build()
        .expect("client");

    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let log = client
        .download_build_log()
        .record_id(RECORD)
        .send()
        .await
        .expect("headers");
    assert_eq!(log.content_length(), Some(BODY));
    let mut sink = CheckingSink::default();
    let written = log.write_to(&mut sink).await.expect("download");
    let peak_growth = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);

    assert_eq!(written, BODY);
    assert_eq!(sink.written, BODY);
    // Each write is one network chunk, never the body.
    assert!(
        sink.largest_write <= 4 << 20,
        "largest write {} bytes",
        sink.largest_write
    );
    // Client, server and connection buffers together stay under 8 MiB for a 50 MiB body.
    assert!(
        peak_growth < 8 << 20,
        "peak heap growth {peak_growth} bytes while streaming {BODY}"
    );
    eprintln!(
        "50 MiB download: largest write {} bytes, peak heap growth {} KiB",
        sink.largest_write,
        peak_growth >> 10
    );
}
