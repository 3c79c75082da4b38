//! The default credentials chain that
//! [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) runs when the builder has no
//! credentials yet.
//!
//! In order, the first source that holds credentials wins:
//!
//! 1. credentials set on the builder ([`credentials`](crate::ClientBuilder::credentials) or
//!    [`credentials_provider`](crate::ClientBuilder::credentials_provider));
//! 2. `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, with `HUAWEICLOUD_SDK_SECURITY_TOKEN` for
//!    temporary keys (the vendor SDKs' environment provider);
//! 3. `CLOUD_SDK_AK` and `CLOUD_SDK_SK`, with `CLOUD_SDK_SECURITY_TOKEN` (the vendor's samples);
//! 4. the service's IAM token variable, `<PREFIX>_TOKEN` (such as `CODEARTS_BUILD_TOKEN`);
//! 5. the credentials file ([`profile`](crate::auth::profile)):
//!    `HUAWEICLOUD_SDK_CREDENTIALS_FILE` or `~/.huaweicloud/credentials`, profile
//!    `<PREFIX>_PROFILE` or `basic`.
//!
//! A source that is half set (an AK without its SK) is an error, not skipped: the next source
//! could be another account. A missing default credentials file is skipped; a file named by
//! `HUAWEICLOUD_SDK_CREDENTIALS_FILE` or a profile named by `<PREFIX>_PROFILE` must exist.
//!
//! The project id comes from the builder, else `<PREFIX>_PROJECT_ID`, else
//! `HUAWEICLOUD_SDK_PROJECT_ID`, else the profile's `project_id` when the file supplied the
//! credentials.

use super::profile::{CredentialsFile, DEFAULT_PROFILE, ENV_CREDENTIALS_FILE};
use crate::{Credentials, Error};

/// What the chain found.
pub(crate) struct Found {
    pub(crate) credentials: Credentials,
    /// The project id that came with them (the credentials file's), if any.
    pub(crate) project_id: Option<String>,
}

/// Runs sources 2 to 5; `token_var` and `profile_var` are the service's variable names.
pub(crate) fn resolve(
    lookup: &dyn Fn(&str) -> Option<String>,
    token_var: &str,
    profile_var: &str,
) -> Result<Found, Error> {
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    if let Some((credentials, _)) = Credentials::from_env_keys(lookup)? {
        return Ok(Found {
            credentials,
            project_id: None,
        });
    }
    if let Some(token) = get(token_var) {
        return Ok(Found {
            credentials: Credentials::token(token),
            project_id: None,
        });
    }
    let chosen_profile = get(profile_var);
    let path = CredentialsFile::default_path(lookup);
    let must_exist = chosen_profile.is_some() || get(ENV_CREDENTIALS_FILE).is_some();
    if let Some(path) = path.filter(|path| must_exist || path.exists()) {
        let file = CredentialsFile::read(&path)?;
        let profile = chosen_profile.as_deref().unwrap_or(DEFAULT_PROFILE);
        let (credentials, project_id) = file.credentials(profile)?;
        return Ok(Found {
            credentials,
            project_id,
        });
    }
    Err(Error::config(format!(
        "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK and \
         CLOUD_SDK_SK), or {token_var}, or write ~/.huaweicloud/credentials (or set \
         {ENV_CREDENTIALS_FILE}); see ClientBuilder::from_env"
    )))
}
