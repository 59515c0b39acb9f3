//! The payload, typed, and steps 5–12 of Part A over it, with `sub` after
//! `iss` and `azp` whenever it is present (OIDC Core §3.1.3.7), then the
//! organization check of auth0-spa-js and Auth0.swift.
//!
//! The payload is read once, straight from the token's JSON: each
//! registered claim into its typed slot (a [`Claim`], which keeps a value
//! of the wrong JSON type for the messages instead of reading it as
//! absent), every other claim into [`Payload::other`] as it is. The member
//! order is recorded, so that [`Payload::into_value`] gives back the
//! object the token carried, key for key.

use super::decode::Key;
use super::{at_hash, display, shown, Expectations, Verifier};
use crate::error::{Error, Result};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};
use std::fmt;
use std::marker::PhantomData;

/// A registered claim as the payload has it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Claim<T> {
    /// Not in the payload.
    #[default]
    Absent,
    /// `null`: read as absent by the checks, kept in the payload.
    Null,
    /// Of the wrong JSON type, as it was.
    Invalid(Value),
    /// Of its type.
    Present(T),
}

impl<T: ClaimType> Claim<T> {
    pub(crate) fn present(&self) -> Option<&T> {
        match self {
            Claim::Present(v) => Some(v),
            _ => None,
        }
    }

    /// Absent or `null`.
    fn is_missing(&self) -> bool {
        matches!(self, Claim::Absent | Claim::Null)
    }

    /// The claim as JSON (`None` when absent).
    fn into_value(self) -> Option<Value> {
        match self {
            Claim::Absent => None,
            Claim::Null => Some(Value::Null),
            Claim::Invalid(v) => Some(v),
            Claim::Present(t) => Some(t.into_value()),
        }
    }

    /// The claim as v8's messages show it. Only on the error paths.
    fn shown(&self) -> String {
        display(self.clone().into_value().as_ref())
    }
}

/// The JSON types a registered claim can have; any other is
/// [`Claim::Invalid`].
pub(crate) trait ClaimType: Sized + Clone {
    fn from_string(s: String) -> Result<Self, Value> {
        Err(Value::String(s))
    }
    fn from_number(n: Number) -> Result<Self, Value> {
        Err(Value::Number(n))
    }
    fn from_array(items: Vec<Value>) -> Result<Self, Value> {
        Err(Value::Array(items))
    }
    fn into_value(self) -> Value;
}

impl ClaimType for String {
    fn from_string(s: String) -> Result<Self, Value> {
        Ok(s)
    }
    fn into_value(self) -> Value {
        Value::String(self)
    }
}

/// A NumericDate (seconds, possibly fractional), kept as the token wrote
/// it so that the payload given back is the token's.
impl ClaimType for Number {
    fn from_number(n: Number) -> Result<Self, Value> {
        Ok(n)
    }
    fn into_value(self) -> Value {
        Value::Number(self)
    }
}

/// `aud`: one string or an array of strings.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn as_slice(&self) -> &[String] {
        match self {
            Audience::One(a) => std::slice::from_ref(a),
            Audience::Many(a) => a,
        }
    }
}

impl ClaimType for Audience {
    fn from_string(s: String) -> Result<Self, Value> {
        Ok(Audience::One(s))
    }
    fn from_array(items: Vec<Value>) -> Result<Self, Value> {
        if !items.iter().all(Value::is_string) {
            return Err(Value::Array(items));
        }
        Ok(Audience::Many(
            items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
        ))
    }
    fn into_value(self) -> Value {
        match self {
            Audience::One(a) => Value::String(a),
            Audience::Many(a) => Value::Array(a.into_iter().map(Value::String).collect()),
        }
    }
}

