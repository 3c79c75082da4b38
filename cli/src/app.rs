//! The command tree: global flags, the hand-written commands and the generated operation
//! subcommands, with the help text of each.

use clap::{value_parser, Arg, ArgAction, Command};

/// The top-level description in `--help`.
const ABOUT: &str = "Run, watch and script Huawei Cloud CodeArts Build jobs";

/// `--help` (long) after the description.
const LONG_ABOUT: &str = "\
Run, watch and script Huawei Cloud CodeArts Build jobs.

`run` starts a build, streams its log and exits with the build's verdict, for CI pipelines. \
Every operation of the CodeArts Build API is also a subcommand of its own (`show-job-status`, \
`list-project-jobs`, ...), with its parameters as flags, checked against the documented \
constraints before anything is sent; replies are printed as JSON (or `--output table`).";

/// Examples, exit codes and environment, at the end of `--help`.
const AFTER_LONG_HELP: &str = "\
EXAMPLES:
  Run a build, follow its log, fail when the build fails:
    codearts-build run 0123456789abcdef0123456789abcdef --branch main --follow

  Run with parameters and a deadline, print a JSON summary:
    codearts-build run JOB_ID --param version=1.2.0 --wait --timeout 30m --json

  Call one operation:
    codearts-build show-running-status --job-id JOB_ID
    codearts-build list-project-jobs --page-index 0 --page-size 10 --output table
    codearts-build execute-job --body @run.json

  Logs:
    codearts-build logs JOB_ID 42 --follow
    codearts-build download-log JOB_ID 42 -o build.log

EXIT CODES:
  0    success (for `run`: the build succeeded)
  1    the build failed
  2    usage error: bad flags, or a value that breaks a documented constraint
  3    the build was aborted
  4    the build had not finished when --timeout passed
  5    configuration error: credentials, region, endpoint
  6    the service rejected the credentials (HTTP 401/403)
  7    any other service or network error
  130  interrupted (Ctrl-C or SIGTERM; `run` first asks the service to stop the build)

ENVIRONMENT:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK  access key pair (AK/SK signing)
  HUAWEICLOUD_SDK_SECURITY_TOKEN          security token of temporary keys
  CLOUD_SDK_AK, CLOUD_SDK_SK              the same, as the vendor's samples name them
  CODEARTS_BUILD_TOKEN                    an IAM token instead of AK/SK
  HUAWEICLOUD_SDK_CREDENTIALS_FILE        credentials file (default ~/.huaweicloud/credentials)
  CODEARTS_BUILD_PROFILE                  profile in that file (default `basic`)
  HUAWEICLOUD_SDK_PROJECT_ID              project id (also CODEARTS_BUILD_PROJECT_ID)
  CODEARTS_BUILD_REGION                   region id such as cn-north-4
  CODEARTS_BUILD_ENDPOINT                 endpoint URL, instead of a region
  CODEARTS_BUILD_ALLOW_INSECURE_HTTP      true to allow a plain http:// endpoint (local tests)

The first of these sources that holds credentials is used; flags win over the environment. \
Secret keys are never accepted as flags (other users could read them in the process list) \
and never printed.";

/// Examples and exit codes at the end of `run --help`.
const RUN_AFTER_HELP: &str = "\
EXAMPLES:
  codearts-build run JOB_ID --branch main --follow
  codearts-build run JOB_ID --param version=1.2.0 --tag v1.2.0 --wait --timeout 30m --json

EXIT CODES:
  0    the build succeeded (or, without --wait/--follow, was started)
  1    the build failed
  2    usage error
  3    the build was aborted
  4    the build had not finished when --timeout passed (it keeps running)
  5    configuration error      6  credentials rejected      7  other service or network error
  130  interrupted: one stop request was sent for the build";

/// The whole command tree.
pub fn command() -> Command {
    Command::new("codearts-build")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_long_help(AFTER_LONG_HELP)
        .after_help("See `codearts-build --help` for examples, exit codes and environment.")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .max_term_width(100)
        .args(global_args())
        .subcommand(run_command())
        .subcommand(logs_command())
        .subcommand(download_log_command())
        .subcommand(completions_command())
        .subcommands(crate::generated::commands())
}

fn global_args() -> Vec<Arg> {
    vec![
        Arg::new("endpoint")
            .long("endpoint")
            .global(true)
            .value_name("URL")
            .help("Endpoint URL (https://host[:port]); wins over --region")
            .help_heading("Connection"),
        Arg::new("region")
            .long("region")
            .global(true)
            .value_name("REGION")
            .help("Region id, such as cn-north-4")
            .help_heading("Connection"),
        Arg::new("project_id")
            .long("project-id")
            .global(true)
            .value_name("ID")
            .help("Project id (required with AK/SK; fills every `project_id` parameter)")
            .help_heading("Connection"),
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help("Profile of the credentials file to use")
            .help_heading("Connection"),
        Arg::new("credentials_file")
            .long("credentials-file")
            .global(true)
            .value_name("FILE")
            .help("Credentials file to read instead of ~/.huaweicloud/credentials")
            .help_heading("Connection"),
        Arg::new("output")
            .long("output")
            .global(true)
            .value_name("FORMAT")
            .value_parser(["json", "table"])
            .default_value("json")
            .help("How replies are printed")
            .help_heading("Output"),
    ]
}

