//! Downloads the full log of a build record to a file (or standard output), streaming it: the
//! log is never held in memory as a whole, however large it is.
//!
//! ```text
//! CODEARTS_BUILD_TOKEN=... cargo run -p codearts-build --example download_build_log -- \
//!     <record id> [output file]
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

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(record_id) = args.first() else {
        eprintln!("usage: download_build_log <record id> [output file]");
        return ExitCode::from(2);
    };
    match download(record_id, args.get(1).map(String::as_str)).await {
        Ok(bytes) => {
            eprintln!("downloaded {bytes} bytes");
            ExitCode::SUCCESS
        }
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
        .user_agent_suffix("example-download-build-log")
        .build()
}

async fn download(record_id: &str, output: Option<&str>) -> Result<u64, Error> {
    let client = client_from_env()?;
    let log = client
        .download_build_full_log()
        .record_id(record_id)
        .send()
        .await?;
    match output {
        Some(path) => {
            let file = tokio::fs::File::create(path)
                .await
                .map_err(|source| Error::Io {
                    message: format!("creating {path}"),
                    source,
                })?;
            log.write_to(file).await
        }
        None => log.write_to(tokio::io::stdout()).await,
    }
}
