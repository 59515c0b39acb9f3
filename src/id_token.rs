//! id_token validation: Part A of the wire spec, in its order and with its
//! messages, plus OpenID Connect Core §3.1.3.7 and RFC 8725.
//!
//! Three stages. **Decode** (ours): a size cap before anything is decoded,
//! three unpadded base64url segments, JSON objects without duplicate
//! members. **Signature** (jsonwebtoken): the `alg` allow-list, checked
//! before any key is fetched, no `crit` extension understood, the key only
//! from the configured domain's JWKS, RS256 verified by jsonwebtoken's
//! aws-lc verifier with the key aws-lc parsed when the JWKS was fetched.
//! **Claims** (ours, over typed claims): the registered claims with leeway,
//! then the OIDC ones (nonce, `azp`, `max_age`/`auth_time`, `at_hash`).
//!
//! The registered claims are checked here rather than by
//! `jsonwebtoken::Validation`: that one reads the system clock (the caller
//! gives `now`), checks `exp` before `iss` (Part A has the opposite order),
//! and its errors cannot carry the claim values v8's messages show.

use crate::error::{Error, Result};
use crate::http::Http;
use crate::jwks::{Jwks, SigningKey};
use aws_lc_rs::digest::{digest, SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::Algorithm;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// The largest id_token accepted, checked before anything is decoded.
/// Auth0's tokens are a few kilobytes, even with rich profiles.
pub const MAX_ID_TOKEN_BYTES: usize = 32 * 1024;
/// The most characters of token-controlled text put into a message.
const MAX_SHOWN_CHARS: usize = 64;
/// The only algorithm accepted (the seed: RS256 is required).
const ALGORITHMS: [Algorithm; 1] = [Algorithm::RS256];

/// What a particular token must also match, besides issuer and audience.
#[derive(Clone, Debug, Default)]
pub struct Expectations<'a> {
    /// The nonce sent to `/authorize`; `None` means the token must carry none.
    pub nonce: Option<&'a str>,
    /// `max_age` sent to `/authorize`: `auth_time` must then be recent enough.
    pub max_age: Option<u64>,
    /// The access token of the same answer, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// `at_hash` must be present (`response_type=id_token token`).
    pub require_at_hash: bool,
    /// The `organization` sent to `/authorize`: an `org_…` id must equal
    /// the `org_id` claim, a name the `org_name` claim (case-insensitively),
    /// as Auth0.swift and auth0-spa-js check.
    pub organization: Option<&'a str>,
}

/// Who issued the token and for whom, and the clock allowance.
pub(crate) struct Verifier<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub leeway: u64,
    pub jwks: &'a Jwks,
    pub http: &'a Http,
}

/// Token-controlled text as it may enter a message: control characters
/// dropped, at most [`MAX_SHOWN_CHARS`] characters.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SHOWN_CHARS + 3));
    for (kept, c) in text.chars().filter(|c| !c.is_control()).enumerate() {
        if kept == MAX_SHOWN_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// A claim or header value as v8's messages show it, through [`shown`].
fn display(v: Option<&Value>) -> String {
    let text = match v {
        None | Some(Value::Null) => return "undefined".to_owned(),
        Some(Value::String(s)) => return shown(s),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    };
    shown(&text)
}

/// The left half of SHA-256 of the access token, base64url (OIDC §3.2.2.9).
pub(crate) fn at_hash(access_token: &str) -> String {
    let d = digest(&SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d.as_ref()[..16])
}

// ---------------------------------------------------------------- decode

/// A member name, borrowed from the token when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// The header fields the checks read. `alg` and `kid` keep their JSON type
/// so the messages can show it; every other member is only counted.
#[derive(Default)]
struct Header {
    alg: Option<Value>,
    kid: Option<Value>,
    crit: bool,
    duplicate: Option<String>,
}

impl<'de> Deserialize<'de> for Header {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Header;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Header, A::Error> {
                let mut h = Header::default();
                let mut seen: Vec<Cow<'de, str>> = Vec::with_capacity(4);
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    match &*key {
                        "alg" => h.alg = Some(map.next_value()?),
                        "kid" => h.kid = Some(map.next_value()?),
                        "crit" => {
                            map.next_value::<IgnoredAny>()?;
                            h.crit = true;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    if seen.contains(&key) {
                        h.duplicate.get_or_insert(key.into_owned());
                    } else {
                        seen.push(key);
                    }
                }
                Ok(h)
            }
        }
        d.deserialize_map(V)
    }
}

