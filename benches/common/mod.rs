//! Shared by the benches: an in-process dev tenant, tokens it signs, and
//! handles on it. Everything talks to 127.0.0.1 only.
#![allow(dead_code)]

use auth0_devtenant::DevTenant;
use auth0_native::WebAuth;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

pub const CONNECTION: &str = "Username-Password-Authentication";
pub const NONCE: &str = "bench-nonce-0123456789abcdef";
pub const ACCESS_TOKEN: &str = "bench-access-token-0123456789abcdefghijklmnopqrstuvwxyz";

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The left half of SHA-256, base64url (OIDC at_hash).
pub fn at_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16])
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A realistic RS256 id_token for `id_token token` (nonce, at_hash, profile
/// claims), signed by the tenant's current key, valid for an hour.
pub fn mint_id_token(tenant: &DevTenant) -> String {
    let claims = json!({
        "nonce": NONCE,
        "at_hash": at_hash(ACCESS_TOKEN),
        "iat": now() - 5,
        "auth_time": now() - 5,
        "exp": now() + 3600,
        "name": "Dev User", "nickname": "dev", "email": "dev@example.com",
        "email_verified": true, "picture": "https://example.com/dev.png",
        "updated_at": "2024-01-01T00:00:00.000Z",
    });
    let bytes = http()
        .post(format!("{}/__dev/sign", tenant.domain()))
        .header("Content-Type", "application/json")
        .body(json!({"claims": claims}).to_string())
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    let answer: Value = serde_json::from_slice(&bytes).unwrap();
    answer["token"].as_str().expect("token").to_owned()
}

/// The WebAuth options of a handle on `tenant`.
pub fn web_options(tenant: &DevTenant) -> Value {
    json!({"domain": tenant.domain(), "clientID": tenant.client_id(),
           "redirectUri": "http://127.0.0.1/callback", "responseType": "id_token token",
           "scope": "openid profile email"})
}

/// The tenant's JWKS document.
pub fn jwks(tenant: &DevTenant) -> Value {
    let bytes = http()
        .get(format!("{}/.well-known/jwks.json", tenant.domain()))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

pub fn web(tenant: &DevTenant) -> WebAuth {
    WebAuth::new(&web_options(tenant)).expect("handle")
}

/// The callback URL the app receives for `id_token token`.
pub fn callback(id_token: &str, state: &str) -> String {
    format!(
        "http://127.0.0.1/callback#access_token={ACCESS_TOKEN}&id_token={id_token}&token_type=Bearer&expires_in=7200&scope=openid%20profile%20email&state={state}"
    )
}

pub fn login_options() -> Value {
    json!({"username": auth0_devtenant::TEST_USER_EMAIL,
           "password": auth0_devtenant::TEST_USER_PASSWORD,
           "realm": CONNECTION, "scope": "openid profile email"})
}
