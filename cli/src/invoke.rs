//! What the generated operation subcommands call: the shared context, the `--body` and
//! `--output-file` flags, file parts, and the shapes of a reply.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgMatches};
use codearts_build::{ByteStream, Client, FilePart};
use serde_json::Value;

use crate::failure::Failure;
use crate::progress::Progress;

/// What every subcommand needs besides its own flags.
pub struct Context {
    /// The configured client.
    pub client: Client,
    /// Whether stderr is a terminal (progress bars and spinners) or not (plain lines).
    pub progress: bool,
}

impl Context {
    /// The project id from `--project-id` or the environment, for parameters named
    /// `project_id`.
    pub fn project_id(&self) -> Option<&str> {
        self.client.project_id()
    }
}

/// What a subcommand produced.
#[derive(Debug)]
pub enum Reply {
    /// A JSON reply, printed as `--output` says.
    Json(Value),
    /// Nothing more to print: a reply without a body, or a download already written to its
    /// file or stdout.
    Done,
}

/// A JSON reply.
pub fn json<T: serde::Serialize>(reply: &T) -> Result<Reply, Failure> {
    serde_json::to_value(reply).map(Reply::Json).map_err(|e| {
        Failure::new(
            crate::failure::code::API,
            format!("cannot show the reply: {e}"),
        )
    })
}

/// The `--body` flag of an operation with a JSON request body.
pub fn body_arg(required: bool, help: &'static str) -> Arg {
    Arg::new("body")
        .long("body")
        .value_name("JSON|@FILE|-")
        .required(required)
        .help(format!(
            "{help} Inline JSON, @FILE to read a file, or - for stdin"
        ))
}

/// The `--body` value parsed as `T`: inline JSON, `@file.json`, or `-` for stdin. A value that
/// is not JSON of the documented shape is a usage error naming where it failed.
pub fn body<T: serde::de::DeserializeOwned>(matches: &ArgMatches) -> Result<Option<T>, Failure> {
    let Some(raw) = matches.get_one::<String>("body") else {
        return Ok(None);
    };
    let (text, from) = if raw == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("--body -: cannot read stdin: {e}")))?;
        (text, "stdin".to_owned())
    } else if let Some(path) = raw.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("--body @{path}: cannot read the file: {e}")))?;
        (text, path.to_owned())
    } else {
        (raw.clone(), "--body".to_owned())
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Failure::usage(format!("{from}: not a valid request body: {e}")))
}

/// A file part read from `path`, named after the file.
pub fn file_part(path: &Path) -> Result<FilePart, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("{}: cannot read the file: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    Ok(FilePart::from_bytes(name, bytes))
}

/// The `-o/--output-file` flag of an operation with a binary reply.
pub fn output_file_arg() -> Arg {
    Arg::new("output_file")
        .short('o')
        .long("output-file")
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Write the downloaded bytes to FILE instead of stdout")
}

/// Writes a binary reply to `-o FILE` or stdout, with a progress bar on a terminal.
pub async fn binary(
    cx: &Context,
    reply: ByteStream,
    matches: &ArgMatches,
) -> Result<Reply, Failure> {
    let to = matches.get_one::<PathBuf>("output_file").cloned();
    let progress = Progress::download(reply.content_length(), cx.progress);
    let bytes = crate::download::write(reply, to.as_deref(), &progress).await?;
    progress.finish(&match &to {
        Some(path) => format!("wrote {bytes} bytes to {}", path.display()),
        None => format!("wrote {bytes} bytes"),
    });
    Ok(Reply::Done)
}
