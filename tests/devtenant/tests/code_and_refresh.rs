//! The authorization_code grant (PKCE, single use) and refresh token rotation.
mod common;
use common::*;
use serde_json::{json, Value};

fn code_with(t: &DevTenant, challenge: &str, method: &str) -> String {
    let loc = hosted_login(
        t,
        &client(),
        &[
            ("response_type", "code"),
            ("scope", "openid offline_access"),
            ("code_challenge", challenge),
            ("code_challenge_method", method),
        ],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    params_of(&loc)["code"].clone()
}

#[test]
fn reused_code_is_invalid_grant() {
    let t = DevTenant::start().unwrap();
    let (v, ch) = pkce();
    let code = code_with(&t, &ch, "S256");
    assert_eq!(exchange(&t, &code, &v).status(), 200);
    let r = exchange(&t, &code, &v);
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"error": "invalid_grant", "error_description": "Invalid authorization code"})
    );
}

#[test]
fn wrong_pkce_verifier_fails_verification() {
    let t = DevTenant::start().unwrap();
    let (_, ch) = pkce();
    let code = code_with(&t, &ch, "S256");
    let r = exchange(
        &t,
        &code,
        "not-the-verifier-not-the-verifier-not-the-verifier",
    );
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap()["error_description"],
        "Failed to verify code verifier"
    );
}

#[test]
fn plain_pkce_method_is_accepted() {
    let t = DevTenant::start().unwrap();
    let v = "plain-verifier-plain-verifier-plain-verifier-123";
    let code = code_with(&t, v, "plain");
    assert_eq!(exchange(&t, &code, v).status(), 200);
}

#[test]
fn redirect_uri_must_match_the_authorize_request() {
    let t = DevTenant::start().unwrap();
    let (v, ch) = pkce();
    let code = code_with(&t, &ch, "S256");
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "grant_type": "authorization_code", "client_id": t.client_id(), "code": code,
            "code_verifier": v, "redirect_uri": "http://127.0.0.1:7777/other",
        }),
    );
    assert_eq!(r.status(), 403);
}

#[test]
fn expired_code_is_invalid_grant() {
    let t = DevTenant::start_with(Config {
        code_lifetime_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let (v, ch) = pkce();
    let code = code_with(&t, &ch, "S256");
    assert_eq!(exchange(&t, &code, &v).status(), 403);
}

fn refresh(t: &DevTenant, rt: &str) -> reqwest::blocking::Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "grant_type": "refresh_token", "client_id": t.client_id(), "refresh_token": rt,
        }),
    )
}

#[test]
fn refresh_rotates_the_refresh_token() {
    let t = DevTenant::start().unwrap();
    let rt1 = tokens(&t, "openid offline_access", None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = refresh(&t, &rt1);
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    let rt2 = v["refresh_token"].as_str().unwrap();
    assert_ne!(rt1, rt2);
    assert!(v["id_token"].is_string() && v["access_token"].is_string());
    assert_eq!(refresh(&t, rt2).status(), 200);
}

#[test]
fn reusing_a_rotated_refresh_token_revokes_the_family() {
    let t = DevTenant::start().unwrap();
    let rt1 = tokens(&t, "openid offline_access", None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let rt2: Value = refresh(&t, &rt1).json().unwrap();
    let r = refresh(&t, &rt1);
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap()["error_description"],
        "Unknown or invalid refresh token."
    );
    assert_eq!(
        refresh(&t, rt2["refresh_token"].as_str().unwrap()).status(),
        403
    );
}

#[test]
fn revoke_invalidates_a_refresh_token() {
    let t = DevTenant::start().unwrap();
    let rt = tokens(&t, "openid offline_access", None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post_json(
        &client(),
        &format!("{}/oauth/revoke", t.domain()),
        &json!({"client_id": t.client_id(), "token": rt}),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(refresh(&t, &rt).status(), 403);
}
