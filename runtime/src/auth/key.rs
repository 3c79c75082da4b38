//! The HMAC-SHA256 key state of a secret key, prepared once per credentials.
//!
//! HMAC hashes the key, padded to a block, before every message: two of the roughly ten
//! SHA-256 blocks a signature costs. The state after that step depends only on the secret, so
//! AK/SK [`Credentials`](crate::Credentials) prepare it when they are created and every request
//! signed with them starts from a copy. New secrets (a rotating
//! [`CredentialsProvider`](crate::CredentialsProvider)) are new credentials with their own key,
//! so a request is never signed with a stale one.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A secret key ready to sign with: HMAC-SHA256 keyed with it, no message yet.
#[derive(Clone)]
pub struct SigningKey {
    mac: Hmac<Sha256>,
}

impl SigningKey {
    /// Prepares `secret_key`.
    pub fn new(secret_key: &str) -> Self {
        SigningKey {
            // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
            mac: Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
                .expect("HMAC-SHA256 accepts keys of any length"),
        }
    }

    /// A fresh HMAC state keyed with the secret, for one message.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prepared_key_signs_as_the_secret_does() {
        let key = SigningKey::new("SecretKey");
        for message in [&b""[..], b"one", &[7u8; 200]] {
            let mut fresh = Hmac::<Sha256>::new_from_slice(b"SecretKey").unwrap();
            fresh.update(message);
            let mut prepared = key.mac();
            prepared.update(message);
            assert_eq!(
                prepared.finalize().into_bytes(),
                fresh.finalize().into_bytes()
            );
        }
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
