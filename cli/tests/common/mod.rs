//! Running the `codearts-build` binary against the in-process test server.

#![allow(dead_code, reason = "each test file uses a part")]

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt as _;

/// A secret key no output may contain.
pub const SECRET: &str = "SECRET-sk-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// The access key of the tests.
pub const AK: &str = "TESTAKEXAMPLE0000000";
/// The project id of the tests.
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";
/// A job id that fits the documented pattern.
pub const JOB: &str = "abcdef0123456789abcdef0123456789";

/// What the binary did.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with a clean environment: credentials, project id and the server's endpoint.
pub fn command(endpoint: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_codearts-build"));
    command
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SECRET)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .env("CODEARTS_BUILD_ENDPOINT", endpoint)
        .env("CODEARTS_BUILD_ALLOW_INSECURE_HTTP", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Runs the binary with `args`, `stdin` as its input, and waits (at most 60 s).
pub async fn run_with(mut command: tokio::process::Command, args: &[&str], stdin: &str) -> Outcome {
    let mut child = command.args(args).spawn().expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("write stdin");
    drop(input);
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the binary finishes within 60 s")
        .expect("the binary runs");
    let outcome = Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !outcome.stdout.contains(SECRET) && !outcome.stderr.contains(SECRET),
        "the secret key was printed: {outcome:?}"
    );
    assert!(
        !outcome.stderr.contains("panicked"),
        "the binary panicked: {outcome:?}"
    );
    outcome
}

/// Runs the binary against `endpoint` with `args`.
pub async fn run(endpoint: &str, args: &[&str]) -> Outcome {
    run_with(command(endpoint), args, "").await
}
