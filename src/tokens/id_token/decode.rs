//! Step 1 of Part A: the size cap, the three segments, JSON objects
//! without duplicate members; the payload read once into its typed form.

use super::payload::Payload;
use super::{shown, MAX_ID_TOKEN_BYTES};
use crate::error::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A member name, borrowed from the token when it has no escapes.
pub(super) struct Key<'de>(pub(super) Cow<'de, str>);

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
pub(super) struct Header {
    pub(super) alg: Option<Value>,
    pub(super) kid: Option<Value>,
    pub(super) crit: bool,
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

/// A token split and decoded, not yet trusted.
pub(super) struct Decoded<'t> {
    pub(super) header: Header,
    pub(super) payload: Payload,
    /// `header.payload`, the bytes the signature covers.
    pub(super) signed: &'t [u8],
    /// The signature segment, still base64url (jsonwebtoken decodes it).
    pub(super) signature: &'t str,
}

pub(super) fn malformed() -> Error {
    Error::invalid_token("Cannot decode a malformed JWT")
}

/// Splits and decodes `token`.
pub(super) fn decode(token: &str) -> Result<Decoded<'_>> {
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
    if let Some(name) = payload.duplicate() {
        return Err(Error::invalid_token(format!(
            "Duplicate claim {} in the ID token",
            shown(name)
        )));
    }
    Ok(Decoded {
        header,
        payload,
        signed: &token.as_bytes()[..head.len() + 1 + body.len()],
        signature,
    })
}
