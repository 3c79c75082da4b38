//! `codearts-build run`: start a build, follow it, and turn its outcome into the exit code.
//!
//! A thin layer over the library's build-run workflow (`Client::run_build` → `BuildHandle`):
//! this module adds the flags, Ctrl-C, the overall `--timeout`, the spinner and the summary.

use std::time::{Duration, Instant};

use clap::ArgMatches;
use codearts_build::types::{BuildStatus, ShowRecordDetailResult};
use codearts_build::{BuildHandle, BuildOutcome, Client, WaitError};
use futures_util::StreamExt as _;
use serde_json::json;
use tokio::io::AsyncWriteExt as _;

use crate::failure::{code, Failure};
use crate::progress::Progress;

/// How a finished (or unfinished) build came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Finished and succeeded.
    Success,
    /// Finished and failed.
    Failed,
    /// Stopped before it finished.
    Aborted,
    /// Still running when the timeout passed.
    TimedOut,
}

impl Verdict {
    /// The exit code of the verdict.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Success => code::SUCCESS,
            Verdict::Failed => code::BUILD_FAILED,
            Verdict::Aborted => code::BUILD_ABORTED,
            Verdict::TimedOut => code::TIMED_OUT,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Verdict::Success => "succeeded",
            Verdict::Failed => "failed",
            Verdict::Aborted => "aborted",
            Verdict::TimedOut => "timed out",
        }
    }
}

/// The verdict of a finished build's outcome. A final state the spec does not list (or none)
/// counts as a failure, never as a success.
pub fn verdict(outcome: &BuildOutcome) -> Verdict {
    match &outcome.status {
        Some(BuildStatus::Success) => Verdict::Success,
        Some(BuildStatus::Aborted) => Verdict::Aborted,
        _ => Verdict::Failed,
    }
}

/// What `run` was asked to do.
struct Plan {
    follow: bool,
    wait: bool,
    timeout: Option<Duration>,
    poll: Duration,
    json: bool,
}

