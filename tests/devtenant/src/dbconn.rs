//! Database connection endpoints: `/dbconnections/signup`,
//! `/dbconnections/change_password`, and the password reset page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::store::{hash_password, is_db_connection, User};
use crate::util::{
    field, html_response, json_response, now_ms, parse_body, parse_query, random_hex, random_token,
    text_response,
};
use crate::{pages, App};

const POLICY: &str = "* At least 8 characters in length\n* Contain at least 3 of the following 4 types of characters:\n * lower case letters (a-z)\n * upper case letters (A-Z)\n * numbers (i.e. 0-9)\n * special characters (e.g. !@#$%^&*)";

fn bad_request(code: &str, description: &str) -> Response {
    json_response(
        400,
        &json!({"name": "BadRequestError", "code": code, "description": description, "statusCode": 400}),
    )
}

/// Auth0's "Good" password policy; `None` when the password passes.
pub fn password_strength_error(pw: &str) -> Option<Value> {
    let length_ok = pw.chars().count() >= 8;
    let lower = pw.chars().any(|c| c.is_lowercase());
    let upper = pw.chars().any(|c| c.is_uppercase());
    let digit = pw.chars().any(|c| c.is_ascii_digit());
    let special = pw
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace() || c == ' ');
    let kinds = [lower, upper, digit, special]
        .iter()
        .filter(|b| **b)
        .count();
    if length_ok && kinds >= 3 {
        return None;
    }
    Some(json!({
        "name": "PasswordStrengthError",
        "message": "Password is too weak",
        "code": "invalid_password",
        "description": {
            "rules": [
                {"message": "At least %d characters in length", "format": [8], "code": "lengthAtLeast", "verified": length_ok},
                {"message": "Contain at least %d of the following %d types of characters:", "code": "containsAtLeast", "format": [3, 4], "items": [
                    {"message": "lower case letters (a-z)", "code": "lowerCase", "verified": lower},
                    {"message": "upper case letters (A-Z)", "code": "upperCase", "verified": upper},
                    {"message": "numbers (i.e. 0-9)", "code": "numbers", "verified": digit},
                    {"message": "special characters (e.g. !@#$%^&*)", "code": "specialCharacters", "verified": special},
                ], "verified": kinds >= 3},
            ],
            "verified": false,
        },
        "policy": POLICY,
        "statusCode": 400,
    }))
}

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

/// Create a database user; an Auth0-worded message on failure (used by the hosted sign-up form).
pub fn create_user(
    app: &App,
    connection: &str,
    email: &str,
    password: &str,
    username: Option<String>,
    meta: Map<String, Value>,
) -> Result<User, String> {
    if !valid_email(email) {
        return Err(format!(
            "Object didn't pass validation for format email: {email}"
        ));
    }
    if password_strength_error(password).is_some() {
        return Err("Password is too weak".into());
    }
    let mut g = app.store.lock();
    if g.find_login(connection, email).is_some()
        || username
            .as_deref()
            .is_some_and(|u| g.find_login(connection, u).is_some())
    {
        return Err("The user already exists.".into());
    }
    let mut u = User::new(format!("auth0|{}", random_hex(12)), connection);
    u.email = Some(email.to_string());
    u.username = username;
    u.password_hash = Some(hash_password(password));
    u.user_metadata = meta;
    u.fill_profile();
    g.users.insert(u.user_id.clone(), u.clone());
    drop(g);
    app.store.persist_user(&u);
    Ok(u)
}

