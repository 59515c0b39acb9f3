//! [`IdTokenClaims`]: a verified `id_token`'s payload, typed, as the
//! token carried it.

use crate::error::{Error, Result};
use crate::tokens::id_token::{Claim, Payload};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A verified `id_token`'s payload: the registered claims typed (read
/// through [`issuer`](IdTokenClaims::issuer),
/// [`subject`](IdTokenClaims::subject), …), every other claim in
/// [`additional_claims`](IdTokenClaims::additional_claims).
///
/// It keeps exactly what the token carried: the member order, `aud` as a
/// string or an array as written, `NumericDate`s as written (fractional
/// ones too), `null` claims. `Serialize` writes that object back, member
/// for member, and [`iter`](IdTokenClaims::iter) walks it.
///
/// The registered claims the verification requires (`iss`, `sub`, `aud`,
/// `exp`, `iat`) are always there, with their types, and its dates are
/// times a [`SystemTime`] can hold: `Deserialize` (and
/// `TryFrom<&Value>`) refuse a payload without them.
///
/// ```
/// use auth0_native::IdTokenClaims;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let payload = serde_json::json!({
///     "iss": "https://me.auth0.com/", "sub": "auth0|123", "aud": "abc",
///     "exp": 1_900_000_000, "iat": 1_800_000_000, "name": "Ann",
/// });
/// let claims = IdTokenClaims::try_from(&payload)?;
/// assert_eq!(claims.subject(), "auth0|123");
/// assert_eq!(claims.audiences(), ["abc"]);
/// assert_eq!(claims.expiration(), UNIX_EPOCH + Duration::from_secs(1_900_000_000));
/// assert_eq!(claims.additional_claims()["name"], "Ann");
/// assert_eq!(serde_json::to_value(&claims)?, payload);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct IdTokenClaims(Payload);

