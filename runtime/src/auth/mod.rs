//! Authentication: [`Credentials`], where they come from (the [`chain`] of
//! [`ClientBuilder::from_env`](crate::ClientBuilder::from_env), the credentials file of
//! [`profile`], a [`CredentialsProvider`] for credentials that change) and the
//! `SDK-HMAC-SHA256` request [`signer`].

pub mod chain;
mod credentials;
pub mod key;
pub mod profile;
mod provider;
pub mod signer;

pub(crate) use credentials::CredentialKind;
pub use credentials::{
    Credentials, ENV_ACCESS_KEY, ENV_SDK_ACCESS_KEY, ENV_SDK_PROJECT_ID, ENV_SDK_SECRET_KEY,
    ENV_SDK_SECURITY_TOKEN, ENV_SECRET_KEY, ENV_SECURITY_TOKEN,
};
pub(crate) use provider::CredentialSource;
pub use provider::{
    CredentialsProvider, ProvideCredentials, ReloadingCredentials, DEFAULT_REFRESH_BEFORE_EXPIRY,
};
