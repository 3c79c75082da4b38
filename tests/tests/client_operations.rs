//! Every operation once, over real HTTP against the in-process server: the server checks the
//! method, the raw path, the query, the auth and project headers and the JSON body; it answers
//! with the operation's documented 200 example, which must decode into the typed response.

use std::future::Future;
use std::sync::OnceLock;

use codearts_build::types::{
    CreateBuildJobRequestBody, CreateTemplatesRequestBody, RunJobRequestBody, StopJobRequestBody,
    UpdateBuildJobRequestBody, UpdateNoticeRequestBody,
};
use codearts_build::{ByteStream, Client, Credentials, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use workspace_tests::server::{RecordedRequest, Reply, TestServer};

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";
const RECORD: &str = "2cc26382-b2cb-4234-8eb0-b37d362f4d4c";
const TOKEN: &str = "test-iam-token";
const LOG: &[u8] = b"[INFO] step 1\n[INFO] step 2\n";

/// The spec as JSON.
fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codeartsbuild.yaml");
        let text = std::fs::read_to_string(path).expect("read the spec");
        serde_yaml::from_str(&text).expect("parse the spec")
    })
}

/// The operation object of `id`, with its method and path.
fn operation(id: &str) -> (String, String, &'static Value) {
    for (path, methods) in spec()["paths"].as_object().expect("paths") {
        for (method, op) in methods.as_object().expect("methods") {
            if op["operationId"] == id {
                return (method.to_uppercase(), path.clone(), op);
            }
        }
    }
    panic!("no operation {id} in the spec")
}

/// `value` without `null` members, as a serializer that skips `None` writes it.
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// `strip_nulls`, with every number as a float: `0` in an example and `0.0` from an `f64`
/// field are the same value.
fn normalize(value: &Value) -> Value {
    match strip_nulls(value) {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Number(n) => serde_json::json!(n.as_f64()),
        other => other,
    }
}

/// The documented request body example of `id`, decoded into its typed body.
fn body_example<T: DeserializeOwned>(id: &str) -> (T, Value) {
    let (_, _, op) = operation(id);
    let example = op["requestBody"]["content"]["application/json"]["example"].clone();
    assert!(!example.is_null(), "{id} has no request body example");
    let typed = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{id} body example does not fit its type: {e}"));
    (typed, strip_nulls(&example))
}

/// What the server should see.
struct Expect {
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

/// Runs one call against a server that answers with the operation's 200 example (or a log
/// body for binary downloads), checks the request, and returns the output and the example.
async fn exchange<T, F, Fut>(id: &str, expect: Expect, call: F) -> (T, Option<Value>)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let (method, template, op) = operation(id);
    let content = &op["responses"]["200"]["content"];
    let example = content["application/json"]["example"].clone();
    let reply = if content.get("application/octet-stream").is_some() {
        Reply::bytes(200, LOG).header("Content-Type", "application/octet-stream")
    } else if example.is_null() {
        Reply::json(200, &serde_json::json!({}))
    } else {
        Reply::json(200, &example)
    }
    .header("X-Request-Id", "req-ok");
    let server = TestServer::start(move |_| reply.clone()).await;
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token(TOKEN))
        .project_id(PROJECT)
        .build()
        .expect("client");
    let output = call(client)
        .await
        .unwrap_or_else(|e| panic!("{id} ({method} {template}) failed: {e}"));
    let request = server.single_request();
    check_request(id, &method, &request, &expect);
    (output, (!example.is_null()).then_some(example))
}

fn check_request(id: &str, method: &str, request: &RecordedRequest, expect: &Expect) {
    assert_eq!(request.method, method, "{id}: method");
    assert_eq!(request.path, expect.path, "{id}: path");
    let mut query = request.query_pairs();
    query.sort();
    let mut want = expect.query.clone();
    want.sort();
    assert_eq!(query, want, "{id}: query");
    assert_eq!(request.header("x-auth-token"), Some(TOKEN), "{id}: token");
    assert_eq!(
        request.header("x-project-id"),
        Some(PROJECT),
        "{id}: project"
    );
    assert!(
        request.header("authorization").is_none(),
        "{id}: no AK/SK signature with a token"
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("codearts-build-rust/")),
        "{id}: user agent"
    );
    match &expect.body {
        Some(body) => {
            assert_eq!(
                request.header("content-type"),
                Some("application/json"),
                "{id}"
            );
            assert_eq!(&request.json(), body, "{id}: body");
        }
        None => {
            assert!(request.body.is_empty(), "{id}: unexpected body");
            assert!(
                request.header("content-type").is_none(),
                "{id}: content type without body"
            );
        }
    }
}

/// The typed response re-serialized equals the documented example (nulls and number
/// formatting aside). An operation without an example only has to decode.
fn check_output<T: Serialize>(id: &str, output: &T, example: Option<Value>) {
    let decoded = serde_json::to_value(output).expect("serialize");
    if let Some(example) = example {
        assert_eq!(
            normalize(&decoded),
            normalize(&example),
            "{id}: decoded response"
        );
    }
}

