//! RS256 signing keys (RSA-2048, generated with aws-lc-rs), the JWKS, key
//! rotation with a grace period, and compact JWS signing and verification.
//!
//! Keys are parsed once and kept as `aws_lc_rs::rsa::KeyPair`s, so signing a
//! token costs one RSA operation and no parsing.

use std::sync::{Arc, RwLock};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::util::{b64url, now_ms, sha256};

pub struct SigningKey {
    pub kid: String,
    pair: KeyPair,
    /// PKCS#8 DER, kept for persistence.
    pub pkcs8: Vec<u8>,
    /// PKCS#1 RSAPublicKey DER, for verification.
    public_der: Vec<u8>,
    n: String,
    e: String,
    pub created_ms: u64,
    /// When it stopped being the current key.
    pub retired_ms: Option<u64>,
}

impl SigningKey {
    pub fn generate() -> Result<SigningKey, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| "RSA key generation failed")?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| "PKCS#8 export failed")?
            .as_ref()
            .to_vec();
        SigningKey::from_pkcs8(&pkcs8, now_ms(), None)
    }

    pub fn from_pkcs8(
        pkcs8: &[u8],
        created_ms: u64,
        retired_ms: Option<u64>,
    ) -> Result<SigningKey, String> {
        let pair = KeyPair::from_pkcs8(pkcs8).map_err(|e| format!("bad key: {e}"))?;
        let public = pair.public_key();
        let public_der = public.as_ref().to_vec();
        let n = b64url(public.modulus().big_endian_without_leading_zero());
        let e = b64url(public.exponent().big_endian_without_leading_zero());
        let kid = b64url(&sha256(&public_der)[..12]);
        Ok(SigningKey {
            kid,
            pair,
            pkcs8: pkcs8.to_vec(),
            public_der,
            n,
            e,
            created_ms,
            retired_ms,
        })
    }

    fn jwk(&self) -> Value {
        json!({"alg": "RS256", "kty": "RSA", "use": "sig", "n": self.n, "e": self.e, "kid": self.kid})
    }

    fn sign_raw(&self, msg: &[u8]) -> Option<Vec<u8>> {
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.pair
            .sign(&signature::RSA_PKCS1_SHA256, &rng, msg, &mut sig)
            .ok()?;
        Some(sig)
    }

    fn verify_raw(&self, msg: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &self.public_der)
            .verify(msg, sig)
            .is_ok()
    }
}

/// The tenant's key set: the current key plus retired keys still in their grace period.
pub struct Keys {
    inner: RwLock<Vec<Arc<SigningKey>>>,
    grace_ms: u64,
}

impl Keys {
    /// `keys[0]` is current; an empty list generates one.
    pub fn new(mut keys: Vec<SigningKey>, grace_secs: u64) -> Result<Keys, String> {
        if keys.is_empty() {
            keys.push(SigningKey::generate()?);
        }
        Ok(Keys {
            inner: RwLock::new(keys.into_iter().map(Arc::new).collect()),
            grace_ms: grace_secs * 1000,
        })
    }

    fn live(&self) -> Vec<Arc<SigningKey>> {
        let now = now_ms();
        let guard = self.inner.read().unwrap_or_else(|e| e.into_inner());
        guard
            .iter()
            .filter(|k| k.retired_ms.is_none_or(|r| now < r + self.grace_ms))
            .cloned()
            .collect()
    }

    pub fn current(&self) -> Arc<SigningKey> {
        let guard = self.inner.read().unwrap_or_else(|e| e.into_inner());
        guard[0].clone()
    }

    /// Every key (current first), for persistence.
    pub fn all(&self) -> Vec<Arc<SigningKey>> {
        self.live()
    }

    /// Make a new current key; the old ones stay verifiable for the grace period.
    pub fn rotate(&self) -> Result<Arc<SigningKey>, String> {
        let fresh = Arc::new(SigningKey::generate()?);
        let now = now_ms();
        let mut guard = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let old: Vec<Arc<SigningKey>> = guard
            .drain(..)
            .map(|k| {
                if k.retired_ms.is_some() {
                    k
                } else {
                    // Re-create with a retirement time (keys are immutable once shared).
                    match SigningKey::from_pkcs8(&k.pkcs8, k.created_ms, Some(now)) {
                        Ok(r) => Arc::new(r),
                        Err(_) => k,
                    }
                }
            })
            .filter(|k| k.retired_ms.is_none_or(|r| now < r + self.grace_ms))
            .collect();
        guard.push(fresh.clone());
        guard.extend(old);
        Ok(fresh)
    }

    pub fn jwks(&self) -> Value {
        json!({"keys": self.live().iter().map(|k| k.jwk()).collect::<Vec<_>>()})
    }

    /// An RS256 JWT over `claims` with the current key.
    pub fn sign(&self, claims: &Value) -> String {
        let key = self.current();
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": key.kid});
        sign_with(
            &key,
            header.as_object().cloned().unwrap_or_default(),
            claims,
        )
        .unwrap_or_default()
    }

    /// Verify an RS256 JWT signed by one of our live keys; its claims.
    /// Expiry is not checked here.
    pub fn verify(&self, token: &str) -> Option<Map<String, Value>> {
        let mut parts = token.split('.');
        let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
        if header.get("alg")?.as_str()? != "RS256" {
            return None;
        }
        let kid = header.get("kid").and_then(Value::as_str);
        let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
        let msg = format!("{h}.{p}");
        let ok = self
            .live()
            .iter()
            .filter(|k| kid.is_none_or(|kid| kid == k.kid))
            .any(|k| k.verify_raw(msg.as_bytes(), &sig));
        if !ok {
            return None;
        }
        match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()? {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// Sign with an explicit header (RS256 with `key`).
pub fn sign_with(key: &SigningKey, header: Map<String, Value>, claims: &Value) -> Option<String> {
    let msg = format!(
        "{}.{}",
        b64url(Value::Object(header).to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = key.sign_raw(msg.as_bytes())?;
    Some(format!("{msg}.{}", b64url(&sig)))
}

/// RS256 over a signing input given as it is (`header.payload`).
pub fn sign_raw_input(key: &SigningKey, input: &str) -> Option<String> {
    let sig = key.sign_raw(input.as_bytes())?;
    Some(format!("{input}.{}", b64url(&sig)))
}

/// HS256 JWT (for negative tests of the library).
pub fn sign_hs256(secret: &[u8], header: Map<String, Value>, claims: &Value) -> String {
    let msg = format!(
        "{}.{}",
        b64url(Value::Object(header).to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let k = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&k, msg.as_bytes());
    format!("{msg}.{}", b64url(tag.as_ref()))
}

/// An unsigned JWT (`alg: none`).
pub fn sign_none(header: Map<String, Value>, claims: &Value) -> String {
    format!(
        "{}.{}.",
        b64url(Value::Object(header).to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

/// Standard base64 of PKCS#8 bytes (for the database).
pub fn encode_pkcs8(k: &SigningKey) -> String {
    STANDARD.encode(&k.pkcs8)
}

pub fn decode_pkcs8(s: &str) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}
