//! Steps 2–4 and 13 of Part A: `alg` (before any key is fetched), `crit`,
//! the key by `kid`, the signature.

use super::decode::{malformed, Decoded};
use super::{display, Verifier};
use crate::error::{Error, Result};
use crate::tokens::jwks::SigningKey;
use jsonwebtoken::Algorithm;
use serde_json::Value;

/// The only algorithm accepted (the seed: RS256 is required).
const ALGORITHMS: [Algorithm; 1] = [Algorithm::RS256];

/// Checks the header and the signature of `d` with the key of the
/// verifier's JWKS that its `kid` names.
pub(super) fn check(v: &Verifier<'_>, d: &Decoded<'_>) -> Result<()> {
    let alg = d.header.alg.as_ref().and_then(Value::as_str);
    if !alg
        .and_then(|a| a.parse::<Algorithm>().ok())
        .is_some_and(|a| ALGORITHMS.contains(&a))
    {
        return Err(Error::invalid_token(format!(
            "Algorithm {} is not supported. (Expected algs: [RS256])",
            display(d.header.alg.as_ref())
        )));
    }
    if d.header.crit {
        // RFC 7515 §4.1.11: no extension is understood here.
        return Err(Error::invalid_token(
            "The ID token's header has a crit parameter; no critical extension is supported",
        ));
    }
    let kid = match &d.header.kid {
        None => None,
        Some(Value::String(k)) => Some(k.as_str()),
        Some(other) => {
            return Err(Error::invalid_token(format!(
                "Could not find a public key for Key ID (kid) {}",
                display(Some(other))
            )))
        }
    };
    let mut not_base64 = false;
    let valid = v.jwks.verify_with(v.http, kid, |key: &SigningKey| {
        provider::verify_rs256(key, d.signed, d.signature).unwrap_or_else(|()| {
            not_base64 = true;
            false
        })
    })?;
    if not_base64 {
        return Err(malformed());
    }
    if !valid {
        return Err(Error::invalid_token("Invalid signature."));
    }
    Ok(())
}

/// jsonwebtoken's crypto provider for this library: its aws-lc provider,
/// except that an RS256 verifier for a key of our JWKS cache uses the
/// `ParsedPublicKey` made when the JWKS was fetched. jsonwebtoken's own
/// verifier rebuilds the RSA key from `n` and `e` on every call, which
/// costs a tenth of an RSA verify; its factory is a plain `fn`, so the
/// parsed key reaches it through a thread-local set around the one call.
mod provider {
    use crate::tokens::jwks::SigningKey;
    use aws_lc_rs::signature::ParsedPublicKey;
    use jsonwebtoken::crypto::{aws_lc, CryptoProvider, JwtVerifier};
    use jsonwebtoken::errors::ErrorKind;
    use jsonwebtoken::signature::{Error as SigError, Verifier};
    use jsonwebtoken::{Algorithm, DecodingKey};
    use std::cell::RefCell;
    use std::sync::{Arc, OnceLock};

    thread_local! {
        // The key being verified with: the address of its `DecodingKey`
        // (compared, never dereferenced) and its parsed form.
        static PARSED: RefCell<Option<(usize, Arc<ParsedPublicKey>)>> = const { RefCell::new(None) };
    }

    struct Parsed(Arc<ParsedPublicKey>);

    impl Verifier<Vec<u8>> for Parsed {
        fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> Result<(), SigError> {
            self.0
                .verify_sig(msg, signature)
                .map_err(|_| SigError::new())
        }
    }

    impl JwtVerifier for Parsed {
        fn algorithm(&self) -> Algorithm {
            Algorithm::RS256
        }
    }

    fn address(key: &DecodingKey) -> usize {
        std::ptr::from_ref(key) as usize
    }

    #[allow(
        clippy::trivially_copy_pass_by_ref,
        reason = "the shape of jsonwebtoken's `CryptoProvider::verifier_factory`"
    )]
    fn verifier_factory(
        alg: &Algorithm,
        key: &DecodingKey,
    ) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
        if *alg == Algorithm::RS256 {
            let hit = PARSED.with_borrow(|p| {
                p.as_ref()
                    .filter(|(a, _)| *a == address(key))
                    .map(|(_, k)| k.clone())
            });
            if let Some(k) = hit {
                return Ok(Box::new(Parsed(k)));
            }
        }
        (aws_lc::DEFAULT_PROVIDER.verifier_factory)(alg, key)
    }

    /// Installs the provider as the process default unless the program
    /// installed one already (then that one verifies, from `n` and `e`).
    /// Without any, jsonwebtoken panics when both of its crypto features
    /// end up enabled in one build.
    fn install() {
        static PROVIDER: OnceLock<CryptoProvider> = OnceLock::new();
        static INSTALLED: OnceLock<()> = OnceLock::new();
        INSTALLED.get_or_init(|| {
            let p = PROVIDER.get_or_init(|| CryptoProvider {
                verifier_factory,
                ..aws_lc::DEFAULT_PROVIDER.clone()
            });
            let _ = p.install_default();
        });
    }

    /// Verifies an RS256 JWS signature (`signature` base64url) over
    /// `signed` with `key`, through jsonwebtoken; `Err` when `signature` is
    /// not base64url.
    pub(super) fn verify_rs256(
        key: &SigningKey,
        signed: &[u8],
        signature: &str,
    ) -> Result<bool, ()> {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                PARSED.with_borrow_mut(|p| *p = None);
            }
        }
        install();
        PARSED.with_borrow_mut(|p| *p = Some((address(&key.decoding), key.parsed.clone())));
        let _reset = Reset;
        match jsonwebtoken::crypto::verify(signature, signed, &key.decoding, Algorithm::RS256) {
            Ok(valid) => Ok(valid),
            Err(e) if matches!(e.kind(), ErrorKind::Base64(_)) => Err(()),
            Err(_) => Ok(false),
        }
    }
}