/// A claim's value as the token wrote it, from
/// [`IdTokenClaims::iter`] and [`IdTokenClaims::get`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClaimValue<'a> {
    /// `null`.
    Null,
    /// A string (`iss`, `sub`, `aud` as one string, …).
    String(&'a str),
    /// A number (a `NumericDate`: `exp`, `iat`, …), as written.
    Number(&'a Number),
    /// An array of strings (`aud`).
    Strings(&'a [String]),
    /// Any other JSON value: an additional claim, or a registered claim
    /// the token gave another type (an `org_id` that is not a string).
    Json(&'a Value),
}

impl ClaimValue<'_> {
    /// The value as JSON.
    #[must_use]
    pub fn to_json(self) -> Value {
        match self {
            ClaimValue::Null => Value::Null,
            ClaimValue::String(s) => Value::String(s.to_owned()),
            ClaimValue::Number(n) => Value::Number(n.clone()),
            ClaimValue::Strings(a) => a.iter().map(|s| Value::String(s.clone())).collect(),
            ClaimValue::Json(v) => v.clone(),
        }
    }
}

impl Serialize for ClaimValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match *self {
            ClaimValue::Null => s.serialize_unit(),
            ClaimValue::String(v) => s.serialize_str(v),
            ClaimValue::Number(n) => n.serialize(s),
            ClaimValue::Strings(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for item in a {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            ClaimValue::Json(v) => v.serialize(s),
        }
    }
}

/// What a payload lacks to be an [`IdTokenClaims`], as a message.
fn lack(p: &Payload) -> Option<String> {
    let required = [
        ("iss", p.iss.present().is_none()),
        ("sub", p.sub.present().is_none()),
        ("aud", p.aud.present().is_none()),
        ("exp", p.exp.present().is_none()),
        ("iat", p.iat.present().is_none()),
    ];
    if let Some((name, _)) = required.iter().find(|(_, missing)| *missing) {
        return Some(format!("no valid {name} claim"));
    }
    out_of_range(p).map(|name| format!("the {name} claim is not a date"))
}

/// The first `NumericDate` of `p` that no [`SystemTime`] can hold.
pub(crate) fn out_of_range(p: &Payload) -> Option<&'static str> {
    [
        ("exp", &p.exp),
        ("iat", &p.iat),
        ("nbf", &p.nbf),
        ("auth_time", &p.auth_time),
    ]
    .into_iter()
    .find(|(_, c)| c.present().is_some_and(|n| time_of(n).is_none()))
    .map(|(name, _)| name)
}

/// A `NumericDate` (seconds since the epoch, possibly fractional or
/// negative) as a time.
fn time_of(n: &Number) -> Option<SystemTime> {
    if let Some(s) = n.as_u64() {
        return UNIX_EPOCH.checked_add(Duration::from_secs(s));
    }
    let s = n.as_f64()?;
    let d = Duration::try_from_secs_f64(s.abs()).ok()?;
    if s >= 0.0 {
        UNIX_EPOCH.checked_add(d)
    } else {
        UNIX_EPOCH.checked_sub(d)
    }
}

fn date(c: &Claim<Number>) -> Option<SystemTime> {
    c.present().and_then(time_of)
}

fn text(c: &Claim<String>) -> Option<&str> {
    c.present().map(String::as_str)
}

impl IdTokenClaims {
    /// `payload`, which the verifier accepted.
    pub(crate) fn verified(payload: Payload) -> Result<IdTokenClaims> {
        match lack(&payload) {
            None => Ok(IdTokenClaims(payload)),
            Some(what) => Err(Error::invalid_token(format!(
                "The ID token's payload has {what}"
            ))),
        }
    }

    /// `iss`: who issued the token (the tenant's `https://domain/`).
    #[must_use]
    pub fn issuer(&self) -> &str {
        text(&self.0.iss).unwrap_or_default()
    }

    /// `sub`: the user's id (`auth0|123`).
    #[must_use]
    pub fn subject(&self) -> &str {
        text(&self.0.sub).unwrap_or_default()
    }

    /// `aud`: the audiences (the client id among them), whether the token
    /// wrote one string or an array.
    #[must_use]
    pub fn audiences(&self) -> &[String] {
        self.0.aud.present().map_or(&[], |a| a.as_slice())
    }

    /// `exp`: when the token expires.
    #[must_use]
    pub fn expiration(&self) -> SystemTime {
        date(&self.0.exp).unwrap_or(UNIX_EPOCH)
    }

    /// `iat`: when the token was issued.
    #[must_use]
    pub fn issue_time(&self) -> SystemTime {
        date(&self.0.iat).unwrap_or(UNIX_EPOCH)
    }

    /// `nbf`: the token is not valid before, when it says.
    #[must_use]
    pub fn not_before(&self) -> Option<SystemTime> {
        date(&self.0.nbf)
    }

    /// `auth_time`: when the user authenticated, when the token says.
    #[must_use]
    pub fn auth_time(&self) -> Option<SystemTime> {
        date(&self.0.auth_time)
    }

    /// `nonce`: the nonce of the request, when it had one.
    #[must_use]
    pub fn nonce(&self) -> Option<&str> {
        text(&self.0.nonce)
    }

    /// `azp`: the authorized party (the client id, when the token has
    /// several audiences or says anyway).
    #[must_use]
    pub fn authorized_party(&self) -> Option<&str> {
        text(&self.0.azp)
    }

    /// `at_hash`: the hash of the access token issued with it.
    #[must_use]
    pub fn access_token_hash(&self) -> Option<&str> {
        text(&self.0.at_hash)
    }

    /// `org_id`: the organization logged in to, when it is a string.
    #[must_use]
    pub fn org_id(&self) -> Option<&str> {
        text(&self.0.org_id)
    }

    /// `org_name`: the organization's name, when it is a string.
    #[must_use]
    pub fn org_name(&self) -> Option<&str> {
        text(&self.0.org_name)
    }

    /// Every claim other than the registered ones above (`name`,
    /// `email`, namespaced custom claims, …), in the token's order.
    #[must_use]
    pub fn additional_claims(&self) -> &Map<String, Value> {
        &self.0.other
    }

    /// The claim named `name` as the token wrote it, registered or not;
    /// `None` when the token has no such claim.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<ClaimValue<'_>> {
        self.0.get(name)
    }

    /// Every claim, in the token's order, with its value as written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, ClaimValue<'_>)> + '_ {
        self.0.members()
    }

    /// The number of claims.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the payload has no claims (never, for verified claims).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}

/// The object the token carried, member for member.
impl Serialize for IdTokenClaims {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Reads a payload as the token (or [`Serialize`]) wrote it; refuses one
/// without `iss`, `sub`, `aud`, `exp` and `iat` of their types, with a
/// member given twice, or with a date out of range.
impl<'de> Deserialize<'de> for IdTokenClaims {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let p = Payload::deserialize(d)?;
        if let Some(name) = p.duplicate() {
            return Err(de::Error::custom(format_args!(
                "the claim {name} is given twice"
            )));
        }
        match lack(&p) {
            None => Ok(IdTokenClaims(p)),
            Some(what) => Err(de::Error::custom(format_args!("the payload has {what}"))),
        }
    }
}

impl TryFrom<&Value> for IdTokenClaims {
    type Error = Error;

