//! `cargo xtask`: project automation.
//!
//! - `cargo xtask gen [--spec PATH] [--out DIR] [--check]` regenerates the client crate.
//! - `cargo xtask bench-gen [--spec PATH]` times generation for the spec and synthetic copies.
//! - `cargo xtask spec-stats [--spec PATH] [--vendor-ops TSV]` counts what the spec covers.
//! - `cargo xtask api-surface [--crate DIR]` prints the generated crate's public API listing.
//! - `cargo xtask api-diff [--base REV]` is the API stability gate against a base commit.

mod api_gate;
mod bench;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use codegen::{output, Statics};

/// Generation builds and drops millions of small token and syntax-tree allocations; mimalloc
/// makes `cargo xtask gen` on large specs about 15% faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
Project automation for the CodeArts Build client.

Usage: cargo xtask <COMMAND>

Commands:
  gen          Generate the client crate from the spec (see `cargo xtask gen --help`)
  bench-gen    Time generation for the spec and for 4x and 10x synthetic copies
  spec-stats   Count operations per area, schemas, parameters and notes (see --help)
  api-surface  Print the generated crate's public API listing (what gen writes as API.txt)
  api-diff     Fail on a breaking API change without a version bump (against HEAD~1)
  help         Show this help

Options:
  -h, --help  Show help
";

const GEN_HELP: &str = "\
Generate the client crate (generated/) from the OpenAPI spec, and with the default --out the
command line's operation subcommands (cli/src/generated/).

Usage: cargo xtask gen [--spec PATH] [--out DIR] [--check]

Options:
  --spec PATH  The spec to read [default: spec/codeartsbuild.yaml]
  --out DIR    The crate directory to write [default: generated]
  --check      Write nothing; fail listing stale, missing and extra files with a diff
  -h, --help   Show this help

Everything is generated in memory first: a spec error writes nothing. Only files whose content
changed are written, and files the spec no longer produces are removed.
";

const BENCH_HELP: &str = "\
Time generation (parse, validate, emit, list the API; no file I/O, no compilation) for the
spec and for synthetic 4x and 10x copies of it (operations and schemas renamed per copy).

Usage: cargo xtask bench-gen [--spec PATH]
";

const STATS_HELP: &str = "\
Print, as Markdown, what the spec covers: operations per area (deprecated, paginated, binary),
schemas, parameters, x-doc-notes entries, examples and rate-limit classes. With the vendor's
operation list (a tab-separated file with `sdk_name`, `method` and `path` columns), also list
the operations only the spec has, those only the list has, and those whose method or path differ.

Usage: cargo xtask spec-stats [--spec PATH] [--vendor-ops TSV]
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match guarded(|| run(&args)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Where the last panic happened and what it said, recorded by the quiet panic hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `f`, turning a panic (a generator bug, never a spec problem) into one short message
/// instead of the default report and backtrace.
fn guarded<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, String> {
    std::panic::set_hook(Box::new(|info| {
        let message = panic_message(info.payload());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message}{location}"));
        }
    }));
    let result = std::panic::catch_unwind(f);
    let _ = std::panic::take_hook();
    result.map_err(|payload| {
        let recorded = LAST_PANIC.lock().ok().and_then(|mut last| last.take());
        let what = recorded.unwrap_or_else(|| panic_message(payload.as_ref()));
        format!(
            "internal error: the generator failed unexpectedly ({what}).\n\
             This is a bug in the generator, not in your spec; please report it together with \
             the spec that triggers it."
        )
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

fn run(args: &[String]) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            Ok(())
        }
        Some("gen") => gen(&args[1..]),
        Some("bench-gen") => bench_gen(&args[1..]),
        Some("spec-stats") => spec_stats(&args[1..]),
        Some("api-surface") => api_gate::surface(&root(), &args[1..]),
        Some("api-diff") => api_gate::diff(&root(), &args[1..]),
        Some(other) => Err(format!("unknown command {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}", message.trim_end());
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

struct Options {
    spec: PathBuf,
    out: PathBuf,
    check: bool,
}

fn parse(args: &[String], help: &str, allow: &[&str]) -> Result<Option<Options>, String> {
    let root = root();
    let mut options = Options {
        spec: root.join("spec").join("codeartsbuild.yaml"),
        out: root.join("generated"),
        check: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_str();
        if !allow.contains(&arg) && !matches!(arg, "-h" | "--help") {
            return Err(format!("unexpected argument {arg:?}\n\n{help}"));
        }
        match arg {
            "-h" | "--help" => {
                print!("{help}");
                return Ok(None);
            }
            "--check" => options.check = true,
            "--spec" | "--out" => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a value\n\n{help}"))?;
                let target = if arg == "--spec" {
                    &mut options.spec
                } else {
                    &mut options.out
                };
                *target = PathBuf::from(value);
            }
            _ => unreachable!("filtered by `allow`"),
        }
    }
    Ok(Some(options))
}

/// How the spec is named in generated headers and errors: relative to the workspace when it is
/// inside it, so that output never contains an absolute path.
fn display_name(spec: &Path) -> String {
    let absolute = std::fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let root = std::fs::canonicalize(root()).unwrap_or_else(|_| root());
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| spec.display().to_string()),
    }
}

fn read_spec(spec: &Path) -> Result<String, String> {
    std::fs::read_to_string(spec)
        .map_err(|e| format!("error: cannot read the spec {}: {e}", spec.display()))
}

