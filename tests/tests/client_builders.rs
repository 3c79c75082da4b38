//! Building values and requests through the public API: type builders (`T::builder()`), the
//! missing-field error, `Default` on all-optional types, body members on the fluent builder,
//! free-form fields that take any `Serialize`, and a fluent builder that starts from `.body(..)`.

use std::collections::BTreeMap;

use codearts_build::types::builders::RunJobParameterBuilder;
use codearts_build::types::{
    BuildJobConfigStep, CreateNewJobRequestBodyArch, ExecuteJobRequestBody, RunJobParameter,
    RunJobScm,
};
use codearts_build::{Client, Credentials, Error, RetryPolicy};
use workspace_tests::server::{Reply, TestServer};

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("token"))
        .project_id(PROJECT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

fn offline_client() -> Client {
    Client::builder()
        .endpoint("https://build.example.com")
        .credentials(Credentials::token("token"))
        .build()
        .expect("client")
}

fn invalid_parameter(error: &Error) -> Option<&str> {
    match error {
        Error::InvalidRequest { parameter, .. } => Some(parameter),
        _ => None,
    }
}

#[test]
fn a_type_builder_sets_every_field() -> Result<(), Error> {
    let step = BuildJobConfigStep::builder()
        .module_id("devcloud2018.codeci_action_20043.action")
        .name("Maven build")
        .enable(true)
        .version("1.0")
        .build()?;
    assert_eq!(step.module_id, "devcloud2018.codeci_action_20043.action");
    assert_eq!(step.name, "Maven build");
    assert_eq!(step.enable, Some(true));
    assert_eq!(step.version.as_deref(), Some("1.0"));
    assert_eq!(step.properties, None);
    // A value goes back to its builder, field by field.
    let renamed = codearts_build::types::builders::BuildJobConfigStepBuilder::from(step.clone())
        .name("Gradle build")
        .build()?;
    assert_eq!(renamed.name, "Gradle build");
    assert_eq!(renamed.module_id, step.module_id);
    Ok(())
}

#[test]
fn a_missing_required_field_is_named() {
    let error = RunJobParameter::builder()
        .name("branch")
        .build()
        .unwrap_err();
    assert_eq!(invalid_parameter(&error), Some("value"), "{error}");
    assert!(
        error.to_string().contains("is required but was not set"),
        "{error}"
    );
    let error = RunJobParameterBuilder::default().build().unwrap_err();
    assert_eq!(
        invalid_parameter(&error),
        Some("name"),
        "the first one: {error}"
    );
}

#[test]
fn all_optional_types_have_default() {
    let scm = RunJobScm::default();
    assert_eq!(scm, RunJobScm::builder().build().expect("nothing required"));
    assert_eq!(scm.build_tag, None);
    assert_eq!(scm.build_commit_id, None);
    let mut tagged = scm.clone();
    tagged.build_tag = Some("v1.0".to_owned());
    assert_eq!(
        tagged,
        RunJobScm::builder()
            .build_tag("v1.0")
            .build()
            .expect("built")
    );
}

#[test]
fn lists_take_any_iterable_of_convertible_items() -> Result<(), Error> {
    let from_strs = codearts_build::types::UpdateNoticeRequestBody::builder()
        .enabled_event_type_names(["buildJobFail", "buildJobSuccess"])
        .notice_type("MAIL")
        .build()?;
    let from_vec = codearts_build::types::UpdateNoticeRequestBody::builder()
        .enabled_event_type_names(vec![
            "buildJobFail".to_owned(),
            "buildJobSuccess".to_owned(),
        ])
        .notice_type("MAIL")
        .build()?;
    assert_eq!(from_strs, from_vec);
    Ok(())
}

/// `client.execute_job().job_id(..).parameter(..)` and `.body(..)` make the same request, as
/// data and on the wire.
#[tokio::test]
async fn fluent_body_members_make_the_same_request_as_body() -> Result<(), Error> {
    let server =
        TestServer::start(|_| Reply::json(200, &serde_json::json!({ "actual_build_number": "3" })))
            .await;
    let client = client(&server);
    let branch = RunJobParameter::builder()
        .name("branch")
        .value("main")
        .build()?;
    let scm = RunJobScm::builder().build_tag("v1.0").build()?;
    let members = client
        .execute_job()
        .job_id(JOB)
        .parameter([branch.clone()])
        .scm(scm.clone());
    let body = ExecuteJobRequestBody::builder()
        .job_id(JOB)
        .parameter([branch])
        .scm(scm)
        .build()?;
    let as_data = client.execute_job().body(body);
    assert_eq!(members.clone().build()?, as_data.clone().build()?);

    members.send().await?;
    as_data.send().await?;
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, requests[1].path);
    assert_eq!(requests[0].query, requests[1].query);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[0].json(),
        serde_json::json!({
            "job_id": JOB,
            "parameter": [{ "name": "branch", "value": "main" }],
            "scm": { "build_tag": "v1.0" }
        })
    );
    Ok(())
}

