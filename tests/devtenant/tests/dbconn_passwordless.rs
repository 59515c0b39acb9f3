//! /dbconnections/*, /passwordless/*, the OTP grant.
mod common;
use common::*;
use serde_json::{json, Value};

fn signup(t: &DevTenant, email: &str, password: &str) -> reqwest::blocking::Response {
    post_json(
        &client(),
        &format!("{}/dbconnections/signup", t.domain()),
        &json!({
            "client_id": t.client_id(), "connection": DB_CONNECTION, "email": email, "password": password,
            "user_metadata": {"favouriteColour": "blue"},
        }),
    )
}

#[test]
fn signup_creates_a_user_who_can_log_in() {
    let t = DevTenant::start().unwrap();
    let r = signup(&t, "new@example.com", "Sup3r-Secret");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["email"], "new@example.com");
    assert_eq!(v["email_verified"], false);
    assert!(v["_id"].is_string());
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": "new@example.com", "password": "Sup3r-Secret", "scope": "openid",
        }),
    );
    assert_eq!(r.status(), 200);
}

#[test]
fn duplicate_signup_is_user_exists() {
    let t = DevTenant::start().unwrap();
    let r = signup(&t, TEST_USER_EMAIL, "Sup3r-Secret");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"name": "BadRequestError", "code": "user_exists", "description": "The user already exists.", "statusCode": 400})
    );
}

#[test]
fn weak_password_is_password_strength_error() {
    let t = DevTenant::start().unwrap();
    let r = signup(&t, "weak@example.com", "abc");
    assert_eq!(r.status(), 400);
    let v: Value = r.json().unwrap();
    assert_eq!(v["name"], "PasswordStrengthError");
    assert_eq!(v["code"], "invalid_password");
    assert_eq!(v["description"]["verified"], false);
    assert!(v["description"]["rules"].is_array() && v["policy"].is_string());
}

#[test]
fn signup_without_email_is_400() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/dbconnections/signup", t.domain()),
        &json!({"client_id": t.client_id(), "connection": DB_CONNECTION, "password": "Sup3r-Secret"}),
    );
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().unwrap()["description"],
        "Missing required property: email"
    );
}

#[test]
fn change_password_answers_text_and_puts_a_link_in_the_outbox() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/dbconnections/change_password", t.domain()),
        &json!({"client_id": t.client_id(), "email": TEST_USER_EMAIL, "connection": DB_CONNECTION}),
    );
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(
        r.text().unwrap(),
        "We've just sent you an email to reset your password."
    );
    let out: Value = client()
        .get(format!(
            "{}/__dev/outbox?to={}",
            t.domain(),
            TEST_USER_EMAIL
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(out[0]["kind"], "password_reset");
    assert!(out[0]["link"]
        .as_str()
        .unwrap()
        .contains("/lo/reset?ticket="));
}

fn start_email(t: &DevTenant, send: &str) -> String {
    let r = post_json(
        &client(),
        &format!("{}/passwordless/start", t.domain()),
        &json!({
            "client_id": t.client_id(), "connection": "email", "send": send, "email": "pl@example.com",
            "authParams": {"response_type": "code", "redirect_uri": CALLBACK, "scope": "openid", "state": "pls"},
        }),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap()["email"], "pl@example.com");
    let out: Value = client()
        .get(format!("{}/__dev/outbox?to=pl@example.com", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let last = out.as_array().unwrap().last().unwrap().clone();
    if send == "link" {
        last["link"].as_str().unwrap().to_string()
    } else {
        last["code"].as_str().unwrap().to_string()
    }
}

#[test]
fn passwordless_sms_start_answers_the_phone_number() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/passwordless/start", t.domain()),
        &json!({"client_id": t.client_id(), "connection": "sms", "send": "code", "phone_number": "+15550001"}),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap()["phone_number"], "+15550001");
}

#[test]
fn passwordless_verify_accepts_the_right_code() {
    let t = DevTenant::start().unwrap();
    let code = start_email(&t, "code");
    let r = post_json(
        &client(),
        &format!("{}/passwordless/verify", t.domain()),
        &json!({"connection": "email", "verification_code": code, "email": "pl@example.com"}),
    );
    assert_eq!(r.status(), 200);
}

#[test]
fn passwordless_verify_rejects_a_wrong_code() {
    let t = DevTenant::start().unwrap();
    start_email(&t, "code");
    let r = post_json(
        &client(),
        &format!("{}/passwordless/verify", t.domain()),
        &json!({"connection": "email", "verification_code": "000000x", "email": "pl@example.com"}),
    );
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"error": "invalid_grant", "error_description": "Wrong email or verification code."})
    );
}

#[test]
fn otp_grant_issues_tokens_once_per_code() {
    let t = DevTenant::start().unwrap();
    let code = start_email(&t, "code");
    let body = json!({"grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp", "client_id": t.client_id(), "realm": "email", "username": "pl@example.com", "otp": code, "scope": "openid email"});
    let r = post_json(&client(), &format!("{}/oauth/token", t.domain()), &body);
    assert_eq!(r.status(), 200);
    let (_, c) = decode(r.json::<Value>().unwrap()["id_token"].as_str().unwrap());
    assert!(c["sub"].as_str().unwrap().starts_with("email|"));
    assert_eq!(
        post_json(&client(), &format!("{}/oauth/token", t.domain()), &body).status(),
        403
    );
}

#[test]
fn expired_passwordless_code_fails() {
    let t = DevTenant::start_with(Config {
        otp_lifetime_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let code = start_email(&t, "code");
    let r = post_json(
        &client(),
        &format!("{}/passwordless/verify", t.domain()),
        &json!({"connection": "email", "verification_code": code, "email": "pl@example.com"}),
    );
    assert_eq!(r.status(), 403);
}

#[test]
fn magic_link_verify_redirect_completes_the_authorization() {
    let t = DevTenant::start().unwrap();
    let link = start_email(&t, "link");
    let r = client().get(&link).send().unwrap();
    assert_eq!(r.status(), 302);
    let p = params_of(&location(&r));
    assert!(p.contains_key("code"));
    assert_eq!(p["state"], "pls");
}
