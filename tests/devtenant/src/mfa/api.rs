//! The MFA API under `/mfa/`: challenge, associate, list and delete
//! authenticators.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::authenticators::{authenticator_json, barcode_uri, new_authenticator};
use super::grants::pending;
use super::totp::{base32_encode, new_recovery_code};
use super::{save, Authenticator, Inner, Oob, OobStatus};
use crate::token::authenticate_client;
use crate::util::{
    field, json_response, now_ms, oauth_error, parse_body, random_bytes, random_token,
};
use crate::App;

const OOB_LIFETIME_MS: u64 = 5 * 60 * 1000;

pub(super) async fn challenge(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let client = match authenticate_client(&app, &b) {
        Ok(c) => c.client_id.clone(),
        Err(r) => return r,
    };
    let Some(token) = field(&b, "mfa_token") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: mfa_token",
        );
    };
    let p = match pending(&app, &token, Some(&client)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let types: Vec<String> = field(&b, "challenge_type")
        .unwrap_or_else(|| "otp oob".into())
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if types.iter().any(|t| t != "otp" && t != "oob") {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "challenge_type must be otp, oob or both",
        );
    }
    let wanted_id = field(&b, "authenticator_id");
    let channel = field(&b, "oob_channel");
    let mut m = app.mfa.lock();
    let list = m
        .users
        .get(&p.user_id)
        .map(|e| e.authenticators.clone())
        .unwrap_or_default();
    if list.is_empty() {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "User is not enrolled. You can use /mfa/associate endpoint to enroll the first authenticator.",
        );
    }
    let pick = list.iter().find(|a| {
        types.contains(&a.kind)
            && wanted_id.as_deref().is_none_or(|w| w == a.id)
            && channel
                .as_deref()
                .is_none_or(|c| a.oob_channel.as_deref() == Some(c))
            && (a.active || wanted_id.is_some())
    });
    let Some(a) = pick else {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "The user has no authenticator matching the requested challenge_type / authenticator_id.",
        );
    };
    if a.kind == "otp" {
        return json_response(200, &json!({"challenge_type": "otp"}));
    }
    let (code, body) = start_oob(&mut m, &token, &p.user_id, a);
    drop(m);
    if let Some(msg) = code {
        app.dev.push_outbox(msg);
    }
    json_response(200, &body)
}

/// Start an out-of-band challenge: (outbox message, answer body).
fn start_oob(
    m: &mut Inner,
    token: &str,
    user_id: &str,
    a: &Authenticator,
) -> (Option<Value>, Value) {
    let channel = a.oob_channel.clone().unwrap_or_else(|| "auth0".into());
    let binding = (channel != "auth0").then(|| format!("{:06}", random_code()));
    let oob_code = random_token(24);
    m.oobs.insert(
        oob_code.clone(),
        Oob {
            mfa_token: token.to_string(),
            user_id: user_id.to_string(),
            authenticator_id: a.id.clone(),
            channel: channel.clone(),
            binding_code: binding.clone(),
            status: OobStatus::Pending,
            expires_ms: now_ms() + OOB_LIFETIME_MS,
            last_poll_ms: None,
        },
    );
    let mut body = json!({"challenge_type": "oob", "oob_code": oob_code});
    let msg = binding.map(|code| {
        body["binding_method"] = json!("prompt");
        json!({"kind": "mfa_code", "connection": channel, "to": a.phone_number, "code": code})
    });
    (msg, body)
}

fn random_code() -> u32 {
    let b = random_bytes(4);
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000
}

/// Who a `/mfa/*` request acts for: a live mfa_token, or an access token
/// for the MFA API (`aud` `{domain}/mfa/`) with `scope` (when given).
/// The user id and whether it was an mfa_token.
fn mfa_caller(app: &App, headers: &HeaderMap, scope: &str) -> Result<(String, bool), Response> {
    let unauthorized = || oauth_error(401, "invalid_token", "Invalid or missing token");
    let Some(tok) = crate::util::bearer(headers) else {
        return Err(unauthorized());
    };
    if let Ok(p) = pending(app, &tok, None) {
        return Ok((p.user_id, true));
    }
    let Some(c) = crate::token::verify_token(app, &tok) else {
        return Err(unauthorized());
    };
    if !crate::token::aud_contains(&c, &format!("{}/mfa/", app.domain)) {
        return Err(unauthorized());
    }
    let scopes = c.get("scope").and_then(Value::as_str).unwrap_or_default();
    if !scopes.split_whitespace().any(|s| s == scope) {
        return Err(oauth_error(
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected: {scope}"),
        ));
    }
    let sub = c.get("sub").and_then(Value::as_str).unwrap_or_default();
    Ok((sub.to_string(), false))
}

