//! `codearts-build-fake`: the fake CodeArts Build server as a process, for clients in other
//! languages and for CI. Prints its endpoint, then serves until killed.

use std::process::ExitCode;

const HELP: &str = "\
A fake Huawei Cloud CodeArts Build server on 127.0.0.1.

Usage: codearts-build-fake [--port PORT] [--ak AK] [--sk SK] [--project-id ID] [--token TOKEN]

Options:
  --port PORT        Port to listen on (0 picks a free one) [default: 8080]
  --ak AK            Access key the gateway accepts [default: FAKEACCESSKEY0000000]
  --sk SK            Secret key the gateway accepts
  --project-id ID    Project id [default: 0f0a1e2b3c4d5e6f708192a3b4c5d6e7]
  --token TOKEN      Accept only this X-Auth-Token (default: any non-empty token)
  -h, --help         Show this help

Prints `endpoint=http://127.0.0.1:PORT` on its first line; controls under /__fake/.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut builder = codearts_build_fake::Fake::builder();
    let mut port: u16 = 8080;
    let (mut ak, mut sk) = (
        codearts_build_fake::ACCESS_KEY.to_owned(),
        codearts_build_fake::SECRET_KEY.to_owned(),
    );
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if matches!(flag, "-h" | "--help") {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        let Some(value) = args.get(i + 1).cloned() else {
            eprintln!("error: {flag} needs a value (see --help)");
            return ExitCode::from(2);
        };
        match flag {
            "--port" => match value.parse::<u16>() {
                Ok(p) => port = p,
                Err(_) => {
                    eprintln!("error: --port {value:?} is not a port number");
                    return ExitCode::from(2);
                }
            },
            "--ak" => ak = value,
            "--sk" => sk = value,
            "--project-id" => builder = builder.project_id(value),
            "--token" => builder = builder.token(value),
            other => {
                eprintln!("error: unexpected argument {other:?} (see --help)");
                return ExitCode::from(2);
            }
        }
        i += 2;
    }
    builder = builder.credentials(ak, sk);
    // The server panics on a port it cannot bind; say so in one line instead.
    if let Err(e) = std::net::TcpListener::bind(("127.0.0.1", port)) {
        eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    builder = builder.port(port);
    runtime.block_on(async {
        let fake = builder.start().await;
        println!("endpoint={}", fake.endpoint());
        println!("project_id={}", fake.project_id());
        // Serves until the process is killed.
        std::future::pending::<()>().await;
    });
    ExitCode::SUCCESS
}
