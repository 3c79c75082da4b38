//! Fields that the vendor's current models (API Explorer definitions and the Go SDK) added to the
//! legacy operations after the 2023 reference: they travel through the typed client both ways.
//! The values are the vendor's per-field examples.

#![expect(
    deprecated,
    reason = "the fields under test belong to the legacy operations, which the service still answers"
)]

use codearts_build::types::UpdateNoticeRequestBody;
use codearts_build::{Client, Credentials};
use serde_json::{json, Value};
use workspace_tests::server::{Reply, TestServer};

const PROJECT: &str = "6ecbc5bac7c8442fb3d2563d53c13582";
const JOB: &str = "cb5fa20de5fd4cf8be681d4bd6fdd2f6";

/// A client talking to a server that answers every request with `reply`.
async fn serve(reply: Value) -> (TestServer, Client) {
    let server = TestServer::start(move |_| Reply::json(200, &reply)).await;
    let client = Client::builder()
        .endpoint(server.url())
        .allow_insecure_http(true)
        .credentials(Credentials::token("test-iam-token"))
        .project_id(PROJECT)
        .build()
        .expect("client");
    (server, client)
}

#[tokio::test]
async fn job_configuration_carries_group_timeout_triggers_and_repository_details() {
    let (_server, client) = serve(json!({
        "status": "success",
        "error": null,
        "result": {
            "arch": "x86-64",
            "project_id": "a287e712be6c404ca26e5f69040fa12b",
            "job_name": "oychap213i2",
            "group_id": "61cd2b1179a74c54853ca1da822dfe21",
            "timeout": {"limit": "4", "unit": "hour"},
            "build_if_code_updated": true,
            "triggers": [{
                "name": "hudson.triggers.TimerTrigger",
                "parameters": [
                    {"name": "spec", "value": "18 15 * * 1,2,3,4,5"},
                    {"name": "timeZoneId", "value": "Asia/Shanghai"}
                ]
            }],
            "scms": [{
                "url": "git@codehub.git",
                "scm_type": "codehub",
                "enable_git_lfs": true,
                "group_name": "wukong",
                "repo_name": "wukong"
            }],
            "steps": null
        }
    }))
    .await;
    let out = client
        .list_job_config()
        .job_id(JOB)
        .send()
        .await
        .expect("list_job_config");
    let result = out.result.expect("result");
    assert_eq!(
        result.group_id.as_deref(),
        Some("61cd2b1179a74c54853ca1da822dfe21")
    );
    let timeout = result.timeout.expect("timeout");
    assert_eq!(
        (timeout.limit.as_deref(), timeout.unit.as_deref()),
        (Some("4"), Some("hour"))
    );
    assert_eq!(result.build_if_code_updated, Some(true));
    let triggers = result.triggers.expect("triggers");
    assert_eq!(
        triggers[0].name.as_deref(),
        Some("hudson.triggers.TimerTrigger")
    );
    let parameters = triggers[0].parameters.as_ref().expect("trigger parameters");
    assert_eq!(parameters[1].name.as_deref(), Some("timeZoneId"));
    assert_eq!(parameters[1].value.as_deref(), Some("Asia/Shanghai"));
    let scm = &result.scms.expect("scms")[0];
    assert_eq!(scm.enable_git_lfs, Some(true));
    assert_eq!(scm.group_name.as_deref(), Some("wukong"));
    assert_eq!(scm.repo_name.as_deref(), Some("wukong"));
}

#[tokio::test]
async fn project_job_list_carries_the_latest_build_and_repository_fields() {
    let (_server, client) = serve(json!({
        "total": 1,
        "jobs": [{
            "id": "2a86c3c1ed18416399279fe600000000",
            "job_name": "demo",
            "last_build_time": 1608004535000_i64,
            "last_build_user": "test",
            "last_build_user_id": "ae22fd035f354cfa8d82a3f100000000",
            "last_job_running_status": "Finished",
            "trigger_type": "MANUAL",
            "build_time": 1608004535000_i64,
            "scm_web_url": "https://codehub.devcloud/xxx",
            "scm_type": "codehub",
            "repo_id": "2111746211",
            "build_project_id": "31581e9f-5772-4053-a50c-d5690578c8fd"
        }]
    }))
    .await;
    let out = client
        .show_job_list_by_project_id()
        .page_index(0)
        .page_size(10)
        .send()
        .await
        .expect("show_job_list_by_project_id");
    let job = &out.jobs.expect("jobs")[0];
    assert_eq!(job.last_build_user.as_deref(), Some("test"));
    assert_eq!(
        job.last_build_user_id.as_deref(),
        Some("ae22fd035f354cfa8d82a3f100000000")
    );
    assert_eq!(job.last_job_running_status.as_deref(), Some("Finished"));
    assert_eq!(job.trigger_type.as_deref(), Some("MANUAL"));
    // Beyond i32: the field is declared int64 by both vendor sources.
    assert_eq!(job.build_time, Some(1_608_004_535_000));
    assert_eq!(
        job.scm_web_url.as_deref(),
        Some("https://codehub.devcloud/xxx")
    );
    assert_eq!(job.scm_type.as_deref(), Some("codehub"));
    assert_eq!(job.repo_id.as_deref(), Some("2111746211"));
    assert_eq!(
        job.build_project_id.as_deref(),
        Some("31581e9f-5772-4053-a50c-d5690578c8fd")
    );
}

#[tokio::test]
async fn listed_templates_carry_image_settings_and_untyped_actions() {
    let template = |actions: Value| {
        json!({
            "uuid": "2d9031c079624376824fe1e2731615dc",
            "template": {
                "steps": null,
                "actions": actions,
                "auto_update_sub_module": false,
                "image": "maven3.5.3-jdk8-open",
                "image_source": "swr.cn-north-4.myhuaweicloud.com"
            }
        })
    };
    // The vendor types `actions` as interface{}: an empty array (its own example) and an
    // object must both decode.
    let (_server, client) = serve(json!({
        "status": "success",
        "result": {
            "total_size": 2,
            "items": [template(json!([])), template(json!({"build": {"enabled": true}}))]
        }
    }))
    .await;
    let out = client
        .list_templates()
        .send()
        .await
        .expect("list_templates");
    let items = out.result.expect("result").items.expect("items");
    let first = items[0].template.as_ref().expect("template");
    assert_eq!(first.actions, Some(json!([])));
    assert_eq!(first.auto_update_sub_module, Some(false));
    assert_eq!(first.image.as_deref(), Some("maven3.5.3-jdk8-open"));
    assert_eq!(
        first.image_source.as_deref(),
        Some("swr.cn-north-4.myhuaweicloud.com")
    );
    assert_eq!(
        items[1].template.as_ref().expect("template").actions,
        Some(json!({"build": {"enabled": true}}))
    );
}

#[tokio::test]
async fn notice_update_sends_the_switches() {
    let (server, client) = serve(json!({"status": "success", "error": null})).await;
    let body = UpdateNoticeRequestBody::builder()
        .enabled_event_type_names(["buildJobFail"])
        .notice_type("MAIL")
        .send_switch("true")
        .use_project_notice("false")
        .build()
        .expect("required fields set");
    client
        .update_notice()
        .job_id(JOB)
        .body(body)
        .send()
        .await
        .expect("update_notice");
    assert_eq!(
        server.single_request().json(),
        json!({
            "notice_type": "MAIL",
            "enabled_event_type_names": ["buildJobFail"],
            "send_switch": "true",
            "use_project_notice": "false"
        })
    );
}
