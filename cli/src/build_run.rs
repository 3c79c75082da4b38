//! `codearts-build run`: start a build, follow it, and turn its outcome into the exit code.
//!
//! Built directly on the v1 operations (`execute_job`, `show_job_build_record_detail`,
//! `download_build_real_time_log`, `stop_the_job`), in this one module, so that it can move to
//! the library's build-run workflow when that exists without touching the rest of the CLI.

use std::time::{Duration, Instant};

use clap::ArgMatches;
use codearts_build::types::{
    ExecuteJobRequestBody, RunJobParameter, RunJobScm, ShowRecordDetailResult,
};
use codearts_build::Client;
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

/// The verdict of a record whose build has finished; `None` while it runs. The service reports
/// the state as text (`SUCCESS`, `FAILED`, `ABORTED`, ...; case varies between operations), and
/// a record with a finish time has finished whatever its state says; an unrecognised final
/// state counts as a failure, never as a success.
pub fn verdict(record: &ShowRecordDetailResult) -> Option<Verdict> {
    let status = record
        .status
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let by_status = match status.as_str() {
        "success" | "succeeded" | "succeed" => Some(Verdict::Success),
        "failed" | "fail" | "failure" | "error" => Some(Verdict::Failed),
        "aborted" | "abort" | "canceled" | "cancelled" | "stopped" | "terminated" => {
            Some(Verdict::Aborted)
        }
        _ => None,
    };
    let finished = record
        .finish_time
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    match by_status {
        Some(v) => Some(v),
        None if finished => Some(Verdict::Failed),
        None => None,
    }
}

/// What `run` was asked to do.
struct Plan {
    job_id: String,
    follow: bool,
    wait: bool,
    timeout: Option<Duration>,
    poll: Duration,
    json: bool,
}

