//! Credentials and where they come from.

use std::fmt;
use std::time::SystemTime;

use super::key::SigningKey;
use crate::Error;

/// Environment variable holding the access key (AK), as the vendor's SDKs name it (their
/// environment credentials provider); read before [`ENV_ACCESS_KEY`].
pub const ENV_SDK_ACCESS_KEY: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable holding the secret key (SK), as the vendor's SDKs name it.
pub const ENV_SDK_SECRET_KEY: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable holding the security token of temporary AK/SK credentials, as the
/// vendor's SDKs name it.
pub const ENV_SDK_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable holding the project id, as the vendor's SDKs name it.
pub const ENV_SDK_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Environment variable holding the access key (AK), as in the vendor's samples.
pub const ENV_ACCESS_KEY: &str = "CLOUD_SDK_AK";
/// Environment variable holding the secret key (SK), as in the vendor's samples.
pub const ENV_SECRET_KEY: &str = "CLOUD_SDK_SK";
/// Environment variable holding the security token of temporary AK/SK credentials, next to
/// [`ENV_ACCESS_KEY`].
pub const ENV_SECURITY_TOKEN: &str = "CLOUD_SDK_SECURITY_TOKEN";

/// One set of AK/SK variables, in the order [`Credentials::from_env`] reads them.
pub(crate) struct EnvKeys {
    pub(crate) access_key: &'static str,
    pub(crate) secret_key: &'static str,
    pub(crate) security_token: &'static str,
}

/// The vendor SDKs' variables first, then the vendor samples'.
pub(crate) const ENV_KEY_SETS: [EnvKeys; 2] = [
    EnvKeys {
        access_key: ENV_SDK_ACCESS_KEY,
        secret_key: ENV_SDK_SECRET_KEY,
        security_token: ENV_SDK_SECURITY_TOKEN,
    },
    EnvKeys {
        access_key: ENV_ACCESS_KEY,
        secret_key: ENV_SECRET_KEY,
        security_token: ENV_SECURITY_TOKEN,
    },
];

/// How requests are authenticated.
///
/// `Debug` never shows a secret: the secret key, the security token and the token are printed
/// as `<redacted>`, and the access key shows only its first four characters.
///
/// ```
/// use codearts_runtime::Credentials;
///
/// // Permanent keys: every request is signed.
/// let permanent = Credentials::ak_sk("HPUAEXAMPLEACCESSKEY", "example-secret-key");
/// // Temporary keys (from IAM's security token API): signed, plus X-Security-Token.
/// let temporary = Credentials::ak_sk("TMPAK", "tmp-sk").security_token("sts-token");
/// // An IAM token: sent as X-Auth-Token, nothing signed.
/// let token = Credentials::token("MIIZ...");
/// assert!(permanent.is_ak_sk() && temporary.is_ak_sk() && !token.is_ak_sk());
/// assert!(!format!("{temporary:?}").contains("sts-token"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) kind: CredentialKind,
    /// When the credentials stop working, if they say.
    expiry: Option<SystemTime>,
}

#[derive(Clone)]
pub(crate) enum CredentialKind {
    Token(String),
    AkSk {
        access_key: String,
        secret_key: String,
        security_token: Option<String>,
        /// The secret prepared for signing: made with the secret, so never stale.
        key: SigningKey,
    },
}

