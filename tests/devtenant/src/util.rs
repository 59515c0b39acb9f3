//! Small helpers shared by the handlers: time, randomness, hashing, body
//! parsing, Auth0-shaped error answers, HTML escaping and URL matching.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_s() -> u64 {
    now_ms() / 1000
}

/// RFC 3339 UTC timestamp with milliseconds, as Auth0 prints `created_at`.
pub fn iso8601(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms % 1000
    )
}

/// `n` bytes from the OS's secure random source.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    // aws-lc's RNG does not fail in practice; fall back to zeroes rather than panic.
    let _ = aws_lc_rs::rand::fill(&mut buf);
    buf
}

/// A URL-safe random token with `n` bytes of entropy.
pub fn random_token(n: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(n))
}

/// Lower-case hex of `n` random bytes.
pub fn random_hex(n: usize) -> String {
    random_bytes(n).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Constant-time string comparison.
pub fn ct_eq(a: &str, b: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

/// A request body as a flat JSON object, whether it came as JSON or as
/// `application/x-www-form-urlencoded`. `None` when it is neither.
pub fn parse_body(headers: &HeaderMap, body: &[u8]) -> Option<Map<String, Value>> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let trimmed = body.iter().find(|b| !b.is_ascii_whitespace());
    if ct.contains("json") || (trimmed == Some(&b'{') && !ct.contains("x-www-form-urlencoded")) {
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Some(Map::new());
        }
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        };
    }
    let mut m = Map::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        m.insert(k.into_owned(), Value::String(v.into_owned()));
    }
    Some(m)
}

/// Query string as a map (last value wins).
pub fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(q.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A non-empty string field of a body; numbers and booleans are accepted as text.
pub fn field(m: &Map<String, Value>, key: &str) -> Option<String> {
    match m.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// `{"error","error_description"}` with a status, as the Authentication API answers.
pub fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

pub fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub fn html_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub fn text_response(status: u16, body: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// A 302 to `location`.
pub fn redirect(location: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// RFC 3986 percent-encoding of a query value (space as `%20`).
pub fn enc(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// `k=v&k=v` with RFC 3986 encoding.
pub fn encode_params(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    for v in headers.get_all(header::COOKIE) {
        let Ok(s) = v.to_str() else { continue };
        for part in s.split(';') {
            let part = part.trim();
            if let Some((k, val)) = part.split_once('=') {
                if k == name {
                    return Some(val.to_string());
                }
            }
        }
    }
    None
}

/// Bearer token of the Authorization header.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, tok) = v.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") && !tok.trim().is_empty() {
        Some(tok.trim().to_string())
    } else {
        None
    }
}

fn is_loopback_host(h: &str) -> bool {
    matches!(h, "127.0.0.1" | "localhost" | "[::1]")
}

/// Whether `candidate` matches the allowed URL `pattern`. Exact match, or when
/// `any_port` is set and the pattern is `http://` on a loopback host, any port
/// (RFC 8252 §7.3) with the same scheme, host, path and query.
pub fn url_allowed(pattern: &str, candidate: &str, any_port: bool) -> bool {
    if pattern == candidate {
        return true;
    }
    let (Ok(p), Ok(c)) = (url::Url::parse(pattern), url::Url::parse(candidate)) else {
        return false;
    };
    if p == c {
        return true;
    }
    if !any_port || p.scheme() != "http" || c.scheme() != "http" {
        return false;
    }
    let (Some(ph), Some(ch)) = (p.host_str(), c.host_str()) else {
        return false;
    };
    if !is_loopback_host(ph) || ph != ch {
        return false;
    }
    // A pattern without an explicit port allows any port; one with a port only that port.
    if p.port().is_some() && p.port() != c.port() {
        return false;
    }
    p.path() == c.path()
        && p.query() == c.query()
        && c.fragment().is_none()
        && c.username().is_empty()
        && c.password().is_none()
}

/// The space-separated words of a scope or response_type.
pub fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// `at_hash`/`c_hash`: left half of SHA-256, base64url.
pub fn half_hash(token: &str) -> String {
    let h = sha256(token.as_bytes());
    b64url(&h[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_formats_epoch_and_a_known_date() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn loopback_callbacks_match_any_port_only_when_enabled() {
        let p = "http://127.0.0.1/callback";
        assert!(url_allowed(p, "http://127.0.0.1:5555/callback", true));
        assert!(!url_allowed(p, "http://127.0.0.1:5555/callback", false));
        assert!(!url_allowed(p, "http://127.0.0.1:5555/other", true));
        assert!(!url_allowed(p, "http://localhost:5555/callback", true));
        assert!(!url_allowed(
            "https://app.example.com/callback",
            "https://app.example.com:444/callback",
            true
        ));
    }
}
