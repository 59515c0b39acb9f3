//! The device flow and its activation page.
mod common;
use common::*;
use serde_json::{json, Value};

fn device_code(t: &DevTenant) -> Value {
    let r = post_json(
        &client(),
        &format!("{}/oauth/device/code", t.domain()),
        &json!({"client_id": t.client_id(), "scope": "openid profile"}),
    );
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn poll(t: &DevTenant, dc: &str) -> reqwest::blocking::Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": t.client_id(), "device_code": dc,
        }),
    )
}

#[test]
fn device_code_answer_has_rfc8628_fields() {
    let t = DevTenant::start().unwrap();
    let v = device_code(&t);
    let uc = v["user_code"].as_str().unwrap();
    assert_eq!(uc.len(), 9);
    assert_eq!(&uc[4..5], "-");
    assert_eq!(v["verification_uri"], format!("{}/activate", t.domain()));
    assert_eq!(
        v["verification_uri_complete"],
        format!("{}/activate?user_code={uc}", t.domain())
    );
    assert!(v["expires_in"].is_u64() && v["interval"].is_u64() && v["device_code"].is_string());
}

#[test]
fn polling_before_approval_is_authorization_pending() {
    let t = DevTenant::start().unwrap();
    let v = device_code(&t);
    let r = poll(&t, v["device_code"].as_str().unwrap());
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().unwrap()["error"], "authorization_pending");
}

#[test]
fn polling_faster_than_interval_is_slow_down() {
    let t = DevTenant::start().unwrap();
    let v = device_code(&t);
    let dc = v["device_code"].as_str().unwrap();
    poll(&t, dc);
    let r = poll(&t, dc);
    assert_eq!(r.status(), 429);
    assert_eq!(r.json::<Value>().unwrap()["error"], "slow_down");
}

#[test]
fn expired_device_code_is_expired_token() {
    let t = DevTenant::start_with(Config {
        device_code_lifetime_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let v = device_code(&t);
    let r = poll(&t, v["device_code"].as_str().unwrap());
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().unwrap()["error"], "expired_token");
}

fn activate(t: &DevTenant, uc: &str, action: &str) {
    let c = client();
    let page = c
        .get(format!("{}/activate?user_code={uc}", t.domain()))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("name=\"password\""));
    let r = c
        .post(format!("{}/activate", t.domain()))
        .form(&[
            ("user_code", uc),
            ("action", "login"),
            ("username", TEST_USER_EMAIL),
            ("password", TEST_USER_PASSWORD),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().unwrap().contains("Confirm"));
    let r = c
        .post(format!("{}/activate", t.domain()))
        .form(&[("user_code", uc), ("action", action)])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn confirmed_device_receives_tokens() {
    let t = DevTenant::start_with(Config {
        device_interval_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let v = device_code(&t);
    activate(&t, v["user_code"].as_str().unwrap(), "confirm");
    let r = poll(&t, v["device_code"].as_str().unwrap());
    assert_eq!(r.status(), 200);
    let (_, c) = decode(r.json::<Value>().unwrap()["id_token"].as_str().unwrap());
    assert_eq!(c["sub"], TEST_USER_ID);
}

#[test]
fn denied_device_is_access_denied() {
    let t = DevTenant::start_with(Config {
        device_interval_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let v = device_code(&t);
    activate(&t, v["user_code"].as_str().unwrap(), "deny");
    let r = poll(&t, v["device_code"].as_str().unwrap());
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().unwrap()["error"], "access_denied");
}

#[test]
fn activation_page_rejects_an_unknown_code() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(format!("{}/activate?user_code=BBBB-CCCC", t.domain()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().unwrap().contains("Invalid or expired code"));
}
