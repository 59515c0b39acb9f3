//! Query strings as `qs.stringify` 6.4 (auth0.js v8's dependency) writes
//! them: RFC 3986 percent-encoding (space is `%20`), nested objects as
//! `a%5Bb%5D=`, arrays as `a%5B0%5D=`, `null` and `""` as `key=`.

use crate::options::Options;
use serde_json::Value;
use std::fmt::Write;

/// Percent-encodes everything but RFC 3986's unreserved characters, UTF-8
/// first, as `qs`'s RFC 3986 formatter does.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char);
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Serialises `params` in their insertion order.
pub fn stringify(params: &Options) -> String {
    let mut pairs: Vec<String> = Vec::with_capacity(params.len());
    for (k, v) in params {
        push_pairs(&mut pairs, k, v);
    }
    pairs.join("&")
}

pub(crate) fn push_pairs(pairs: &mut Vec<String>, key: &str, v: &Value) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                push_pairs(pairs, &format!("{key}[{k}]"), v);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                push_pairs(pairs, &format!("{key}[{i}]"), v);
            }
        }
        Value::Null => pairs.push(format!("{}=", encode_component(key))),
        Value::String(s) => {
            pairs.push(format!("{}={}", encode_component(key), encode_component(s)));
        }
        Value::Bool(b) => pairs.push(format!("{}={b}", encode_component(key))),
        Value::Number(n) => pairs.push(format!("{}={}", encode_component(key), js_number(n))),
    }
}

/// A number as JavaScript's `String(n)` prints it for the values that occur
/// in options (integers without `.0`).
// `f` is whole (checked): exact below 2^63; past that the cast saturates
// where JavaScript would print every digit (options never hold such numbers).
#[allow(clippy::cast_possible_truncation)]
fn js_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_like_qs_rfc3986() {
        let o = json!({"redirect_uri": "http://a.b/c?d=e f", "scope": "openid profile",
                       "x": null, "y": "", "z": true, "n": 30, "u": "ü"});
        assert_eq!(
            stringify(o.as_object().unwrap()),
            "redirect_uri=http%3A%2F%2Fa.b%2Fc%3Fd%3De%20f&scope=openid%20profile&x=&y=&z=true&n=30&u=%C3%BC"
        );
    }

    #[test]
    fn nests_objects_and_arrays_with_brackets() {
        let o = json!({"app_state": {"return_to": "/x"}, "a": ["p", "q"]});
        assert_eq!(
            stringify(o.as_object().unwrap()),
            "app_state%5Breturn_to%5D=%2Fx&a%5B0%5D=p&a%5B1%5D=q"
        );
    }
}