/// Runs `codearts-build run` and returns its exit code.
pub async fn run(client: &Client, matches: &ArgMatches, terminal: bool) -> Result<u8, Failure> {
    let plan = Plan {
        follow: matches.get_flag("follow"),
        wait: matches.get_flag("wait") || matches.get_flag("follow"),
        timeout: matches.get_one::<Duration>("timeout").copied(),
        poll: matches
            .get_one::<Duration>("poll_interval")
            .copied()
            .unwrap_or(Duration::from_secs(5))
            .max(Duration::from_millis(50)),
        json: matches.get_flag("json"),
    };
    let job_id = matches
        .get_one::<String>("job_id")
        .cloned()
        .unwrap_or_default();
    let mut build = client.run_build(job_id.clone());
    for (name, value) in matches
        .get_many::<(String, String)>("param")
        .into_iter()
        .flatten()
    {
        build = build.parameter(name.clone(), value.clone());
    }
    if let Some(branch) = matches.get_one::<String>("branch") {
        build = build.branch(branch.clone());
    }
    if let Some(tag) = matches.get_one::<String>("tag") {
        build = build.tag(tag.clone());
    }
    if let Some(commit) = matches.get_one::<String>("commit") {
        build = build.commit(commit.clone());
    }
    let started = Instant::now();
    let mut interrupt = Box::pin(crate::signal::interrupted());

    // The workflow sends the start once (a retried start can queue two builds). It is not
    // abandoned on Ctrl-C either: the build may be queued already, and it must be stopped.
    let start = build.start();
    tokio::pin!(start);
    let (handle, interrupted) = tokio::select! {
        handle = &mut start => (handle, false),
        () = &mut interrupt => (start.await, true),
    };
    let handle = handle?;
    let build_no = handle.build_no().get();
    eprintln!("started build #{build_no} of job {job_id}");
    if interrupted {
        return stop(&handle).await;
    }
    if !plan.wait {
        if plan.json {
            println!(
                "{}",
                json!({"job_id": job_id, "build_no": build_no, "status": "started"})
            );
        }
        return Ok(code::SUCCESS);
    }

    let deadline = plan.timeout.map(|t| started + t);
    let watch = watch(&handle, &plan, terminal);
    let outcome = tokio::select! {
        outcome = watch => outcome?,
        () = &mut interrupt => return stop(&handle).await,
        () = sleep_until(deadline) => None,
    };
    let verdict = outcome.as_ref().map_or(Verdict::TimedOut, verdict);
    summary(
        &plan,
        &job_id,
        build_no,
        verdict,
        outcome.as_ref(),
        started.elapsed(),
    );
    Ok(verdict.exit_code())
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Follows the log (with `--follow`), then waits for the verdict. `None`: the wait gave up
/// (only `--timeout` ends it; the caller's deadline normally fires first).
async fn watch(
    handle: &BuildHandle,
    plan: &Plan,
    terminal: bool,
) -> Result<Option<BuildOutcome>, Failure> {
    let build_no = handle.build_no().get();
    if plan.follow {
        let mut log = handle.follow_log()?.poll_interval(plan.poll);
        let mut out: Box<dyn tokio::io::AsyncWrite + Unpin + Send> = if plan.json {
            Box::new(tokio::io::stderr())
        } else {
            Box::new(tokio::io::stdout())
        };
        while let Some(chunk) = log.next().await {
            let chunk = chunk?;
            out.write_all(chunk.text.as_bytes()).await?;
            out.flush().await?;
        }
    }
    // After a followed log the build is over or nearly so: no waiting line.
    let spinner =
        (!plan.follow).then(|| Progress::spinner(terminal, &format!("build #{build_no}: running")));
    // The overall --timeout is the caller's; the wait itself has no deadline of its own.
    let waited = handle
        .waiter()
        .poll_interval(plan.poll)
        .max_interval(plan.poll.max(Duration::from_secs(30)))
        .deadline(None)
        .await;
    if let Some(spinner) = &spinner {
        spinner.clear();
    }
    match waited {
        Ok(record) => Ok(Some(BuildOutcome::from_record::<Client>(record))),
        Err(WaitError::Timeout { .. }) => Ok(None),
        Err(WaitError::Failed { source, .. }) => Err(source.into()),
        Err(other) => Err(Failure::new(code::API, other.to_string())),
    }
}

/// Sends one stop request for the build and returns the interrupted exit code.
async fn stop(handle: &BuildHandle) -> Result<u8, Failure> {
    eprintln!(
        "interrupted: stopping build #{} of job {}",
        handle.build_no().get(),
        handle.job_id()
    );
    if let Err(error) = handle.stop().await {
        let failure = Failure::from(error);
        eprintln!(
            "error: the stop request failed: {}",
            crate::failure::redact(&failure.message)
        );
    }
    Ok(code::INTERRUPTED)
}

fn summary(
    plan: &Plan,
    job_id: &str,
    build_no: i32,
    verdict: Verdict,
    outcome: Option<&BuildOutcome>,
    elapsed: Duration,
) {
    let record: Option<&ShowRecordDetailResult> = outcome.map(|o| &o.record);
    let status = outcome
        .and_then(|o| o.status.as_ref())
        .map(|s| s.as_str().to_owned());
    let duration = outcome.and_then(|o| o.duration);
    if plan.json {
        let value = json!({
            "job_id": job_id,
            "build_no": build_no,
            "verdict": verdict.word(),
            "exit_code": verdict.exit_code(),
            "status": status,
            "duration_ms": duration.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            "waited_ms": u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            "record": record,
        });
        println!("{value}");
        return;
    }
    let took = duration
        .map(|d| format!(" in {}", human(d)))
        .unwrap_or_default();
    let status = status.map(|s| format!(" ({s})")).unwrap_or_default();
    let detail = record
        .and_then(|r| r.err_msg.as_deref())
        .filter(|m| !m.trim().is_empty())
        .map(|m| format!(": {}", m.trim()))
        .unwrap_or_default();
    match verdict {
        Verdict::TimedOut => eprintln!(
            "build #{build_no} of job {job_id}: not finished after {}; it keeps running",
            human(elapsed)
        ),
        _ => eprintln!(
            "build #{build_no} of job {job_id} {}{status}{took}{detail}",
            verdict.word()
        ),
    }
}

/// `1m05s`, `42s`, `1h02m`.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Option<BuildStatus>) -> BuildOutcome {
        BuildOutcome {
            status,
            duration: None,
            record: ShowRecordDetailResult::default(),
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            verdict(&outcome(Some(BuildStatus::Success))),
            Verdict::Success
        );
        assert_eq!(
            verdict(&outcome(Some(BuildStatus::Failure))),
            Verdict::Failed
        );
        assert_eq!(
            verdict(&outcome(Some(BuildStatus::ScheduleFailure))),
            Verdict::Failed
        );
        assert_eq!(
            verdict(&outcome(Some(BuildStatus::Aborted))),
            Verdict::Aborted
        );
        // Over in a state nobody documented, or with none: never a success.
        assert_eq!(
            verdict(&outcome(Some(
                "WEIRD".parse().unwrap_or(BuildStatus::Running)
            ))),
            Verdict::Failed
        );
        assert_eq!(verdict(&outcome(None)), Verdict::Failed);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_secs(42)), "42s");
        assert_eq!(human(Duration::from_secs(65)), "1m05s");
        assert_eq!(human(Duration::from_secs(3720)), "1h02m");
    }
}
