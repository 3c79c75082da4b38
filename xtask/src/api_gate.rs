//! `cargo xtask api-surface` and `cargo xtask api-diff`: the generated crate's public API, and
//! the stability gate that compares it with a base commit's.
//!
//! Both sides are listed from sources with the current lister ([`codegen::surface`]), the base
//! side from the base commit's files read through git: a change to the lister itself then never
//! shows up as a change of the API, and a base from before `API.txt` existed works too.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use codegen::surface::{self, Severity, Version};

pub const SURFACE_HELP: &str = "\
Print the public API listing of a generated crate (what `cargo xtask gen` writes as API.txt).

Usage: cargo xtask api-surface [--crate DIR]

Options:
  --crate DIR  The crate directory [default: generated]
  -h, --help   Show this help
";

pub const DIFF_HELP: &str = "\
Compare the generated crate's public API with a base commit's; fail when a breaking change
comes without the version bump it needs (0.x: a new minor version; 1.x and later: a new major).

Usage: cargo xtask api-diff [--base REV] [--crate DIR]

Options:
  --base REV   The commit to compare with [default: HEAD~1]; in CI, the merge base
  --crate DIR  The crate directory, inside the repository [default: generated]
  -h, --help   Show this help

Passes with \"no base\" when REV is not in the history (a shallow or one-commit clone) or the
crate did not exist there.
";

/// Options of both commands.
struct Options {
    base: String,
    krate: String,
}

fn parse(args: &[String], help: &str, allow_base: bool) -> Result<Option<Options>, String> {
    let mut options = Options {
        base: "HEAD~1".to_owned(),
        krate: "generated".to_owned(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{help}");
                return Ok(None);
            }
            flag @ ("--base" | "--crate") if flag == "--crate" || allow_base => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{flag} needs a value\n\n{help}"))?;
                if flag == "--base" {
                    options.base = value.clone();
                } else {
                    options.krate = value.trim_end_matches('/').to_owned();
                }
            }
            other => return Err(format!("unexpected argument {other:?}\n\n{help}")),
        }
    }
    Ok(Some(options))
}

/// `cargo xtask api-surface`.
pub fn surface(root: &Path, args: &[String]) -> Result<(), String> {
    let Some(options) = parse(args, SURFACE_HELP, false)? else {
        return Ok(());
    };
    let dir = root.join(&options.krate);
    let files = read_dir_sources(&dir)?;
    let listing = surface::listing(&files).map_err(|e| format!("error: {}: {e}", dir.display()))?;
    print!("{listing}");
    Ok(())
}

/// `cargo xtask api-diff`.
pub fn diff(root: &Path, args: &[String]) -> Result<(), String> {
    let Some(options) = parse(args, DIFF_HELP, true)? else {
        return Ok(());
    };
    let base = &options.base;
    let krate = &options.krate;
    let Some(commit) = git_commit(root, base)? else {
        // A shallow or one-commit clone has no previous commit to compare with; a name that is
        // missing from a full history is a mistake, not a reason to pass.
        if let Some(why) = no_history(root)? {
            println!("api-diff: no base: {base} is not available ({why}); nothing to compare");
            return Ok(());
        }
        return Err(format!(
            "error: --base {base}: no such commit in this repository"
        ));
    };
    let short = &commit[..commit.len().min(12)];
    let base_files = git_sources(root, &commit, krate)?;
    if !base_files.contains_key("src/lib.rs") {
        println!("api-diff: no base: {krate}/src/lib.rs does not exist at {base} ({short})");
        return Ok(());
    }
    let old = surface::listing(&base_files)
        .map_err(|e| format!("error: listing the API of {krate}/ at {base} ({short}): {e}"))?;
    let dir = root.join(krate);
    let new = surface::listing(&read_dir_sources(&dir)?)
        .map_err(|e| format!("error: listing the API of {}: {e}", dir.display()))?;
    let old_version = git_show(root, &commit, &format!("{krate}/Cargo.toml"))?
        .ok_or_else(|| format!("error: {krate}/Cargo.toml does not exist at {base} ({short})"))
        .and_then(|manifest| {
            Version::of_manifest(&manifest)
                .map_err(|e| format!("error: {krate}/Cargo.toml at {base} ({short}): {e}"))
        })?;
    let manifest_path = dir.join("Cargo.toml");
    let new_version = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("error: reading {}: {e}", manifest_path.display()))
        .and_then(|manifest| {
            Version::of_manifest(&manifest)
                .map_err(|e| format!("error: {}: {e}", manifest_path.display()))
        })?;
    let report = verdict(
        &old,
        &new,
        old_version,
        new_version,
        &format!("{base} ({short})"),
    );
    print!("{}", report.text);
    if report.pass {
        Ok(())
    } else {
        Err(format!(
            "error: the public API of {krate}/ has breaking changes since {base} ({short}) but its \
             version went from {old_version} to {new_version}; bump it to at least {} \
             (CRATE_VERSION in codegen/src/emit/scaffold.rs, then `cargo xtask gen`) and add a \
             changelog entry",
            needed(old_version)
        ))
    }
}

