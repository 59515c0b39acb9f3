//! The tenant's signing keys: fetched from the configured domain's
//! `/.well-known/jwks.json` (never from a URL a token names), turned once
//! into ready keys, and cached with a TTL. An unknown `kid` triggers one
//! re-fetch, at most once per [`REFETCH_INTERVAL`], so a flood of forged
//! tokens cannot turn into a flood of requests; a failed fetch is
//! remembered for [`FAILURE_TTL`], so a tenant outage cannot either.

use crate::error::{Error, ErrorKind, Result};
use crate::logging;
use crate::tokens::id_token::shown;
use crate::transport::http::Http;
use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::DecodingKey;
use serde_json::Value;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long fetched keys are trusted without asking again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(600);
/// The least time between two re-fetches caused by unknown key ids.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(30);
/// How long a failed fetch (network, timeout, HTTP error) is answered with
/// its error instead of asking again.
pub const FAILURE_TTL: Duration = Duration::from_secs(5);
/// Keys tried for a token without `kid`.
const MAX_KEYS_WITHOUT_KID: usize = 5;

/// One RSA signing key of the JWKS, ready for jsonwebtoken.
pub(crate) struct SigningKey {
    pub kid: Option<String>,
    /// The key as jsonwebtoken's verifiers take it.
    pub decoding: DecodingKey,
    /// The same key parsed once by aws-lc, which the signature check plugs
    /// into jsonwebtoken (`id_token`'s crypto provider) so that no verify
    /// parses the modulus again.
    pub parsed: Arc<ParsedPublicKey>,
}

struct Cached {
    keys: Arc<Vec<SigningKey>>,
    fetched_at: Instant,
}

#[derive(Default)]
struct FetchState {
    last_forced: Option<Instant>,
    failed: Option<(Instant, Error)>,
}

/// The JWKS cache of one handle.
pub(crate) struct Jwks {
    url: String,
    ttl: Duration,
    cached: RwLock<Option<Cached>>,
    // Serialises fetches; remembers the last forced one and the last failure.
    fetch: Mutex<FetchState>,
}

impl Jwks {
    pub fn new(url: String, ttl: Duration) -> Jwks {
        Jwks {
            url,
            ttl,
            cached: RwLock::new(None),
            fetch: Mutex::new(FetchState::default()),
        }
    }

    fn cached(&self, fresh_only: bool) -> Option<Arc<Vec<SigningKey>>> {
        let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| !fresh_only || c.fetched_at.elapsed() < self.ttl)
            .map(|c| c.keys.clone())
    }

    /// The keys, fetched when the cache is empty or stale, or when `force`
    /// and the re-fetch interval has passed.
    fn keys(&self, http: &Http, force: bool) -> Result<Arc<Vec<SigningKey>>> {
        if !force {
            if let Some(k) = self.cached(true) {
                log::debug!(target: logging::JWKS, "keys from the cache ({} keys)", k.len());
                return Ok(k);
            }
        }
        let mut state = self.fetch.lock().unwrap_or_else(|p| p.into_inner());
        if force {
            if state
                .last_forced
                .is_some_and(|t| t.elapsed() < REFETCH_INTERVAL)
            {
                // Rate-limited: answer from what we have.
                if let Some(k) = self.cached(false) {
                    log::debug!(target: logging::JWKS, "unknown kid, but a re-fetch was made less than {} s ago: keys from the cache", REFETCH_INTERVAL.as_secs());
                    return Ok(k);
                }
            }
        } else if let Some(k) = self.cached(true) {
            // Another thread fetched while we waited.
            return Ok(k);
        }
        if let Some((at, e)) = &state.failed {
            if at.elapsed() < FAILURE_TTL {
                log::debug!(target: logging::JWKS, "the last fetch failed less than {} s ago: answering its error ({})", FAILURE_TTL.as_secs(), logging::error(e));
                return Err(e.clone());
            }
        }
        if force {
            state.last_forced = Some(Instant::now());
        }
        let why = if force {
            "unknown kid"
        } else {
            "cache empty or stale"
        };
        log::debug!(target: logging::JWKS, "fetching {} ({why})", logging::url(&self.url));
        let doc = match http.api(reqwest::Method::GET, &self.url, None, None) {
            Ok(doc) => doc,
            Err(e) => {
                log::warn!(target: logging::JWKS, "fetching {} failed: {}", logging::url(&self.url), logging::error(&e));
                // A cancelled call says nothing about the tenant.
                if matches!(
                    e.kind(),
                    ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Server
                ) {
                    state.failed = Some((Instant::now(), e.clone()));
                }
                return Err(e);
            }
        };
        state.failed = None;
        let keys = Arc::new(parse_jwks(&doc));
        log::info!(target: logging::JWKS, "fetched {} usable signing keys from {}", keys.len(), logging::url(&self.url));
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
        check: impl FnMut(&SigningKey) -> bool,
    ) -> Result<bool> {
        let pick = |keys: &[SigningKey]| -> std::ops::Range<usize> {
            match kid {
                Some(k) => match keys.iter().position(|s| s.kid.as_deref() == Some(k)) {
                    Some(i) => i..i + 1,
                    None => 0..0,
                },
                None => 0..keys.len().min(MAX_KEYS_WITHOUT_KID),
            }
        };
        let mut keys = self.keys(http, false)?;
        let mut candidates = pick(&keys);
        if candidates.is_empty() && kid.is_some() {
            log::debug!(target: logging::JWKS, "no cached key has the token's kid: asking for a re-fetch");
            keys = self.keys(http, true)?;
            candidates = pick(&keys);
        }
        if candidates.is_empty() {
            return Err(match kid {
                Some(k) => Error::invalid_token(format!(
                    "Could not find a public key for Key ID (kid) \"{}\"",
                    shown(k)
                )),
                None => Error::invalid_token(
                    "Could not find a public key to verify the ID token (no kid, and the JWKS has no RSA signing key)",
                ),
            });
        }
        Ok(keys[candidates].iter().any(check))
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
            // Parsing here also refuses what aws-lc would refuse at verify
            // time (a short modulus, a bad exponent): such keys are skipped.
            let parsed = RsaPublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            }
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .ok()?;
            Some(SigningKey {
                kid: k.get("kid").and_then(Value::as_str).map(str::to_owned),
                decoding: DecodingKey::from_rsa_raw_components(&n, &e),
                parsed: Arc::new(parsed),
            })
        })
        .collect()
}
