//! A stateful fake Huawei Cloud CodeArts Build server, for testing code that calls the service
//! without the cloud.
//!
//! It starts in-process on 127.0.0.1 (a free port) in a few milliseconds, so every test can
//! have its own, or as the `codearts-build-fake` binary for clients in other languages. It
//! checks AK/SK signatures (`SDK-HMAC-SHA256`) and IAM tokens like the API gateway, routes
//! every operation of the spec (generated from it) with the service's 400 reply for a request
//! that breaks the documented constraints, keeps jobs, builds, logs, keystores, templates,
//! job groups, notice settings and the recycle bin like the service, answers the other
//! operations with their documented examples, injects faults and records every request.
//!
//! ```no_run
//! # async fn demo() -> Result<(), codearts_build::Error> {
//! use codearts_build_fake::{Fake, Script};
//!
//! let fake = Fake::start().await;
//! let client = fake.client();
//! let job = fake.create_job("nightly");
//! fake.script_next_build(&job, Script::new().polls(3).fails_at_step(2));
//! let body: codearts_build::types::ExecuteJobRequestBody =
//!     serde_json::from_value(serde_json::json!({ "job_id": job })).expect("a valid body");
//! let run = client.execute_job().body(body).send().await?;
//! assert_eq!(run.actual_build_number.as_deref(), Some("1"));
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod control;
mod faults;
mod gateway;
// Written by `cargo xtask gen` (prettyplease's layout), so rustfmt must leave it alone.
#[rustfmt::skip]
mod generated;
mod record;
mod routes;
mod service;
mod state;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use codearts_testkit::server::TestServer;

pub use faults::{Fault, FaultRule};
pub use record::Recorded;
pub use routes::operation_ids;
pub use state::{BuildState, Script};
pub use wire::Invalid;

use service::Inner;

/// The access key a fake accepts unless told otherwise.
pub const ACCESS_KEY: &str = "FAKEACCESSKEY0000000";
/// The secret key a fake accepts unless told otherwise.
pub const SECRET_KEY: &str = "fake-secret-key-0000000000000000000000000";
/// The project id of a fake unless told otherwise.
pub const PROJECT_ID: &str = "0f0a1e2b3c4d5e6f708192a3b4c5d6e7";
/// The account (domain) id of a fake.
pub const DOMAIN_ID: &str = "60021bab32fd450aa2cb89226f425e06";

/// How to start a [`Fake`].
#[derive(Debug, Clone)]
pub struct FakeBuilder {
    addr: SocketAddr,
    ak: String,
    sk: String,
    project_id: String,
    token: Option<String>,
}

impl Default for FakeBuilder {
    fn default() -> Self {
        FakeBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            ak: ACCESS_KEY.to_owned(),
            sk: SECRET_KEY.to_owned(),
            project_id: PROJECT_ID.to_owned(),
            token: None,
        }
    }
}

impl FakeBuilder {
    /// Listen on this loopback port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// The AK/SK pair the gateway accepts.
    pub fn credentials(mut self, ak: impl Into<String>, sk: impl Into<String>) -> Self {
        self.ak = ak.into();
        self.sk = sk.into();
        self
    }

    /// The project id.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = project_id.into();
        self
    }

    /// Accept only this IAM token (by default any non-empty `X-Auth-Token` passes).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Starts the server.
    pub async fn start(self) -> Fake {
        let inner = Arc::new(Inner {
            keys: gateway::Keys {
                ak: self.ak,
                sk: self.sk,
                token: self.token,
            },
            project_id: self.project_id,
            domain_id: DOMAIN_ID.to_owned(),
            state: Mutex::default(),
            faults: Mutex::default(),
            requests: Mutex::default(),
            clock_offset: Mutex::new(0),
        });
        let shared = Arc::clone(&inner);
        let counter = AtomicU64::new(0);
        let server = TestServer::start_on(self.addr, move |request| {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            shared.handle(request, format!("fake{n:028x}"))
        })
        .await;
        Fake { server, inner }
    }
}

/// A running fake CodeArts Build server; it stops when dropped.
pub struct Fake {
    server: TestServer,
    inner: Arc<Inner>,
}

impl Fake {
    /// Starts a fake on 127.0.0.1 with a free port and the default keys.
    pub async fn start() -> Fake {
        FakeBuilder::default().start().await
    }

    /// Options: port, keys, project id, token.
    pub fn builder() -> FakeBuilder {
        FakeBuilder::default()
    }

