//! Discovery, JWKS, the password-realm grant and /userinfo.
mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn openid_configuration_names_the_issuer_with_a_trailing_slash() {
    let t = DevTenant::start().unwrap();
    let v = discovery(&t);
    assert_eq!(v["issuer"], format!("{}/", t.domain()));
    assert_eq!(
        v["jwks_uri"],
        format!("{}/.well-known/jwks.json", t.domain())
    );
}

#[test]
fn jwks_lists_an_rs256_signing_key() {
    let t = DevTenant::start().unwrap();
    let v: Value = client()
        .get(format!("{}/.well-known/jwks.json", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let k = &v["keys"][0];
    assert_eq!(k["kty"], "RSA");
    assert_eq!(k["alg"], "RS256");
    assert_eq!(k["use"], "sig");
    assert!(k["kid"].is_string() && k["n"].is_string() && k["e"] == "AQAB");
}

#[test]
fn password_realm_issues_verifiable_id_token_with_oidc_claims() {
    let t = DevTenant::start().unwrap();
    let v = tokens(&t, "openid profile email", None);
    let id = v["id_token"].as_str().unwrap();
    assert!(verify_with_jwks(&t, id));
    let (h, c) = decode(id);
    assert_eq!(h["alg"], "RS256");
    assert!(h["kid"].is_string());
    assert_eq!(c["iss"], format!("{}/", t.domain()));
    assert_eq!(c["aud"], t.client_id());
    assert_eq!(c["azp"], t.client_id());
    assert_eq!(c["sub"], TEST_USER_ID);
    assert_eq!(c["email"], TEST_USER_EMAIL);
    assert!(c["name"].is_string() && c["exp"].as_u64() > c["iat"].as_u64());
    assert_eq!(v["token_type"], "Bearer");
    assert!(v.get("refresh_token").is_none());
}

#[test]
fn password_realm_accepts_a_form_encoded_body() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .post(format!("{}/oauth/token", t.domain()))
        .form(&[
            (
                "grant_type",
                "http://auth0.com/oauth/grant-type/password-realm",
            ),
            ("realm", DB_CONNECTION),
            ("client_id", t.client_id()),
            ("username", TEST_USER_EMAIL),
            ("password", TEST_USER_PASSWORD),
            ("scope", "openid"),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn no_id_token_without_openid_scope() {
    let t = DevTenant::start().unwrap();
    let v = tokens(&t, "profile", Some("https://api.example.com/"));
    assert!(v.get("id_token").is_none());
    let (_, c) = decode(v["access_token"].as_str().unwrap());
    assert_eq!(c["aud"], "https://api.example.com/");
}

#[test]
fn offline_access_adds_a_refresh_token() {
    let t = DevTenant::start().unwrap();
    assert!(tokens(&t, "openid offline_access", None)["refresh_token"].is_string());
}

#[test]
fn access_token_audience_includes_userinfo_with_openid() {
    let t = DevTenant::start().unwrap();
    let v = tokens(&t, "openid", Some("https://api.example.com/"));
    let (_, c) = decode(v["access_token"].as_str().unwrap());
    assert_eq!(
        c["aud"],
        json!([
            "https://api.example.com/",
            format!("{}/userinfo", t.domain())
        ])
    );
    assert_eq!(c["scope"], "openid");
}

#[test]
fn wrong_password_is_403_invalid_grant() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": TEST_USER_EMAIL, "password": "nope",
        }),
    );
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"error": "invalid_grant", "error_description": "Wrong email or password."})
    );
}

#[test]
fn unknown_client_is_rejected_as_unauthorized() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": "nope", "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
        }),
    );
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().unwrap()["error"], "access_denied");
}

#[test]
fn malformed_body_is_400_not_a_crash() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .post(format!("{}/oauth/token", t.domain()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().unwrap()["error"], "invalid_request");
}

#[test]
fn userinfo_returns_the_profile() {
    let t = DevTenant::start().unwrap();
    let at = tokens(&t, "openid profile email", None)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = client()
        .get(format!("{}/userinfo", t.domain()))
        .bearer_auth(at)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["sub"], TEST_USER_ID);
    assert_eq!(v["email"], TEST_USER_EMAIL);
    assert_eq!(v["email_verified"], true);
    assert!(v["nickname"].is_string() && v["picture"].is_string() && v["updated_at"].is_string());
}

#[test]
fn userinfo_rejects_a_bad_token_with_401() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(format!("{}/userinfo", t.domain()))
        .bearer_auth("abc.def.ghi")
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
}

#[test]
fn many_tenants_run_at_once_on_distinct_ports() {
    let a = DevTenant::start().unwrap();
    let b = DevTenant::start().unwrap();
    assert_ne!(a.port(), b.port());
    assert_eq!(a.domain(), format!("http://127.0.0.1:{}", a.port()));
    assert_eq!(a.client_id(), DEFAULT_CLIENT_ID);
    let ta = tokens(&a, "openid", None);
    assert!(!verify_with_jwks(&b, ta["id_token"].as_str().unwrap()));
}
