//! Key casing, exactly as auth0.js v8's `object.js` does it, plus the
//! `snake_case` bridge the Python module uses.

use crate::options::Options;
use serde_json::Value;

/// v8's `camelToSnake`: lower-case everything, with `_` before an upper-case
/// letter that follows a non-upper-case character and before a digit that
/// follows a non-digit (`clientID` → `client_id`, `auth0Client` →
/// `auth_0_client`).
#[must_use]
pub fn camel_to_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    // v8 starts with both flags set, so a leading capital gets no `_`.
    let (mut prev_upper, mut prev_digit) = (true, true);
    for c in s.chars() {
        let upper = c.is_ascii_uppercase();
        let digit = c.is_ascii_digit();
        if (upper && !prev_upper) || (digit && !prev_digit) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev_upper = upper;
        prev_digit = digit;
    }
    out
}

/// v8's `snakeToCamel`: split on `_`, capitalise every part after the first
/// (`access_token` → `accessToken`, `_id` → `Id`).
#[must_use]
pub fn snake_to_camel(s: &str) -> String {
    let mut parts = s.split('_');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for p in parts {
        let mut cs = p.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    out
}

/// v8's `toSnakeCase(object, exceptions)`: recursive into nested objects (not
/// arrays); `exceptions` protects only top-level key names.
#[must_use]
pub fn to_snake_case(o: &Options, exceptions: &[&str]) -> Options {
    o.iter()
        .map(|(k, v)| {
            let key = if exceptions.contains(&k.as_str()) {
                k.clone()
            } else {
                camel_to_snake(k)
            };
            (key, snake_values(v))
        })
        .collect()
}

fn snake_values(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(to_snake_case(m, &[])),
        other => other.clone(),
    }
}

/// v8's `toCamelCase`: recursive into nested objects (not arrays).
#[must_use]
pub fn to_camel_case(o: &Options) -> Options {
    o.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Object(m) => Value::Object(to_camel_case(m)),
                other => other.clone(),
            };
            (snake_to_camel(k), v)
        })
        .collect()
}

/// Turns Pythonic keyword names into auth0.js option names, top level only
/// (nested values such as `user_metadata` or `app_state` are the caller's
/// data and stay untouched): `client_id` → `clientID`, `redirect_uri` →
/// `redirectUri`, `_send_telemetry` → `_sendTelemetry`. Names that are
/// already camelCase pass through unchanged.
#[must_use]
pub fn keyword_to_option_name(name: &str) -> String {
    match name {
        "client_id" => return "clientID".to_owned(),
        // Keys that auth0.js itself spells with underscores.
        "__tenant" | "__token_issuer" | "_csrf" | "_intstate" => return name.to_owned(),
        _ => {}
    }
    let stripped = name.trim_start_matches('_');
    let underscores = &name[..name.len() - stripped.len()];
    format!("{underscores}{}", snake_to_camel(stripped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn camel_to_snake_matches_v8_examples() {
        assert_eq!(camel_to_snake("clientID"), "client_id");
        assert_eq!(camel_to_snake("redirectUri"), "redirect_uri");
        assert_eq!(camel_to_snake("maxAge"), "max_age");
        assert_eq!(camel_to_snake("auth0Client"), "auth_0_client");
        assert_eq!(camel_to_snake("_csrf"), "_csrf");
        assert_eq!(camel_to_snake("connection_scope"), "connection_scope");
    }

    #[test]
    fn snake_to_camel_matches_v8_examples() {
        assert_eq!(snake_to_camel("access_token"), "accessToken");
        assert_eq!(snake_to_camel("_id"), "Id");
        assert_eq!(snake_to_camel("expires_in"), "expiresIn");
    }

    #[test]
    fn to_snake_case_recurses_into_objects_and_protects_top_level_exceptions() {
        let o = json!({"appState": {"returnTo": "/x"}, "returnTo": "/y", "auth0Client": "t",
                       "list": [{"camelKey": 1}]});
        let s = to_snake_case(o.as_object().unwrap(), &["auth0Client", "returnTo"]);
        assert_eq!(
            Value::Object(s),
            json!({"app_state": {"return_to": "/x"}, "returnTo": "/y", "auth0Client": "t",
                   "list": [{"camelKey": 1}]})
        );
    }

    #[test]
    fn keyword_names_become_auth0js_option_names() {
        assert_eq!(keyword_to_option_name("client_id"), "clientID");
        assert_eq!(keyword_to_option_name("redirect_uri"), "redirectUri");
        assert_eq!(keyword_to_option_name("response_type"), "responseType");
        assert_eq!(keyword_to_option_name("_send_telemetry"), "_sendTelemetry");
        assert_eq!(keyword_to_option_name("__tenant"), "__tenant");
        assert_eq!(keyword_to_option_name("login_hint"), "loginHint");
        assert_eq!(keyword_to_option_name("redirectUri"), "redirectUri");
    }
}
