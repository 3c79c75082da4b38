//! One operation's exchange: the request a client must send and the reply it gets.
//!
//! An [`Exchange`] is the expectation a generated per-operation test writes down from the spec
//! (method, raw path, query pairs, header parameters, JSON body or multipart parts) together
//! with the documented reply. [`Exchange::serve`] starts a [`TestServer`] whose handler checks each request the way
//! the gateway and the service would, signature included, and answers with the documented reply
//! when everything matches, or with a `400` whose message lists every difference, so a client
//! that sends the wrong thing fails with the reason in its error.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;

use crate::server::{RecordedRequest, Reply, TestServer};
use crate::signature;

/// The access key the exchange tests sign with.
pub const ACCESS_KEY: &str = "TESTKITEXAMPLEACCESSKEY";

/// The secret key the exchange tests sign with and [`Exchange::check`] verifies with.
pub const SECRET_KEY: &str = "testkit-example-secret-key-0123456789";

/// The project id of the exchange tests' clients.
pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// The body of a binary download reply: not UTF-8, and with the bytes a text decoder or a
/// line-ending conversion would change.
pub const DOWNLOAD: &[u8] = b"exchange test download\r\n\x00\x01\x7f\x80\xfe\xff\n";

/// The content of every file part the exchange tests upload.
pub const UPLOAD: &[u8] = b"exchange test upload\r\n\x00\xff";

/// The file name of every file part the exchange tests upload.
pub const UPLOAD_NAME: &str = "upload.bin";

/// The `error_code` of the reply to a request that does not match.
pub const MISMATCH_CODE: &str = "TESTKIT.0400";

/// What the server answers when the request matches.
#[derive(Debug, Clone)]
enum Answer {
    Json(u16, Value),
    Bytes(u16),
    Empty(u16),
}

/// The request one operation call must produce, and the reply it gets.
#[derive(Debug, Clone)]
pub struct Exchange {
    operation: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    /// Expected `multipart/form-data` parts: name, file name (for a file), content.
    form: Option<Vec<FormPart>>,
    answer: Answer,
}

/// One part of a `multipart/form-data` body: its name, its file name (a file part), its content.
type FormPart = (String, Option<String>, Vec<u8>);

impl Exchange {
    /// Expects `method` on the raw (still percent-encoded) `path`, with no query, no header
    /// parameters and no body; answers `200` with an empty body until told otherwise.
    /// `operation` names the call in failure messages.
    pub fn new(operation: &str, method: &str, path: &str) -> Self {
        Exchange {
            operation: operation.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            form: None,
            answer: Answer::Empty(200),
        }
    }

    /// Expects the query pair `name=value` (decoded); pairs are compared as a sorted list, so a
    /// name may repeat.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Expects header `name` with `value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Expects a JSON body equal to `json` after [`normalise`] (nulls dropped, numbers compared
    /// by value), sent as `application/json`.
    ///
    /// # Panics
    ///
    /// When `json` is not JSON.
    pub fn json_body(mut self, json: &str) -> Self {
        self.body = Some(parse(json, "the expected body"));
        self
    }

    /// Expects a `multipart/form-data` body, with the parts that [`form_text`](Self::form_text)
    /// and [`form_file`](Self::form_file) add (none without them).
    pub fn form_body(mut self) -> Self {
        self.form.get_or_insert_with(Vec::new);
        self
    }

    /// Expects a `multipart/form-data` body with the text part `name` = `value` (parts are
    /// compared as a sorted list, so a name may repeat).
    pub fn form_text(mut self, name: &str, value: &str) -> Self {
        self.form.get_or_insert_with(Vec::new).push((
            name.to_owned(),
            None,
            value.as_bytes().to_vec(),
        ));
        self
    }

    /// Expects a `multipart/form-data` body with a file part `name` holding [`UPLOAD`] as
    /// [`UPLOAD_NAME`].
    pub fn form_file(mut self, name: &str) -> Self {
        self.form.get_or_insert_with(Vec::new).push((
            name.to_owned(),
            Some(UPLOAD_NAME.to_owned()),
            UPLOAD.to_vec(),
        ));
        self
    }

    /// Answers a matching request with `status` and the JSON `json`.
    ///
    /// # Panics
    ///
    /// When `json` is not JSON.
    pub fn reply_json(mut self, status: u16, json: &str) -> Self {
        self.answer = Answer::Json(status, parse(json, "the reply"));
        self
    }

