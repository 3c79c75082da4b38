//! `codearts-build logs` and `codearts-build download-log`.

use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use codearts_build::Client;
use futures_util::StreamExt as _;
use tokio::io::AsyncWriteExt as _;

use crate::failure::{code, Failure};
use crate::progress::Progress;

fn target(matches: &ArgMatches) -> (String, i32) {
    (
        matches
            .get_one::<String>("job_id")
            .cloned()
            .unwrap_or_default(),
        matches.get_one::<i32>("build_no").copied().unwrap_or(1),
    )
}

/// Prints the build's log to stdout: what there is now, or (`--follow`) everything until the
/// build ends, with a spinner counting the text received on a terminal.
pub async fn logs(client: &Client, matches: &ArgMatches, terminal: bool) -> Result<u8, Failure> {
    let (job_id, build_no) = target(matches);
    let poll = matches
        .get_one::<Duration>("poll_interval")
        .copied()
        .unwrap_or(Duration::from_secs(5))
        .max(Duration::from_millis(50));
    let mut stdout = tokio::io::stdout();
    if matches.get_flag("follow") {
        let progress = Progress::spinner(terminal, &format!("following build #{build_no}"));
        let mut log = client
            .download_build_real_time_log()
            .job_id(job_id)
            .build_no(build_no)
            .size("1000")
            .follow()?
            .poll_interval(poll);
        let mut received = 0usize;
        while let Some(chunk) = log.next().await {
            let chunk = chunk?;
            received += chunk.text.len();
            stdout.write_all(chunk.text.as_bytes()).await?;
            stdout.flush().await?;
            if terminal {
                progress.status(&format!("following build #{build_no}: {received} bytes"));
            }
        }
        progress.clear();
        return Ok(code::SUCCESS);
    }
    // Without --follow: every chunk the service has now, then stop.
    let mut offset = 0i32;
    loop {
        let reply = client
            .download_build_real_time_log()
            .job_id(job_id.clone())
            .build_no(build_no)
            .size("1000")
            .start_offset(offset)
            .send()
            .await?;
        let result = reply.result.unwrap_or_default();
        if let Some(text) = &result.log {
            stdout.write_all(text.as_bytes()).await?;
        }
        let next = result
            .end_offset
            .as_deref()
            .and_then(|o| o.trim().parse::<i32>().ok())
            .unwrap_or(offset);
        if !result.has_more.unwrap_or(false) || next <= offset {
            break;
        }
        offset = next;
    }
    stdout.flush().await?;
    Ok(code::SUCCESS)
}

/// Downloads the build's complete log file to `-o FILE` (or stdout), with a progress bar on a
/// terminal.
pub async fn download(
    client: &Client,
    matches: &ArgMatches,
    terminal: bool,
) -> Result<u8, Failure> {
    let (job_id, build_no) = target(matches);
    let waiting = Progress::spinner(terminal, &format!("finding build #{build_no}"));
    let record = client
        .show_job_build_record_detail()
        .job_id(job_id.clone())
        .build_no(build_no)
        .send()
        .await?;
    waiting.clear();
    let record_id = record
        .result
        .and_then(|r| r.id)
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            Failure::new(
                code::API,
                format!(
                    "build #{build_no} of job {job_id} has no record id in the service's reply"
                ),
            )
        })?;
    let body = client
        .download_build_full_log()
        .record_id(record_id)
        .send()
        .await?;
    let to = matches.get_one::<PathBuf>("output_file").cloned();
    let progress = Progress::download(body.content_length(), terminal);
    let bytes = crate::download::write(body, to.as_deref(), &progress).await?;
    progress.finish(&match &to {
        Some(path) => format!(
            "wrote {bytes} bytes of the log of build #{build_no} to {}",
            path.display()
        ),
        None => format!("wrote {bytes} bytes of the log of build #{build_no}"),
    });
    Ok(code::SUCCESS)
}