pub async fn signup(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return bad_request("invalid_body", "Invalid request body");
    };
    for p in ["client_id", "email", "password", "connection"] {
        if field(&b, p).is_none() {
            return bad_request("invalid_body", &format!("Missing required property: {p}"));
        }
    }
    let (email, password, connection) = (
        field(&b, "email").unwrap_or_default(),
        field(&b, "password").unwrap_or_default(),
        field(&b, "connection").unwrap_or_default(),
    );
    if app
        .client(&field(&b, "client_id").unwrap_or_default())
        .is_none()
    {
        return bad_request("invalid_body", "Unknown client.");
    }
    if !is_db_connection(&connection) {
        return bad_request("invalid_connection", "Connection does not exist");
    }
    if !valid_email(&email) {
        return bad_request(
            "invalid_body",
            &format!("Object didn't pass validation for format email: {email}"),
        );
    }
    if let Some(err) = password_strength_error(&password) {
        return json_response(400, &err);
    }
    let meta = match b.get("user_metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return bad_request("invalid_body", "user_metadata must be an object"),
    };
    match create_user(
        &app,
        &connection,
        &email,
        &password,
        field(&b, "username"),
        meta,
    ) {
        Ok(u) => {
            let mut v = json!({"_id": u.id_part(), "email_verified": false, "email": email});
            if let Some(n) = &u.username {
                v["username"] = json!(n);
            }
            json_response(200, &v)
        }
        Err(_) => bad_request("user_exists", "The user already exists."),
    }
}

pub async fn change_password(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return bad_request("invalid_body", "Invalid request body");
    };
    for p in ["client_id", "email", "connection"] {
        if field(&b, p).is_none() {
            return bad_request("invalid_body", &format!("Missing required property: {p}"));
        }
    }
    let email = field(&b, "email").unwrap_or_default();
    let connection = field(&b, "connection").unwrap_or_default();
    if !is_db_connection(&connection) {
        return bad_request("invalid_connection", "Connection does not exist");
    }
    let user_id = app
        .store
        .lock()
        .find_login(&connection, &email)
        .map(|(_, h)| h.user_id.clone());
    if let Some(uid) = user_id {
        let ticket = random_token(24);
        app.store
            .lock()
            .resets
            .insert(ticket.clone(), (uid, now_ms() + 5 * 86_400_000));
        let link = format!("{}/lo/reset?ticket={ticket}#", app.domain);
        app.dev.push_outbox(
            json!({"kind": "password_reset", "connection": connection, "to": email, "link": link}),
        );
    }
    text_response(200, "We've just sent you an email to reset your password.")
}

pub async fn reset_page(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let t = q.get("ticket").cloned().unwrap_or_default();
    let live = app
        .store
        .lock()
        .resets
        .get(&t)
        .is_some_and(|(_, e)| *e > now_ms());
    if !live {
        return html_response(
            400,
            pages::error_page(
                "invalid_request",
                "This ticket is expired or was already used.",
            ),
        );
    }
    html_response(200, format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Change Password</title></head><body><h1>Change Password</h1>\
<form method=\"post\" action=\"/lo/reset\">{}<label for=\"password\">New password</label><input id=\"password\" type=\"password\" name=\"password\">\
<button type=\"submit\">Reset password</button></form></body></html>",
        pages::hidden("ticket", &t)
    ))
}

pub async fn reset_submit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b = parse_body(&headers, &body).unwrap_or_default();
    let t = field(&b, "ticket").unwrap_or_default();
    let pw = field(&b, "password").unwrap_or_default();
    if let Some(err) = password_strength_error(&pw) {
        let policy = err["policy"].as_str().unwrap_or_default().to_string();
        return html_response(400, pages::message_page("Password is too weak", &policy));
    }
    let entry = app
        .store
        .lock()
        .resets
        .remove(&t)
        .filter(|(_, e)| *e > now_ms());
    let Some((uid, _)) = entry else {
        return html_response(
            400,
            pages::error_page(
                "invalid_request",
                "This ticket is expired or was already used.",
            ),
        );
    };
    let mut g = app.store.lock();
    let mut changed = None;
    for u in g.users.values_mut() {
        if u.user_id == uid {
            u.password_hash = Some(hash_password(&pw));
            changed = Some(u.clone());
        } else if let Some(s) = u.linked.iter_mut().find(|s| s.user_id == uid) {
            s.password_hash = Some(hash_password(&pw));
            changed = Some(u.clone());
        }
    }
    drop(g);
    if let Some(u) = changed {
        app.store.persist_user(&u);
    }
    html_response(
        200,
        pages::message_page(
            "Password Changed",
            "Your password has been changed successfully.",
        ),
    )
}