    /// Answers a matching request with `status` and the bytes of [`DOWNLOAD`], as
    /// `application/octet-stream`.
    pub fn reply_bytes(mut self, status: u16) -> Self {
        self.answer = Answer::Bytes(status);
        self
    }

    /// Answers a matching request with `status` and no body.
    pub fn reply_empty(mut self, status: u16) -> Self {
        self.answer = Answer::Empty(status);
        self
    }

    /// The reply to a matching request.
    pub fn reply(&self) -> Reply {
        match &self.answer {
            Answer::Json(status, json) => Reply::json(*status, json),
            Answer::Bytes(status) => {
                Reply::bytes(*status, DOWNLOAD).header("Content-Type", "application/octet-stream")
            }
            Answer::Empty(status) => Reply::status(*status),
        }
        .header("X-Request-Id", "testkit-exchange")
    }

    /// Checks `request` against the expectation and the `SDK-HMAC-SHA256` signature (with
    /// [`ACCESS_KEY`] / [`SECRET_KEY`] and the current clock); `Err` lists every difference.
    pub fn check(&self, request: &RecordedRequest) -> Result<(), String> {
        let mut problems = Vec::new();
        if request.method != self.method {
            problems.push(format!(
                "method: sent {}, expected {}",
                request.method, self.method
            ));
        }
        if request.path != self.path {
            problems.push(format!(
                "path: sent {}, expected {}",
                request.path, self.path
            ));
        }
        let mut query = request.query_pairs();
        query.sort();
        let mut expected = self.query.clone();
        expected.sort();
        if query != expected {
            problems.push(format!("query: sent {query:?}, expected {expected:?}"));
        }
        for (name, value) in &self.headers {
            if request.header(name) != Some(value.as_str()) {
                problems.push(format!(
                    "header {name}: sent {:?}, expected {value:?}",
                    request.header(name)
                ));
            }
        }
        let content_type = request.header("content-type");
        if let Some(expected) = &self.form {
            match form_parts(request) {
                Ok(mut sent) => {
                    let mut expected = expected.clone();
                    sent.sort();
                    expected.sort();
                    if sent != expected {
                        problems.push(format!(
                            "multipart parts: sent {}, expected {}",
                            describe(&sent),
                            describe(&expected)
                        ));
                    }
                }
                Err(e) => problems.push(format!("multipart body: {e}")),
            }
        }
        match (&self.body, &self.form) {
            (_, Some(_)) => {}
            (Some(expected), None) => {
                if content_type != Some("application/json") {
                    problems.push(format!(
                        "content-type: sent {content_type:?}, expected application/json"
                    ));
                }
                match serde_json::from_slice::<Value>(&request.body) {
                    Ok(sent) if normalise(sent.clone()) == normalise(expected.clone()) => {}
                    Ok(sent) => problems.push(format!(
                        "body: sent {sent}, expected {expected} (nulls dropped, numbers by value)"
                    )),
                    Err(e) => problems.push(format!(
                        "body is not JSON ({e}): {}",
                        String::from_utf8_lossy(&request.body)
                    )),
                }
            }
            (None, None) => {
                if !request.body.is_empty() {
                    problems.push(format!(
                        "body: sent {} bytes, expected none",
                        request.body.len()
                    ));
                }
                if content_type.is_some() {
                    problems.push(format!(
                        "content-type: sent {content_type:?} without a body"
                    ));
                }
            }
        }
        if let Err(e) = signature::verify(request, ACCESS_KEY, SECRET_KEY, Some(now())) {
            problems.push(format!("signature: {e}"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} sent an unexpected request:\n- {}",
                self.operation,
                problems.join("\n- ")
            ))
        }
    }

    /// Starts a server that answers each request with [`reply`](Self::reply) when it passes
    /// [`check`](Self::check), and with a `400` [`MISMATCH_CODE`] error listing the differences
    /// when it does not.
    pub async fn serve(&self) -> TestServer {
        let exchange = self.clone();
        TestServer::start(move |request| match exchange.check(request) {
            Ok(()) => exchange.reply(),
            Err(problems) => Reply::error(400, MISMATCH_CODE, &problems, "testkit-mismatch"),
        })
        .await
    }

    /// Asserts that `server` received exactly one request and that it matches.
    ///
    /// # Panics
    ///
    /// When it did not.
    pub fn assert_answered(&self, server: &TestServer) {
        let requests = server.requests();
        assert_eq!(
            requests.len(),
            1,
            "{}: expected exactly one request, got {requests:#?}",
            self.operation
        );
        if let Err(problems) = self.check(&requests[0]) {
            panic!("{problems}");
        }
    }

    /// Asserts that the decoded `output`, serialized again, equals the JSON reply after
    /// [`normalise`]: every documented value survived decoding.
    ///
    /// # Panics
    ///
    /// When it does not, or when the reply is not JSON.
    pub fn assert_output<T: Serialize>(&self, output: &T) {
        let Answer::Json(_, reply) = &self.answer else {
            panic!("{}: the reply is not JSON", self.operation);
        };
        let decoded = serde_json::to_value(output)
            .unwrap_or_else(|e| panic!("{}: the output does not serialize: {e}", self.operation));
        assert_eq!(
            normalise(decoded),
            normalise(reply.clone()),
            "{}: the decoded reply, serialized again, lost or changed a value",
            self.operation
        );
    }

    /// Asserts that `bytes` are exactly the binary reply ([`DOWNLOAD`]).
    ///
    /// # Panics
    ///
    /// When they are not, or when the reply is not binary.
    pub fn assert_bytes(&self, bytes: &[u8]) {
        assert!(
            matches!(self.answer, Answer::Bytes(_)),
            "{}: the reply is not binary",
            self.operation
        );
        assert_eq!(bytes, DOWNLOAD, "{}: downloaded bytes", self.operation);
    }
}

