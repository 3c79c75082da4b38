//! The requests the fake saw, for a test's assertions, without secrets.

use codearts_testkit::server::RecordedRequest;

/// Headers never recorded: they carry credentials.
const SECRET_HEADERS: &[&str] = &["authorization", "x-auth-token", "x-security-token"];

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The operation id of its route (`None`: no route matched).
    pub operation: Option<String>,
    /// The method.
    pub method: String,
    /// The path as sent (still percent-encoded), without the query.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Headers in arrival order, names lower-cased, without the credential headers.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The decoded value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (codearts_testkit::server::percent_decode(k) == name)
                .then(|| codearts_testkit::server::percent_decode(v))
        })
    }

    /// As JSON, for the control endpoint (the body as text when it is UTF-8).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers.iter().map(|(n, v)| serde_json::json!([n, v])).collect::<Vec<_>>(),
            "body": String::from_utf8_lossy(&self.body),
        })
    }
}

pub(crate) fn record(request: &RecordedRequest, operation: Option<&str>) -> Recorded {
    Recorded {
        operation: operation.map(str::to_owned),
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        headers: request
            .headers
            .iter()
            .filter(|(n, _)| !SECRET_HEADERS.contains(&n.as_str()))
            .cloned()
            .collect(),
        body: request.body.clone(),
    }
}
