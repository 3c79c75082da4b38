//! Starts a build of a job, prints its log as it is written, then prints the build's verdict;
//! the exit code is the verdict (0 passed, 1 failed or aborted, 2 usage, 3 any other error).
//!
//! ```text
//! CLOUD_SDK_AK=... CLOUD_SDK_SK=... CODEARTS_BUILD_PROJECT_ID=<project id> \
//!     cargo run -p codearts-build --example run_build_and_follow_log -- <job id> [branch]
//! ```
//!
//! Credentials come from `CLOUD_SDK_AK` / `CLOUD_SDK_SK` (plus `CLOUD_SDK_SECURITY_TOKEN` for
//! temporary keys) or `CODEARTS_BUILD_TOKEN`. Requests go to `CODEARTS_BUILD_ENDPOINT` when it
//! is set (an `http://` one also needs `CODEARTS_BUILD_ALLOW_INSECURE_HTTP=true`), otherwise
//! to the region in `CODEARTS_BUILD_REGION` (default `cn-north-4`). The
//! project id comes from `CODEARTS_BUILD_PROJECT_ID`: required with AK/SK credentials (it is
//! sent as `X-Project-Id`), optional with a token.

use std::io::Write;
use std::process::ExitCode;

use codearts_build::{BuildOutcome, Client, Error, Region};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(job_id) = args.next() else {
        eprintln!("usage: run_build_and_follow_log <job id> [branch]");
        return ExitCode::from(2);
    };
    let branch = args.next();
    let client = match client_from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(3);
        }
    };
    match run(&client, &job_id, branch.as_deref(), &mut std::io::stdout()).await {
        Ok(outcome) if outcome.is_success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(3)
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

/// What can end the example early: a failed call, or a wait that ended without a verdict
/// (its deadline passed), which says the last state it saw.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Starts a build of `job_id` (of `branch`, when given), writes its log to `out` until the
/// build ends, and returns its verdict.
pub async fn run(
    client: &Client,
    job_id: &str,
    branch: Option<&str>,
    out: &mut impl Write,
) -> Result<BuildOutcome, Failure> {
    let mut build = client.run_build(job_id);
    if let Some(branch) = branch {
        build = build.branch(branch);
    }
    // Sent once: a start that is retried after its answer was lost can queue a second build.
    let handle = build.start().await?;
    eprintln!("started build #{} of job {job_id}", handle.build_no());

    // Polls at the pace of the log operation's rate-limit class, and ends once the service has
    // no more text and the build is over.
    let mut log = handle.follow_log()?;
    while let Some(chunk) = log.next().await {
        write!(out, "{}", chunk?.text)?;
    }

    let outcome = handle.wait().await?;
    let status = outcome
        .status
        .as_ref()
        .map_or_else(|| "unknown".to_owned(), ToString::to_string);
    let seconds = outcome.duration.unwrap_or_default().as_secs_f64();
    eprintln!("build #{}: {status} in {seconds:.1} s", handle.build_no());
    Ok(outcome)
}