/// The outcome of a comparison: the report to print and whether the gate passes.
pub struct Verdict {
    /// What changed, grouped by severity, then the decision.
    pub text: String,
    /// Whether the gate passes.
    pub pass: bool,
}

/// Compares two listings and decides: breaking changes pass only with the bump they need.
pub fn verdict(
    old: &str,
    new: &str,
    old_version: Version,
    new_version: Version,
    base: &str,
) -> Verdict {
    let changes = surface::compare(old, new);
    let breaking: Vec<_> = changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .collect();
    let minor = changes.len() - breaking.len();
    let mut text = String::new();
    for (severity, title) in [
        (Severity::Breaking, "breaking"),
        (Severity::Minor, "compatible"),
    ] {
        let selected: Vec<_> = changes.iter().filter(|c| c.severity == severity).collect();
        if selected.is_empty() {
            continue;
        }
        text += &format!("{title} changes ({}):\n", selected.len());
        for change in selected {
            text += &format!("  {change}\n");
        }
    }
    let bumped = old_version.allows_breaking(&new_version);
    text += &format!(
        "api-diff against {base}: {} breaking, {minor} compatible change(s); version {old_version} -> {new_version}",
        breaking.len()
    );
    let pass = breaking.is_empty() || bumped;
    text += match (breaking.is_empty(), bumped) {
        (true, _) => "; ok\n",
        (false, true) => "; ok: the version bump allows breaking changes\n",
        (false, false) => "; FAILED: breaking changes need a version bump\n",
    };
    Verdict { text, pass }
}

/// The smallest version that may carry breaking changes after `old`.
fn needed(old: Version) -> Version {
    match (old.major, old.minor) {
        (0, 0) => Version {
            patch: old.patch + 1,
            ..old
        },
        (0, minor) => Version {
            major: 0,
            minor: minor + 1,
            patch: 0,
        },
        (major, _) => Version {
            major: major + 1,
            minor: 0,
            patch: 0,
        },
    }
}

/// The commit `rev` names, or `None` when the history does not hold it.
fn git_commit(root: &Path, rev: &str) -> Result<Option<String>, String> {
    let output = git(root)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .output()
        .map_err(|e| format!("error: running git: {e}"))?;
    if !output.status.success() {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    ))
}

/// Why the history may lack a base commit: not a repository, a shallow clone, or a single
/// commit; `None` for a full history.
fn no_history(root: &Path) -> Result<Option<&'static str>, String> {
    let run = |args: &[&str]| {
        git(root)
            .args(args)
            .output()
            .map_err(|e| format!("error: running git: {e}"))
    };
    if !run(&["rev-parse", "--git-dir"])?.status.success() {
        return Ok(Some("not a git repository"));
    }
    let shallow = run(&["rev-parse", "--is-shallow-repository"])?;
    if String::from_utf8_lossy(&shallow.stdout).trim() == "true" {
        return Ok(Some("shallow clone"));
    }
    if !run(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?
        .status
        .success()
        || !run(&["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"])?
            .status
            .success()
    {
        return Ok(Some("no previous commit"));
    }
    Ok(None)
}

fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(root);
    command
}

/// A file at a commit; `None` when it does not exist there.
fn git_show(root: &Path, commit: &str, path: &str) -> Result<Option<String>, String> {
    let output = git(root)
        .args(["show", &format!("{commit}:{path}")])
        .output()
        .map_err(|e| format!("error: running git: {e}"))?;
    if !output.status.success() {
        return Ok(None);
    }
    String::from_utf8(output.stdout)
        .map(Some)
        .map_err(|_| format!("error: {path} at {commit} is not UTF-8"))
}

/// The `src/**.rs` files of the crate directory `krate` at `commit`, relative to the crate,
/// read with one `git cat-file --batch`.
fn git_sources(root: &Path, commit: &str, krate: &str) -> Result<BTreeMap<String, String>, String> {
    let listed = git(root)
        .args(["ls-tree", "-r", "-z", "--name-only", commit, "--"])
        .arg(format!("{krate}/src"))
        .output()
        .map_err(|e| format!("error: running git: {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "error: git ls-tree {commit}: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    let paths: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .split('\0')
        .filter(|p| p.ends_with(".rs"))
        .map(str::to_owned)
        .collect();
    if paths.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: running git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("error: no stdin for git")?;
    let requests: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
    // Written from another thread: git answers while it reads, and a full pipe would block both.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or("error: no stdout from git")?
        .read_to_end(&mut out)
        .map_err(|e| format!("error: reading from git: {e}"))?;
    let _ = writer.join();
    child.wait().map_err(|e| format!("error: git: {e}"))?;
    let mut files = BTreeMap::new();
    let mut rest = out.as_slice();
    for path in &paths {
        let newline = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("error: truncated output from git cat-file")?;
        let header = String::from_utf8_lossy(&rest[..newline]).into_owned();
        rest = &rest[newline + 1..];
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .filter(|_| header.contains(" blob "))
            .ok_or_else(|| format!("error: git cat-file {path}: {header}"))?;
        if rest.len() < size + 1 {
            return Err("error: truncated output from git cat-file".to_owned());
        }
        let text = String::from_utf8(rest[..size].to_vec())
            .map_err(|_| format!("error: {path} at {commit} is not UTF-8"))?;
        rest = &rest[size + 1..];
        let relative = path
            .strip_prefix(&format!("{krate}/"))
            .unwrap_or(path)
            .to_owned();
        files.insert(relative, text);
    }
    Ok(files)
}

/// The `src/**.rs` files under a crate directory, relative to it.
fn read_dir_sources(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.join("src")];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("error: reading {}: {e}", current.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("error: reading {}: {e}", current.display()))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("error: reading {}: {e}", path.display()))?;
                let relative = path
                    .strip_prefix(dir)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                files.insert(relative, text);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    const OLD: &str = "# listing\nstruct crate::A\nfield crate::A.x i32\nfn crate::f fn()\n";

    #[test]
    fn a_breaking_change_without_a_bump_fails_and_says_what_broke() {
        let new = "# listing\nstruct crate::A\nfield crate::A.x i32\n";
        let verdict = verdict(OLD, new, v("0.1.0"), v("0.1.1"), "base");
        assert!(!verdict.pass);
        assert!(
            verdict.text.contains("removed: fn crate::f fn()"),
            "{}",
            verdict.text
        );
        assert!(verdict.text.contains("FAILED"), "{}", verdict.text);
    }

    #[test]
    fn a_breaking_change_with_the_minor_bump_passes_under_1_0() {
        let new = "# listing\nstruct crate::A\n";
        let verdict = verdict(OLD, new, v("0.1.0"), v("0.2.0"), "base");
        assert!(verdict.pass, "{}", verdict.text);
        assert!(verdict.text.contains("2 breaking"), "{}", verdict.text);
    }

    #[test]
    fn additions_pass_without_a_bump() {
        let new = format!("{OLD}fn crate::g fn()\n");
        let verdict = verdict(OLD, &new, v("0.1.0"), v("0.1.0"), "base");
        assert!(verdict.pass, "{}", verdict.text);
        assert!(
            verdict.text.contains("0 breaking, 1 compatible"),
            "{}",
            verdict.text
        );
    }

    #[test]
    fn the_needed_bump_follows_cargo() {
        assert_eq!(needed(v("0.1.3")), v("0.2.0"), "base");
        assert_eq!(needed(v("0.0.3")), v("0.0.4"));
        assert_eq!(needed(v("1.4.2")), v("2.0.0"));
    }

    #[test]
    fn options_default_to_the_previous_commit_and_generated() {
        let options = parse(&[], DIFF_HELP, true).unwrap().unwrap();
        assert_eq!(
            (options.base.as_str(), options.krate.as_str()),
            ("HEAD~1", "generated")
        );
        let args = ["--base".to_owned(), "main".to_owned()];
        assert_eq!(parse(&args, DIFF_HELP, true).unwrap().unwrap().base, "main");
        assert!(parse(&args, SURFACE_HELP, false).is_err());
        assert!(parse(&["--base".to_owned()], DIFF_HELP, true).is_err());
    }
}