/// Members set after `.body(..)` change that body; a later `.body(..)` replaces the members.
#[test]
fn body_and_members_combine_in_call_order() -> Result<(), Error> {
    let client = offline_client();
    let body = ExecuteJobRequestBody::builder()
        .job_id(JOB)
        .scm(RunJobScm::builder().build_tag("v1").build()?)
        .build()?;
    let request = client
        .execute_job()
        .body(body.clone())
        .job_id("0123456789abcdef0123456789abcdef")
        .build()?;
    assert_eq!(request.body.job_id, "0123456789abcdef0123456789abcdef");
    assert_eq!(
        request.body.scm, body.scm,
        "the body's other members are kept"
    );

    let request = client
        .execute_job()
        .job_id("0123456789abcdef0123456789abcdef")
        .body(body.clone())
        .build()?;
    assert_eq!(request.body, body);
    Ok(())
}

#[test]
fn a_missing_body_member_is_named_by_the_fluent_builder() {
    let error = offline_client()
        .execute_job()
        .parameter([RunJobParameter::builder()
            .name("branch")
            .value("main")
            .build()
            .expect("built")])
        .build()
        .unwrap_err();
    assert_eq!(invalid_parameter(&error), Some("job_id"), "{error}");
    let error = offline_client().execute_job().build().unwrap_err();
    assert_eq!(invalid_parameter(&error), Some("body"), "{error}");
}

/// `properties` takes a plain struct (no `serde_json` needed); what cannot be a JSON object is
/// reported by `build()` and by `send()`, naming the field, before anything is sent.
#[tokio::test]
async fn free_form_fields_take_any_serialize() -> Result<(), Error> {
    #[derive(serde::Serialize)]
    struct MavenProperties {
        command: &'static str,
        jdk: u8,
    }
    let step = BuildJobConfigStep::builder()
        .module_id("devcloud2018.codeci_action_20043.action")
        .name("Maven build")
        .properties(MavenProperties {
            command: "mvn package",
            jdk: 17,
        })
        .build()?;
    let properties = step.properties.clone().expect("set");
    assert_eq!(properties["command"], "mvn package");
    assert_eq!(properties["jdk"], 17);
    let map: BTreeMap<&str, bool> = [("cache", true)].into_iter().collect();
    let cached = BuildJobConfigStep::builder()
        .module_id("m")
        .name("n")
        .properties(map)
        .build()?;
    assert_eq!(cached.properties.expect("set")["cache"], true);

    let error = BuildJobConfigStep::builder()
        .module_id("m")
        .name("n")
        .properties(["not", "an", "object"])
        .build()
        .unwrap_err();
    assert_eq!(invalid_parameter(&error), Some("properties"), "{error}");
    assert!(error.to_string().contains("JSON object"), "{error}");

    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &serde_json::json!({ "result": { "job_id": JOB }, "status": "success" }),
        )
    })
    .await;
    let client = client(&server);
    client
        .create_new_job()
        .arch(CreateNewJobRequestBodyArch::X8664)
        .job_name("demo-job")
        .project_id(PROJECT)
        .steps([step])
        .send()
        .await?;
    let sent = server.single_request().json();
    assert_eq!(
        sent["steps"][0]["properties"],
        serde_json::json!({ "command": "mvn package", "jdk": 17 })
    );
    assert_eq!(sent["arch"], "x86-64");
    Ok(())
}

/// A free-form body member set on the fluent builder: a struct goes out as its JSON object, and a
/// value that is not an object fails `send()` naming the member, with nothing sent.
#[tokio::test]
async fn free_form_body_members_are_checked_by_send() -> Result<(), Error> {
    #[derive(serde::Serialize)]
    struct Repository {
        name: &'static str,
        git_http_url: &'static str,
    }
    let server = TestServer::start(|_| Reply::json(200, &serde_json::json!({}))).await;
    let client = client(&server);
    let error = client
        .execute_auto_build_job()
        .job_id(JOB)
        .repository("not an object")
        .send()
        .await
        .unwrap_err();
    assert_eq!(invalid_parameter(&error), Some("repository"), "{error}");
    assert_eq!(server.request_count(), 0, "nothing is sent");

    client
        .execute_auto_build_job()
        .job_id(JOB)
        .repository(Repository {
            name: "demo",
            git_http_url: "https://example.com/demo.git",
        })
        .send()
        .await?;
    let request = server.single_request();
    assert_eq!(request.path, format!("/v1/job/{JOB}/auto-execute"));
    assert_eq!(
        request.json()["repository"],
        serde_json::json!({ "name": "demo", "git_http_url": "https://example.com/demo.git" })
    );
    Ok(())
}