fn gen(args: &[String]) -> Result<(), String> {
    let Some(options) = parse(args, GEN_HELP, &["--spec", "--out", "--check"])? else {
        return Ok(());
    };
    let started = Instant::now();
    let source = read_spec(&options.spec)?;
    let mut statics = Statics::load(&root().join("templates"))
        .map_err(|e| format!("error: reading templates/: {e}"))?;
    // Path dependencies: relative inside the workspace, absolute for a crate generated elsewhere.
    statics.runtime =
        codegen::emit::dependency_path(&options.out, &root(), &root().join("runtime"));
    statics.testkit = codegen::emit::testkit_path(&options.out, &root(), &root().join("testkit"));
    let name = display_name(&options.spec);
    let files = codegen::generate(&name, &source, &statics).map_err(|e| e.to_string())?;
    let out = &options.out;
    // The fake server's routes and the command line's subcommands come from the same spec;
    // only the workspace's own crate has them (not a crate generated elsewhere from another
    // spec).
    let default_out = *out == root().join("generated");
    let fake = if default_out {
        let files = codegen::generate_fake(&name, &source).map_err(|e| e.to_string())?;
        Some((root().join("fake").join("src").join("generated"), files))
    } else {
        None
    };
    let cli = if default_out {
        let files = codegen::generate_cli(&name, &source).map_err(|e| e.to_string())?;
        Some((root().join("cli").join("src").join("generated"), files))
    } else {
        None
    };
    if options.check {
        for (dir, files) in fake.iter().chain(cli.iter()) {
            let drift = output::check(dir, files)
                .map_err(|e| format!("error: reading {}: {e}", dir.display()))?;
            if !drift.is_empty() {
                return Err(format!(
                    "{drift}\nerror: {} is out of date with {name}; run `cargo xtask gen` and commit the result",
                    dir.display()
                ));
            }
        }
        let drift = output::check(out, &files)
            .map_err(|e| format!("error: reading {}: {e}", out.display()))?;
        if !drift.is_empty() {
            return Err(format!(
                "{drift}\nerror: {} is out of date with {name} ({} stale, {} missing, {} extra); run `cargo xtask gen` and commit the result",
                out.display(),
                drift.stale.len(),
                drift.missing.len(),
                drift.extra.len()
            ));
        }
        println!(
            "{} is up to date with {name} ({} files)",
            out.display(),
            files.len()
        );
        return Ok(());
    }
    if let Some((dir, files)) = &fake {
        output::write(dir, files).map_err(|e| format!("error: writing {}: {e}", dir.display()))?;
    }
    let done =
        output::write(out, &files).map_err(|e| format!("error: writing {}: {e}", out.display()))?;
    if let Some((dir, files)) = &cli {
        output::write_modules(dir, files)
            .map_err(|e| format!("error: writing {}: {e}", dir.display()))?;
    }
    println!(
        "generated {} files from {name} into {} in {} ms ({} written, {} removed)",
        files.len(),
        out.display(),
        started.elapsed().as_millis(),
        done.written.len(),
        done.removed.len()
    );
    Ok(())
}

fn bench_gen(args: &[String]) -> Result<(), String> {
    let Some(options) = parse(args, BENCH_HELP, &["--spec"])? else {
        return Ok(());
    };
    if cfg!(debug_assertions) {
        // `cargo xtask` builds in debug mode, where syn and prettyplease are ~10x slower than
        // in release: timings from that build would only mislead. Run again optimised.
        eprintln!("bench-gen: timing a release build of xtask");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args([
                "run",
                "--release",
                "--quiet",
                "--package",
                "xtask",
                "--",
                "bench-gen",
            ])
            .args(args)
            .status()
            .map_err(|e| format!("error: running cargo: {e}"))?;
        return if status.success() {
            Ok(())
        } else {
            Err("error: the release build of bench-gen failed".to_owned())
        };
    }
    let source = read_spec(&options.spec)?;
    let statics = Statics::load(&root().join("templates"))
        .map_err(|e| format!("error: reading templates/: {e}"))?;
    for copies in [1, 4, 10] {
        let spec = bench::replicate(&source, copies)?;
        let (best, lines) = bench::time(&spec, &statics, if copies == 10 { 3 } else { 10 })?;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{copies:>4}x: {:>9.1} ms  (load {:.1}, resolve {:.1}, emit {:.1}, API listing {:.1}; {} KiB of spec, {lines} lines generated)",
            ms(best.total()),
            ms(best.load),
            ms(best.resolve),
            ms(best.emit),
            ms(best.list),
            spec.len() / 1024
        );
    }
    Ok(())
}

fn spec_stats(args: &[String]) -> Result<(), String> {
    // The vendor list is this command's own option: split it off before the shared parser.
    let mut rest = Vec::new();
    let mut vendor = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--vendor-ops" {
            let value = args
                .next()
                .ok_or_else(|| format!("--vendor-ops needs a value\n\n{STATS_HELP}"))?;
            vendor = Some(PathBuf::from(value));
        } else {
            rest.push(arg.clone());
        }
    }
    let Some(options) = parse(&rest, STATS_HELP, &["--spec"])? else {
        return Ok(());
    };
    let source = read_spec(&options.spec)?;
    let vendor = match vendor {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
            Some(stats::parse_vendor_operations(
                &text,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    print!("{}", stats::report(&source, vendor.as_deref())?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let result: Result<(), String> = guarded(|| panic!("boom {}", 42));
        let message = result.expect_err("the panic is caught");
        assert!(message.starts_with("internal error: "), "{message}");
        assert!(message.contains("boom 42"), "{message}");
        assert!(message.contains("please report"), "{message}");
        assert_eq!(guarded(|| 7), Ok(7));
    }
}