async fn check_log(id: &str, stream: ByteStream) {
    let bytes = stream.collect().await.expect("log body");
    assert_eq!(&bytes[..], LOG, "{id}: log body");
}

/// A request without a body.
fn get(path: String, query: &[(&str, &str)]) -> Expect {
    Expect {
        path,
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: None,
    }
}

/// A request with a JSON body and no query.
fn post(path: &str, body: Value) -> Expect {
    Expect {
        path: path.to_owned(),
        query: Vec::new(),
        body: Some(body),
    }
}

#[tokio::test]
async fn show_list_period_history() {
    let id = "show_list_period_history";
    let q = [
        ("offset", "0"),
        ("limit", "10"),
        ("start_time", "2021-01-04"),
        ("end_time", "2021-01-14"),
    ];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/period-history"), &q),
        |c| async move {
            c.show_list_period_history()
                .job_id(JOB)
                .offset(0)
                .limit(10)
                .start_time("2021-01-04")
                .end_time("2021-01-14")
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_list_history() {
    let id = "show_list_history";
    let q = [("offset", "1"), ("limit", "10"), ("interval", "7")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/history"), &q),
        |c| async move {
            c.show_list_history()
                .job_id(JOB)
                .offset(1)
                .limit(10)
                .interval(7)
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn download_keystore() {
    let id = "download_keystore";
    let q = [
        ("file_name", "android.keystore"),
        ("domain_id", "60021bab32fd450aa2cb89226f425e06"),
    ];
    let (out, _) = exchange(id, get("/v3/keystore".into(), &q), |c| async move {
        c.download_keystore()
            .file_name("android.keystore")
            .domain_id("60021bab32fd450aa2cb89226f425e06")
            .send()
            .await
    })
    .await;
    check_log(id, out).await;
}

#[tokio::test]
async fn show_job_status() {
    let id = "show_job_status";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/status"), &[]),
        |c| async move { c.show_job_status().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_job_list_by_project_id() {
    let id = "show_job_list_by_project_id";
    let q = [("page_index", "0"), ("page_size", "10")];
    // The project id comes from the client.
    let (out, ex) = exchange(id, get(format!("/v3/{PROJECT}/jobs"), &q), |c| async move {
        c.show_job_list_by_project_id()
            .page_index(0)
            .page_size(10)
            .send()
            .await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn run_job() {
    let id = "run_job";
    let (body, json) = body_example::<RunJobRequestBody>(id);
    let expect = post("/v3/jobs/build", json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.run_job().body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_last_history() {
    let id = "show_last_history";
    let q = [("repository_name", "maven-demo")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{PROJECT}/last-history"), &q),
        |c| async move {
            c.show_last_history()
                .project_id(PROJECT)
                .repository_name("maven-demo")
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_history_details() {
    let id = "show_history_details";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/5/history-details"), &[]),
        |c| async move {
            c.show_history_details()
                .job_id(JOB)
                .build_number(5)
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_job_success_ratio() {
    let id = "show_job_success_ratio";
    let q = [("start_time", "2021-12-01"), ("end_time", "2021-12-31")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/success-ratio"), &q),
        |c| async move {
            c.show_job_success_ratio()
                .job_id(JOB)
                .start_time("2021-12-01")
                .end_time("2021-12-31")
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn download_build_log() {
    let id = "download_build_log";
    let q = [("log_level", "DEBUG")];
    let (out, _) = exchange(
        id,
        get(format!("/v4/{RECORD}/download-log"), &q),
        |c| async move {
            c.download_build_log()
                .record_id(RECORD)
                .log_level("DEBUG")
                .send()
                .await
        },
    )
    .await;
    check_log(id, out).await;
}

#[tokio::test]
async fn download_task_log() {
    let id = "download_task_log";
    let q = [
        ("task_name", "official_devcloud_mvnBuild"),
        ("log_level", "INFO"),
    ];
    let (out, _) = exchange(
        id,
        get(format!("/v4/{RECORD}/task-log"), &q),
        |c| async move {
            c.download_task_log()
                .record_id(RECORD)
                .task_name("official_devcloud_mvnBuild")
                .log_level("INFO")
                .send()
                .await
        },
    )
    .await;
    check_log(id, out).await;
}

#[tokio::test]
async fn show_record_detail() {
    let id = "show_record_detail";
    let (out, ex) = exchange(
        id,
        get(format!("/v4/jobs/{JOB}/61/record-info"), &[]),
        |c| async move { c.show_record_detail().job_id(JOB).build_no(61).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_output_info() {
    let id = "show_output_info";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/61/output-info"), &[]),
        |c| async move { c.show_output_info().job_id(JOB).build_no(61).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn stop_build_job() {
    let id = "stop_build_job";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/2/stop"), &[]),
        |c| async move { c.stop_build_job().job_id(JOB).build_no(2).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn delete_build_job() {
    let id = "delete_build_job";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/delete"), &[]),
        |c| async move { c.delete_build_job().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn disable_build_job() {
    let id = "disable_build_job";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/disable"), &[]),
        |c| async move { c.disable_build_job().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn enable_build_job() {
    let id = "enable_build_job";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/recover"), &[]),
        |c| async move { c.enable_build_job().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn create_build_job() {
    let id = "create_build_job";
    let (body, json) = body_example::<CreateBuildJobRequestBody>(id);
    let expect = post("/v3/jobs/create", json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.create_build_job().body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn update_build_job() {
    let id = "update_build_job";
    let (body, json) = body_example::<UpdateBuildJobRequestBody>(id);
    let expect = post("/v3/jobs/update", json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.update_build_job().body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn list_templates() {
    let id = "list_templates";
    let q = [("name", "maven"), ("page", "1"), ("page_size", "20")];
    let (out, ex) = exchange(id, get("/v3/templates/query".into(), &q), |c| async move {
        c.list_templates()
            .name("maven")
            .page(1)
            .page_size(20)
            .send()
            .await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn create_templates() {
    let id = "create_templates";
    let (body, json) = body_example::<CreateTemplatesRequestBody>(id);
    let expect = post("/v3/templates/create", json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.create_templates().body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn delete_templates() {
    let id = "delete_templates";
    let uuid = "ca9c83214d6344b9bd26d14ba0b519d9";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/templates/{uuid}/delete"), &[]),
        |c| async move { c.delete_templates().uuid(uuid).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn list_notice() {
    let id = "list_notice";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/notice/{JOB}/query"), &[]),
        |c| async move { c.list_notice().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn update_notice() {
    let id = "update_notice";
    let (body, json) = body_example::<UpdateNoticeRequestBody>(id);
    let expect = post(&format!("/v3/jobs/notice/{JOB}/update"), json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.update_notice().job_id(JOB).body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn disable_notice() {
    let id = "disable_notice";
    let q = [("notice_type", "message")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/notice/{JOB}/disable"), &q),
        |c| async move {
            c.disable_notice()
                .job_id(JOB)
                .notice_type("message")
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn list_job_config() {
    let id = "list_job_config";
    let q = [("get_all_params", "true")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/query"), &q),
        |c| async move {
            c.list_job_config()
                .job_id(JOB)
                .get_all_params("true")
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn download_real_time_log() {
    let id = "download_real_time_log";
    let q = [("offset", "0"), ("length", "1000")];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/33/real-time-log"), &q),
        |c| async move {
            c.download_real_time_log()
                .job_id(JOB)
                .build_no(33)
                .offset(0)
                .length(1000)
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn list_build_info_record() {
    let id = "list_build_info_record";
    let q = [
        ("start_time", "2023-01-01 00:00:00"),
        ("end_time", "2023-01-31 23:59:59"),
        ("page_index", "0"),
        ("page_size", "10"),
    ];
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/build-info-records"), &q),
        |c| async move {
            c.list_build_info_record()
                .job_id(JOB)
                .start_time("2023-01-01 00:00:00")
                .end_time("2023-01-31 23:59:59")
                .page_index(0)
                .page_size(10)
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
async fn show_job_info() {
    let id = "show_job_info";
    let (out, ex) = exchange(
        id,
        get(format!("/v1/job/{JOB}/info"), &[]),
        |c| async move { c.show_job_info().job_id(JOB).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
#[allow(deprecated)]
async fn download_log_by_record_id() {
    let id = "download_log_by_record_id";
    let (out, _) = exchange(
        id,
        get(format!("/v3/{RECORD}/download-log"), &[]),
        |c| async move { c.download_log_by_record_id().record_id(RECORD).send().await },
    )
    .await;
    check_log(id, out).await;
}

#[tokio::test]
#[allow(deprecated)]
async fn show_flow_graph() {
    let id = "show_flow_graph";
    let record = "2ab0e6a3-3e1a-4708-bb16-fff2b0999027";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/{record}/flow-graph"), &[]),
        |c| async move {
            c.show_flow_graph()
                .build_flow_record_id(record)
                .send()
                .await
        },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
#[allow(deprecated)]
async fn show_record_info() {
    let id = "show_record_info";
    let (out, ex) = exchange(
        id,
        get(format!("/v3/jobs/{JOB}/61/record-info"), &[]),
        |c| async move { c.show_record_info().job_id(JOB).build_no(61).send().await },
    )
    .await;
    check_output(id, &out, ex);
}

#[tokio::test]
#[allow(deprecated)]
async fn stop_job() {
    let id = "stop_job";
    let (body, json) = body_example::<StopJobRequestBody>(id);
    let expect = post("/v3/jobs/stop", json);
    let (out, ex) = exchange(id, expect, |c| async move {
        c.stop_job().body(body).send().await
    })
    .await;
    check_output(id, &out, ex);
}

/// Guards the list above: every operation of the spec has a test here.
#[test]
fn every_operation_has_a_test() {
    let source = include_str!("client_operations.rs");
    let mut missing = Vec::new();
    for methods in spec()["paths"].as_object().expect("paths").values() {
        for op in methods.as_object().expect("methods").values() {
            let id = op["operationId"].as_str().expect("operationId");
            if !source.contains(&format!("async fn {id}()")) {
                missing.push(id.to_owned());
            }
        }
    }
    assert!(missing.is_empty(), "operations without a test: {missing:?}");
}
