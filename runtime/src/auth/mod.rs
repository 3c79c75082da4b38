//! Authentication: [`Credentials`] and the `SDK-HMAC-SHA256` request [`signer`].

mod credentials;
pub mod signer;

pub(crate) use credentials::CredentialKind;
pub use credentials::Credentials;