    /// `http://127.0.0.1:<port>`: the endpoint to point any client at.
    pub fn endpoint(&self) -> String {
        self.server.url()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The AK/SK pair it accepts, as the client takes it.
    pub fn credentials(&self) -> codearts_build::Credentials {
        codearts_build::Credentials::ak_sk(&self.inner.keys.ak, &self.inner.keys.sk)
    }

    /// The access key it accepts.
    pub fn access_key(&self) -> &str {
        &self.inner.keys.ak
    }

    /// The secret key it accepts.
    pub fn secret_key(&self) -> &str {
        &self.inner.keys.sk
    }

    /// Its project id.
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    /// Its account (domain) id.
    pub fn domain_id(&self) -> &str {
        &self.inner.domain_id
    }

    /// A builder for a client of this fake: endpoint, plain HTTP on loopback, keys, project.
    pub fn client_builder(&self) -> codearts_build::ClientBuilder {
        codearts_build::Client::builder()
            .endpoint(self.endpoint())
            .allow_insecure_http(true)
            .credentials(self.credentials())
            .project_id(self.project_id())
    }

    /// A ready client of this fake.
    pub fn client(&self) -> codearts_build::Client {
        self.client_builder()
            .build()
            .expect("a client for a local endpoint with keys builds")
    }

    /// Creates a job directly (test setup); its id.
    pub fn create_job(&self, name: &str) -> String {
        service::seed_job(&self.inner, name)
    }

    /// Creates a job with a given 32-character id (replacing a job with that id): for code
    /// under test that knows its job ids.
    pub fn create_job_with_id(&self, id: &str, name: &str) -> String {
        let now = self.inner.now();
        let mut state = self.inner.state.lock().expect("state");
        let config = serde_json::json!({ "job_name": name });
        state.insert_job(id.to_owned(), name, self.project_id(), config, now)
    }

    /// Starts a build of job `job_id` as `execute_job` would, optionally with a given record
    /// id; its build number, `None` when there is no such job.
    pub fn start_build(&self, job_id: &str, record_id: Option<&str>) -> Option<u32> {
        let now = self.inner.now();
        let mut state = self.inner.state.lock().expect("state");
        let record_id = match record_id {
            Some(id) => id.to_owned(),
            None => state.uuid(),
        };
        state.start_build_with_record(job_id, record_id, now)
    }

    /// Stores a keystore file as `upload_keystore` would, with a given id.
    pub fn add_keystore(&self, id: &str, name: &str, data: impl Into<Vec<u8>>) {
        self.inner
            .state
            .lock()
            .expect("state")
            .keystores
            .push(state::Keystore {
                id: id.to_owned(),
                name: name.to_owned(),
                data: data.into(),
            });
    }

    /// How the next build of job `job_id` goes. Panics when there is no such job.
    pub fn script_next_build(&self, job_id: &str, script: Script) {
        assert!(
            service::script(&self.inner, job_id, script),
            "no job `{job_id}` in the fake"
        );
    }

    /// Moves every unfinished build on by `polls` polls.
    pub fn advance(&self, polls: u32) {
        let now = self.inner.now();
        let mut state = self.inner.state.lock().expect("state");
        for _ in 0..polls {
            state.advance_all(now);
        }
    }

    /// The state of build `number` of job `job_id`.
    pub fn build_state(&self, job_id: &str, number: u32) -> Option<BuildState> {
        let state = self.inner.state.lock().expect("state");
        state.jobs.get(job_id)?.build(number).map(|b| b.state)
    }

    /// The log so far of build `number` of job `job_id`.
    pub fn build_log(&self, job_id: &str, number: u32) -> Option<String> {
        let state = self.inner.state.lock().expect("state");
        state.jobs.get(job_id)?.build(number).map(|b| b.log.clone())
    }

    /// Adds a fault rule (a [`Fault`] converts into one that applies to every request).
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        self.inner.faults.lock().expect("faults").push(rule.into());
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.inner.faults.lock().expect("faults").clear();
    }

    /// Moves the gateway's clock by `secs` seconds (from the system clock).
    pub fn set_clock_offset(&self, secs: i64) {
        *self.inner.clock_offset.lock().expect("clock") = secs;
    }

    /// Every request received so far, control requests excluded, credentials removed.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests.lock().expect("request log").clone()
    }

    /// The recorded requests of operation `id`.
    pub fn requests_of(&self, id: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation.as_deref() == Some(id))
            .collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.inner.requests.lock().expect("request log").clear();
    }

    /// Whether the fake routes operation `id`.
    pub fn routes(id: &str) -> bool {
        service::route_exists(id)
    }
}
