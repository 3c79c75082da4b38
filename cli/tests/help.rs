//! `--help` as users read it (insta snapshots), completions, and secrets kept out of every
//! output.

mod common;

use codearts_testkit::server::{Reply, TestServer};
use common::{run, run_with, JOB, SECRET};

async fn help(args: &[&str]) -> String {
    // No server is contacted for help; any endpoint will do.
    let out = run("http://127.0.0.1:9", args).await;
    assert_eq!(out.code, Some(0), "{args:?}: {out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    out.stdout
}

#[tokio::test]
async fn top_level_help() {
    let text = help(&["--help"]).await;
    for section in [
        "EXAMPLES:",
        "EXIT CODES:",
        "ENVIRONMENT:",
        "130  interrupted",
    ] {
        assert!(text.contains(section), "{section} missing");
    }
    insta::assert_snapshot!("help_top", text);
}

#[tokio::test]
async fn run_help() {
    insta::assert_snapshot!("help_run", help(&["run", "--help"]).await);
}

#[tokio::test]
async fn generated_subcommand_help_marks_deprecation_and_constraints() {
    let text = help(&["show-job-status", "--help"]).await;
    assert!(
        text.starts_with("[deprecated: use show-running-status]"),
        "{text}"
    );
    assert!(text.contains("exactly 32 characters"), "{text}");
    insta::assert_snapshot!("help_show_job_status", text);
    insta::assert_snapshot!(
        "help_list_project_jobs_short",
        help(&["list-project-jobs", "-h"]).await
    );
}

#[tokio::test]
async fn completions_cover_the_generated_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = help(&["completions", shell]).await;
        assert!(out.contains("show-running-status"), "{shell}");
        assert!(out.contains("download-log"), "{shell}");
    }
    let out = run("http://127.0.0.1:9", &["completions", "tcsh"]).await;
    assert_eq!(out.code, Some(2), "{out:?}");
}

/// The secret key appears in no output: not in help, errors, debug-level messages or replies
/// (`common::run` checks every output of every test for it; this test adds the paths most
/// likely to leak it).
#[tokio::test]
async fn secrets_are_never_printed() {
    let server = TestServer::start(|request| {
        // Echo the request headers back, as a misbehaving proxy might.
        let headers: Vec<String> = request
            .headers
            .iter()
            .filter(|(name, _)| name != "authorization")
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Reply::error(401, "APIGW.0301", &headers.join(" "), "req-1")
    })
    .await;
    let out = run(&server.url(), &["show-running-status", "--job-id", JOB]).await;
    assert_eq!(out.code, Some(6), "{out:?}");
    // A security token is a secret too.
    let mut command = common::command(&server.url());
    command.env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECRET);
    let out = run_with(command, &["show-running-status", "--job-id", JOB], "").await;
    assert_eq!(out.code, Some(6), "{out:?}");
    for args in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["show-running-status", "--help"],
    ] {
        help(&args).await;
    }
    // An SK without its AK: the error names the missing variable, not the value that is set.
    let mut command = common::command(&server.url());
    command.env_remove("HUAWEICLOUD_SDK_AK");
    let out = run_with(command, &["show-running-status", "--job-id", JOB], "").await;
    assert_eq!(out.code, Some(5), "{out:?}");
}
