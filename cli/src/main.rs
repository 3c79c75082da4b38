//! `codearts-build`: the CodeArts Build command line.
//!
//! `run` starts a build and exits with its verdict; every operation of the API is also a
//! subcommand of its own, generated from the spec into `generated/` (`cargo xtask gen`).

mod app;
mod build_run;
mod config;
mod download;
mod failure;
// Formatted by the generator (prettyplease); `cargo xtask gen --check` compares it byte for byte.
#[rustfmt::skip]
mod generated;
mod invoke;
mod logs;
mod progress;
mod render;
mod signal;

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use clap::ArgMatches;

use failure::{code, Failure};
use invoke::{Context, Reply};

fn main() -> ExitCode {
    let matches = match app::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            // --help and --version print and exit 0; a usage error is one line and exit 2.
            if !error.use_stderr() {
                let _ = error.print();
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", usage_line(&error.render().to_string()));
            return ExitCode::from(code::USAGE);
        }
    };
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(code::USAGE);
    };
    if name == "completions" {
        return completions(sub);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            Failure::new(code::API, format!("cannot start the async runtime: {e}")).report();
            return ExitCode::from(code::API);
        }
    };
    match runtime.block_on(dispatch(&matches, name, sub)) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.code)
        }
    }
}

async fn dispatch(matches: &ArgMatches, name: &str, sub: &ArgMatches) -> Result<u8, Failure> {
    let client = config::client(sub)?;
    let terminal = std::io::stderr().is_terminal();
    match name {
        "run" => return build_run::run(&client, sub, terminal).await,
        "logs" => return logs::logs(&client, sub, terminal).await,
        "download-log" => return logs::download(&client, sub, terminal).await,
        _ => {}
    }
    let cx = Context {
        client,
        progress: terminal,
    };
    let reply = generated::run(name, &cx, sub)
        .await
        .ok_or_else(|| Failure::usage(format!("unknown command `{name}`")))??;
    let format = render::Format::from_flag(
        sub.get_one::<String>("output")
            .or(matches.get_one("output")),
    );
    match reply {
        Reply::Json(value) => {
            let mut out = std::io::stdout().lock();
            out.write_all(render::render(&value, format).as_bytes())?;
            out.flush()?;
        }
        Reply::Done => {}
    }
    Ok(code::SUCCESS)
}

/// clap's usage error on one line: the text before its first blank line (the message and, for
/// missing arguments, their names), folded, with a pointer to `--help`.
fn usage_line(rendered: &str) -> String {
    let head = rendered.split("\n\n").next().unwrap_or_default();
    let line = head.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{line} (see --help)")
}

fn completions(matches: &ArgMatches) -> ExitCode {
    let Some(shell) = matches.get_one::<clap_complete::Shell>("shell").copied() else {
        return ExitCode::from(code::USAGE);
    };
    clap_complete::generate(
        shell,
        &mut app::command(),
        "codearts-build",
        &mut std::io::stdout(),
    );
    ExitCode::SUCCESS
}
