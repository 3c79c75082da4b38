//! Lists every build job of a project, one line per job: id, name and last build status.
//!
//! ```text
//! CLOUD_SDK_AK=... CLOUD_SDK_SK=... CODEARTS_BUILD_PROJECT_ID=<project id> \
//!     cargo run -p codearts-build --example list_jobs
//! ```
//!
//! Credentials come from `CLOUD_SDK_AK` / `CLOUD_SDK_SK` (plus `CLOUD_SDK_SECURITY_TOKEN` for
//! temporary keys) or `CODEARTS_BUILD_TOKEN`. Requests go to `CODEARTS_BUILD_ENDPOINT` when it
//! is set (an `http://` one also needs `CODEARTS_BUILD_ALLOW_INSECURE_HTTP=true`), otherwise
//! to the region in `CODEARTS_BUILD_REGION` (default `cn-north-4`). The
//! project id comes from `CODEARTS_BUILD_PROJECT_ID` (required: it names the project whose jobs
//! are listed, and AK/SK requests send it as `X-Project-Id`).

use std::io::Write;
use std::process::ExitCode;

use codearts_build::{Client, Error, Region};
use futures_util::StreamExt;

/// Jobs asked for per page (the documented maximum).
const PAGE_SIZE: i32 = 100;

#[tokio::main]
async fn main() -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    match run(&env, &mut std::io::stdout().lock()).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Builds a client from the environment (read through `env`).
pub fn client_from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Client, Error> {
    // Region cn-north-4 unless CODEARTS_BUILD_ENDPOINT or CODEARTS_BUILD_REGION says otherwise.
    Client::builder()
        .region(Region::CnNorth4)
        .from_lookup(env)?
        .user_agent_suffix("example-list-jobs")
        .build()
}

/// Prints every job of the project to `out`; returns how many there were.
pub async fn run(
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
) -> Result<usize, Error> {
    let client = client_from_env(env)?;
    if client.project_id().is_none() {
        return Err(Error::config(
            "set CODEARTS_BUILD_PROJECT_ID to the project whose jobs to list",
        ));
    }
    // The project id path parameter defaults to the client's project id. The paginator spaces
    // its page requests by the operation's rate-limit class (`ten_50_min`: 1.2 s).
    let mut jobs = client
        .list_project_jobs()
        .page_index(0)
        .page_size(PAGE_SIZE)
        .paginate()?;
    let mut count = 0;
    while let Some(job) = jobs.next().await {
        let job = job?;
        count += 1;
        let line = format!(
            "{}\t{}\t{}",
            job.id.as_deref().unwrap_or("-"),
            job.job_name.as_deref().unwrap_or("-"),
            job.last_build_status.as_deref().unwrap_or("-"),
        );
        writeln!(out, "{line}").map_err(|source| Error::Io {
            message: "writing the job list".into(),
            source,
        })?;
    }
    writeln!(out, "{count} jobs").map_err(|source| Error::Io {
        message: "writing the job list".into(),
        source,
    })?;
    Ok(count)
}
