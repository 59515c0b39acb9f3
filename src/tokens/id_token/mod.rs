//! `id_token` validation: Part A of the wire spec, in its order and with its
//! messages, plus OpenID Connect Core §3.1.3.7 and RFC 8725.
//!
//! Three stages over one read of the token. **Decode** ([`decode`], ours):
//! a size cap before anything is decoded, three unpadded base64url
//! segments, JSON objects without duplicate members, the payload read once
//! into a typed [`Payload`] ([`payload`]: registered claims typed, every
//! other claim kept as it is, in order). **Signature** ([`signature`], jsonwebtoken): the `alg`
//! allow-list, checked before any key is fetched, no `crit` extension
//! understood, the key only from the configured domain's JWKS, RS256
//! verified by jsonwebtoken's aws-lc verifier with the key aws-lc parsed
//! when the JWKS was fetched. **Claims** ([`claims`], ours, over the typed
//! claims): the registered claims with leeway, then the OIDC ones (nonce,
//! `azp`, `max_age`/`auth_time`, `at_hash`, the organization).
//!
//! The registered claims are checked here rather than by
//! `jsonwebtoken::Validation`: that one reads the system clock (the caller
//! gives `now`), checks `exp` before `iss` (Part A has the opposite order),
//! and its errors cannot carry the claim values v8's messages show.

mod claims;
mod decode;
mod payload;
mod signature;

use crate::error::Result;
use crate::tokens::claims::IdTokenClaims;
use crate::tokens::jwks::Jwks;
use crate::transport::http::Http;
use aws_lc_rs::digest::{digest, SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
pub(crate) use payload::{Claim, Payload};
use serde_json::Value;

/// The largest `id_token` accepted, checked before anything is decoded.
/// Auth0's tokens are a few kilobytes, even with rich profiles.
pub const MAX_ID_TOKEN_BYTES: usize = 32 * 1024;
/// The most characters of token-controlled text put into a message.
const MAX_SHOWN_CHARS: usize = 64;

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

impl Verifier<'_> {
    /// Validates `token` and returns its claims: decode, then the
    /// signature, then the claims.
    pub fn verify(
        &self,
        token: &str,
        expect: &Expectations<'_>,
        now: u64,
    ) -> Result<IdTokenClaims> {
        let decoded = decode::decode(token)?;
        signature::check(self, &decoded)?;
        claims::check(self, &decoded.payload, expect, now)?;
        IdTokenClaims::verified(decoded.payload)
    }
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
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
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
}
