//! DPoP (RFC 9449): tokens bound to a key pair of the app.
//!
//! With DPoP on (`dpop: true`, or a [`DpopKey`] the app gives), every
//! request to the token endpoint (`/oauth/token`: code exchange, password
//! and passwordless grants, refresh, device poll) and every request that
//! carries an access token (`/userinfo`) gets a `DPoP` proof: an ES256 JWS
//! with `typ: dpop+jwt` and the public key in its header, claims `jti`
//! (random, never repeated), `htm`, `htu` (the URL without query and
//! fragment), `iat`, the server's `nonce` once it sent one, and `ath`
//! (base64url of the access token's SHA-256) on resource requests. The
//! access token then goes in `Authorization: DPoP …`. A stolen access
//! token alone is worthless to whoever holds no private key.
//!
//! The proof is added in one place, the handle's HTTP client
//! (`Dpop::proof`, called from `http.rs`), never per call site. A `use_dpop_nonce`
//! answer (RFC 9449 §8, §9) is retried exactly once with the nonce it
//! carries — the server refused before acting, so the retry cannot redo
//! anything — and the last `DPoP-Nonce` of each server (origin) is kept for
//! the next proofs.
//!
//! The key pair is generated with aws-lc-rs. It must outlive the tokens
//! bound to it (a refresh token bound to a key needs a proof by that key),
//! so it can be exported as PKCS#8 ([`DpopKey::to_pkcs8`], a secret type)
//! and stored next to the tokens, then imported again
//! ([`DpopKey::from_pkcs8`], or the `dpopKey` option).

use crate::error::{Error, Result};
use crate::options::{optional_bool, optional_str, Options};
use crate::secret::DpopPrivateKey;
use crate::webauth::WebAuth;
use aws_lc_rs::digest::{digest, SHA256};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// The `Authorization` scheme of a DPoP-bound access token, and the
/// `token_type` a server answers for one.
pub const DPOP_SCHEME: &str = "DPoP";

/// A P-256 key pair that DPoP proofs are signed with.
///
/// `Debug` prints the public thumbprint only. Export it with
/// [`DpopKey::to_pkcs8`] to keep it next to the tokens bound to it.
pub struct DpopKey {
    pair: EcdsaKeyPair,
    /// The public JWK, members in RFC 7638's order (`crv`, `kty`, `x`, `y`).
    jwk: Value,
    thumbprint: String,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey")
            .field("thumbprint", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

impl DpopKey {
    /// A new key pair from the OS random source.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Internal`](crate::ErrorKind::Internal) when the OS random
    /// source fails.
    pub fn generate() -> Result<DpopKey> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| Error::internal("a DPoP key pair could not be generated"))?;
        DpopKey::from_pair(pair)
    }

    /// The key exported by [`DpopKey::to_pkcs8`]: a P-256 PKCS#8 document,
    /// base64url (padding optional). Anything else is an
    /// `invalid_argument` naming `dpopKey`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// `dpopKey` when the text is not a P-256 PKCS#8 document in base64url.
    pub fn from_pkcs8(pkcs8: &DpopPrivateKey) -> Result<DpopKey> {
        let invalid = || {
            Error::invalid_argument("dpopKey option is not valid (a P-256 PKCS#8 key, base64url)")
        };
        let der = URL_SAFE_NO_PAD
            .decode(pkcs8.secret().trim().trim_end_matches('='))
            .map_err(|_| invalid())?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
            .map_err(|_| invalid())?;
        DpopKey::from_pair(pair)
    }