fn run_command() -> Command {
    Command::new("run")
        .about("Start a build of a job, follow its log and exit with its verdict")
        .long_about(
            "Start a build of a job; with --follow stream its log to stdout while it runs, with \
             --wait wait for it to finish. Then print a summary and exit with the build's \
             verdict: 0 success, 1 failed, 3 aborted, 4 not finished within --timeout. Without \
             --follow or --wait it prints the build number and exits 0 once the build is queued.\n\n\
             Ctrl-C (SIGINT) or SIGTERM sends one stop request for the build to the service and \
             exits with 130.",
        )
        .after_long_help(RUN_AFTER_HELP)
        .arg(
            Arg::new("job_id")
                .required(true)
                .value_name("JOB_ID")
                .help("The build job's id (32 letters and digits)"),
        )
        .arg(
            Arg::new("param")
                .long("param")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .value_parser(parse_param)
                .help("A build parameter for this run (repeatable)"),
        )
        .arg(
            Arg::new("branch")
                .long("branch")
                .value_name("BRANCH")
                .help("Branch to build (the codeBranch parameter)"),
        )
        .arg(
            Arg::new("tag")
                .long("tag")
                .value_name("TAG")
                .conflicts_with("commit")
                .help("Tag to build"),
        )
        .arg(
            Arg::new("commit")
                .long("commit")
                .value_name("SHA")
                .help("Commit to build"),
        )
        .arg(
            Arg::new("follow")
                .long("follow")
                .short('f')
                .action(ArgAction::SetTrue)
                .help("Stream the build log to stdout until the build ends (implies --wait)"),
        )
        .arg(
            Arg::new("wait")
                .long("wait")
                .action(ArgAction::SetTrue)
                .help("Wait for the build to finish and exit with its verdict"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("DURATION")
                .value_parser(parse_duration)
                .help("Give up waiting after DURATION (30s, 30m, 1h30m) and exit 4; the build keeps running"),
        )
        .arg(
            Arg::new("poll_interval")
                .long("poll-interval")
                .value_name("DURATION")
                .value_parser(parse_duration)
                .default_value("5s")
                .help("Time between status and log polls"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Print the summary as JSON on stdout (the followed log then goes to stderr)"),
        )
}

fn logs_command() -> Command {
    Command::new("logs")
        .about("Print the log of one build, or follow it while the build runs")
        .arg(job_id_arg())
        .arg(build_no_arg())
        .arg(
            Arg::new("follow")
                .long("follow")
                .short('f')
                .action(ArgAction::SetTrue)
                .help("Keep printing new log text until the build ends"),
        )
        .arg(
            Arg::new("poll_interval")
                .long("poll-interval")
                .value_name("DURATION")
                .value_parser(parse_duration)
                .default_value("5s")
                .help("Time between log polls while following"),
        )
}

fn download_log_command() -> Command {
    Command::new("download-log")
        .about("Download the complete log file of one build")
        .arg(job_id_arg())
        .arg(build_no_arg())
        .arg(crate::invoke::output_file_arg())
}

/// The positional job id of `logs` and `download-log`.
fn job_id_arg() -> Arg {
    Arg::new("job_id")
        .required(true)
        .value_name("JOB_ID")
        .help("The build job's id")
}

/// The positional build number of `logs` and `download-log`.
fn build_no_arg() -> Arg {
    Arg::new("build_no")
        .required(true)
        .value_name("BUILD_NO")
        .value_parser(value_parser!(i32).range(1..))
        .help("The build number")
}

fn completions_command() -> Command {
    Command::new("completions")
        .about("Print a shell completion script")
        .long_about(
            "Print a completion script for SHELL to stdout, for example:\n  \
             codearts-build completions bash > /etc/bash_completion.d/codearts-build\n  \
             codearts-build completions zsh > \"${fpath[1]}/_codearts-build\"",
        )
        .arg(
            Arg::new("shell")
                .required(true)
                .value_name("SHELL")
                .value_parser(value_parser!(clap_complete::Shell)),
        )
}

/// `NAME=VALUE` of `--param`.
fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err("expected NAME=VALUE".to_owned()),
    }
}

/// A duration such as `90s`, `30m`, `1h30m` or `500ms`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(std::time::Duration::from_secs(seconds));
    }
    let mut total = std::time::Duration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return Err("expected a duration such as 30s, 30m or 1h30m".to_owned());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("`{text}`: expected a duration such as 30s, 30m or 1h30m"))?;
        rest = &rest[digits..];
        let unit = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let step = match &rest[..unit] {
            "ms" => std::time::Duration::from_millis(number),
            "s" => std::time::Duration::from_secs(number),
            "m" => std::time::Duration::from_secs(number.saturating_mul(60)),
            "h" => std::time::Duration::from_secs(number.saturating_mul(3600)),
            other => {
                return Err(format!(
                    "`{text}`: unknown unit `{other}` (use ms, s, m or h)"
                ))
            }
        };
        total = total.saturating_add(step);
        rest = &rest[unit..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("3 weeks").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn params() {
        assert_eq!(parse_param("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert!(parse_param("novalue").is_err());
        assert!(parse_param("=x").is_err());
    }
}
