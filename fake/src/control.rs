//! The HTTP control endpoint under `/__fake/`, for tests written in other languages: the same
//! controls as the Rust API, without authentication (the real service has no such paths).
//!
//! - `GET /__fake/health`: `{"ok": true}`;
//! - `GET /__fake/requests`, `DELETE /__fake/requests`: the recorded requests, or clear them;
//! - `POST /__fake/faults` with `{"fault": "429" | "500".."599" | "delay" | "drop" | "truncate"
//!   | "error_in_200" | "json_for_stream", "operation": id?, "times": n?, "retry_after": s?,
//!   "millis": ms?, "message": text?}`; `DELETE /__fake/faults` clears them;
//! - `POST /__fake/jobs` with `{"name": ...}`: creates a job, answers `{"job_id": ...}`;
//! - `POST /__fake/scripts` with `{"job_id": ..., "polls": n?, "fail_at_step": n?}`: how the
//!   job's next build goes;
//! - `POST /__fake/advance?polls=n`: moves every unfinished build on by n polls;
//! - `POST /__fake/clock?offset=s`: moves the gateway's clock by s seconds.

use codearts_testkit::server::RecordedRequest;
use serde_json::{json, Value};

use crate::service::{error, Answer, Inner};
use crate::state::Script;

pub(crate) fn handle(inner: &Inner, request: &RecordedRequest) -> Answer {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let number = |name: &str| {
        request
            .query_param(name)
            .and_then(|v| v.parse::<i64>().ok())
    };
    let what = request.path.trim_start_matches("/__fake/");
    match (request.method.as_str(), what) {
        ("GET", "health") => Answer::json(200, &json!({ "ok": true })),
        ("GET", "requests") => {
            let list: Vec<Value> = inner
                .requests
                .lock()
                .expect("request log")
                .iter()
                .map(|r| r.to_json())
                .collect();
            Answer::json(200, &Value::Array(list))
        }
        ("DELETE", "requests") => {
            inner.requests.lock().expect("request log").clear();
            Answer::json(200, &json!({ "ok": true }))
        }
        ("POST", "faults") => match crate::faults::from_json(&body) {
            Ok(rule) => {
                inner.faults.lock().expect("faults").push(rule);
                Answer::json(200, &json!({ "ok": true }))
            }
            Err(message) => error(400, "FAKE.400", &message),
        },
        ("DELETE", "faults") => {
            inner.faults.lock().expect("faults").clear();
            Answer::json(200, &json!({ "ok": true }))
        }
        ("POST", "jobs") => {
            let name = body.get("name").and_then(Value::as_str).unwrap_or("job");
            let id = crate::service::seed_job(inner, name);
            Answer::json(200, &json!({ "job_id": id }))
        }
        ("POST", "scripts") => {
            let Some(id) = body.get("job_id").and_then(Value::as_str) else {
                return error(400, "FAKE.400", "`job_id` is required");
            };
            let mut script = Script::new();
            if let Some(polls) = body.get("polls").and_then(Value::as_u64) {
                script = script.polls(u32::try_from(polls).unwrap_or(u32::MAX));
            }
            if let Some(step) = body.get("fail_at_step").and_then(Value::as_u64) {
                script = script.fails_at_step(u32::try_from(step).unwrap_or(u32::MAX));
            }
            if crate::service::script(inner, id, script) {
                Answer::json(200, &json!({ "ok": true }))
            } else {
                error(400, "FAKE.400", &format!("no job `{id}`"))
            }
        }
        ("POST", "advance") => {
            let polls = number("polls").unwrap_or(1).max(0);
            let now = inner.now();
            let mut state = inner.state.lock().expect("state");
            for _ in 0..polls {
                state.advance_all(now);
            }
            Answer::json(200, &json!({ "ok": true }))
        }
        ("POST", "clock") => {
            *inner.clock_offset.lock().expect("clock") = number("offset").unwrap_or(0);
            Answer::json(200, &json!({ "ok": true }))
        }
        _ => error(
            404,
            "FAKE.404",
            &format!("no control `{} {}`", request.method, request.path),
        ),
    }
}
