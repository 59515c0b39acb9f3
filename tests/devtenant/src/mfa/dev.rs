//! Dev endpoints under `/__dev/mfa/`: enrol and unenrol users, list and
//! approve out-of-band challenges, compute TOTP codes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::authenticators::{authenticator_json, new_authenticator};
use super::totp::{base32_decode, base32_encode, new_recovery_code, totp, TOTP_STEP};
use super::{find_user, save, Enrolment, Oob, OobStatus};
use crate::util::{field, json_response, now_ms, now_s, oauth_error, parse_query};
use crate::App;

// ---- /__dev/mfa/* ----

fn dev_body(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(oauth_error(
            400,
            "invalid_request",
            "Body must be a JSON object",
        )),
    }
}

fn dev_user(app: &App, who: Option<String>) -> Result<String, Response> {
    let Some(who) = who else {
        return Err(oauth_error(
            400,
            "invalid_request",
            "Missing field: user (e-mail or user id)",
        ));
    };
    find_user(&app.store, &who)
        .ok_or_else(|| oauth_error(404, "not_found", &format!("No user {who}")))
}

fn enrolment_json(uid: &str, e: &Enrolment) -> Value {
    let list: Vec<Value> = e
        .authenticators
        .iter()
        .map(|a| {
            let mut v = authenticator_json(a);
            if a.kind == "otp" {
                v["secret"] = json!(base32_encode(&a.secret));
            }
            if let Some(p) = &a.phone_number {
                v["phone_number"] = json!(p);
            }
            v
        })
        .collect();
    json!({"user_id": uid, "authenticators": list, "recovery_code": e.recovery_code})
}

/// Enrol a user: `{user, type: "otp"|"oob", secret?, oob_channel?, phone_number?}`.
pub(super) async fn dev_enroll(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b = match dev_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let uid = match dev_user(&app, field(&b, "user").or_else(|| field(&b, "email"))) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let kind = field(&b, "type").unwrap_or_default();
    let a = match new_authenticator(
        &kind,
        field(&b, "secret").as_deref(),
        field(&b, "oob_channel").as_deref(),
        field(&b, "phone_number"),
        true,
    ) {
        Ok(a) => a,
        Err(e) => return oauth_error(400, "invalid_request", &e),
    };
    let mut m = app.mfa.lock();
    let e = m.users.entry(uid.clone()).or_default();
    if e.recovery_code.is_none() {
        e.recovery_code = Some(new_recovery_code());
    }
    e.authenticators.push(a.clone());
    let recovery = e.recovery_code.clone();
    save(&app, &m, &uid);
    let mut v = authenticator_json(&a);
    if a.kind == "otp" {
        v["secret"] = json!(base32_encode(&a.secret));
    }
    v["user_id"] = json!(uid);
    v["recovery_code"] = json!(recovery);
    json_response(200, &v)
}

pub(super) async fn dev_enrollments(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
) -> Response {
    let q = parse_query(q.as_deref());
    let uid = match dev_user(&app, q.get("user").cloned()) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let m = app.mfa.lock();
    let e = m.users.get(&uid).cloned().unwrap_or_default();
    json_response(200, &enrolment_json(&uid, &e))
}

pub(super) async fn dev_unenroll(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let uid = match dev_user(&app, q.get("user").cloned()) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut m = app.mfa.lock();
    m.users.remove(&uid);
    save(&app, &m, &uid);
    StatusCode::NO_CONTENT.into_response()
}

fn oob_json(code: &str, o: &Oob) -> Value {
    let status = match o.status {
        OobStatus::Pending => "pending",
        OobStatus::Approved => "approved",
        OobStatus::Denied => "denied",
    };
    json!({
        "oob_code": code, "user_id": o.user_id, "authenticator_id": o.authenticator_id,
        "oob_channel": o.channel, "binding_code": o.binding_code, "status": status,
    })
}

pub(super) async fn dev_pending(State(app): State<Arc<App>>) -> Response {
    let now = now_ms();
    let m = app.mfa.lock();
    let list: Vec<Value> = m
        .oobs
        .iter()
        .filter(|(_, o)| o.expires_ms > now)
        .map(|(c, o)| oob_json(c, o))
        .collect();
    json_response(200, &Value::Array(list))
}

/// Approve (or with `"approve": false` reject) pending push challenges: the
/// one named by `oob_code`, else every pending one of `user`, else all.
pub(super) async fn dev_approve(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match dev_body(&body) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
    let approve = b.get("approve").and_then(Value::as_bool).unwrap_or(true);
    let code = field(&b, "oob_code");
    let uid = match field(&b, "user") {
        Some(u) => match dev_user(&app, Some(u)) {
            Ok(u) => Some(u),
            Err(r) => return r,
        },
        None => None,
    };
    let mut m = app.mfa.lock();
    let mut done = Vec::new();
    for (c, o) in m.oobs.iter_mut() {
        let hit = match (&code, &uid) {
            (Some(want), _) => c == want,
            (None, Some(u)) => o.user_id == *u,
            (None, None) => true,
        };
        if hit && o.status == OobStatus::Pending {
            o.status = if approve {
                OobStatus::Approved
            } else {
                OobStatus::Denied
            };
            done.push(oob_json(c, o));
        }
    }
    if done.is_empty() {
        return oauth_error(404, "not_found", "No pending out-of-band challenge matched");
    }
    json_response(200, &Value::Array(done))
}

/// The current TOTP code of `secret` (or at unix `time`), for tests that
/// would rather not compute it.
pub(super) async fn dev_totp(RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let Some(secret) = q.get("secret").and_then(|s| base32_decode(s)) else {
        return oauth_error(400, "invalid_request", "secret (base32) is required");
    };
    let time = match q.get("time") {
        Some(t) => match t.parse::<u64>() {
            Ok(t) => t,
            Err(_) => return oauth_error(400, "invalid_request", "time must be unix seconds"),
        },
        None => now_s(),
    };
    let step = time / TOTP_STEP;
    json_response(
        200,
        &json!({"code": totp(&secret, step), "step": step, "expires_at": (step + 1) * TOTP_STEP}),
    )
}