/// The payload as the caller gets it, and the first member name that
/// appeared twice (serde_json would silently keep the last one).
struct Payload {
    claims: Map<String, Value>,
    duplicate: Option<String>,
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Payload;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
                let mut p = Payload {
                    claims: Map::new(),
                    duplicate: None,
                };
                while let Some(key) = map.next_key::<String>()? {
                    let value: Value = map.next_value()?;
                    match p.claims.entry(key) {
                        Entry::Vacant(v) => {
                            v.insert(value);
                        }
                        Entry::Occupied(o) => {
                            p.duplicate.get_or_insert_with(|| o.key().clone());
                        }
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

/// A token split and decoded, not yet trusted.
struct Decoded<'t> {
    header: Header,
    payload: Map<String, Value>,
    /// `header.payload`, the bytes the signature covers.
    signed: &'t [u8],
    /// The signature segment, still base64url (jsonwebtoken decodes it).
    signature: &'t str,
}

fn malformed() -> Error {
    Error::invalid_token("Cannot decode a malformed JWT")
}

/// Step 1 of Part A: the size cap, the three segments, JSON objects
/// without duplicate members.
fn decode(token: &str) -> Result<Decoded<'_>> {
    if token.len() > MAX_ID_TOKEN_BYTES {
        return Err(Error::invalid_token(format!(
            "The ID token is too large ({} bytes; at most {MAX_ID_TOKEN_BYTES} are accepted)",
            token.len()
        )));
    }
    let mut parts = token.split('.');
    let (Some(head), Some(body), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    // Unpadded base64url only (RFC 7515 §2). The header and payload
    // decoders refuse `=`; the signature is decoded by jsonwebtoken, which
    // refuses any other character outside the alphabet.
    if head.is_empty() || body.is_empty() || memchr::memchr(b'=', signature.as_bytes()).is_some() {
        return Err(malformed());
    }
    let head_json = URL_SAFE_NO_PAD.decode(head).map_err(|_| malformed())?;
    let body_json = URL_SAFE_NO_PAD.decode(body).map_err(|_| malformed())?;
    let not_json = || Error::invalid_token("Token header or payload is not valid JSON");
    let header: Header = serde_json::from_slice(&head_json).map_err(|_| not_json())?;
    let payload: Payload = serde_json::from_slice(&body_json).map_err(|_| not_json())?;
    if let Some(name) = header.duplicate.as_deref() {
        return Err(Error::invalid_token(format!(
            "Duplicate header parameter {} in the ID token",
            shown(name)
        )));
    }
    if let Some(name) = payload.duplicate.as_deref() {
        return Err(Error::invalid_token(format!(
            "Duplicate claim {} in the ID token",
            shown(name)
        )));
    }
    Ok(Decoded {
        header,
        payload: payload.claims,
        signed: &token.as_bytes()[..head.len() + 1 + body.len()],
        signature,
    })
}

// ------------------------------------------------------------- signature

/// jsonwebtoken's crypto provider for this library: its aws-lc provider,
/// except that an RS256 verifier for a key of our JWKS cache uses the
/// `ParsedPublicKey` made when the JWKS was fetched. jsonwebtoken's own
/// verifier rebuilds the RSA key from `n` and `e` on every call, which
/// costs a tenth of an RSA verify; its factory is a plain `fn`, so the
/// parsed key reaches it through a thread-local set around the one call.
mod provider {
    use crate::jwks::SigningKey;
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
        key as *const DecodingKey as usize
    }

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
        install();
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                PARSED.with_borrow_mut(|p| *p = None);
            }
        }
        PARSED.with_borrow_mut(|p| *p = Some((address(&key.decoding), key.parsed.clone())));
        let _reset = Reset;
        match jsonwebtoken::crypto::verify(signature, signed, &key.decoding, Algorithm::RS256) {
            Ok(valid) => Ok(valid),
            Err(e) if matches!(e.kind(), ErrorKind::Base64(_)) => Err(()),
            Err(_) => Ok(false),
        }
    }
}

// ---------------------------------------------------------------- claims

/// A claim as found in the payload: absent (or `null`), of the wrong JSON
/// type, or present with its type.
#[derive(Default)]
enum Claim<T> {
    #[default]
    Absent,
    Invalid,
    Present(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Claim<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The payload is a `Value` already, so a type error leaves nothing
        // half-read behind.
        Ok(match Option::<T>::deserialize(d) {
            Ok(Some(v)) => Claim::Present(v),
            Ok(None) => Claim::Absent,
            Err(_) => Claim::Invalid,
        })
    }
}

