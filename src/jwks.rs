//! The tenant's signing keys: fetched from the configured domain's
//! `/.well-known/jwks.json` (never from a URL a token names), parsed once,
//! and cached with a TTL. An unknown `kid` triggers one re-fetch, at most
//! once per [`REFETCH_INTERVAL`], so a flood of forged tokens cannot turn
//! into a flood of requests.

use crate::error::{Error, Result};
use crate::http::Http;
use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long fetched keys are trusted without asking again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(600);
/// The least time between two re-fetches caused by unknown key ids.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(30);
/// Keys tried for a token without `kid`.
const MAX_KEYS_WITHOUT_KID: usize = 5;

/// A parsed RSA signing key.
pub(crate) struct SigningKey {
    pub kid: Option<String>,
    pub key: ParsedPublicKey,
}

struct Cached {
    keys: Arc<Vec<SigningKey>>,
    fetched_at: Instant,
}

/// The JWKS cache of one handle.
pub(crate) struct Jwks {
    url: String,
    ttl: Duration,
    cached: RwLock<Option<Cached>>,
    // Serialises fetches and remembers the last forced one.
    fetch: Mutex<Option<Instant>>,
}

impl Jwks {
    pub fn new(url: String, ttl: Duration) -> Jwks {
        Jwks {
            url,
            ttl,
            cached: RwLock::new(None),
            fetch: Mutex::new(None),
        }
    }

    fn fresh(&self) -> Option<Arc<Vec<SigningKey>>> {
        let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| c.fetched_at.elapsed() < self.ttl)
            .map(|c| c.keys.clone())
    }

    /// The keys, fetched when the cache is empty or stale, or when `force`
    /// and the re-fetch interval has passed.
    fn keys(&self, http: &Http, force: bool) -> Result<Arc<Vec<SigningKey>>> {
        if !force {
            if let Some(k) = self.fresh() {
                return Ok(k);
            }
        }
        let mut last_forced = self.fetch.lock().unwrap_or_else(|p| p.into_inner());
        if force {
            if last_forced.is_some_and(|t| t.elapsed() < REFETCH_INTERVAL) {
                // Rate-limited: answer from what we have.
                if let Some(k) = self
                    .cached
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .as_ref()
                {
                    return Ok(k.keys.clone());
                }
            }
            *last_forced = Some(Instant::now());
        } else if let Some(k) = self.fresh() {
            // Another thread fetched while we waited.
            return Ok(k);
        }
        let doc = http.api(reqwest::Method::GET, &self.url, None, None)?;
        let keys = Arc::new(parse_jwks(&doc));
        *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(Cached {
            keys: keys.clone(),
            fetched_at: Instant::now(),
        });
        Ok(keys)
    }

    /// Calls `check` with each candidate key for a token with this `kid`
    /// until one verifies. Returns `Ok(false)` when candidates existed but
    /// none verified, and an error when no key matches the `kid`.
    pub fn verify_with(
        &self,
        http: &Http,
        kid: Option<&str>,
        check: impl Fn(&ParsedPublicKey) -> bool,
    ) -> Result<bool> {
        let no_key = || {
            match kid {
            Some(k) => Error::invalid_token(format!("Could not find a public key for Key ID (kid) \"{k}\"")),
            None => Error::invalid_token("Could not find a public key to verify the ID token (no kid, and the JWKS has no RSA signing key)"),
        }
        };
        let pick = |keys: &[SigningKey]| -> Vec<usize> {
            match kid {
                Some(k) => keys
                    .iter()
                    .position(|s| s.kid.as_deref() == Some(k))
                    .into_iter()
                    .collect(),
                None => (0..keys.len().min(MAX_KEYS_WITHOUT_KID)).collect(),
            }
        };
        let mut keys = self.keys(http, false)?;
        let mut candidates = pick(&keys);
        if candidates.is_empty() && kid.is_some() {
            keys = self.keys(http, true)?;
            candidates = pick(&keys);
        }
        if candidates.is_empty() {
            return Err(no_key());
        }
        Ok(candidates.into_iter().any(|i| check(&keys[i].key)))
    }
}

/// The usable RSA signature keys of a JWKS document; others are skipped.
pub(crate) fn parse_jwks(doc: &Value) -> Vec<SigningKey> {
    let Some(keys) = doc.get("keys").and_then(Value::as_array) else {
        return Vec::new();
    };
    keys.iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some("RSA"))
        .filter(|k| {
            k.get("use")
                .and_then(Value::as_str)
                .is_none_or(|u| u == "sig")
        })
        .filter(|k| {
            k.get("alg")
                .and_then(Value::as_str)
                .is_none_or(|a| a == "RS256")
        })
        .filter_map(|k| {
            let b64 = |name: &str| {
                k.get(name)
                    .and_then(Value::as_str)
                    .and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok())
            };
            let strip = |v: Vec<u8>| -> Vec<u8> {
                let first = v.iter().position(|b| *b != 0).unwrap_or(v.len());
                v[first..].to_vec()
            };
            let (n, e) = (strip(b64("n")?), strip(b64("e")?));
            let key = RsaPublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            }
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .ok()?;
            Some(SigningKey {
                kid: k.get("kid").and_then(Value::as_str).map(str::to_owned),
                key,
            })
        })
        .collect()
}
