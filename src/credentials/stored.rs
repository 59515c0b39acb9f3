//! What a manager stores: the credentials of one login, as versioned JSON
//! inside the store's blob (which the file backend encrypts).
//!
//! `{"version":1,"accessToken":…,"tokenType":…,"idToken":…,"refreshToken":…,
//! "expiresAt":<unix seconds>,"scope":…,"audience":…,"idTokenPayload":…,
//! "dpopKey"?:…}` — `dpopKey` (the PKCS#8 of the handle's DPoP key) only
//! for tokens bound to one: a bound refresh token is worthless without it.
//! A blob of another version, or one that is not this JSON, is a
//! `storage_error`: never guessed at.

use super::{SecretBytes, STORAGE_ERROR};
use crate::error::{Error, Result};
use crate::secret::{AccessToken, DpopPrivateKey, IdToken, RefreshToken};
use crate::IdTokenClaims;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// The version of the stored JSON this library writes and reads.
pub const STORED_VERSION: u32 = 1;

/// The credentials a manager holds and gives out.
///
/// JSON face ([`Credentials::to_json`]): `{"accessToken", "tokenType",
/// "idToken", "refreshToken", "expiresAt"` (Unix seconds), `"expiresIn"`
/// (seconds left, computed at the call), `"scope", "idTokenPayload"}`.
/// `Debug` redacts the tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Credentials {
    /// The access token.
    pub access_token: AccessToken,
    /// `Bearer` (or `DPoP`).
    pub token_type: String,
    /// The `id_token` of the login or of the last renewal that sent one.
    pub id_token: Option<IdToken>,
    /// The refresh token (the newest, after rotation).
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires, in Unix seconds.
    pub expires_at: u64,
    /// The scopes granted (space-separated).
    pub scope: Option<String>,
    /// The verified claims of `id_token`.
    pub id_token_payload: Option<IdTokenClaims>,
}

impl Credentials {
    /// Seconds until the access token expires at `now` (Unix seconds);
    /// negative once it has.
    #[must_use]
    pub fn expires_in(&self, now: u64) -> i64 {
        // Both are Unix seconds, far below `i64::MAX`; saturate anyway.
        let at = i64::try_from(self.expires_at).unwrap_or(i64::MAX);
        at.saturating_sub(i64::try_from(now).unwrap_or(i64::MAX))
    }

    /// The JSON face, with `expiresIn` computed now.
    pub fn to_json(&self) -> Value {
        let now = crate::transaction::now_secs();
        let mut m = Map::new();
        m.insert("accessToken".into(), self.access_token.secret().into());
        m.insert("tokenType".into(), self.token_type.clone().into());
        m.insert(
            "idToken".into(),
            self.id_token
                .as_ref()
                .map_or(Value::Null, |t| t.secret().into()),
        );
        m.insert(
            "refreshToken".into(),
            self.refresh_token
                .as_ref()
                .map_or(Value::Null, |t| t.secret().into()),
        );
        m.insert("expiresAt".into(), self.expires_at.into());
        m.insert("expiresIn".into(), self.expires_in(now).into());
        m.insert(
            "scope".into(),
            self.scope.clone().map_or(Value::Null, Value::String),
        );
        m.insert(
            "idTokenPayload".into(),
            self.id_token_payload
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok())
                .unwrap_or(Value::Null),
        );
        Value::Object(m)
    }

    /// Whether every scope of `wanted` (space-separated) was granted.
    pub(crate) fn covers_scope(&self, wanted: &str) -> bool {
        let granted = self.scope.as_deref().unwrap_or_default();
        wanted
            .split_whitespace()
            .all(|w| crate::webauth::has_word(granted, w))
    }
}

/// The JSON face ([`Credentials::to_json`]), with `expiresIn` computed
/// at serialization.
impl Serialize for Credentials {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// The stored form: the credentials and the audience their access token
/// is for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Stored {
    pub credentials: Credentials,
    pub audience: Option<String>,
    /// The DPoP key the tokens are bound to (RFC 9449), if any.
    pub dpop_key: Option<DpopPrivateKey>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    version: u32,
    access_token: AccessToken,
    token_type: String,
    #[serde(default)]
    id_token: Option<IdToken>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    expires_at: u64,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    audience: Option<String>,
    #[serde(default, deserialize_with = "stored_claims")]
    id_token_payload: Option<IdTokenClaims>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dpop_key: Option<DpopPrivateKey>,
}

