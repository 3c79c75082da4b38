//! A minimal service and one operation shaped like a generated one (a GET with a validated path
//! parameter, three query parameters and a typed JSON reply), so that the runtime can be
//! measured without compiling a whole generated crate.

#![allow(dead_code, reason = "each bench uses part of this module")]

use std::fmt;
use std::str::FromStr;

use codearts_runtime::operation::{self, Operation, OperationSpec, RawResponse, RequestParts};
use codearts_runtime::service::{ErrorCatalogue, Service, ServiceIdentity, ServiceRegion};
use codearts_runtime::validate::{self, Pattern};
use codearts_runtime::{Client, ClientBuilder, Credentials, Error};

/// The job id every request uses.
pub const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";
/// The project id of AK/SK clients.
pub const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
/// Access and secret key of AK/SK clients.
pub const AK: &str = "HPUAEXAMPLEACCESSKEY";
/// See [`AK`].
pub const SK: &str = "example-secret-key-0123456789abcdef";
/// The token of token clients.
pub const TOKEN: &str = "MIIZexampletoken0123456789abcdefghijklmnopqrstuvwxyz";

/// The bench's service: its client wraps the runtime's.
#[derive(Debug, Clone)]
pub struct BenchClient(pub Client);

impl Service for BenchClient {
    type Region = BenchRegion;
    type ErrorCode = BenchCode;
    const IDENTITY: ServiceIdentity = ServiceIdentity {
        name: "bench",
        env_prefix: "BENCH",
        user_agent: "bench-rust/0.0.0",
        spec_version: "2024-01-01",
    };

    fn from_client(client: Client) -> Self {
        BenchClient(client)
    }
}

/// The one region of the bench service.
#[derive(Debug, Clone, Copy)]
pub struct BenchRegion;

impl ServiceRegion for BenchRegion {
    fn id(&self) -> &str {
        "bench-1"
    }

    fn endpoint(&self) -> &str {
        "https://bench-1.example.com"
    }
}

impl FromStr for BenchRegion {
    type Err = String;

    fn from_str(id: &str) -> Result<Self, String> {
        (id == "bench-1")
            .then_some(BenchRegion)
            .ok_or_else(|| format!("unknown region `{id}`"))
    }
}

/// An empty error catalogue.
#[derive(Debug, Clone, Copy)]
pub struct BenchCode;

impl ErrorCatalogue for BenchCode {
    fn from_code(_code: &str) -> Option<Self> {
        None
    }

    fn is_retryable(&self) -> bool {
        false
    }
}

impl fmt::Display for BenchCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bench")
    }
}

/// A client of `endpoint` with AK/SK (and a project id) or a token.
pub fn client(endpoint: &str, ak_sk: bool) -> Client {
    let builder = ClientBuilder::<BenchClient>::new()
        .endpoint(endpoint)
        .allow_insecure_http(true);
    let builder = if ak_sk {
        builder
            .credentials(Credentials::ak_sk(AK, SK))
            .project_id(PROJECT)
    } else {
        builder.credentials(Credentials::token(TOKEN))
    };
    builder.build().expect("bench client").0
}

static JOB_ID_PATTERN: Pattern = Pattern::new("^[a-zA-Z0-9]{32}$");

static SPEC: OperationSpec = OperationSpec {
    id: "show_list_history",
    method: reqwest::Method::GET,
    path_template: "/v3/jobs/{job_id}/history",
    idempotent: true,
    deprecated: false,
};

/// `GET /v3/jobs/{job_id}/history?offset&limit&interval`, as the generator writes it.
#[derive(Debug, Clone)]
pub struct ShowHistory {
    /// Path parameter, 32 letters or digits.
    pub job_id: String,
    /// Query parameter.
    pub offset: i32,
    /// Query parameter.
    pub limit: i32,
    /// Query parameter.
    pub interval: i32,
}

impl ShowHistory {
    /// The request every bench sends.
    pub fn example() -> Self {
        ShowHistory {
            job_id: JOB.to_owned(),
            offset: 0,
            limit: 10,
            interval: 7,
        }
    }
}

/// The reply: a page of build records.
#[derive(Debug, serde::Deserialize)]
pub struct History {
    /// Records on this page.
    pub history_records: Vec<Record>,
    /// All records.
    pub total: i64,
}

/// One build record.
#[derive(Debug, serde::Deserialize)]
pub struct Record {
    /// Record id.
    pub record_id: String,
    /// Build number.
    pub build_number: i64,
    /// Outcome.
    pub status: String,
    /// Who started it.
    pub trigger_name: Option<String>,
    /// Start time, milliseconds.
    pub start_time: i64,
    /// Duration, milliseconds.
    pub duration: i64,
    /// Branch built.
    pub branch: Option<String>,
}

/// The JSON body of the reply the loopback server sends.
pub fn reply_body() -> Vec<u8> {
    let records: Vec<_> = (0..3)
        .map(|i| {
            serde_json::json!({
                "record_id": format!("{i:032x}"),
                "build_number": 100 + i,
                "status": "success",
                "trigger_name": "devcloud_user_01",
                "start_time": 1_700_000_000_000i64 + i,
                "duration": 61_000 + i,
                "branch": "master"
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "history_records": records, "total": 3 }))
        .expect("json")
}

impl Operation for ShowHistory {
    type Output = History;
    const SPEC: &'static OperationSpec = &SPEC;

    fn validate(&self) -> Result<(), Error> {
        validate::length("job_id", &self.job_id, Some(32), Some(32))?;
        validate::pattern("job_id", &self.job_id, &JOB_ID_PATTERN)?;
        validate::range_i64("offset", i64::from(self.offset), Some(0), None)?;
        validate::range_i64("limit", i64::from(self.limit), Some(0), Some(100))?;
        validate::range_i64("interval", i64::from(self.interval), Some(0), Some(30))?;
        Ok(())
    }

    fn to_parts(&self) -> Result<RequestParts, Error> {
        Ok(RequestParts {
            path: format!(
                "/v3/jobs/{}/history",
                operation::encode_path_segment(&self.job_id)
            ),
            query: [
                ("offset", Some(self.offset.to_string())),
                ("limit", Some(self.limit.to_string())),
                ("interval", Some(self.interval.to_string())),
            ]
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| (name, value)))
            .collect(),
            ..RequestParts::default()
        })
    }

    async fn decode(response: RawResponse) -> Result<History, Error> {
        operation::decode_json(response).await
    }
}