impl Credentials {
    /// An IAM token, sent as the `X-Auth-Token` header.
    pub fn token(token: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::Token(token.into()),
            expiry: None,
        }
    }

    /// A permanent access key / secret key pair: every request is signed with
    /// `SDK-HMAC-SHA256`.
    pub fn ak_sk(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        let secret_key = secret_key.into();
        Credentials {
            kind: CredentialKind::AkSk {
                access_key: access_key.into(),
                key: SigningKey::new(&secret_key),
                secret_key,
                security_token: None,
            },
            expiry: None,
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

    /// Records when these credentials expire: an IAM token is valid for 24 hours, temporary
    /// AK/SK for as long as they were issued for. A
    /// [`ReloadingCredentials`](crate::auth::ReloadingCredentials) provider loads new ones
    /// before then; a client given fixed credentials ignores it.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When these credentials expire, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Reads AK/SK credentials from the environment: first as the vendor's SDKs name them
    /// (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN`),
    /// then as the vendor's samples do (`CLOUD_SDK_AK`, `CLOUD_SDK_SK`, optional
    /// `CLOUD_SDK_SECURITY_TOKEN`). A security token makes them temporary credentials.
    ///
    /// This reads variables only. [`ClientBuilder::from_env`](crate::ClientBuilder::from_env)
    /// runs the whole chain: these, the service's own token variable (such as
    /// `CODEARTS_BUILD_TOKEN`) and the credentials file (see [`crate::auth::profile`]).
    ///
    /// Returns [`Error::Config`] naming the variables when no pair is set, or when only one
    /// half of a pair is.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env) but reads variables through `lookup`, so that callers
    /// (and tests) can supply their own source.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use codearts_runtime::Credentials;
    ///
    /// let env = HashMap::from([
    ///     ("HUAWEICLOUD_SDK_AK", "SDKAK"),
    ///     ("HUAWEICLOUD_SDK_SK", "sdk-sk"),
    ///     ("CLOUD_SDK_AK", "SAMPLEAK"),
    ///     ("CLOUD_SDK_SK", "sample-sk"),
    /// ]);
    /// let credentials = Credentials::from_lookup(|name| env.get(name).map(|v| v.to_string()))?;
    /// // The vendor SDKs' variables come first.
    /// assert!(format!("{credentials:?}").contains("SDKA****"));
    /// # Ok::<(), codearts_runtime::Error>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        match Self::from_env_keys(&lookup)? {
            Some((credentials, _)) => Ok(credentials),
            None => Err(Error::config(format!(
                "no credentials in the environment: set {ENV_SDK_ACCESS_KEY} and \
                 {ENV_SDK_SECRET_KEY} (or {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}), plus the \
                 matching security token variable for temporary keys"
            ))),
        }
    }

    /// The first AK/SK pair of [`ENV_KEY_SETS`] that is set, with the set it came from; `None`
    /// when no variable of any pair is set. Half a pair is an error rather than a reason to
    /// look further: the next source could hold another account's keys.
    pub(crate) fn from_env_keys(
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<(Self, &'static EnvKeys)>, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        for keys in &ENV_KEY_SETS {
            match (get(keys.access_key), get(keys.secret_key)) {
                (Some(ak), Some(sk)) => {
                    let credentials = Credentials::ak_sk(ak, sk);
                    let credentials = match get(keys.security_token) {
                        Some(token) => credentials.security_token(token),
                        None => credentials,
                    };
                    return Ok(Some((credentials, keys)));
                }
                (Some(_), None) => {
                    return Err(Error::config(format!(
                        "{} is set but {} is not",
                        keys.access_key, keys.secret_key
                    )))
                }
                (None, Some(_)) => {
                    return Err(Error::config(format!(
                        "{} is set but {} is not",
                        keys.secret_key, keys.access_key
                    )))
                }
                (None, None) => {}
            }
        }
        Ok(None)
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
                ..
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
                .field("expiry", &self.expiry)
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
                .field("expiry", &self.expiry)
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
    fn from_lookup_prefers_the_sdk_variables_and_reports_missing_halves() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let access_key = |c: Credentials| match c.kind {
            CredentialKind::AkSk { access_key, .. } => access_key,
            CredentialKind::Token(_) => "token".to_owned(),
        };
        let both = env(&[
            ("CLOUD_SDK_AK", "samples"),
            ("CLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_AK", "sdk"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
        ]);
        assert_eq!(access_key(Credentials::from_lookup(both).unwrap()), "sdk");
        let samples = env(&[("CLOUD_SDK_AK", "samples"), ("CLOUD_SDK_SK", "sk")]);
        assert_eq!(
            access_key(Credentials::from_lookup(samples).unwrap()),
            "samples"
        );
        // A half-set first pair is an error, not a reason to take the second.
        let e = Credentials::from_lookup(env(&[
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("CLOUD_SDK_AK", "samples"),
            ("CLOUD_SDK_SK", "sk"),
        ]))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not"
        );
        let e = Credentials::from_lookup(env(&[("CLOUD_SDK_AK", "ak")])).unwrap_err();
        assert!(e.to_string().contains("CLOUD_SDK_SK"), "{e}");
        let e = Credentials::from_lookup(env(&[("SERVICE_TOKEN", "t")])).unwrap_err();
        assert!(e.to_string().contains("HUAWEICLOUD_SDK_AK"), "{e}");
        // The security token goes with its own pair only.
        let temporary = Credentials::from_lookup(env(&[
            ("HUAWEICLOUD_SDK_AK", "ak"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts"),
            ("CLOUD_SDK_SECURITY_TOKEN", "other"),
        ]))
        .unwrap();
        assert!(matches!(
            temporary.kind,
            CredentialKind::AkSk { security_token: Some(ref t), .. } if t == "sts"
        ));
    }

    #[test]
    fn validate_rejects_values_that_cannot_be_headers() {
        assert!(Credentials::token("").validate().is_err());
        assert!(Credentials::ak_sk("ak", "s k").validate().is_err());
        assert!(Credentials::ak_sk("ak", "sk\n").validate().is_err());
        assert!(Credentials::ak_sk("ak", "sk").validate().is_ok());
    }
}
