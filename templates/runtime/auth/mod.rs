//! Authentication: [`Credentials`] and the `SDK-HMAC-SHA256` request [`signer`].

mod credentials;
pub mod signer;

pub use credentials::Credentials;
pub(crate) use credentials::CredentialKind;