    /// Reads a payload (`idTokenPayload` as JSON, say).
    fn try_from(payload: &Value) -> Result<IdTokenClaims> {
        IdTokenClaims::deserialize(payload)
            .map_err(|e| Error::invalid_token(format!("the id_token payload is not valid: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TOKEN_PAYLOAD: &str = r#"{"name":"Ann","iss":"https://me.auth0.com/","aud":"abc","exp":1900000000.25,"nbf":null,"iat":1800000000.5,"https://app/roles":["a",{"b":1}],"sub":"auth0|1","org_id":7,"auth_time":-1.5,"nonce":"n"}"#;

    fn claims(json: &str) -> IdTokenClaims {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_claims_are_written_back_as_the_token_had_them() {
        let c = claims(TOKEN_PAYLOAD);
        assert_eq!(serde_json::to_string(&c).unwrap(), TOKEN_PAYLOAD);
        let names: Vec<&str> = c.iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "name",
                "iss",
                "aud",
                "exp",
                "nbf",
                "iat",
                "https://app/roles",
                "sub",
                "org_id",
                "auth_time",
                "nonce"
            ]
        );
        assert_eq!(c.len(), 11);
        // Every value as written: `null`, the one-string audience, the
        // fractional dates, the ill-typed org_id.
        assert_eq!(c.get("nbf"), Some(ClaimValue::Null));
        assert_eq!(c.get("aud"), Some(ClaimValue::String("abc")));
        assert_eq!(
            c.get("exp").map(ClaimValue::to_json),
            Some(json!(1_900_000_000.25))
        );
        assert_eq!(c.get("org_id"), Some(ClaimValue::Json(&json!(7))));
        assert_eq!(c.get("email"), None);
    }

    #[test]
    fn an_audience_array_stays_an_array() {
        let c = claims(r#"{"iss":"i","sub":"s","aud":["abc"],"exp":2,"iat":1}"#);
        assert_eq!(c.audiences(), ["abc"]);
        assert_eq!(c.get("aud").map(ClaimValue::to_json), Some(json!(["abc"])));
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"iss":"i","sub":"s","aud":["abc"],"exp":2,"iat":1}"#
        );
    }

    #[test]
    fn the_registered_claims_are_typed() {
        let c = claims(TOKEN_PAYLOAD);
        assert_eq!(c.issuer(), "https://me.auth0.com/");
        assert_eq!(c.subject(), "auth0|1");
        assert_eq!(c.audiences(), ["abc"]);
        assert_eq!(
            c.expiration(),
            UNIX_EPOCH + Duration::from_millis(1_900_000_000_250)
        );
        assert_eq!(
            c.issue_time(),
            UNIX_EPOCH + Duration::from_millis(1_800_000_000_500)
        );
        assert_eq!(
            c.auth_time(),
            UNIX_EPOCH.checked_sub(Duration::from_millis(1500))
        );
        assert_eq!(c.not_before(), None);
        assert_eq!(c.nonce(), Some("n"));
        assert_eq!(c.org_id(), None, "not a string");
        assert_eq!(c.authorized_party(), None);
        let other: Vec<&str> = c.additional_claims().keys().map(String::as_str).collect();
        assert_eq!(other, ["name", "https://app/roles"]);
    }

    #[test]
    fn the_claims_round_trip_through_serde() {
        let c = claims(TOKEN_PAYLOAD);
        let back: IdTokenClaims =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let value = serde_json::to_value(&c).unwrap();
        assert_eq!(IdTokenClaims::try_from(&value).unwrap(), c);
        assert_eq!(value.to_string(), TOKEN_PAYLOAD);
    }

    #[test]
    fn a_payload_without_the_required_claims_is_refused() {
        let base = json!({"iss": "i", "sub": "s", "aud": "a", "exp": 2, "iat": 1});
        assert!(IdTokenClaims::try_from(&base).is_ok());
        for (name, bad) in [
            ("iss", json!(null)),
            ("sub", json!(1)),
            ("aud", json!([1])),
            ("exp", json!("2")),
            ("iat", json!(null)),
        ] {
            let mut p = base.clone();
            p[name] = bad;
            let e = IdTokenClaims::try_from(&p).unwrap_err();
            assert!(
                e.description().contains(&format!("no valid {name} claim")),
                "{e}"
            );
            p.as_object_mut().unwrap().shift_remove(name);
            assert!(IdTokenClaims::try_from(&p).is_err(), "{name} absent");
        }
        let e = serde_json::from_str::<IdTokenClaims>(
            r#"{"iss":"i","sub":"s","aud":"a","exp":2,"iat":1,"iat":1}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("iat is given twice"), "{e}");
        let mut huge = base.clone();
        huge["exp"] = json!(1e300);
        let e = IdTokenClaims::try_from(&huge).unwrap_err();
        assert!(e.description().contains("exp claim is not a date"), "{e}");
    }
}
