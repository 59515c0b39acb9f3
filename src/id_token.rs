//! id_token validation: Part A of the wire spec, in its order and with its
//! messages. RS256 only, the algorithm checked before any key is fetched,
//! keys only from the configured domain's JWKS.

use crate::error::{Error, Result};
use crate::http::Http;
use crate::jwks::Jwks;
use aws_lc_rs::digest::{digest, SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

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
}

/// Who issued the token and for whom, and the clock allowance.
pub(crate) struct Verifier<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub leeway: u64,
    pub jwks: &'a Jwks,
    pub http: &'a Http,
}

fn b64_json<T: DeserializeOwned>(part: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    // Objects only: serde would also read a struct from a JSON array.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

/// The two header fields the checks read; other fields are skipped
/// without building a map (the payload, which the caller gets, is a
/// `Value`). Any JSON type is accepted so the messages can show it.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    alg: Option<Value>,
    #[serde(default)]
    kid: Option<Value>,
}

fn number(payload: &Value, claim: &str) -> Option<f64> {
    payload.get(claim).and_then(Value::as_f64)
}

fn display(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "undefined".to_owned(),
        Some(Value::String(s)) => s.clone(),
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
    }
}

/// The left half of SHA-256 of the access token, base64url (OIDC §3.2.2.9).
pub(crate) fn at_hash(access_token: &str) -> String {
    let d = digest(&SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d.as_ref()[..16])
}

impl Verifier<'_> {
    /// Validates `token` and returns its payload (raw claim names).
    pub fn verify(&self, token: &str, expect: &Expectations<'_>, now: u64) -> Result<Value> {
        let mut parts = token.split('.');
        let (Some(head), Some(body), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::invalid_token("Cannot decode a malformed JWT"));
        };
        if head.is_empty() || body.is_empty() {
            return Err(Error::invalid_token("Cannot decode a malformed JWT"));
        }
        let (Some(header), Some(payload)) = (b64_json::<Header>(head), b64_json::<Value>(body))
        else {
            return Err(Error::invalid_token(
                "Token header or payload is not valid JSON",
            ));
        };

        let alg = display(header.alg.as_ref());
        if alg != "RS256" {
            return Err(Error::invalid_token(format!(
                "Algorithm {alg} is not supported. (Expected algs: [RS256])"
            )));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(sig.trim_end_matches('='))
            .map_err(|_| Error::invalid_token("Cannot decode a malformed JWT"))?;
        let signed = &token.as_bytes()[..head.len() + 1 + body.len()];
        let kid = header.kid.as_ref().and_then(Value::as_str);
        let valid = self.jwks.verify_with(self.http, kid, |key| {
            key.verify_sig(signed, &signature).is_ok()
        })?;
        if !valid {
            return Err(Error::invalid_token("Invalid signature."));
        }

        if payload.get("iss").and_then(Value::as_str) != Some(self.issuer) {
            return Err(Error::invalid_token(format!(
                "Issuer {} is not valid.",
                display(payload.get("iss"))
            )));
        }
        let aud_ok = match payload.get("aud") {
            Some(Value::String(a)) => a == self.client_id,
            Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(self.client_id)),
            _ => false,
        };
        if !aud_ok {
            return Err(Error::invalid_token(format!(
                "Audience {} is not valid.",
                display(payload.get("aud"))
            )));
        }
        if payload
            .get("aud")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() > 1)
            && payload.get("azp").and_then(Value::as_str) != Some(self.client_id)
        {
            return Err(Error::invalid_token(format!(
                "Authorized Party (azp) claim mismatch in the ID token; expected \"{}\", found \"{}\"",
                self.client_id,
                display(payload.get("azp"))
            )));
        }

        let now = now as f64;
        let leeway = self.leeway as f64;
        let exp = number(&payload, "exp").ok_or_else(|| {
            Error::invalid_token(
                "Expiration Time (exp) claim must be a number present in the ID token",
            )
        })?;
        if now > exp + leeway {
            return Err(Error::invalid_token("Expired token."));
        }
        let iat = number(&payload, "iat").ok_or_else(|| {
            Error::invalid_token("Issued At (iat) claim must be a number present in the ID token")
        })?;
        if iat > now + leeway {
            return Err(Error::invalid_token(
                "The token was issued in the future. Please check your computed clock.",
            ));
        }
        if let Some(nbf) = number(&payload, "nbf") {
            if now < nbf - leeway {
                return Err(Error::invalid_token(
                    "The token is not valid until later in the future. Please check your computed clock.",
                ));
            }
        }
        let token_nonce = payload.get("nonce").and_then(Value::as_str);
        if token_nonce != expect.nonce {
            return Err(Error::invalid_token("Nonce does not match."));
        }
        if let Some(max_age) = expect.max_age {
            let auth_time = number(&payload, "auth_time").ok_or_else(|| {
                Error::invalid_token(
                    "Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified",
                )
            })?;
            if now > auth_time + max_age as f64 + leeway {
                return Err(Error::invalid_token(
                    "Authentication Time (auth_time) claim indicates that too much time has passed since the last end-user authentication.",
                ));
            }
        }
        match (
            payload.get("at_hash").and_then(Value::as_str),
            expect.access_token,
        ) {
            (Some(h), Some(at)) if h != at_hash(at) => {
                return Err(Error::invalid_token(
                    "Access Token Hash (at_hash) claim mismatch",
                ))
            }
            (None, Some(_)) if expect.require_at_hash => {
                return Err(Error::invalid_token(
                    "Access Token Hash (at_hash) claim mismatch",
                ))
            }
            _ => {}
        }
        Ok(payload)
    }
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
}