/// The stored claims. Files written before the claims were typed hold
/// whatever object the login's `idTokenPayload` was; one that is not a
/// payload [`IdTokenClaims`] reads is dropped (the tokens stay usable)
/// rather than making the whole store unreadable.
fn stored_claims<'de, D: Deserializer<'de>>(d: D) -> Result<Option<IdTokenClaims>, D::Error> {
    let Some(value) = Option::<Value>::deserialize(d)? else {
        return Ok(None);
    };
    let claims = IdTokenClaims::try_from(&value).ok();
    if claims.is_none() {
        log::warn!(target: super::manager::LOG_TARGET, "the stored id_token claims are not readable; dropped");
    }
    Ok(claims)
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

impl Stored {
    /// The blob to hand to the store.
    pub fn to_blob(&self) -> Result<SecretBytes> {
        let c = &self.credentials;
        let wire = Wire {
            version: STORED_VERSION,
            access_token: c.access_token.clone(),
            token_type: c.token_type.clone(),
            id_token: c.id_token.clone(),
            refresh_token: c.refresh_token.clone(),
            expires_at: c.expires_at,
            scope: c.scope.clone(),
            audience: self.audience.clone(),
            id_token_payload: c.id_token_payload.clone(),
            dpop_key: self.dpop_key.clone(),
        };
        serde_json::to_vec(&wire)
            .map(SecretBytes::new)
            .map_err(|_| Error::internal("the credentials could not be serialized"))
    }

    /// Reads a blob the store gave back.
    pub fn from_blob(blob: &[u8]) -> Result<Stored> {
        let unreadable = || {
            Error::storage("the stored credentials are not readable (not this library's format)")
                .with_code(STORAGE_ERROR)
        };
        let version: VersionOnly = serde_json::from_slice(blob).map_err(|_| unreadable())?;
        if version.version != STORED_VERSION {
            return Err(Error::storage(format!(
                "the stored credentials have format version {}, this library reads version {STORED_VERSION}",
                version.version
            )));
        }
        let w: Wire = serde_json::from_slice(blob).map_err(|_| unreadable())?;
        Ok(Stored {
            credentials: Credentials {
                access_token: w.access_token,
                token_type: w.token_type,
                id_token: w.id_token,
                refresh_token: w.refresh_token,
                expires_at: w.expires_at,
                scope: w.scope,
                id_token_payload: w.id_token_payload,
            },
            audience: w.audience,
            dpop_key: w.dpop_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Stored {
        Stored {
            credentials: Credentials {
                access_token: AccessToken::new("at".into()),
                token_type: "Bearer".into(),
                id_token: None,
                refresh_token: Some(RefreshToken::new("rt".into())),
                expires_at: 1_900_000_000,
                scope: Some("openid offline_access".into()),
                id_token_payload: None,
            },
            audience: Some("https://api".into()),
            dpop_key: None,
        }
    }

    #[test]
    fn round_trips_and_keeps_its_version() {
        let s = sample();
        let blob = s.to_blob().unwrap();
        let v: Value = serde_json::from_slice(blob.expose()).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(Stored::from_blob(blob.expose()).unwrap(), s);
        assert!(v.get("dpopKey").is_none());
        let bound = Stored {
            dpop_key: Some(DpopPrivateKey::new("k".into())),
            ..s
        };
        let blob = bound.to_blob().unwrap();
        assert_eq!(Stored::from_blob(blob.expose()).unwrap(), bound);
    }

    #[test]
    fn the_claims_round_trip_as_the_token_had_them() {
        let payload = r#"{"sub":"auth0|1","iss":"https://t/","aud":["abc","api"],"exp":1900000000.5,"iat":1800000000,"nbf":null,"email":"ann@example.com"}"#;
        let mut s = sample();
        s.credentials.id_token_payload = Some(serde_json::from_str(payload).unwrap());
        let blob = s.to_blob().unwrap();
        let text = std::str::from_utf8(blob.expose()).unwrap();
        assert!(
            text.contains(&format!(r#""idTokenPayload":{payload}"#)),
            "{text}"
        );
        assert_eq!(Stored::from_blob(blob.expose()).unwrap(), s);
        assert_eq!(
            s.credentials.to_json()["idTokenPayload"].to_string(),
            payload
        );
    }

    #[test]
    fn a_stored_payload_that_is_not_claims_is_dropped_not_fatal() {
        // What a file written before the claims were typed can hold: any
        // object the login's idTokenPayload was.
        let blob = br#"{"version":1,"accessToken":"at","tokenType":"Bearer","expiresAt":1900000000,"idTokenPayload":{"sub":"x"}}"#;
        let s = Stored::from_blob(blob).unwrap();
        assert_eq!(s.credentials.id_token_payload, None);
        assert_eq!(s.credentials.access_token.secret(), "at");
    }

    #[test]
    fn other_versions_and_garbage_are_storage_errors() {
        let e = Stored::from_blob(br#"{"version":2}"#).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Storage);
        assert!(e.description().contains("version 2"), "{e}");
        let e = Stored::from_blob(b"\x00\x01").unwrap_err();
        assert_eq!(e.code(), STORAGE_ERROR);
    }

    #[test]
    fn the_json_face_has_auth0js_names() {
        let c = sample().credentials;
        let j = serde_json::to_value(&c).unwrap();
        let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "accessToken",
                "tokenType",
                "idToken",
                "refreshToken",
                "expiresAt",
                "expiresIn",
                "scope",
                "idTokenPayload"
            ]
        );
        assert_eq!(j["expiresAt"], 1_900_000_000u64);
        assert_eq!(j["refreshToken"], "rt");
    }

    #[test]
    fn scope_coverage_is_per_word() {
        let c = sample().credentials;
        assert!(c.covers_scope("openid"));
        assert!(c.covers_scope("offline_access openid"));
        assert!(!c.covers_scope("openid read:items"));
        assert!(!c.covers_scope("open"));
    }
}