/// The gate end to end through git, on a throwaway repository holding a tiny crate.
#[cfg(test)]
mod git_tests {
    use super::*;
    use std::path::PathBuf;

    struct Repo(PathBuf);

    impl Drop for Repo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    impl Repo {
        fn new(name: &str) -> Repo {
            let dir = std::env::temp_dir().join(format!("api-gate-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("generated/src")).unwrap();
            let repo = Repo(dir);
            repo.git(&["init", "--quiet"]);
            repo
        }

        fn git(&self, args: &[&str]) {
            let status = git(&self.0)
                .args([
                    "-c",
                    "user.name=gate",
                    "-c",
                    "user.email=gate@example.invalid",
                ])
                .args(args)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        }

        fn commit(&self, version: &str, lib: &str) {
            let manifest = format!("[package]\nname = \"tiny\"\nversion = \"{version}\"\n");
            std::fs::write(self.0.join("generated/Cargo.toml"), manifest).unwrap();
            std::fs::write(self.0.join("generated/src/lib.rs"), lib).unwrap();
            self.git(&["add", "-A"]);
            self.git(&["commit", "--quiet", "-m", "change"]);
        }

        fn diff(&self, args: &[&str]) -> Result<(), String> {
            let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            diff(&self.0, &args)
        }
    }

    const V1: &str = "pub struct A { pub x: i32 }\npub fn f() {}\n";
    const V2_BREAKING: &str = "pub struct A { pub x: i32, pub y: i32 }\npub fn f() {}\n";
    const V2_ADDITION: &str = "pub struct A { pub x: i32 }\npub fn f() {}\npub fn g() {}\n";

    #[test]
    fn a_single_commit_has_no_base_and_passes() {
        let repo = Repo::new("single");
        repo.commit("0.1.0", V1);
        assert_eq!(repo.diff(&[]), Ok(()));
        // An unknown name in a one-commit history is also "no base".
        assert_eq!(repo.diff(&["--base", "nope"]), Ok(()));
    }

    #[test]
    fn a_breaking_change_needs_the_bump_and_an_addition_does_not() {
        let repo = Repo::new("history");
        repo.commit("0.1.0", V1);
        repo.commit("0.1.0", V2_ADDITION);
        assert_eq!(repo.diff(&[]), Ok(()));
        repo.commit("0.1.0", V2_BREAKING);
        let error = repo
            .diff(&[])
            .expect_err("a field added to an exhaustive struct");
        assert!(error.contains("bump it to at least 0.2.0"), "{error}");
        repo.commit("0.2.0", V2_BREAKING);
        // Against the commit before the bump: no API change, a newer version.
        assert_eq!(repo.diff(&[]), Ok(()));
        // Against the first commit: breaking, with the bump.
        assert_eq!(repo.diff(&["--base", "HEAD~3"]), Ok(()));
        let error = repo
            .diff(&["--base", "no-such-rev"])
            .expect_err("a typo fails");
        assert!(error.contains("no such commit"), "{error}");
    }
}