pub(super) async fn associate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (uid, by_mfa_token) = match mfa_caller(&app, &headers, "enroll") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let list = |k: &str| -> Vec<String> {
        match b.get(k) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    };
    let types = list("authenticator_types");
    let channels = list("oob_channels");
    let kind = match types.as_slice() {
        [t] if t == "otp" || t == "oob" => t.clone(),
        _ => {
            return oauth_error(
                400,
                "invalid_request",
                "authenticator_types must be [\"otp\"] or [\"oob\"]",
            )
        }
    };
    let mut m = app.mfa.lock();
    let en = m.users.entry(uid.clone()).or_default();
    if by_mfa_token && en.has_active() {
        return oauth_error(
            400,
            "access_denied",
            "User is already enrolled. Use an access token with the enroll scope for the MFA API.",
        );
    }
    let a = match new_authenticator(
        &kind,
        None,
        channels.first().map(String::as_str),
        field(&b, "phone_number"),
        false,
    ) {
        Ok(a) => a,
        Err(e) => return oauth_error(400, "invalid_request", &e),
    };
    let mut body = json!({"authenticator_type": a.kind});
    let first = en.recovery_code.is_none();
    if first {
        en.recovery_code = Some(new_recovery_code());
    }
    let recovery = en.recovery_code.clone();
    en.authenticators.push(a.clone());
    save(&app, &m, &uid);
    if a.kind == "otp" {
        let label = app
            .store
            .lock()
            .users
            .get(&uid)
            .and_then(|u| u.email.clone())
            .unwrap_or_else(|| uid.clone());
        body["secret"] = json!(base32_encode(&a.secret));
        body["barcode_uri"] = json!(barcode_uri(&a.secret, &label));
    } else {
        // Confirmation goes through the mfa-oob grant with this mfa_token.
        let token = crate::util::bearer(&headers).unwrap_or_default();
        let (msg, ob) = start_oob(&mut m, &token, &uid, &a);
        body["oob_channel"] = json!(a.oob_channel);
        body["oob_code"] = ob["oob_code"].clone();
        if let Some(bm) = ob.get("binding_method") {
            body["binding_method"] = bm.clone();
        }
        drop(m);
        if let Some(msg) = msg {
            app.dev.push_outbox(msg);
        }
        if first {
            body["recovery_codes"] = json!([recovery]);
        }
        return json_response(200, &body);
    }
    if first {
        body["recovery_codes"] = json!([recovery]);
    }
    json_response(200, &body)
}

pub(super) async fn list_authenticators(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Response {
    let (uid, _) = match mfa_caller(&app, &headers, "read:authenticators") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let m = app.mfa.lock();
    let mut out = Vec::new();
    if let Some(e) = m.users.get(&uid) {
        out.extend(e.authenticators.iter().map(authenticator_json));
        if e.recovery_code.is_some() {
            out.push(json!({"id": format!("recovery-code|dev_{}", &uid.replace('|', "_")), "authenticator_type": "recovery-code", "active": true}));
        }
    }
    json_response(200, &Value::Array(out))
}

pub(super) async fn delete_authenticator(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (uid, _) = match mfa_caller(&app, &headers, "remove:authenticators") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut m = app.mfa.lock();
    let Some(e) = m.users.get_mut(&uid) else {
        return oauth_error(404, "not_found", "Authenticator not found");
    };
    let before = e.authenticators.len();
    e.authenticators.retain(|a| a.id != id);
    if e.authenticators.len() == before {
        return oauth_error(404, "not_found", "Authenticator not found");
    }
    save(&app, &m, &uid);
    StatusCode::NO_CONTENT.into_response()
}
