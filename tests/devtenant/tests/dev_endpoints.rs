//! /__dev/ endpoints: outbox, key rotation, faults, signing, request log.
mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn outbox_can_be_cleared() {
    let t = DevTenant::start().unwrap();
    post_json(
        &client(),
        &format!("{}/passwordless/start", t.domain()),
        &json!({"client_id": t.client_id(), "connection": "email", "send": "code", "email": "o@example.com"}),
    );
    let url = format!("{}/__dev/outbox", t.domain());
    let out: Value = client().get(&url).send().unwrap().json().unwrap();
    assert_eq!(out[0]["kind"], "code");
    assert_eq!(out[0]["connection"], "email");
    assert!(out[0]["at"].is_string());
    client().delete(&url).send().unwrap();
    assert_eq!(
        client().get(&url).send().unwrap().json::<Value>().unwrap(),
        json!([])
    );
}

#[test]
fn rotated_keys_keep_the_old_key_in_the_jwks() {
    let t = DevTenant::start().unwrap();
    let old = tokens(&t, "openid", None)["id_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r: Value = client()
        .post(format!("{}/__dev/rotate-keys", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let new = tokens(&t, "openid", None)["id_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(decode(&new).0["kid"], r["kid"]);
    assert_ne!(decode(&new).0["kid"], decode(&old).0["kid"]);
    assert!(verify_with_jwks(&t, &old));
    assert!(verify_with_jwks(&t, &new));
}

#[test]
fn rotated_out_key_leaves_the_jwks_after_the_grace_period() {
    let t = DevTenant::start_with(Config {
        key_grace_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let old = tokens(&t, "openid", None)["id_token"]
        .as_str()
        .unwrap()
        .to_string();
    client()
        .post(format!("{}/__dev/rotate-keys", t.domain()))
        .send()
        .unwrap();
    assert!(!verify_with_jwks(&t, &old));
}

#[test]
fn status_fault_applies_to_the_next_n_requests_only() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(
            &json!({"path": "/.well-known/jwks.json", "count": 2, "status": 429, "retry_after": 2}),
        )
        .send()
        .unwrap();
    let url = format!("{}/.well-known/jwks.json", t.domain());
    let r = client().get(&url).send().unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_eq!(client().get(&url).send().unwrap().status(), 429);
    assert_eq!(client().get(&url).send().unwrap().status(), 200);
}

#[test]
fn faults_can_be_cleared() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(&json!({"path": "/userinfo", "count": 5, "status": 503}))
        .send()
        .unwrap();
    client()
        .delete(format!("{}/__dev/faults", t.domain()))
        .send()
        .unwrap();
    assert_eq!(
        client()
            .get(format!("{}/userinfo", t.domain()))
            .send()
            .unwrap()
            .status(),
        401
    );
}

#[test]
fn drop_fault_breaks_the_connection() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(&json!({"path": "/.well-known/jwks.json", "drop": true}))
        .send()
        .unwrap();
    let r = client()
        .get(format!("{}/.well-known/jwks.json", t.domain()))
        .send()
        .and_then(|r| r.bytes());
    assert!(r.is_err());
}

#[test]
fn truncate_fault_cuts_the_body_short() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(&json!({"path": "/.well-known/jwks.json", "truncate": true}))
        .send()
        .unwrap();
    let r = client()
        .get(format!("{}/.well-known/jwks.json", t.domain()))
        .send()
        .and_then(|r| r.bytes());
    assert!(r.is_err());
}

#[test]
fn oversize_fault_pads_the_body() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(&json!({"path": "/.well-known/jwks.json", "oversize_bytes": 100000}))
        .send()
        .unwrap();
    let b = client()
        .get(format!("{}/.well-known/jwks.json", t.domain()))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    assert!(b.len() > 100_000);
}

#[test]
fn latency_fault_delays_the_answer() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/__dev/faults", t.domain()))
        .json(&json!({"path": "/.well-known/jwks.json", "latency_ms": 300}))
        .send()
        .unwrap();
    let start = std::time::Instant::now();
    assert_eq!(
        client()
            .get(format!("{}/.well-known/jwks.json", t.domain()))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert!(start.elapsed() >= std::time::Duration::from_millis(300));
}

#[test]
fn sign_makes_tokens_with_the_current_key_and_overrides() {
    let t = DevTenant::start().unwrap();
    let r: Value = client()
        .post(format!("{}/__dev/sign", t.domain()))
        .json(&json!({"claims": {"aud": "someone-else", "exp": 1}}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let tok = r["token"].as_str().unwrap();
    assert!(verify_with_jwks(&t, tok));
    let (_, c) = decode(tok);
    assert_eq!(c["aud"], "someone-else");
    assert_eq!(c["exp"], 1);
    assert_eq!(c["iss"], format!("{}/", t.domain()));
}

#[test]
fn sign_with_hs256_header_makes_an_hs256_token() {
    let t = DevTenant::start().unwrap();
    let r: Value = client()
        .post(format!("{}/__dev/sign", t.domain()))
        .json(&json!({"header": {"alg": "HS256"}, "claims": {}}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let tok = r["token"].as_str().unwrap();
    assert_eq!(decode(tok).0["alg"], "HS256");
    assert!(!verify_with_jwks(&t, tok));
}

#[test]
fn sign_with_key_none_is_unsigned() {
    let t = DevTenant::start().unwrap();
    let r: Value = client()
        .post(format!("{}/__dev/sign", t.domain()))
        .json(&json!({"key": "none", "header": {"alg": "none"}}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(r["token"].as_str().unwrap().ends_with('.'));
}

#[test]
fn request_log_records_headers_and_body() {
    let t = DevTenant::start().unwrap();
    client()
        .post(format!("{}/oauth/token", t.domain()))
        .header("Auth0-Client", "eyJ4IjoxfQ==")
        .json(&json!({"client_id": "abc"}))
        .send()
        .unwrap();
    let v: Value = client()
        .get(format!("{}/__dev/requests?path=/oauth/token", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(v[0]["method"], "POST");
    assert_eq!(v[0]["headers"]["auth0-client"], "eyJ4IjoxfQ==");
    assert_eq!(v[0]["body"], "{\"client_id\":\"abc\"}");
}

#[test]
fn unknown_path_is_a_json_404() {
    let t = DevTenant::start().unwrap();
    let r = client().get(format!("{}/nope", t.domain())).send().unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().unwrap()["statusCode"], 404);
}

#[test]
fn cors_preflight_is_answered() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/co/authenticate", t.domain()),
        )
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
}
