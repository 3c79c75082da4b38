//! Jobs and builds through the generated client: create, run, poll to success, failure at a
//! scripted step, stop, a log that grows while the build runs, downloads, the recycle bin.

use codearts_build::types::{
    CreateNewJobRequestBody, DisableTheJobRequestBody, ExecuteJobRequestBody,
};
use codearts_build_fake::{BuildState, Fake, Script};
use serde_json::json;

fn body<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the body fits its type")
}

async fn run(fake: &Fake, job: &str) -> u32 {
    let reply = fake
        .client()
        .execute_job()
        .body(body::<ExecuteJobRequestBody>(json!({ "job_id": job })))
        .send()
        .await
        .expect("execute_job");
    reply
        .actual_build_number
        .expect("a build number")
        .parse()
        .expect("a numeric build number")
}

async fn status(fake: &Fake, job: &str, number: u32) -> (String, Option<String>) {
    let reply = fake
        .client()
        .show_job_build_record_detail()
        .job_id(job)
        .build_no(number as i32)
        .send()
        .await
        .expect("show_job_build_record_detail");
    let result = reply.result.expect("a result");
    (
        result.status.expect("a status").to_string(),
        result.finish_time,
    )
}

#[tokio::test]
async fn create_run_poll_until_success_and_the_build_number_increments() {
    let fake = Fake::start().await;
    let client = fake.client();
    let created = client
        .create_new_job()
        .body(body::<CreateNewJobRequestBody>(json!({
            "arch": "x86-64",
            "job_name": "nightly",
            "project_id": fake.project_id(),
            "steps": [{ "module_id": "devcloud2018.codeci_action_20043.action", "name": "Maven", "version": "1.0", "enable": true }]
        })))
        .send()
        .await
        .expect("create_new_job");
    let job = created.result.expect("result").job_id.expect("a job id");
    fake.script_next_build(&job, Script::new().polls(4));
    assert_eq!(run(&fake, &job).await, 1);
    assert_eq!(fake.build_state(&job, 1), Some(BuildState::Queued));
    let mut seen = Vec::new();
    loop {
        let (state, finished) = status(&fake, &job, 1).await;
        seen.push(state.clone());
        if finished.is_some() {
            break;
        }
        assert!(seen.len() < 10, "the build never finished: {seen:?}");
    }
    assert_eq!(seen, ["RUNNING", "RUNNING", "RUNNING", "SUCCESS"]);
    assert_eq!(run(&fake, &job).await, 2);
    let listed = client
        .list_project_jobs()
        .project_id(fake.project_id())
        .page_index(0)
        .page_size(10)
        .send()
        .await
        .expect("list_project_jobs");
    assert_eq!(listed.total, Some(1));
    let jobs = listed.jobs.expect("jobs");
    assert_eq!(jobs[0].job_name.as_deref(), Some("nightly"));
}

#[tokio::test]
async fn a_scripted_build_fails_at_its_step_and_the_log_grows_while_it_runs() {
    let fake = Fake::start().await;
    let job = fake.create_job("flaky");
    fake.script_next_build(&job, Script::new().polls(6).fails_at_step(2));
    let number = run(&fake, &job).await;
    let client = fake.client();
    let mut offset = 0;
    let mut log = String::new();
    let mut chunks = 0;
    loop {
        let reply = client
            .download_build_real_time_log()
            .job_id(&job)
            .build_no(number as i32)
            .start_offset(offset)
            .size("1000")
            .send()
            .await
            .expect("download_build_real_time_log");
        let result = reply.result.expect("result");
        let chunk = result.log.unwrap_or_default();
        if !chunk.is_empty() {
            chunks += 1;
        }
        log.push_str(&chunk);
        offset = result
            .end_offset
            .expect("end offset")
            .parse()
            .expect("numeric");
        if result.has_more == Some(false) {
            break;
        }
    }
    assert!(chunks >= 2, "the log arrived in one piece: {log}");
    assert!(log.contains("[ERROR] step 2 of 5 failed"), "{log}");
    assert!(log.ends_with("[INFO] Finished: FAILURE\n"), "{log}");
    assert_eq!(fake.build_state(&job, number), Some(BuildState::Failed));
    let (state, finished) = status(&fake, &job, number).await;
    assert_eq!(state, "FAILURE");
    assert!(finished.is_some());
    // The full log of the finished build, downloaded by its record id.
    let record = fake.requests_of("show_job_build_record_detail");
    assert_eq!(record.len(), 1);
    let detail = client
        .show_job_build_record_detail()
        .job_id(&job)
        .build_no(number as i32)
        .send()
        .await
        .expect("detail");
    let record_id = detail
        .result
        .and_then(|r| r.build_record_id)
        .expect("record id");
    let download = client
        .download_build_full_log()
        .record_id(record_id)
        .send()
        .await
        .expect("download_build_full_log")
        .collect()
        .await
        .expect("the download");
    assert_eq!(String::from_utf8_lossy(&download), log);
}