    /// The private key as a PKCS#8 v1 document, base64url without padding:
    /// the form to store next to the tokens bound to it (a secret).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Internal`](crate::ErrorKind::Internal) when the key cannot
    /// be serialised.
    pub fn to_pkcs8(&self) -> Result<DpopPrivateKey> {
        let doc = self
            .pair
            .to_pkcs8v1()
            .map_err(|_| Error::internal("the DPoP key could not be exported"))?;
        Ok(DpopPrivateKey::new(URL_SAFE_NO_PAD.encode(doc.as_ref())))
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key: what a bound
    /// access token carries as `cnf.jkt`.
    #[must_use]
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// The public key as a JWK (`kty`, `crv`, `x`, `y`).
    #[must_use]
    pub fn public_jwk(&self) -> &Value {
        &self.jwk
    }

    fn from_pair(pair: EcdsaKeyPair) -> Result<DpopKey> {
        // The uncompressed SEC1 point: 0x04 || x || y.
        let point = pair.public_key().as_ref();
        if point.len() != 65 || point[0] != 4 {
            return Err(Error::internal(
                "the DPoP public key has an unexpected form",
            ));
        }
        let (x, y) = (
            URL_SAFE_NO_PAD.encode(&point[1..33]),
            URL_SAFE_NO_PAD.encode(&point[33..]),
        );
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let thumbprint = URL_SAFE_NO_PAD.encode(digest(&SHA256, canonical.as_bytes()));
        Ok(DpopKey {
            pair,
            jwk: json!({"crv": "P-256", "kty": "EC", "x": x, "y": y}),
            thumbprint,
        })
    }

    /// A proof for one request (RFC 9449 §4.2). `access_token` adds `ath`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Internal`](crate::ErrorKind::Internal) when signing fails.
    pub fn proof(
        &self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
        nonce: Option<&str>,
    ) -> Result<String> {
        let iat = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut claims = json!({
            "jti": crate::random::token()?,
            "htm": method,
            "htu": htu(url)?,
            "iat": iat,
        });
        if let Some(n) = nonce {
            claims["nonce"] = json!(n);
        }
        if let Some(at) = access_token {
            claims["ath"] = json!(URL_SAFE_NO_PAD.encode(digest(&SHA256, at.as_bytes())));
        }
        let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .map_err(|_| Error::internal("the DPoP proof could not be signed"))?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref())))
    }
}

/// `htu`: the request URL without query and fragment (RFC 9449 §4.2), and
/// without userinfo, which must never be signed into a claim.
fn htu(url: &str) -> Result<String> {
    let mut u = url::Url::parse(url)
        .map_err(|_| Error::internal("the request URL of a DPoP proof is not valid"))?;
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_username("");
    let _ = u.set_password(None);
    Ok(u.into())
}

/// `scheme://host:port` of a URL: whose nonce a proof carries.
fn origin_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| String::new(), |u| u.origin().ascii_serialization())
}

/// The DPoP state of one handle's HTTP client: the key (none: DPoP off)
/// and the last nonce of each server.
#[derive(Default)]
pub(crate) struct Dpop {
    key: RwLock<Option<Arc<DpopKey>>>,
    nonces: Mutex<HashMap<String, String>>,
}

/// The `DPoP` header of one request, and the nonce it carries.
pub(crate) struct Proof {
    pub header: String,
    nonce: Option<String>,
}

/// What a proof-carrying request's answer said about nonces.
pub(crate) struct NonceAnswer {
    nonce: Option<String>,
    www_authenticate: Option<String>,
}

impl NonceAnswer {
    /// Read from the answer's headers, before its body is consumed.
    pub fn of(headers: &reqwest::header::HeaderMap) -> NonceAnswer {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        };
        NonceAnswer {
            nonce: get("dpop-nonce"),
            www_authenticate: get("www-authenticate"),
        }
    }
}

impl Dpop {
    pub fn key(&self) -> Option<Arc<DpopKey>> {
        self.key.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_key(&self, key: Option<DpopKey>) {
        *self.key.write().unwrap_or_else(|p| p.into_inner()) = key.map(Arc::new);
    }

    /// The `DPoP` header of a request, when DPoP is on and the request
    /// needs one: a token-endpoint request, or one carrying an access token
    /// (`bearer`, then sent under the `DPoP` scheme).
    pub fn proof(&self, method: &str, url: &str, bearer: Option<&str>) -> Result<Option<Proof>> {
        let Some(key) = self.key() else {
            return Ok(None);
        };
        let token_endpoint = url::Url::parse(url).is_ok_and(|u| u.path() == "/oauth/token");
        if bearer.is_none() && !token_endpoint {
            return Ok(None);
        }
        let origin = origin_of(url);
        let nonce = self
            .nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&origin)
            .cloned();
        let header = key.proof(method, url, bearer, nonce.as_deref())?;
        Ok(Some(Proof { header, nonce }))
    }

    /// Remembers the server's `DPoP-Nonce`; whether the answer to `sent`
    /// is a `use_dpop_nonce` challenge with a nonce other than the one it
    /// carried (worth the one retry).
    pub fn answered(
        &self,
        url: &str,
        sent: &Proof,
        a: NonceAnswer,
        status: u16,
        body: &[u8],
    ) -> bool {
        let Some(nonce) = a.nonce.filter(|n| !n.is_empty()) else {
            return false;
        };
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(origin_of(url), nonce.clone());
        let challenge = match status {
            400 => serde_json::from_slice::<Value>(body)
                .ok()
                .is_some_and(|v| v.get("error").and_then(Value::as_str) == Some("use_dpop_nonce")),
            401 => a
                .www_authenticate
                .is_some_and(|w| w.contains("error=\"use_dpop_nonce\"")),
            _ => false,
        };
        challenge && sent.nonce.as_deref() != Some(nonce.as_str())
    }
}

