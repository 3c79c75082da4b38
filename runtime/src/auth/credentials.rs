//! Credentials and where they come from.

use std::fmt;

use crate::Error;

/// Environment variable holding the access key (AK), as in the vendor's samples.
pub const ENV_ACCESS_KEY: &str = "CLOUD_SDK_AK";
/// Environment variable holding the secret key (SK).
pub const ENV_SECRET_KEY: &str = "CLOUD_SDK_SK";
/// Environment variable holding the security token of temporary AK/SK credentials.
pub const ENV_SECURITY_TOKEN: &str = "CLOUD_SDK_SECURITY_TOKEN";

/// How requests are authenticated.
///
/// `Debug` never shows a secret: the secret key, the security token and the token are printed
/// as `<redacted>`, and the access key shows only its first four characters.
#[derive(Clone)]
pub struct Credentials {
    pub(crate) kind: CredentialKind,
}

#[derive(Clone)]
pub(crate) enum CredentialKind {
    Token(String),
    AkSk {
        access_key: String,
        secret_key: String,
        security_token: Option<String>,
    },
}

impl Credentials {
    /// An IAM token, sent as the `X-Auth-Token` header.
    pub fn token(token: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::Token(token.into()),
        }
    }

    /// A permanent access key / secret key pair: every request is signed with
    /// `SDK-HMAC-SHA256`.
    pub fn ak_sk(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::AkSk {
                access_key: access_key.into(),
                secret_key: secret_key.into(),
                security_token: None,
            },
        }
    }

    /// Adds the security token of temporary AK/SK credentials, sent as `X-Security-Token` and
    /// covered by the signature. Token credentials have no security token: for them this
    /// returns `self` unchanged.
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        if let CredentialKind::AkSk { security_token, .. } = &mut self.kind {
            *security_token = Some(token.into());
        }
        self
    }

    /// Reads AK/SK credentials from the environment, as the vendor's samples name them:
    /// `CLOUD_SDK_AK` and `CLOUD_SDK_SK`, with the optional `CLOUD_SDK_SECURITY_TOKEN`.
    ///
    /// An IAM token has no vendor-wide variable: each service names its own, and
    /// [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) falls back to it (such as
    /// `CODEARTS_BUILD_TOKEN`) when no AK/SK pair is set.
    ///
    /// Returns [`Error::Config`] naming the variables when the pair is not set, or when only one
    /// half of it is.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env) but reads variables through `lookup`, so that callers
    /// (and tests) can supply their own source.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::from_lookup_or_token(lookup, None)
    }

    /// The AK/SK pair as [`from_lookup`](Self::from_lookup) reads it; without one, the IAM
    /// token in the variable `token`, when given.
    pub(crate) fn from_lookup_or_token(
        lookup: impl Fn(&str) -> Option<String>,
        token: Option<&str>,
    ) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        match (get(ENV_ACCESS_KEY), get(ENV_SECRET_KEY)) {
            (Some(ak), Some(sk)) => {
                let credentials = Credentials::ak_sk(ak, sk);
                Ok(match get(ENV_SECURITY_TOKEN) {
                    Some(token) => credentials.security_token(token),
                    None => credentials,
                })
            }
            (Some(_), None) => Err(Error::config(format!(
                "{ENV_ACCESS_KEY} is set but {ENV_SECRET_KEY} is not"
            ))),
            (None, Some(_)) => Err(Error::config(format!(
                "{ENV_SECRET_KEY} is set but {ENV_ACCESS_KEY} is not"
            ))),
            (None, None) => token.and_then(get).map(Credentials::token).ok_or_else(|| {
                let or_token = token.map(|t| format!(", or {t}")).unwrap_or_default();
                Error::config(format!(
                    "no credentials in the environment: set {ENV_ACCESS_KEY} and \
                         {ENV_SECRET_KEY} (plus {ENV_SECURITY_TOKEN} for temporary keys){or_token}"
                ))
            }),
        }
    }

    /// Whether requests are signed with an AK/SK pair (rather than carrying a token).
    pub fn is_ak_sk(&self) -> bool {
        matches!(self.kind, CredentialKind::AkSk { .. })
    }

    /// Checks that every value is non-empty and can be sent in an HTTP header.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let check = |what: &str, value: &str| -> Result<(), Error> {
            if value.is_empty() {
                return Err(Error::config(format!("the {what} is empty")));
            }
            // Visible ASCII only: anything else cannot travel in a header unchanged. The value
            // itself is not part of the message.
            if !value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
                return Err(Error::config(format!(
                    "the {what} contains characters that cannot be sent in an HTTP header"
                )));
            }
            Ok(())
        };
        match &self.kind {
            CredentialKind::Token(token) => check("token", token),
            CredentialKind::AkSk {
                access_key,
                secret_key,
                security_token,
            } => {
                check("access key", access_key)?;
                check("secret key", secret_key)?;
                if let Some(token) = security_token {
                    check("security token", token)?;
                }
                Ok(())
            }
        }
    }
}

/// The first four characters of an access key, the rest masked.
fn mask(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    format!("{shown}****")
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CredentialKind::Token(_) => f
                .debug_struct("Credentials::Token")
                .field("token", &"<redacted>")
                .finish(),
            CredentialKind::AkSk {
                access_key,
                security_token,
                ..
            } => f
                .debug_struct("Credentials::AkSk")
                .field("access_key", &mask(access_key))
                .field("secret_key", &"<redacted>")
                .field(
                    "security_token",
                    &security_token.as_ref().map(|_| "<redacted>"),
                )
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let c = Credentials::ak_sk("AKEXAMPLE123", "super-secret-sk").security_token("sts-token");
        let text = format!("{c:?}");
        assert!(text.contains("AKEX****"), "{text}");
        assert!(!text.contains("super-secret-sk"));
        assert!(!text.contains("sts-token"));
        assert!(!text.contains("AKEXAMPLE123"));
        let text = format!("{:?}", Credentials::token("tok-secret"));
        assert!(!text.contains("tok-secret"));
    }

    #[test]
    fn from_lookup_prefers_ak_sk_and_reports_missing_halves() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let token = Some("SERVICE_TOKEN");
        let c = Credentials::from_lookup_or_token(
            env(&[
                ("CLOUD_SDK_AK", "ak"),
                ("CLOUD_SDK_SK", "sk"),
                ("SERVICE_TOKEN", "t"),
            ]),
            token,
        )
        .unwrap();
        assert!(c.is_ak_sk());
        let c = Credentials::from_lookup_or_token(env(&[("SERVICE_TOKEN", "t")]), token).unwrap();
        assert!(!c.is_ak_sk());
        let e = Credentials::from_lookup(env(&[("CLOUD_SDK_AK", "ak")])).unwrap_err();
        assert!(e.to_string().contains("CLOUD_SDK_SK"), "{e}");
        let e = Credentials::from_lookup_or_token(env(&[]), token).unwrap_err();
        assert!(e.to_string().contains("or SERVICE_TOKEN"), "{e}");
        // Without a service, a token variable is not read, and the message does not offer one.
        let e = Credentials::from_lookup(env(&[("SERVICE_TOKEN", "t")])).unwrap_err();
        assert!(e.to_string().ends_with("for temporary keys)"), "{e}");
    }

    #[test]
    fn validate_rejects_values_that_cannot_be_headers() {
        assert!(Credentials::token("").validate().is_err());
        assert!(Credentials::ak_sk("ak", "s k").validate().is_err());
        assert!(Credentials::ak_sk("ak", "sk\n").validate().is_err());
        assert!(Credentials::ak_sk("ak", "sk").validate().is_ok());
    }
}
