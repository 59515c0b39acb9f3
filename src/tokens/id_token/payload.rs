//! The payload, typed: read once, straight from the token's JSON, each
//! registered claim into its typed slot (a [`Claim`], which keeps a value
//! of the wrong JSON type for the messages instead of reading it as
//! absent), every other claim into [`Payload::other`] as it is. The member
//! order is recorded, so that [`Payload::members`] (and `Serialize`) give
//! back the object the token carried, key for key, with its values as
//! written.

use super::decode::Key;
use crate::tokens::claims::ClaimValue;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::map::{self, Entry};
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
    pub(super) fn is_missing(&self) -> bool {
        matches!(self, Claim::Absent | Claim::Null)
    }

    /// The claim as the payload has it (`None` when absent).
    pub(crate) fn value(&self) -> Option<ClaimValue<'_>> {
        match self {
            Claim::Absent => None,
            Claim::Null => Some(ClaimValue::Null),
            Claim::Invalid(v) => Some(ClaimValue::Json(v)),
            Claim::Present(t) => Some(t.value()),
        }
    }

    /// The claim as JSON, for the messages (`None` when absent).
    pub(super) fn to_json(&self) -> Option<Value> {
        self.value().map(ClaimValue::to_json)
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
    fn value(&self) -> ClaimValue<'_>;
}

impl ClaimType for String {
    fn from_string(s: String) -> Result<Self, Value> {
        Ok(s)
    }
    fn value(&self) -> ClaimValue<'_> {
        ClaimValue::String(self)
    }
}

/// A `NumericDate` (seconds, possibly fractional), kept as the token wrote
/// it so that the payload given back is the token's.
impl ClaimType for Number {
    fn from_number(n: Number) -> Result<Self, Value> {
        Ok(n)
    }
    fn value(&self) -> ClaimValue<'_> {
        ClaimValue::Number(self)
    }
}

/// `aud`: one string or an array of strings, as the token wrote it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub(crate) fn as_slice(&self) -> &[String] {
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
    fn value(&self) -> ClaimValue<'_> {
        match self {
            Audience::One(a) => ClaimValue::String(a),
            Audience::Many(a) => ClaimValue::Strings(a),
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
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Claim<T>, D::Error> {
                d.deserialize_any(self)
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

/// Where a member of the payload is kept.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Registered(Registered),
    /// The next member of [`Payload::other`].
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

        /// An `id_token` payload: the registered claims typed, every other
        /// claim in [`Payload::other`], in the token's order.
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

            fn value_of(&self, r: Registered) -> Option<ClaimValue<'_>> {
                match r {
                    $(Registered::$name => self.$name.value(),)+
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
    /// The first member name that appeared twice (`serde_json` would silently
    /// keep the last one).
    pub(crate) fn duplicate(&self) -> Option<&str> {
        self.duplicate.as_deref()
    }

    /// Every member, in the token's order, with its value as written.
    pub(crate) fn members(&self) -> Members<'_> {
        Members {
            order: self.order.iter(),
            other: self.other.iter(),
            payload: self,
        }
    }

    /// The number of members.
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// The claim named `name`, registered or not.
    pub(crate) fn get(&self, name: &str) -> Option<ClaimValue<'_>> {
        match Registered::of(name) {
            Some(r) => self.value_of(r),
            None => self.other.get(name).map(ClaimValue::Json),
        }
    }
}

/// The members of a [`Payload`] in the token's order.
#[derive(Clone, Debug)]
pub(crate) struct Members<'a> {
    order: std::slice::Iter<'a, Slot>,
    other: map::Iter<'a>,
    payload: &'a Payload,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, ClaimValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match *self.order.next()? {
                Slot::Other => {
                    let (k, v) = self.other.next()?;
                    return Some((k.as_str(), ClaimValue::Json(v)));
                }
                // Recorded when read, so present; skipped otherwise.
                Slot::Registered(r) => {
                    if let Some(v) = self.payload.value_of(r) {
                        return Some((r.name(), v));
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.order.len()))
    }
}

/// The object the token carried, member for member.
impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (name, value) in self.members() {
            m.serialize_entry(name, &value)?;
        }
        m.end()
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
                    let first = if let Some(r) = Registered::of(&key) {
                        let first = p.read(r, &mut map)?;
                        if first {
                            p.order.push(Slot::Registered(r));
                        }
                        first
                    } else {
                        let value: Value = map.next_value()?;
                        match p.other.entry(key.as_ref()) {
                            Entry::Vacant(v) => {
                                v.insert(value);
                                p.order.push(Slot::Other);
                                true
                            }
                            Entry::Occupied(_) => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(json: &str) -> Payload {
        serde_json::from_str(json).unwrap()
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
        assert_eq!(serde_json::to_string(&p).unwrap(), whole.to_string());
        assert_eq!(p.members().count(), p.len());
        assert_eq!(p.get("org_id"), Some(ClaimValue::Json(&Value::from(7))));
        assert_eq!(p.get("nbf"), Some(ClaimValue::Null));
        assert_eq!(p.get("azp"), None);
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