/// The parts of a `multipart/form-data` request body (RFC 7578): each part's name, file name and
/// content, read strictly (the first delimiter opens the body, the closing one ends it, CRLF
/// around every part).
fn form_parts(request: &RecordedRequest) -> Result<Vec<FormPart>, String> {
    let content_type = request.header("content-type").unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .ok_or_else(|| format!("content-type {content_type:?} is not multipart/form-data"))?;
    let delimiter = format!("--{boundary}");
    let mut pieces = Vec::new();
    let mut rest = &request.body[..];
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        pieces.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    pieces.push(rest);
    if pieces.len() < 2 || !pieces[0].is_empty() || pieces[pieces.len() - 1] != b"--\r\n" {
        return Err("it does not start with the delimiter and end with the close".to_owned());
    }
    let mut parts = Vec::new();
    for piece in &pieces[1..pieces.len() - 1] {
        let part = piece
            .strip_prefix(b"\r\n")
            .and_then(|p| p.strip_suffix(b"\r\n"))
            .ok_or("a part is not framed by CRLF")?;
        let blank = find(part, b"\r\n\r\n").ok_or("a part has no blank line after its headers")?;
        let head = String::from_utf8_lossy(&part[..blank]).into_owned();
        let disposition = head
            .split("\r\n")
            .find_map(|line| line.strip_prefix("Content-Disposition: form-data; "))
            .ok_or("a part has no Content-Disposition: form-data")?;
        let quoted = |key: &str| {
            let start = disposition.find(&format!("{key}=\""))? + key.len() + 2;
            let end = disposition[start..].find('"')? + start;
            Some(disposition[start..end].to_owned())
        };
        let name = quoted("name").ok_or("a part has no name")?;
        parts.push((name, quoted("filename"), part[blank + 4..].to_vec()));
    }
    Ok(parts)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn describe(parts: &[FormPart]) -> String {
    let list: Vec<String> = parts
        .iter()
        .map(|(name, file, content)| match file {
            Some(file) => format!("{name} (file {file}, {} bytes)", content.len()),
            None => format!("{name}={:?}", String::from_utf8_lossy(content)),
        })
        .collect();
    format!("[{}]", list.join(", "))
}

/// `value` without `null` object members (an unset `Option` is left out) and with every number
/// as an `f64` (`1` and `1.0` are the same value), so that only real losses compare unequal.
pub fn normalise(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalise(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
        other => other,
    }
}

fn parse(json: &str, what: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{what} is not JSON ({e}): {json}"))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// `yyyyMMddTHHmmssZ` for seconds since the epoch (civil from days).
    fn sdk_date(unix: u64) -> String {
        let days = (unix / 86_400) as i64;
        let secs = unix % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        format!(
            "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }

    /// A request as a correct client would send it, signed with the test keys.
    fn signed(
        method: &str,
        target: &str,
        body: &[u8],
        content_type: Option<&str>,
    ) -> RecordedRequest {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers = vec![
            ("host".to_owned(), "127.0.0.1:1".to_owned()),
            ("x-sdk-date".to_owned(), sdk_date(now())),
            ("x-extra".to_owned(), "yes".to_owned()),
        ];
        if let Some(content_type) = content_type {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        let mut request = RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body: body.to_vec(),
            received_at: Instant::now(),
        };
        sign(&mut request, SECRET_KEY);
        request
    }

    /// Signs `request` over `host` and `x-sdk-date` with `secret`, replacing any signature.
    fn sign(request: &mut RecordedRequest, secret: &str) {
        request.headers.retain(|(name, _)| name != "authorization");
        let signed = ["host", "x-sdk-date"].map(str::to_owned);
        let date = request.header("x-sdk-date").expect("date").to_owned();
        let canonical = signature::canonical_request(request, &signed);
        let digest = hex_of(&Sha256::digest(canonical.as_bytes()));
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
        mac.update(format!("SDK-HMAC-SHA256\n{date}\n{digest}").as_bytes());
        let hex = hex_of(&mac.finalize().into_bytes());
        request.headers.push((
            "authorization".to_owned(),
            format!("SDK-HMAC-SHA256 Access={ACCESS_KEY}, SignedHeaders=host;x-sdk-date, Signature={hex}"),
        ));
    }

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn expected() -> Exchange {
        Exchange::new("create_thing", "POST", "/v1/things/a%20b")
            .query("b", "2")
            .query("a", "x y")
            .header("X-Extra", "yes")
            .json_body(r#"{"name": "n", "size": 1, "note": null}"#)
            .reply_json(201, r#"{"id": "t-1"}"#)
    }

    /// Multipart parts are compared as a sorted list of (name, file name, content); a missing
    /// or changed part is reported.
    #[test]
    fn multipart_parts_are_checked() {
        let body = |text: &str| {
            format!(
                "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{text}\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{UPLOAD_NAME}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes()
            .into_iter()
            .chain(UPLOAD.iter().copied())
            .chain(b"\r\n--B--\r\n".iter().copied())
            .collect::<Vec<u8>>()
        };
        let expected = Exchange::new("upload", "POST", "/v1/upload")
            .form_body()
            .form_file("file")
            .form_text("note", "hi");
        let content_type = Some("multipart/form-data; boundary=B");
        let request = signed("POST", "/v1/upload", &body("hi"), content_type);
        assert_eq!(expected.check(&request), Ok(()));
        let request = signed("POST", "/v1/upload", &body("ho"), content_type);
        let problems = expected.check(&request).expect_err("changed text part");
        assert!(problems.contains("multipart parts: sent"), "{problems}");
        let request = signed("POST", "/v1/upload", b"not multipart", content_type);
        let problems = expected.check(&request).expect_err("not multipart");
        assert!(problems.contains("multipart body:"), "{problems}");
    }

    #[test]
    fn a_matching_request_passes_in_any_query_order_and_number_format() {
        let request = signed(
            "POST",
            "/v1/things/a%20b?a=x%20y&b=2",
            br#"{"size":1.0,"name":"n"}"#,
            Some("application/json"),
        );
        assert_eq!(expected().check(&request), Ok(()));
    }

    #[test]
    fn every_difference_is_reported() {
        let mut request = signed(
            "PUT",
            "/v1/things/a%2Fb?a=x&c=3",
            br#"{"name":"m"}"#,
            Some("text/plain"),
        );
        request.headers.retain(|(name, _)| name != "x-extra");
        sign(&mut request, SECRET_KEY);
        let problems = expected().check(&request).expect_err("mismatch");
        for part in [
            "create_thing sent an unexpected request",
            "method: sent PUT, expected POST",
            "path: sent /v1/things/a%2Fb, expected /v1/things/a%20b",
            "query: sent",
            "header x-extra: sent None, expected \"yes\"",
            "content-type: sent Some(\"text/plain\"), expected application/json",
            "body: sent {\"name\":\"m\"}",
        ] {
            assert!(
                problems.contains(part),
                "{part:?} missing from:\n{problems}"
            );
        }
        assert!(!problems.contains("signature"), "{problems}");
    }

    #[test]
    fn a_bad_signature_a_missing_body_or_a_stray_body_is_reported() {
        let mut request = signed(
            "POST",
            "/v1/things/a%20b?a=x%20y&b=2",
            br#"{"name":"n","size":1}"#,
            Some("application/json"),
        );
        sign(&mut request, "another-secret");
        let problems = expected().check(&request).expect_err("bad signature");
        assert!(
            problems.contains("signature: signature mismatch"),
            "{problems}"
        );

        let bodyless = Exchange::new("get_thing", "GET", "/v1/things");
        let request = signed("GET", "/v1/things", b"{}", Some("application/json"));
        let problems = bodyless.check(&request).expect_err("stray body");
        assert!(
            problems.contains("body: sent 2 bytes, expected none"),
            "{problems}"
        );
        assert!(problems.contains("without a body"), "{problems}");

        let request = signed("POST", "/v1/things/a%20b?a=x%20y&b=2", b"", None);
        let problems = expected().check(&request).expect_err("missing body");
        assert!(problems.contains("body is not JSON"), "{problems}");
    }

    #[test]
    fn normalise_drops_nulls_and_compares_numbers_by_value() {
        let a = serde_json::json!({"a": 1, "b": null, "c": [{"d": 2.0, "e": null}]});
        let b = serde_json::json!({"a": 1.0, "c": [{"d": 2}]});
        assert_eq!(normalise(a), normalise(b));
        assert_ne!(
            normalise(serde_json::json!({"a": 1})),
            normalise(serde_json::json!({"a": 2}))
        );
    }

    #[test]
    fn output_and_bytes_assertions_compare_with_the_reply() {
        let exchange = expected();
        exchange.assert_output(&serde_json::json!({"id": "t-1", "extra": null}));
        let lost = std::panic::catch_unwind(|| {
            exchange.assert_output(&serde_json::json!({"id": "t-2"}));
        });
        assert!(lost.is_err(), "a changed value fails");
        let binary = Exchange::new("download", "GET", "/f").reply_bytes(200);
        binary.assert_bytes(DOWNLOAD);
        assert!(std::panic::catch_unwind(|| binary.assert_bytes(b"other")).is_err());
    }

    /// Sends `request` over TCP to `server` and returns the raw response text.
    async fn send_raw(server: &TestServer, request: &RecordedRequest) -> String {
        let mut stream = tokio::net::TcpStream::connect(server.addr())
            .await
            .expect("connect");
        let target = if request.query.is_empty() {
            request.path.clone()
        } else {
            format!("{}?{}", request.path, request.query)
        };
        let mut head = format!("{} {target} HTTP/1.1\r\n", request.method);
        for (name, value) in &request.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            request.body.len()
        ));
        stream.write_all(head.as_bytes()).await.expect("write");
        stream.write_all(&request.body).await.expect("write");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.expect("read");
        String::from_utf8_lossy(&response).into_owned()
    }

    #[tokio::test]
    async fn the_server_answers_matches_with_the_reply_and_mismatches_with_the_reason() {
        let exchange = expected();
        let server = exchange.serve().await;
        let good = signed(
            "POST",
            "/v1/things/a%20b?a=x%20y&b=2",
            br#"{"name":"n","size":1}"#,
            Some("application/json"),
        );
        let response = send_raw(&server, &good).await;
        assert!(response.starts_with("HTTP/1.1 201 "), "{response}");
        assert!(response.ends_with(r#"{"id":"t-1"}"#), "{response}");
        exchange.assert_answered(&server);

        let bad = signed("GET", "/v1/things/a%20b", b"", None);
        let response = send_raw(&server, &bad).await;
        assert!(response.starts_with("HTTP/1.1 400 "), "{response}");
        assert!(response.contains(MISMATCH_CODE), "{response}");
        assert!(
            response.contains("method: sent GET, expected POST"),
            "{response}"
        );
        let twice = std::panic::catch_unwind(|| exchange.assert_answered(&server));
        assert!(twice.is_err(), "a second request fails the exchange");
    }
}
