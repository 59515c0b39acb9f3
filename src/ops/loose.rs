//! Option values read from JSON as auth0.js reads them, for the typed
//! options' `Deserialize`: `null`, `false`, `0` and `""` are "not given"
//! (JavaScript's falsy values), any other value of the wrong type is
//! invalid. Which message an invalid value gets is the operation's: the
//! options are read whole first, then checked in auth0.js's order.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// One option as found.
#[derive(Debug, Default, PartialEq)]
pub(crate) enum Loose<T> {
    /// Absent or falsy.
    #[default]
    NotGiven,
    /// Truthy, of another type than the option's.
    Invalid,
    Given(T),
}

impl<T> Loose<T> {
    /// `Some(None)` when not given, `None` when invalid.
    // Three states on purpose: the caller maps `None` to its own message.
    #[allow(clippy::option_option)]
    pub(crate) fn optional(self) -> Option<Option<T>> {
        match self {
            Loose::NotGiven => Some(None),
            Loose::Invalid => None,
            Loose::Given(v) => Some(Some(v)),
        }
    }
}

/// What a JSON value is when it is not of the option's type.
fn falsy_or_invalid<T>(falsy: bool) -> Loose<T> {
    if falsy {
        Loose::NotGiven
    } else {
        Loose::Invalid
    }
}

/// A string option (auth0.js's optional string: `""` is not given).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct LooseStr(pub(crate) Loose<String>);

/// A required string option that may be empty (`hash`): only a string is
/// given (not given and invalid then have the same message).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct AnyStr(pub(crate) Loose<String>);

/// A number option.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct LooseNumber(pub(crate) Loose<f64>);

/// The visitor of the three: `Kind` says what a string and a number are.
struct V<K>(std::marker::PhantomData<K>);

trait Kind: Sized {
    type T;
    fn string(s: String) -> Loose<Self::T>;
    fn number(n: f64) -> Loose<Self::T>;
    fn wrap(l: Loose<Self::T>) -> Self;
}

impl Kind for LooseStr {
    type T = String;
    fn string(s: String) -> Loose<String> {
        if s.is_empty() {
            Loose::NotGiven
        } else {
            Loose::Given(s)
        }
    }
    fn number(n: f64) -> Loose<String> {
        falsy_or_invalid(n == 0.0 || n.is_nan())
    }
    fn wrap(l: Loose<String>) -> Self {
        LooseStr(l)
    }
}

impl Kind for AnyStr {
    type T = String;
    fn string(s: String) -> Loose<String> {
        Loose::Given(s)
    }
    fn number(_: f64) -> Loose<String> {
        Loose::Invalid
    }
    fn wrap(l: Loose<String>) -> Self {
        AnyStr(l)
    }
}

impl Kind for LooseNumber {
    type T = f64;
    fn string(s: String) -> Loose<f64> {
        falsy_or_invalid(s.is_empty())
    }
    fn number(n: f64) -> Loose<f64> {
        Loose::Given(n)
    }
    fn wrap(l: Loose<f64>) -> Self {
        LooseNumber(l)
    }
}

impl<'de, K: Kind> Visitor<'de> for V<K> {
    type Value = K;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<K, E> {
        Ok(K::wrap(Loose::NotGiven))
    }
    fn visit_none<E: de::Error>(self) -> Result<K, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<K, E> {
        Ok(K::wrap(falsy_or_invalid(!b)))
    }
    // JavaScript numbers are doubles: auth0.js sees what this cast gives.
    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<K, E> {
        Ok(K::wrap(K::number(n as f64)))
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<K, E> {
        Ok(K::wrap(K::number(n as f64)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<K, E> {
        Ok(K::wrap(K::number(n)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<K, E> {
        Ok(K::wrap(K::string(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<K, E> {
        Ok(K::wrap(K::string(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<K, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(K::wrap(Loose::Invalid))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<K, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(K::wrap(Loose::Invalid))
    }
}

macro_rules! deserialize_loose {
    ($($ty:ty),+) => {
        $(impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(V::<$ty>(std::marker::PhantomData))
            }
        })+
    };
}
deserialize_loose!(LooseStr, AnyStr, LooseNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: &serde_json::Value) -> Loose<String> {
        LooseStr::deserialize(v).unwrap().0
    }

    #[test]
    fn falsy_values_are_not_given_and_truthy_ones_of_another_type_invalid() {
        for v in [json!(null), json!(false), json!(0), json!(""), json!(0.0)] {
            assert_eq!(s(&v), Loose::NotGiven, "{v}");
        }
        for v in [json!(true), json!(1), json!([]), json!({}), json!(["x"])] {
            assert_eq!(s(&v), Loose::Invalid, "{v}");
        }
        assert_eq!(s(&json!("x")), Loose::Given("x".into()));
    }

    #[test]
    fn a_required_string_may_be_empty_but_must_be_a_string() {
        let a = |v: serde_json::Value| AnyStr::deserialize(&v).unwrap().0;
        assert_eq!(a(json!("")), Loose::Given(String::new()));
        assert_eq!(a(json!(0)), Loose::Invalid);
        assert_eq!(a(json!(true)), Loose::Invalid);
        assert_eq!(a(json!(null)), Loose::NotGiven);
    }

    #[test]
    fn a_number_option_takes_any_number_and_refuses_truthy_others() {
        let n = |v: serde_json::Value| LooseNumber::deserialize(&v).unwrap().0;
        assert_eq!(n(json!(0)), Loose::Given(0.0));
        assert_eq!(n(json!(-1.5)), Loose::Given(-1.5));
        assert_eq!(n(json!("")), Loose::NotGiven);
        assert_eq!(n(json!(false)), Loose::NotGiven);
        assert_eq!(n(json!("10")), Loose::Invalid);
        assert_eq!(n(json!(true)), Loose::Invalid);
    }
}