/// Runs `codearts-build run` and returns its exit code.
pub async fn run(client: &Client, matches: &ArgMatches, terminal: bool) -> Result<u8, Failure> {
    let plan = Plan {
        job_id: matches
            .get_one::<String>("job_id")
            .cloned()
            .unwrap_or_default(),
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
    let body = request_body(&plan.job_id, matches);
    let started = Instant::now();
    let mut interrupt = Box::pin(crate::signal::interrupted());

    // Starting is not retried (a retried start can queue two builds), and it is not
    // abandoned on Ctrl-C: the build may be queued already, and it must be stopped.
    let start = client.execute_job().body(body).send();
    tokio::pin!(start);
    let (reply, interrupted) = tokio::select! {
        reply = &mut start => (reply, false),
        () = &mut interrupt => (start.await, true),
    };
    let reply = reply?;
    let number = reply.actual_build_number.as_deref().unwrap_or_default();
    let build_no: i32 = number.trim().parse().map_err(|_| {
        Failure::new(
            code::API,
            format!("the service started a build but answered with the build number {number:?}, which is not a number"),
        )
    })?;
    eprintln!("started build #{build_no} of job {}", plan.job_id);
    if interrupted {
        return stop(client, &plan.job_id, build_no).await;
    }
    if !plan.wait {
        if plan.json {
            println!(
                "{}",
                json!({"job_id": plan.job_id, "build_no": build_no, "status": "started"})
            );
        }
        return Ok(code::SUCCESS);
    }

    let deadline = plan.timeout.map(|t| started + t);
    let watch = watch(client, &plan, build_no, terminal);
    let outcome = tokio::select! {
        outcome = watch => outcome?,
        () = &mut interrupt => return stop(client, &plan.job_id, build_no).await,
        () = sleep_until(deadline) => None,
    };
    let (verdict, record) = match outcome {
        Some((verdict, record)) => (verdict, Some(record)),
        None => (Verdict::TimedOut, None),
    };
    summary(&plan, build_no, verdict, record.as_ref(), started.elapsed());
    Ok(verdict.exit_code())
}

/// The execute request: parameters, branch, tag or commit.
fn request_body(job_id: &str, matches: &ArgMatches) -> ExecuteJobRequestBody {
    let mut parameters: Vec<RunJobParameter> = matches
        .get_many::<(String, String)>("param")
        .into_iter()
        .flatten()
        .map(|(name, value)| RunJobParameter::new(name.clone(), value.clone()))
        .collect();
    if let Some(branch) = matches.get_one::<String>("branch") {
        parameters.push(RunJobParameter::new(
            "codeBranch".to_owned(),
            branch.clone(),
        ));
    }
    let mut body = ExecuteJobRequestBody::new(job_id.to_owned());
    if !parameters.is_empty() {
        body.parameter = Some(parameters);
    }
    let tag = matches.get_one::<String>("tag").cloned();
    let commit = matches.get_one::<String>("commit").cloned();
    if tag.is_some() || commit.is_some() {
        let mut scm = RunJobScm::default();
        scm.build_tag = tag;
        scm.build_commit_id = commit;
        body.scm = Some(scm);
    }
    body
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Follows the log (with `--follow`) and waits until the record says the build finished.
async fn watch(
    client: &Client,
    plan: &Plan,
    build_no: i32,
    terminal: bool,
) -> Result<Option<(Verdict, ShowRecordDetailResult)>, Failure> {
    if plan.follow {
        let mut log = client
            .download_build_real_time_log()
            .job_id(plan.job_id.clone())
            .build_no(build_no)
            .size("1000")
            .follow()?
            .poll_interval(plan.poll);
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
    let spinner = Progress::spinner(
        terminal && !plan.follow,
        &format!("build #{build_no}: waiting"),
    );
    loop {
        let reply = client
            .show_job_build_record_detail()
            .job_id(plan.job_id.clone())
            .build_no(build_no)
            .send()
            .await?;
        let record = reply.result.unwrap_or_default();
        if let Some(verdict) = verdict(&record) {
            spinner.clear();
            return Ok(Some((verdict, record)));
        }
        let state = record.status.as_deref().unwrap_or("queued");
        spinner.status(&format!("build #{build_no}: {state}"));
        tokio::time::sleep(plan.poll).await;
    }
}

/// Sends one stop request for the build and returns the interrupted exit code.
async fn stop(client: &Client, job_id: &str, build_no: i32) -> Result<u8, Failure> {
    eprintln!("interrupted: stopping build #{build_no} of job {job_id}");
    let stopped = client
        .stop_the_job()
        .job_id(job_id.to_owned())
        .build_no(build_no)
        .send()
        .await;
    if let Err(error) = stopped {
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
    build_no: i32,
    verdict: Verdict,
    record: Option<&ShowRecordDetailResult>,
    elapsed: Duration,
) {
    let status = record.and_then(|r| r.status.clone());
    let duration_ms = record.and_then(|r| r.duration);
    if plan.json {
        let value = json!({
            "job_id": plan.job_id,
            "build_no": build_no,
            "verdict": verdict.word(),
            "exit_code": verdict.exit_code(),
            "status": status,
            "duration_ms": duration_ms,
            "waited_ms": u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            "record": record,
        });
        println!("{value}");
        return;
    }
    let took = match duration_ms {
        Some(ms) => format!(
            " in {}",
            human(Duration::from_millis(u64::try_from(ms).unwrap_or(0)))
        ),
        None => String::new(),
    };
    let status = status.map(|s| format!(" ({s})")).unwrap_or_default();
    let detail = record
        .and_then(|r| r.err_msg.as_deref())
        .filter(|m| !m.trim().is_empty())
        .map(|m| format!(": {}", m.trim()))
        .unwrap_or_default();
    match verdict {
        Verdict::TimedOut => eprintln!(
            "build #{build_no} of job {}: not finished after {}; it keeps running",
            plan.job_id,
            human(elapsed)
        ),
        _ => eprintln!(
            "build #{build_no} of job {} {}{status}{took}{detail}",
            plan.job_id,
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

    fn record(status: Option<&str>, finish: Option<&str>) -> ShowRecordDetailResult {
        let mut r = ShowRecordDetailResult::default();
        r.status = status.map(str::to_owned);
        r.finish_time = finish.map(str::to_owned);
        r
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            verdict(&record(Some("SUCCESS"), None)),
            Some(Verdict::Success)
        );
        assert_eq!(
            verdict(&record(Some("failed"), None)),
            Some(Verdict::Failed)
        );
        assert_eq!(
            verdict(&record(Some("ABORTED"), None)),
            Some(Verdict::Aborted)
        );
        assert_eq!(verdict(&record(Some("RUNNING"), None)), None);
        assert_eq!(verdict(&record(None, Some(""))), None);
        // Finished in a state nobody documented: never a success.
        assert_eq!(
            verdict(&record(Some("WEIRD"), Some("2026-01-01T00:00:00Z"))),
            Some(Verdict::Failed)
        );
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_secs(42)), "42s");
        assert_eq!(human(Duration::from_secs(65)), "1m05s");
        assert_eq!(human(Duration::from_secs(3720)), "1h02m");
    }
}