#[tokio::test]
async fn stop_aborts_a_running_build() {
    let fake = Fake::start().await;
    let job = fake.create_job("long");
    fake.script_next_build(&job, Script::new().polls(50));
    let number = run(&fake, &job).await;
    fake.advance(2);
    assert_eq!(fake.build_state(&job, number), Some(BuildState::Running));
    fake.client()
        .stop_the_job()
        .job_id(&job)
        .build_no(number as i32)
        .send()
        .await
        .expect("stop_the_job");
    assert_eq!(fake.build_state(&job, number), Some(BuildState::Aborted));
    let (state, finished) = status(&fake, &job, number).await;
    assert_eq!(state, "ABORTED");
    assert!(finished.is_some());
    let running = fake
        .client()
        .show_running_status()
        .job_id(&job)
        .send()
        .await
        .expect("show_running_status")
        .result
        .expect("result");
    assert_eq!(running.is_running, Some(false));
}

#[tokio::test]
async fn disabled_jobs_do_not_run_and_deleted_jobs_go_to_the_recycle_bin() {
    let fake = Fake::start().await;
    let client = fake.client();
    let job = fake.create_job("old");
    client
        .disable_the_job()
        .job_id(&job)
        .body(body::<DisableTheJobRequestBody>(
            json!({ "disabled": true }),
        ))
        .send()
        .await
        .expect("disable");
    let refused = client
        .execute_job()
        .body(body::<ExecuteJobRequestBody>(json!({ "job_id": job })))
        .send()
        .await
        .expect_err("a disabled job does not run");
    assert!(refused.to_string().contains("disabled"), "{refused}");
    client
        .delete_the_job()
        .job_id(&job)
        .send()
        .await
        .expect("delete");
    let info = client.show_job_info().job_id(&job).send().await;
    assert!(info.is_err(), "a deleted job is gone");
    let bin = client
        .list_recycling_job()
        .send()
        .await
        .expect("recycle bin");
    let listed = bin.result.expect("result");
    assert_eq!(listed.total, Some(1));
    assert_eq!(
        listed.job_list.expect("list")[0].job_id.as_deref(),
        Some(job.as_str())
    );
}

#[tokio::test]
async fn an_invalid_request_gets_the_services_400() {
    let fake = Fake::start().await;
    let reply = reqwest_free_get(&fake, "/v1/job/not-a-job-id/info").await;
    assert!(reply.contains("CB.00060201"), "{reply}");
    let reply = reqwest_free_get(
        &fake,
        &format!(
            "/v1/job/{}/list?page_index=0&page_size=1000",
            fake.project_id()
        ),
    )
    .await;
    assert!(
        reply.contains("CB.00060200") && reply.contains("page_size"),
        "{reply}"
    );
}

/// A GET with an IAM token over a plain TCP connection: the raw status line and body.
async fn reqwest_free_get(fake: &Fake, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(fake.addr())
        .await
        .expect("connect");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nX-Auth-Token: token\r\nConnection: close\r\n\r\n",
        fake.addr()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    reply
}
