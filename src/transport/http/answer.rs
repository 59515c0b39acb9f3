//! The one place an HTTP answer becomes a result or an [`Error`]: the
//! shape a 2xx must have, and auth0.js v8's error normalisation.

use super::{Expect, Response};
use crate::error::{Error, ErrorKind, Result};
use serde_json::Value;

/// The one place an API answer becomes a result: redirects and error
/// statuses are errors, and a 2xx answer must have the shape `expect`s.
/// A 2xx body is never copied into the error (a token answer holds
/// secrets).
pub(crate) fn answer(resp: &Response, expect: Expect) -> Result<Value> {
    if resp.is_redirect() {
        return Err(Error::new(
            ErrorKind::Server,
            format!(
                "the server answered with a redirect ({}), which is not followed for this endpoint",
                resp.status
            ),
        )
        .with_code("unexpected_redirect")
        .with_status_code(resp.status));
    }
    if !resp.is_success() {
        return Err(error_from_response(resp));
    }
    let invalid = |what: &str| {
        Error::new(
            ErrorKind::Server,
            format!("the server's answer is not what this endpoint returns: {what}"),
        )
        .with_code("invalid_response")
        .with_status_code(resp.status)
    };
    let html = resp.content_type.starts_with("text/html") && looks_like_html(&resp.body);
    if html {
        return Err(invalid(
            "an HTML page (a captive portal or a proxy's page?) where JSON was expected",
        ));
    }
    if expect == Expect::Text && resp.is_text() {
        return Ok(Value::String(
            String::from_utf8_lossy(&resp.body).into_owned(),
        ));
    }
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        if resp.status == 204 {
            return Ok(Value::Null);
        }
        return Err(invalid("an empty body where JSON was expected"));
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => Ok(v),
        Ok(v @ Value::String(_)) if expect == Expect::Text => Ok(v),
        Ok(_) => Err(invalid(
            "a JSON value that is neither an object nor an array",
        )),
        Err(_) if resp.is_text() => Err(invalid("text where JSON was expected")),
        Err(_) => Err(invalid("not valid JSON")),
    }
}

/// A token endpoint's 2xx answer must carry an `access_token` (RFC 6749
/// §5.1); anything else (`{}`, an array) is an `invalid_response`, never a
/// login without tokens.
pub(crate) fn require_token_answer(answer: &Value) -> Result<()> {
    match answer.get("access_token") {
        Some(Value::String(t)) if !t.is_empty() => Ok(()),
        _ => Err(Error::new(
            ErrorKind::Server,
            "the token endpoint's answer has no access_token",
        )
        .with_code("invalid_response")),
    }
}

/// An HTML document rather than a sentence sent as `text/html` (v8's
/// `change_password` answer is such a sentence).
fn looks_like_html(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The code of a 429 that is a rate limit.
pub(crate) const RATE_LIMITED: &str = "rate_limited";

/// auth0.js v8's error normalisation (wire spec §1.5), with Part A's
/// change: the Management API's `message` is kept as the description.
pub(crate) fn error_from_response(resp: &Response) -> Error {
    let mut e = normalised_error(resp);
    if resp.status == 429 && matches!(e.code(), "too_many_requests" | "http_error") {
        // One code for a rate limit, whatever the endpoint calls it (the
        // body stays in `original`). A protocol answer sent as 429, such
        // as the device grant's `slow_down`, keeps its own code.
        e = e.with_code(RATE_LIMITED);
    }
    e.with_rate_limit(resp.retry_after, resp.rate_limit_reset)
}

fn normalised_error(resp: &Response) -> Error {
    let body: Option<Value> = serde_json::from_slice(&resp.body)
        .ok()
        .filter(Value::is_object);
    let reason = reqwest::StatusCode::from_u16(resp.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let Some(body) = body else {
        let mut e = Error::new(
            ErrorKind::Server,
            format!("HTTP {} {reason}", resp.status)
                .trim_end()
                .to_owned(),
        )
        .with_code("http_error")
        .with_status_code(resp.status);
        if !resp.body.is_empty() {
            e = e.with_original(Value::String(
                String::from_utf8_lossy(&resp.body)
                    .chars()
                    .take(2048)
                    .collect(),
            ));
        }
        return e;
    };
    let pick = |keys: &[&str]| -> Option<String> {
        // The first string value wins; an object (PasswordStrengthError's
        // `description`) gives way to a later string such as `message`.
        keys.iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_owned))
    };
    let code = pick(&["error", "code", "error_code", "status"])
        .or_else(|| {
            body.get("status")
                .filter(|v| v.is_number())
                .map(Value::to_string)
        })
        .unwrap_or_else(|| "http_error".to_owned());
    let description = pick(&[
        "errorDescription",
        "error_description",
        "description",
        "message",
        "error",
        "details",
        "err",
    ])
    .unwrap_or_else(|| {
        format!("HTTP {} {reason}", resp.status)
            .trim_end()
            .to_owned()
    });
    let mut body = body;
    if code == crate::error::MFA_REQUIRED {
        if let Some(Some(Value::String(token))) =
            body.as_object_mut().map(|o| o.shift_remove("mfa_token"))
        {
            // The token moves out of the body (`original` is not secret)
            // into the error's typed field.
            return Error::mfa_required(description, crate::secret::MfaToken::new(token))
                .with_status_code(resp.status)
                .with_original(body);
        }
    }
    Error::new(ErrorKind::Server, description)
        .with_code(code)
        .with_status_code(resp.status)
        .with_original(body)
}