impl<'de, T: ClaimType> Deserialize<'de> for Claim<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: ClaimType> Visitor<'de> for V<T> {
            type Value = Claim<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Claim<T>, E> {
                Ok(Claim::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Claim<T>, E> {
                Ok(Claim::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Claim<T>, E> {
                Ok(Claim::Invalid(Value::Bool(b)))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Claim<T>, E> {
                Ok(T::from_number(n.into()).map_or_else(Claim::Invalid, Claim::Present))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Claim<T>, E> {
                Ok(T::from_number(n.into()).map_or_else(Claim::Invalid, Claim::Present))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Claim<T>, E> {
                // JSON has no NaN or infinity, so a number always converts.
                let Some(n) = Number::from_f64(n) else {
                    return Ok(Claim::Invalid(Value::Null));
                };
                Ok(T::from_number(n).map_or_else(Claim::Invalid, Claim::Present))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Claim<T>, E> {
                self.visit_string(s.to_owned())
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Claim<T>, E> {
                Ok(T::from_string(s).map_or_else(Claim::Invalid, Claim::Present))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Claim<T>, A::Error> {
                let items = Vec::<Value>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(T::from_array(items).map_or_else(Claim::Invalid, Claim::Present))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Claim<T>, A::Error> {
                let object = Map::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Claim::Invalid(Value::Object(object)))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Where a member of the payload goes back when it is given back whole.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Registered(Registered),
    /// A member of [`Payload::other`].
    Other,
}

macro_rules! registered {
    ($($name:ident: $ty:ty),+ $(,)?) => {
        /// The claims the checks read, one typed slot each.
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[allow(non_camel_case_types, reason = "named as the claims are")]
        enum Registered { $($name),+ }

        impl Registered {
            fn name(self) -> &'static str {
                match self {
                    $(Registered::$name => stringify!($name),)+
                }
            }

            fn of(name: &str) -> Option<Registered> {
                match name {
                    $(stringify!($name) => Some(Registered::$name),)+
                    _ => None,
                }
            }
        }

        /// A verified (or being verified) id_token payload: the registered
        /// claims typed, every other claim in [`Payload::other`], in the
        /// token's order.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub(crate) struct Payload {
            $(pub(crate) $name: Claim<$ty>,)+
            /// Every other claim (`name`, `email`, namespaced claims, …).
            pub(crate) other: Map<String, Value>,
            order: Vec<Slot>,
            duplicate: Option<String>,
        }

        impl Payload {
            /// Reads the value of the registered claim `r`; `false` when the
            /// payload had it already.
            fn read<'de, A: MapAccess<'de>>(
                &mut self,
                r: Registered,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match r {
                    $(Registered::$name => {
                        let first = matches!(self.$name, Claim::Absent);
                        let value = map.next_value()?;
                        if first {
                            self.$name = value;
                        }
                        Ok(first)
                    })+
                }
            }

            fn take(&mut self, r: Registered) -> Option<Value> {
                match r {
                    $(Registered::$name => std::mem::take(&mut self.$name).into_value(),)+
                }
            }
        }
    };
}

registered!(
    iss: String,
    sub: String,
    aud: Audience,
    azp: String,
    exp: Number,
    iat: Number,
    nbf: Number,
    auth_time: Number,
    nonce: String,
    at_hash: String,
    org_id: String,
    org_name: String,
);

impl Payload {
    /// The first member name that appeared twice (serde_json would silently
    /// keep the last one).
    pub(super) fn duplicate(&self) -> Option<&str> {
        self.duplicate.as_deref()
    }

    /// The payload as the JSON object the token carried: every member, in
    /// its order, with its value as written.
    pub(crate) fn into_value(mut self) -> Value {
        // The other claims are in their map already, in order: the
        // registered ones go back in at their places, without moving
        // (and hashing again) the rest.
        let order = std::mem::take(&mut self.order);
        let mut out = std::mem::take(&mut self.other);
        for (i, slot) in order.into_iter().enumerate() {
            if let Slot::Registered(r) = slot {
                if let Some(v) = self.take(r) {
                    out.shift_insert(i, r.name().to_owned(), v);
                }
            }
        }
        Value::Object(out)
    }
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
                    order: Vec::with_capacity(24),
                    ..Payload::default()
                };
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let first = match Registered::of(&key) {
                        Some(r) => {
                            let first = p.read(r, &mut map)?;
                            if first {
                                p.order.push(Slot::Registered(r));
                            }
                            first
                        }
                        None => {
                            let value: Value = map.next_value()?;
                            match p.other.entry(key.as_ref()) {
                                Entry::Vacant(v) => {
                                    v.insert(value);
                                    p.order.push(Slot::Other);
                                    true
                                }
                                Entry::Occupied(_) => false,
                            }
                        }
                    };
                    if !first {
                        p.duplicate.get_or_insert_with(|| key.into_owned());
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

/// Steps 5–12 of Part A, then the organization.
pub(super) fn check(
    v: &Verifier<'_>,
    c: &Payload,
    expect: &Expectations<'_>,
    now: u64,
) -> Result<()> {
    check_registered(v, c, now)?;
    check_requested(v, c, expect, now)?;
    if let Some(organization) = expect.organization {
        check_organization(c, organization)?;
    }
    Ok(())
}

/// Who issued the token, for whom, and when it is valid.
fn check_registered(v: &Verifier<'_>, c: &Payload, now: u64) -> Result<()> {
    if c.iss.present().map(String::as_str) != Some(v.issuer) {
        return Err(Error::invalid_token(format!(
            "Issuer {} is not valid.",
            c.iss.shown()
        )));
    }
    if c.sub.present().is_none_or(|s| s.is_empty()) {
        return Err(Error::invalid_token(
            "Subject (sub) claim must be a string present in the ID token",
        ));
    }
    let audiences = c.aud.present().map_or(&[][..], Audience::as_slice);
    if !audiences.iter().any(|a| a == v.client_id) {
        return Err(Error::invalid_token(format!(
            "Audience {} is not valid.",
            c.aud.shown()
        )));
    }
    let azp_needed = audiences.len() > 1 || !c.azp.is_missing();
    if azp_needed && c.azp.present().map(String::as_str) != Some(v.client_id) {
        return Err(Error::invalid_token(format!(
            "Authorized Party (azp) claim mismatch in the ID token; expected \"{}\", found \"{}\"",
            v.client_id,
            c.azp.shown()
        )));
    }

    let now = now as f64;
    let leeway = v.leeway as f64;
    let exp = seconds(&c.exp).ok_or_else(|| {
        Error::invalid_token("Expiration Time (exp) claim must be a number present in the ID token")
    })?;
    if now > exp + leeway {
        return Err(Error::invalid_token("Expired token."));
    }
    let iat = seconds(&c.iat).ok_or_else(|| {
        Error::invalid_token("Issued At (iat) claim must be a number present in the ID token")
    })?;
    if iat > now + leeway {
        return Err(Error::invalid_token(
            "The token was issued in the future. Please check your computed clock.",
        ));
    }
    match (&c.nbf, seconds(&c.nbf)) {
        (_, Some(nbf)) if now < nbf - leeway => Err(Error::invalid_token(
            "The token is not valid until later in the future. Please check your computed clock.",
        )),
        (Claim::Invalid(_), _) => Err(Error::invalid_token(
            "Not Before (nbf) claim must be a number when present in the ID token",
        )),
        _ => Ok(()),
    }
}

/// What the request asked for: the nonce, `max_age`, the access token's
/// hash.
fn check_requested(
    v: &Verifier<'_>,
    c: &Payload,
    expect: &Expectations<'_>,
    now: u64,
) -> Result<()> {
    let nonce = match &c.nonce {
        Claim::Present(n) => Some(n.as_str()),
        Claim::Absent | Claim::Null => None,
        Claim::Invalid(_) => return Err(Error::invalid_token("Nonce does not match.")),
    };
    if nonce != expect.nonce {
        return Err(Error::invalid_token("Nonce does not match."));
    }
    let (now, leeway) = (now as f64, v.leeway as f64);
    match (&c.auth_time, seconds(&c.auth_time), expect.max_age) {
        (_, Some(auth_time), Some(max_age)) if now > auth_time + max_age as f64 + leeway => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim indicates that too much time has passed since the last end-user authentication.",
            ))
        }
        (_, Some(_), Some(_)) => {}
        (_, _, Some(_)) => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified",
            ))
        }
        (Claim::Invalid(_), _, None) => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim must be a number when present in the ID token",
            ))
        }
        _ => {}
    }
    let at_hash_ok = match (&c.at_hash, expect.access_token) {
        (Claim::Invalid(_), _) => false,
        (Claim::Present(h), Some(at)) => *h == at_hash(at),
        (Claim::Absent | Claim::Null, Some(_)) => !expect.require_at_hash,
        _ => true,
    };
    if !at_hash_ok {
        return Err(Error::invalid_token(
            "Access Token Hash (at_hash) claim mismatch",
        ));
    }
    Ok(())
}

