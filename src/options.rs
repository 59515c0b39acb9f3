//! Option objects as auth0.js v8 handles them.
//!
//! Options travel as JSON objects with auth0.js's camelCase names (the C
//! layer parses them from a string, Python builds them from keyword
//! arguments). This module holds v8's two mechanisms around them: the
//! `assert.check` rules (an optional value is only checked when it is
//! truthy; a wrong type fails with a message that names the option) and
//! `merge(base, keys).with(options)` (picked truthy keys of the base, then
//! every option, keeping insertion order — which fixes the order of query
//! parameters and body keys).

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::time::Duration;

/// An options object: JSON keys in the order they were given.
pub type Options = Map<String, Value>;

/// JavaScript truthiness of a JSON value, which decides what v8's `pick`
/// copies and which optional values its assertions look at.
#[must_use]
pub fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// The options object itself, or `message` (v8: `options parameter is not
/// valid`) when the value is not a JSON object.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `v` is not an object.
pub fn as_object<'a>(v: &'a Value, message: &str) -> Result<&'a Options> {
    v.as_object()
        .ok_or_else(|| Error::invalid_argument(message))
}

/// A required string option.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is absent or not a string.
pub fn require_str<'a>(o: &'a Options, key: &str, message: &str) -> Result<&'a str> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(Error::invalid_argument(message)),
    }
}

/// A required string option that must also be non-empty.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is absent, empty or not a string.
pub fn require_nonempty_str<'a>(o: &'a Options, key: &str, message: &str) -> Result<&'a str> {
    let s = require_str(o, key, message)?;
    if s.is_empty() {
        return Err(Error::invalid_argument(message));
    }
    Ok(s)
}

/// An optional string option: absent or falsy is `None`, a truthy value of
/// another type is `message`.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is present, not `null`, and not a string.
pub fn optional_str<'a>(o: &'a Options, key: &str, message: &str) -> Result<Option<&'a str>> {
    match o.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(v) if is_truthy(v) => Err(Error::invalid_argument(message)),
        _ => Ok(None),
    }
}

/// An optional boolean option (`false` and absent are both `false`).
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is present, not `null`, and not a boolean.
pub fn optional_bool(o: &Options, key: &str, message: &str) -> Result<Option<bool>> {
    match o.get(key) {
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) if is_truthy(v) => Err(Error::invalid_argument(message)),
        _ => Ok(None),
    }
}

/// An optional number option.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is present, not `null`, and not a number.
pub fn optional_f64(o: &Options, key: &str, message: &str) -> Result<Option<f64>> {
    match o.get(key) {
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(v) if is_truthy(v) => Err(Error::invalid_argument(message)),
        _ => Ok(None),
    }
}

/// An optional object option.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
/// `message` when `key` is present, not `null`, and not an object.
pub fn optional_object<'a>(
    o: &'a Options,
    key: &str,
    message: &str,
) -> Result<Option<&'a Options>> {
    match o.get(key) {
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(v) if is_truthy(v) => Err(Error::invalid_argument(message)),
        _ => Ok(None),
    }
}

/// v8's `merge(base, keys).with(options)`: the truthy `keys` of `base` in
/// the order of `keys`, then every entry of `options` (a key already present
/// keeps its position and takes the new value, as a JavaScript object does).
#[must_use]
pub fn merge(base: &Options, keys: &[&str], options: &Options) -> Options {
    let mut out = Options::new();
    for k in keys {
        if let Some(v) = base.get(*k) {
            if is_truthy(v) {
                out.insert((*k).to_owned(), v.clone());
            }
        }
    }
    for (k, v) in options {
        out.insert(k.clone(), v.clone());
    }
    out
}

/// The largest `timeout` option: one day, in milliseconds.
const MAX_TIMEOUT_MS: f64 = 86_400_000.0;

/// The one reader of millisecond options (the JSON face's unit for every
/// duration): absent or falsy is `None`, a number within `range` is the
/// duration, anything else is `message`, which names the option.
// The float is range-checked (a whole number within bounds) before the cast.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn millis_option(
    o: &Options,
    key: &str,
    range: std::ops::RangeInclusive<f64>,
    message: &str,
) -> Result<Option<Duration>> {
    match optional_f64(o, key, message)? {
        None => Ok(None),
        Some(ms) if range.contains(&ms) => Ok(Some(Duration::from_millis(ms as u64))),
        Some(_) => Err(Error::invalid_argument(message)),
    }
}

/// Reads a duration option in milliseconds (1 ms to one day).
pub(crate) fn timeout_option(o: &Options, default: Duration) -> Result<Duration> {
    let message = "timeout option is not valid (milliseconds, 1 to 86400000)";
    Ok(millis_option(o, "timeout", 1.0..=MAX_TIMEOUT_MS, message)?.unwrap_or(default))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Options {
        match v {
            Value::Object(o) => o,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn truthiness_follows_javascript() {
        for v in [json!(null), json!(false), json!(0), json!(""), json!(0.0)] {
            assert!(!is_truthy(&v), "{v} should be falsy");
        }
        for v in [json!(true), json!(1), json!("x"), json!([]), json!({})] {
            assert!(is_truthy(&v), "{v} should be truthy");
        }
    }

    #[test]
    fn merge_picks_truthy_base_keys_then_all_options_in_order() {
        let base = obj(json!({"scope": "", "clientID": "c", "audience": "a", "other": "x"}));
        let opts = obj(json!({"prompt": "login", "clientID": "d", "scope": ""}));
        let m = merge(&base, &["clientID", "scope", "audience"], &opts);
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys, ["clientID", "audience", "prompt", "scope"]);
        assert_eq!(m["clientID"], "d");
    }

    #[test]
    fn millis_options_are_bounded_and_name_the_option() {
        let o = obj(json!({"a": 1500, "b": 0, "c": "5", "d": null, "e": 7_200_000}));
        let read = |k: &str| millis_option(&o, k, 1.0..=3_600_000.0, &format!("{k} bad"));
        assert_eq!(read("a").unwrap(), Some(Duration::from_millis(1500)));
        assert_eq!(read("b").unwrap_err().description(), "b bad");
        assert_eq!(read("c").unwrap_err().description(), "c bad");
        assert_eq!(read("d").unwrap(), None);
        assert_eq!(read("e").unwrap_err().description(), "e bad");
        assert_eq!(read("absent").unwrap(), None);
    }

    #[test]
    fn optional_checks_only_truthy_values() {
        let o = obj(json!({"a": "", "b": null, "c": 5, "d": "ok"}));
        assert_eq!(optional_str(&o, "a", "a bad").unwrap(), None);
        assert_eq!(optional_str(&o, "b", "b bad").unwrap(), None);
        assert_eq!(
            optional_str(&o, "c", "c bad").unwrap_err().description(),
            "c bad"
        );
        assert_eq!(optional_str(&o, "d", "d bad").unwrap(), Some("ok"));
    }
}
