//! Writing a downloaded body to a file or stdout.

use std::path::Path;

use codearts_build::ByteStream;
use futures_util::StreamExt as _;
use tokio::io::AsyncWriteExt as _;

use crate::failure::Failure;
use crate::progress::Progress;

/// Writes `body` to `to` (stdout when `None`) and returns the number of bytes. A file is
/// written next to its target as `<name>.part` and renamed when complete, so a failed download
/// never leaves a truncated file under the requested name.
pub async fn write(
    body: ByteStream,
    to: Option<&Path>,
    progress: &Progress,
) -> Result<u64, Failure> {
    match to {
        None => copy(body, tokio::io::stdout(), progress).await,
        Some(path) => {
            let mut part = path.as_os_str().to_owned();
            part.push(".part");
            let part = std::path::PathBuf::from(part);
            let file = tokio::fs::File::create(&part).await.map_err(|e| {
                Failure::new(
                    crate::failure::code::API,
                    format!("{}: cannot create the file: {e}", part.display()),
                )
            })?;
            match copy(body, file, progress).await {
                Ok(bytes) => {
                    tokio::fs::rename(&part, path).await.map_err(|e| {
                        Failure::new(
                            crate::failure::code::API,
                            format!("{}: cannot rename the download: {e}", path.display()),
                        )
                    })?;
                    Ok(bytes)
                }
                Err(failure) => {
                    let _ = tokio::fs::remove_file(&part).await;
                    Err(failure)
                }
            }
        }
    }
}

async fn copy<W: tokio::io::AsyncWrite + Unpin>(
    mut body: ByteStream,
    mut out: W,
    progress: &Progress,
) -> Result<u64, Failure> {
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        out.write_all(&chunk).await?;
        total += chunk.len() as u64;
        progress.inc(chunk.len() as u64);
    }
    out.flush().await?;
    Ok(total)
}