impl<T> Claim<T> {
    fn present(&self) -> Option<&T> {
        match self {
            Claim::Present(v) => Some(v),
            _ => None,
        }
    }
}

/// `aud`: one string or an array of strings.
enum Audience<'a> {
    One(&'a str),
    Many(Vec<&'a str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Audience<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Audience<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Audience<'a>, E> {
                Ok(Audience::One(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience<'a>, A::Error> {
                let mut all = Vec::new();
                while let Some(s) = seq.next_element::<&'de str>()? {
                    all.push(s);
                }
                Ok(Audience::Many(all))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The claims the checks read, typed: a claim of the wrong JSON type is
/// [`Claim::Invalid`], never read as absent. NumericDates are seconds.
#[derive(Deserialize)]
struct Claims<'a> {
    #[serde(borrow, default)]
    iss: Claim<&'a str>,
    #[serde(borrow, default)]
    sub: Claim<&'a str>,
    #[serde(borrow, default)]
    aud: Claim<Audience<'a>>,
    #[serde(borrow, default)]
    azp: Claim<&'a str>,
    #[serde(default)]
    exp: Claim<f64>,
    #[serde(default)]
    iat: Claim<f64>,
    #[serde(default)]
    nbf: Claim<f64>,
    #[serde(default)]
    auth_time: Claim<f64>,
    #[serde(borrow, default)]
    nonce: Claim<&'a str>,
    #[serde(borrow, default)]
    at_hash: Claim<&'a str>,
}

impl Verifier<'_> {
    /// Validates `token` and returns its payload (raw claim names).
    pub fn verify(&self, token: &str, expect: &Expectations<'_>, now: u64) -> Result<Value> {
        let decoded = decode(token)?;
        self.check_signature(&decoded)?;
        let payload = Value::Object(decoded.payload);
        let claims = Claims::deserialize(&payload)
            .map_err(|_| Error::invalid_token("Token header or payload is not valid JSON"))?;
        self.check_claims(&claims, &payload, expect, now)?;
        Ok(payload)
    }

    /// Steps 2–4 and 13 of Part A: `alg` (before any key is fetched),
    /// `crit`, the key by `kid`, the signature.
    fn check_signature(&self, d: &Decoded<'_>) -> Result<()> {
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
        let valid = self.jwks.verify_with(self.http, kid, |key: &SigningKey| {
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

    /// Steps 5–12 of Part A, with `sub` after `iss` and `azp` whenever it
    /// is present (OIDC Core §3.1.3.7).
    fn check_claims(
        &self,
        c: &Claims<'_>,
        payload: &Value,
        expect: &Expectations<'_>,
        now: u64,
    ) -> Result<()> {
        let shown_claim = |name: &str| display(payload.get(name));
        if c.iss.present() != Some(&self.issuer) {
            return Err(Error::invalid_token(format!(
                "Issuer {} is not valid.",
                shown_claim("iss")
            )));
        }
        if c.sub.present().is_none_or(|s| s.is_empty()) {
            return Err(Error::invalid_token(
                "Subject (sub) claim must be a string present in the ID token",
            ));
        }
        let audiences = match c.aud.present() {
            Some(Audience::One(a)) => std::slice::from_ref(a),
            Some(Audience::Many(a)) => a.as_slice(),
            None => &[],
        };
        if !audiences.contains(&self.client_id) {
            return Err(Error::invalid_token(format!(
                "Audience {} is not valid.",
                shown_claim("aud")
            )));
        }
        let azp_needed = audiences.len() > 1 || !matches!(c.azp, Claim::Absent);
        if azp_needed && c.azp.present() != Some(&self.client_id) {
            return Err(Error::invalid_token(format!(
                "Authorized Party (azp) claim mismatch in the ID token; expected \"{}\", found \"{}\"",
                self.client_id,
                shown_claim("azp")
            )));
        }

        let now = now as f64;
        let leeway = self.leeway as f64;
        let exp = c.exp.present().ok_or_else(|| {
            Error::invalid_token(
                "Expiration Time (exp) claim must be a number present in the ID token",
            )
        })?;
        if now > exp + leeway {
            return Err(Error::invalid_token("Expired token."));
        }
        let iat = c.iat.present().ok_or_else(|| {
            Error::invalid_token("Issued At (iat) claim must be a number present in the ID token")
        })?;
        if *iat > now + leeway {
            return Err(Error::invalid_token(
                "The token was issued in the future. Please check your computed clock.",
            ));
        }
        match c.nbf {
            Claim::Present(nbf) if now < nbf - leeway => {
                return Err(Error::invalid_token(
                    "The token is not valid until later in the future. Please check your computed clock.",
                ))
            }
            Claim::Invalid => {
                return Err(Error::invalid_token(
                    "Not Before (nbf) claim must be a number when present in the ID token",
                ))
            }
            _ => {}
        }

        let nonce = match c.nonce {
            Claim::Present(n) => Some(n),
            Claim::Absent => None,
            Claim::Invalid => return Err(Error::invalid_token("Nonce does not match.")),
        };
        if nonce != expect.nonce {
            return Err(Error::invalid_token("Nonce does not match."));
        }
        match (&c.auth_time, expect.max_age) {
            (Claim::Present(auth_time), Some(max_age))
                if now > auth_time + max_age as f64 + leeway =>
            {
                return Err(Error::invalid_token(
                    "Authentication Time (auth_time) claim indicates that too much time has passed since the last end-user authentication.",
                ))
            }
            (Claim::Present(_), Some(_)) => {}
            (_, Some(_)) => {
                return Err(Error::invalid_token(
                    "Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified",
                ))
            }
            (Claim::Invalid, None) => {
                return Err(Error::invalid_token(
                    "Authentication Time (auth_time) claim must be a number when present in the ID token",
                ))
            }
            _ => {}
        }
        let at_hash_ok = match (&c.at_hash, expect.access_token) {
            (Claim::Invalid, _) => false,
            (Claim::Present(h), Some(at)) => *h == at_hash(at),
            (Claim::Absent, Some(_)) => !expect.require_at_hash,
            _ => true,
        };
        if !at_hash_ok {
            return Err(Error::invalid_token(
                "Access Token Hash (at_hash) claim mismatch",
            ));
        }
        if let Some(organization) = expect.organization {
            check_organization(payload, organization)?;
        }
        Ok(())
    }
}

/// The organization check of auth0-spa-js and Auth0.swift, with their
/// messages: an `org_…` value is an id, compared exactly with `org_id`;
/// anything else a name, compared with `org_name` ignoring case (Auth0
/// keeps organization names in lower case).
fn check_organization(payload: &Value, organization: &str) -> Result<()> {
    let (claim, label) = if organization.starts_with("org_") {
        ("org_id", "Organization ID (org_id)")
    } else {
        ("org_name", "Organization Name (org_name)")
    };
    let Some(found) = payload.get(claim).and_then(Value::as_str) else {
        return Err(Error::invalid_token(format!(
            "{label} claim must be a string present in the ID token"
        )));
    };
    let matches = if claim == "org_id" {
        found == organization
    } else {
        found.to_lowercase() == organization.to_lowercase()
    };
    if !matches {
        return Err(Error::invalid_token(format!(
            "{label} claim mismatch in the ID token; expected \"{}\", found \"{}\"",
            shown(organization),
            shown(found)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_sha256() {
        // OpenID Connect Core's example access token and at_hash (A.3).
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }

    #[test]
    fn shown_text_has_no_control_characters_and_a_bound() {
        assert_eq!(shown("a\u{0}b\nc\u{1b}[31m"), "abc[31m");
        let long = "x".repeat(10_000);
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN_CHARS + 1);
    }

    #[test]
    fn an_organization_id_compares_exactly_and_a_name_ignoring_case() {
        let p = serde_json::json!({"org_id": "org_abc", "org_name": "acme"});
        assert!(check_organization(&p, "org_abc").is_ok());
        assert!(check_organization(&p, "ACME").is_ok());
        let e = check_organization(&p, "org_ABC").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization ID (org_id) claim mismatch in the ID token; expected \"org_ABC\", found \"org_abc\""
        );
        let e = check_organization(&p, "globex").unwrap_err();
        assert!(e
            .description()
            .starts_with("Organization Name (org_name) claim mismatch"));
        let e = check_organization(&serde_json::json!({"org_id": 1}), "org_abc").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization ID (org_id) claim must be a string present in the ID token"
        );
        let e = check_organization(&serde_json::json!({}), "acme").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization Name (org_name) claim must be a string present in the ID token"
        );
    }

    #[test]
    fn a_claim_of_the_wrong_type_is_invalid_not_absent() {
        let v = serde_json::json!({"exp": "9999999999", "aud": ["a", 1], "iat": 1});
        let c = Claims::deserialize(&v).unwrap();
        assert!(matches!(c.exp, Claim::Invalid));
        assert!(matches!(c.aud, Claim::Invalid));
        assert!(matches!(c.iat, Claim::Present(x) if x == 1.0));
        assert!(matches!(c.nbf, Claim::Absent));
    }
}
