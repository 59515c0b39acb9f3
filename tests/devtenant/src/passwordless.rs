//! Passwordless connections `email` and `sms`: `/passwordless/start` (codes
//! and magic links go to the outbox), `/passwordless/verify`,
//! `/passwordless/verify_redirect`; the OTP grant uses `consume_code`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

use crate::authorize::{
    check_client_and_redirect, check_tx, login_and_complete, redirect_error, tx_from_query,
};
use crate::store::Otp;
use crate::util::{
    encode_params, field, json_response, now_ms, oauth_error, parse_body, parse_query,
    random_bytes, random_hex,
};
use crate::App;

const MAX_ATTEMPTS: u32 = 3;

fn key(connection: &str, to: &str) -> (String, String) {
    let to = if connection == "sms" {
        to.trim().to_string()
    } else {
        to.trim().to_lowercase()
    };
    (connection.to_string(), to)
}

pub fn wrong_code_message(connection: &str) -> &'static str {
    if connection == "sms" {
        "Wrong phone number or verification code."
    } else {
        "Wrong email or verification code."
    }
}

/// Check a code without spending it (`/passwordless/verify`); wrong attempts count.
fn check_code(app: &App, connection: &str, to: &str, code: &str, spend: bool) -> bool {
    let k = key(connection, to);
    let mut g = app.store.lock();
    let Some(otp) = g.otps.get_mut(&k) else {
        return false;
    };
    if otp.expires_ms <= now_ms() {
        g.otps.remove(&k);
        return false;
    }
    if !crate::util::ct_eq(&otp.code, code.trim()) {
        otp.attempts += 1;
        if otp.attempts >= MAX_ATTEMPTS {
            g.otps.remove(&k);
        }
        return false;
    }
    if spend {
        g.otps.remove(&k);
    }
    true
}

/// Verify and spend a code (single use).
pub fn consume_code(app: &App, connection: &str, to: &str, code: &str) -> bool {
    check_code(app, connection, to, code, true)
}

fn bad(error: &str, description: &str) -> Response {
    oauth_error(400, error, description)
}

fn six_digits() -> String {
    let b = random_bytes(4);
    let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000;
    format!("{n:06}")
}

pub async fn start(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return bad("bad.request", "Invalid request body");
    };
    let Some(client_id) = field(&b, "client_id") else {
        return bad("bad.client_id", "Missing required property: client_id");
    };
    if app.client(&client_id).is_none() {
        return bad("bad.client_id", "Unknown client.");
    }
    let Some(connection) = field(&b, "connection") else {
        return bad("bad.connection", "Missing required property: connection");
    };
    if connection != "email" && connection != "sms" {
        return bad("bad.connection", "Connection does not exist");
    }
    let send = field(&b, "send").unwrap_or_else(|| "link".into());
    if send != "link" && send != "code" {
        return bad("bad.send", "send is not valid ([link, code])");
    }
    let (to_field, to) = if connection == "sms" {
        ("phone_number", field(&b, "phone_number"))
    } else {
        ("email", field(&b, "email"))
    };
    let Some(to) = to else {
        return bad(
            &format!("bad.{to_field}"),
            &format!("Missing required property: {to_field}"),
        );
    };
    let code = six_digits();
    let k = key(&connection, &to);
    app.store.lock().otps.insert(
        k,
        Otp {
            code: code.clone(),
            expires_ms: now_ms() + app.cfg.otp_lifetime_secs * 1000,
            attempts: 0,
        },
    );
    let mut msg = json!({"kind": send, "connection": connection, "to": to, "code": code});
    if send == "link" {
        let mut params = vec![
            ("client_id".to_string(), client_id.clone()),
            ("connection".to_string(), connection.clone()),
        ];
        if let Some(Value::Object(ap)) = b.get("authParams") {
            for (k, v) in ap {
                if let Some(s) = v.as_str() {
                    params.push((k.clone(), s.to_string()));
                }
            }
        }
        params.push((to_field.to_string(), to.clone()));
        params.push(("verification_code".to_string(), code.clone()));
        msg["link"] = json!(format!(
            "{}/passwordless/verify_redirect?{}",
            app.domain,
            encode_params(&params)
        ));
    }
    app.dev.push_outbox(msg);
    let id = random_hex(12);
    if connection == "sms" {
        json_response(
            200,
            &json!({"_id": id, "phone_number": to, "phone_verified": false, "request_language": null}),
        )
    } else {
        json_response(
            200,
            &json!({"_id": id, "email": to, "email_verified": false}),
        )
    }
}

pub async fn verify(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return bad("bad.request", "Invalid request body");
    };
    let Some(connection) = field(&b, "connection") else {
        return bad("bad.connection", "Missing required property: connection");
    };
    let Some(code) = field(&b, "verification_code") else {
        return bad(
            "bad.verification_code",
            "Missing required property: verification_code",
        );
    };
    let to = if connection == "sms" {
        field(&b, "phone_number")
    } else {
        field(&b, "email")
    };
    let Some(to) = to else {
        let f = if connection == "sms" {
            "phone_number"
        } else {
            "email"
        };
        return bad(
            &format!("bad.{f}"),
            &format!("Missing required property: {f}"),
        );
    };
    if check_code(&app, &connection, &to, &code, false) {
        json_response(200, &json!({}))
    } else {
        oauth_error(403, "invalid_grant", wrong_code_message(&connection))
    }
}

pub async fn verify_redirect(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let tx = tx_from_query(&q);
    if let Err(r) = check_client_and_redirect(&app, &tx) {
        return r;
    }
    if let Err(r) = check_tx(&tx) {
        return r;
    }
    let connection = q.get("connection").cloned().unwrap_or_default();
    let to = if connection == "sms" {
        q.get("phone_number")
    } else {
        q.get("email")
    };
    let code = q.get("verification_code").cloned().unwrap_or_default();
    let Some(to) = to
        .cloned()
        .filter(|_| connection == "sms" || connection == "email")
    else {
        return redirect_error(
            &tx,
            "invalid_request",
            "Missing required parameter: email or phone_number",
        );
    };
    if !consume_code(&app, &connection, &to, &code) {
        return redirect_error(&tx, "access_denied", wrong_code_message(&connection));
    }
    let user = app.store.passwordless_user(&connection, &to);
    login_and_complete(&app, &tx, &user)
}
