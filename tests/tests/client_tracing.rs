//! Each call opens one `tracing` span naming the service, operation, method, path template,
//! attempt, status, duration and request id; no span or event carries a credential.

#![expect(
    deprecated,
    reason = "these tests exercise the legacy operations, which the service still answers and the crate still offers"
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codearts_build::{Client, Credentials, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use workspace_tests::server::{Reply, TestServer};

const AK: &str = "HPUAEXAMPLEACCESSKEY";
const SK: &str = "tracing-secret-key-never-logged";
const STS: &str = "tracing-security-token-never-logged";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

/// Everything recorded: `(span or event name, field, value)`.
#[derive(Clone, Default)]
struct Recorder {
    fields: Arc<Mutex<Vec<(String, String, String)>>>,
    spans: Arc<Mutex<Vec<(u64, String)>>>,
    next: Arc<AtomicU64>,
}

struct Collect<'a> {
    owner: String,
    out: &'a mut Vec<(String, String, String)>,
}

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.out.push((
            self.owner.clone(),
            field.name().to_owned(),
            format!("{value:?}"),
        ));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.out.push((
            self.owner.clone(),
            field.name().to_owned(),
            value.to_owned(),
        ));
    }
}

impl Recorder {
    fn span_name(&self, id: &Id) -> String {
        let spans = self.spans.lock().expect("spans");
        spans
            .iter()
            .find(|(n, _)| *n == id.into_u64())
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }

    fn values(&self, owner: &str, field: &str) -> Vec<String> {
        self.fields
            .lock()
            .expect("fields")
            .iter()
            .filter(|(o, f, _)| o == owner && f == field)
            .map(|(_, _, v)| v.clone())
            .collect()
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let name = span.metadata().name().to_owned();
        self.spans.lock().expect("spans").push((id, name.clone()));
        span.record(&mut Collect {
            owner: name,
            out: &mut self.fields.lock().expect("fields"),
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let owner = self.span_name(span);
        values.record(&mut Collect {
            owner,
            out: &mut self.fields.lock().expect("fields"),
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        event.record(&mut Collect {
            owner: "event".into(),
            out: &mut self.fields.lock().expect("fields"),
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn calls_are_traced_without_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = TestServer::sequence(vec![
        Reply::status(503),
        Reply::json(200, &serde_json::json!({ "result": true }))
            .header("X-Request-Id", "req-traced"),
    ])
    .await;
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::ak_sk(AK, SK).security_token(STS))
        .project_id("6ecbc5bac7c8442fb3d2563d53c13582")
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("client");
    client
        .show_job_status()
        .job_id(JOB)
        .send()
        .await
        .expect("call");

    // The runtime names the span; the service is a field, from the generated crate.
    let span = "codearts_runtime.call";
    assert_eq!(recorder.values(span, "service"), ["codearts-build"]);
    assert_eq!(recorder.values(span, "operation"), ["show_job_status"]);
    assert_eq!(recorder.values(span, "method"), ["GET"]);
    assert_eq!(
        recorder.values(span, "path_template"),
        ["/v3/jobs/{job_id}/status"]
    );
    assert_eq!(recorder.values(span, "attempt"), ["1", "2"]);
    assert_eq!(recorder.values(span, "status"), ["200"]);
    assert_eq!(recorder.values(span, "request_id"), ["req-traced"]);
    assert_eq!(recorder.values(span, "duration_ms").len(), 1);
    assert!(
        recorder
            .values("event", "error")
            .iter()
            .any(|e| e.contains("503")),
        "the retry is logged with its cause"
    );

    let authorization = server.requests()[1]
        .header("authorization")
        .expect("signed")
        .to_owned();
    let signature = authorization
        .rsplit('=')
        .next()
        .expect("signature")
        .to_owned();
    for (owner, field, value) in recorder.fields.lock().expect("fields").iter() {
        for secret in [SK, STS, AK, signature.as_str()] {
            assert!(
                !value.contains(secret),
                "{owner}.{field} = {value} contains a secret"
            );
        }
    }
}
