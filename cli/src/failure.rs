//! Exit codes and the one-line error every failure ends with.

use codearts_build::Error;

/// The process exit codes, documented in `--help` (`EXIT CODES`).
pub mod code {
    /// The command did what was asked; for `run`, the build succeeded.
    pub const SUCCESS: u8 = 0;
    /// `run`: the build finished and failed.
    pub const BUILD_FAILED: u8 = 1;
    /// Bad flags or arguments, or an input that breaks a documented constraint (as clap).
    pub const USAGE: u8 = 2;
    /// `run`: the build was aborted (stopped by someone, or by the service).
    pub const BUILD_ABORTED: u8 = 3;
    /// `run --timeout`: the build had not finished when the timeout passed.
    pub const TIMED_OUT: u8 = 4;
    /// Configuration: missing or half-set credentials, unknown region, bad endpoint.
    pub const CONFIG: u8 = 5;
    /// The service rejected the credentials (HTTP 401 or 403).
    pub const AUTH: u8 = 6;
    /// Any other error from the service or the network, or a reply that cannot be read.
    pub const API: u8 = 7;
    /// Interrupted by SIGINT or SIGTERM (for `run`: after asking the service to stop the build).
    pub const INTERRUPTED: u8 = 130;
}

/// Why a command failed: the exit code, one line saying what went wrong, and a hint where one
/// helps.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What went wrong, on one line.
    pub message: String,
    /// What to check, when something specific is worth checking.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure with `code` and `message` and no hint.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: one_line(&message.into()),
            hint: None,
        }
    }

    /// A usage error (exit 2): a value the command cannot use.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(code::USAGE, message)
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the failure to stderr: `error: ...`, then `hint: ...` when there is one. A
    /// secret from the environment that a reply echoed back (a security token in a proxy's
    /// error page) is masked.
    pub fn report(&self) {
        eprintln!("error: {}", redact(&self.message));
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
    }
}

/// The variables whose values are secrets: the secret keys, security tokens and IAM token
/// the credentials chain reads.
const SECRET_VARS: &[&str] = &[
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "CLOUD_SDK_SK",
    "CLOUD_SDK_SECURITY_TOKEN",
    "CODEARTS_BUILD_TOKEN",
];

/// `text` with every secret from the environment replaced by `***`.
pub fn redact(text: &str) -> String {
    let mut text = text.to_owned();
    for name in SECRET_VARS {
        if let Ok(secret) = std::env::var(name) {
            // Short values would mask ordinary words; real keys and tokens are long.
            if secret.trim().len() >= 8 {
                text = text.replace(secret.trim(), "***");
            }
        }
    }
    text
}

/// Newlines and runs of spaces folded, so that a failure is one line whatever the reply held.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        match &error {
            Error::Config { message: text } if text.starts_with("no endpoint") => {
                Failure::new(code::CONFIG, message)
                    .with_hint("pass --region or --endpoint, or set CODEARTS_BUILD_REGION")
            }
            Error::Config { .. } => Failure::new(code::CONFIG, message)
                .with_hint("see ENVIRONMENT in `codearts-build --help`"),
            Error::InvalidRequest { .. } => Failure::usage(message),
            _ if matches!(error.status(), Some(401 | 403))
                || matches!(error, Error::SignatureRejected { .. }) =>
            {
                Failure::new(code::AUTH, message).with_hint(
                    "the service rejected the credentials: check this machine's clock, the \
                     AK/SK pair (or token) and that the project id belongs to the same account",
                )
            }
            Error::Timeout { .. } | Error::Transport { .. } => Failure::new(code::API, message)
                .with_hint("check the endpoint or region and the network (proxy, firewall)"),
            Error::Tls { .. } => Failure::new(code::API, message).with_hint(
                "the server's certificate is not trusted; for a private CA set SSL_CERT_FILE",
            ),
            _ if error.status() == Some(429) => Failure::new(code::API, message)
                .with_hint("the API gateway throttled the call; wait a minute and try again"),
            _ => Failure::new(code::API, message),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::new(code::API, format!("I/O error: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_one_line() {
        let failure = Failure::new(code::API, "first\nsecond   third");
        assert_eq!(failure.message, "first second third");
    }

    #[test]
    fn errors_map_to_their_exit_codes() {
        assert_eq!(Failure::from(Error::config("no")).code, code::CONFIG);
        assert_eq!(
            Failure::from(Error::invalid("job_id", "bad")).code,
            code::USAGE
        );
    }
}