/// The DPoP key of the options `new WebAuth` got: `dpopKey` (an exported
/// key, which turns DPoP on), else a new one when `dpop` is true.
pub(crate) fn key_from_options(o: &Options) -> Result<Option<DpopKey>> {
    let on = optional_bool(o, "dpop", "dpop option is not valid")?;
    match optional_str(o, "dpopKey", "dpopKey option is not valid")? {
        Some(_) if on == Some(false) => Err(Error::invalid_argument(
            "dpopKey option is not valid with dpop: false",
        )),
        Some(k) => DpopKey::from_pkcs8(&DpopPrivateKey::from(k)).map(Some),
        None if on == Some(true) => DpopKey::generate().map(Some),
        None => Ok(None),
    }
}

impl WebAuth {
    /// The key tokens of this handle are bound to (DPoP on), or `None`.
    /// Export it with [`DpopKey::to_pkcs8`] to store it next to the tokens.
    pub fn dpop_key(&self) -> Option<Arc<DpopKey>> {
        self.http().dpop.key()
    }

    /// Binds the next token requests to `key` (an imported one, for tokens
    /// stored with it), or turns DPoP off with `None`. Safe while other
    /// threads use the handle; a request already signing keeps its key.
    pub fn set_dpop_key(&self, key: Option<DpopKey>) {
        self.http().dpop.set_key(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(proof: &str) -> (Value, Value) {
        let mut parts = proof.split('.');
        let mut part = || -> Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap()
        };
        (part(), part())
    }

    #[test]
    fn a_proof_has_rfc_9449s_header_and_claims() {
        let k = DpopKey::generate().unwrap();
        let p = k
            .proof(
                "GET",
                "http://127.0.0.1:1/userinfo?a=b#f",
                Some("at"),
                Some("n1"),
            )
            .unwrap();
        let (h, c) = claims(&p);
        assert_eq!(
            (h["typ"].as_str(), h["alg"].as_str()),
            (Some("dpop+jwt"), Some("ES256"))
        );
        assert_eq!(h["jwk"], *k.public_jwk());
        assert!(h["jwk"].get("d").is_none());
        assert_eq!(c["htu"], "http://127.0.0.1:1/userinfo");
        assert_eq!(c["htm"], "GET");
        assert_eq!(c["nonce"], "n1");
        assert_eq!(c["ath"], URL_SAFE_NO_PAD.encode(digest(&SHA256, b"at")));
        let again = claims(&k.proof("GET", "http://127.0.0.1:1/x", None, None).unwrap()).1;
        assert_ne!(c["jti"], again["jti"]);
        assert!(again.get("ath").is_none() && again.get("nonce").is_none());
    }

    #[test]
    fn a_key_survives_pkcs8_and_debug_shows_no_secret() {
        let k = DpopKey::generate().unwrap();
        let exported = k.to_pkcs8().unwrap();
        let back = DpopKey::from_pkcs8(&exported).unwrap();
        assert_eq!(back.thumbprint(), k.thumbprint());
        assert!(!format!("{k:?}").contains(exported.secret()));
        assert_eq!(format!("{exported:?}"), "DpopPrivateKey([redacted])");
        let e = DpopKey::from_pkcs8(&"bm90IGEga2V5".into()).unwrap_err();
        assert!(e.description().starts_with("dpopKey option is not valid"));
    }

    #[test]
    fn only_a_fresh_use_dpop_nonce_is_a_challenge() {
        let d = Dpop::default();
        let a = |nonce: &str| NonceAnswer {
            nonce: Some(nonce.into()),
            www_authenticate: None,
        };
        let sent = |nonce: Option<&str>| Proof {
            header: String::new(),
            nonce: nonce.map(str::to_owned),
        };
        let body = br#"{"error":"use_dpop_nonce"}"#;
        let token = "http://h:1/oauth/token";
        assert!(d.answered(token, &sent(None), a("n1"), 400, body));
        assert!(
            !d.answered(token, &sent(Some("n1")), a("n1"), 400, body),
            "the nonce it carried"
        );
        assert!(d.answered(token, &sent(Some("n0")), a("n1"), 400, body));
        let other = br#"{"error":"invalid_grant"}"#;
        assert!(!d.answered(token, &sent(None), a("n2"), 400, other));
        assert_eq!(d.nonces.lock().unwrap()["http://h:1"], "n2");
    }
}
