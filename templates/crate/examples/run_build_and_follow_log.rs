//! Starts a build of a job, prints its log as it is written, then prints the build's outcome.
//!
//! ```text
//! CLOUD_SDK_AK=... CLOUD_SDK_SK=... CODEARTS_BUILD_PROJECT_ID=<project id> \
//!     cargo run -p codearts-build --example run_build_and_follow_log -- <job id>
//! ```
//!
//! Credentials come from `CLOUD_SDK_AK` / `CLOUD_SDK_SK` (plus `CLOUD_SDK_SECURITY_TOKEN` for
//! temporary keys) or `CODEARTS_BUILD_TOKEN`. Requests go to `CODEARTS_BUILD_ENDPOINT` when it
//! is set (an `http://` one also needs `CODEARTS_BUILD_ALLOW_INSECURE_HTTP=true`), otherwise
//! to the region in `CODEARTS_BUILD_REGION` (default `cn-north-4`). The
//! project id comes from `CODEARTS_BUILD_PROJECT_ID`: required with AK/SK credentials (it is
//! sent as `X-Project-Id`), optional with a token.

use std::process::ExitCode;

use codearts_build::{Client, Error, Region};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(job_id) = std::env::args().nth(1) else {
        eprintln!("usage: run_build_and_follow_log <job id>");
        return ExitCode::from(2);
    };
    match run(&job_id).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Builds a client from the environment.
fn client_from_env() -> Result<Client, Error> {
    // Region cn-north-4 unless CODEARTS_BUILD_ENDPOINT or CODEARTS_BUILD_REGION says otherwise;
    // the project id (required with AK/SK) comes from CODEARTS_BUILD_PROJECT_ID.
    Client::builder()
        .region(Region::CnNorth4)
        .from_env()?
        .user_agent_suffix("example-run-build")
        .build()
}

async fn run(job_id: &str) -> Result<(), Error> {
    let client = client_from_env()?;

    // Starting a build is not idempotent, so the client does not retry it on its own.
    let started = client.execute_job().job_id(job_id).send().await?;
    let build_no: i32 = started
        .actual_build_number
        .as_deref()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::config("the service did not return the build number"))?;
    eprintln!("started build #{build_no} of job {job_id}");

    // Re-polls from the offset the service returned, at the pace of the operation's rate-limit
    // class (`RateLimitClass::follow_interval`), until the service reports no more text and the
    // build record has a finish time.
    let mut log = client
        .download_build_real_time_log()
        .job_id(job_id)
        .build_no(build_no)
        .size("1000")
        .follow()?;
    while let Some(chunk) = log.next().await {
        print!("{}", chunk?.text);
    }

    let record = client
        .show_job_build_record_detail()
        .job_id(job_id)
        .build_no(build_no)
        .send()
        .await?;
    let (status, duration_ms) = record
        .result
        .map(|r| (r.status, r.duration))
        .unwrap_or_default();
    eprintln!(
        "build #{build_no}: {} in {} s",
        status.as_deref().unwrap_or("unknown"),
        duration_ms.unwrap_or(0) / 1000
    );
    Ok(())
}