/// A NumericDate claim in seconds, when it is a number.
fn seconds(c: &Claim<Number>) -> Option<f64> {
    c.present().and_then(Number::as_f64)
}

/// The organization check of auth0-spa-js and Auth0.swift, with their
/// messages: an `org_…` value is an id, compared exactly with `org_id`;
/// anything else a name, compared with `org_name` ignoring case (Auth0
/// keeps organization names in lower case).
fn check_organization(c: &Payload, organization: &str) -> Result<()> {
    let (claim, label) = if organization.starts_with("org_") {
        (&c.org_id, "Organization ID (org_id)")
    } else {
        (&c.org_name, "Organization Name (org_name)")
    };
    let Some(found) = claim.present() else {
        return Err(Error::invalid_token(format!(
            "{label} claim must be a string present in the ID token"
        )));
    };
    let matches = if organization.starts_with("org_") {
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

    fn payload(json: &str) -> Payload {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_organization_id_compares_exactly_and_a_name_ignoring_case() {
        let p = payload(r#"{"org_id": "org_abc", "org_name": "acme"}"#);
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
        let e = check_organization(&payload(r#"{"org_id": 1}"#), "org_abc").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization ID (org_id) claim must be a string present in the ID token"
        );
        let e = check_organization(&payload("{}"), "acme").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization Name (org_name) claim must be a string present in the ID token"
        );
    }

    #[test]
    fn a_claim_of_the_wrong_type_is_invalid_not_absent() {
        let c = payload(r#"{"exp": "9999999999", "aud": ["a", 1], "iat": 1, "nbf": null}"#);
        assert_eq!(c.exp, Claim::Invalid(Value::from("9999999999")));
        assert_eq!(c.aud, Claim::Invalid(serde_json::json!(["a", 1])));
        assert_eq!(c.iat, Claim::Present(Number::from(1)));
        assert_eq!(c.nbf, Claim::Null);
        assert_eq!(c.auth_time, Claim::Absent);
    }

    #[test]
    fn the_typed_payload_keeps_unknown_claims_and_gives_back_the_tokens_object() {
        let json = r#"{"name":"Ann","iss":"https://me.auth0.com/","https://app/roles":["a",{"b":1}],
            "aud":["abc","api"],"exp":1900000000,"iat":1.5e9,"nbf":null,"email_verified":true,
            "sub":"auth0|1","org_id":7,"nonce":"n","\u00e9":"x"}"#;
        let p = payload(json);
        assert_eq!(p.iss, Claim::Present("https://me.auth0.com/".to_owned()));
        assert_eq!(
            p.aud,
            Claim::Present(Audience::Many(vec!["abc".into(), "api".into()]))
        );
        assert_eq!(p.org_id, Claim::Invalid(Value::from(7)));
        let other: Vec<&str> = p.other.keys().map(String::as_str).collect();
        assert_eq!(
            other,
            ["name", "https://app/roles", "email_verified", "\u{e9}"]
        );
        assert_eq!(
            p.other["https://app/roles"],
            serde_json::json!(["a", {"b": 1}])
        );
        // Key for key, in order, numbers as written.
        let whole: Value = serde_json::from_str(json).unwrap();
        assert_eq!(p.into_value().to_string(), whole.to_string());
    }

    #[test]
    fn a_claim_given_twice_is_reported_registered_or_not() {
        assert_eq!(
            payload(r#"{"sub":"a","x":1,"sub":"b"}"#).duplicate(),
            Some("sub")
        );
        assert_eq!(payload(r#"{"x":1,"sub":"a","x":2}"#).duplicate(), Some("x"));
        assert_eq!(
            payload(r#"{"sub":null,"sub":"a"}"#).duplicate(),
            Some("sub")
        );
        assert_eq!(payload(r#"{"sub":"a","x":1}"#).duplicate(), None);
    }
}
