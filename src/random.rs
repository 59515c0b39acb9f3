//! Unguessable values from the operating system's secure random source.

use crate::error::{Error, Result};
use aws_lc_rs::digest::{digest, SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// `n` random bytes, or a storage-free internal error when the OS source
/// fails (it does not on supported systems, but it must never panic).
pub fn bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    aws_lc_rs::rand::fill(&mut buf).map_err(|_| Error::internal("the OS random source failed"))?;
    Ok(buf)
}

/// A state or nonce: base64url of 24 random bytes (192 bits, 32
/// characters, no modulo bias — Part A's fix of v8's 65-character charset).
pub fn token() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(bytes(24)?))
}

/// A PKCE pair (RFC 7636): a 43-character verifier from 32 random bytes and
/// its S256 challenge.
pub fn pkce_pair() -> Result<(String, String)> {
    let verifier = URL_SAFE_NO_PAD.encode(bytes(32)?);
    let challenge = s256_challenge(&verifier);
    Ok((verifier, challenge))
}

/// The S256 code challenge of a verifier: base64url(SHA-256(verifier)).
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_distinct() {
        let a = token().unwrap();
        let b = token().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn s256_is_unpadded_base64url_of_sha256() {
        // SHA-256("abc") = ba7816bf…f20015ad (FIPS 180-2), base64url-encoded.
        assert_eq!(
            s256_challenge("abc"),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
        );
    }

    #[test]
    fn pkce_verifier_has_rfc7636_length_and_matching_challenge() {
        let (v, c) = pkce_pair().unwrap();
        assert_eq!(v.len(), 43);
        assert_eq!(c, s256_challenge(&v));
    }
}
