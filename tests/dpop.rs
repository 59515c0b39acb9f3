//! DPoP (RFC 9449) against the dev tenant: bound tokens, proofs on every
//! token request and on `userInfo`, the nonce retry, `jti`s, and the key's
//! export and import. A stolen access token alone must be refused.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::{AuthResult, DpopKey, Interaction, WebAuth};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{Tenant, CONNECTION};
use interactive::PlainBrowser;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn login(web: &WebAuth) -> AuthResult {
    web.client()
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION}),
        )
        .expect("login")
}

fn jwt_part(jwt: &str, i: usize) -> Value {
    let part = jwt.split('.').nth(i).expect("a JWS part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn access_token(r: &AuthResult) -> &str {
    r.access_token.as_ref().expect("access token").secret()
}

/// The requests the tenant logged at `path`, oldest first.
fn logged(t: &Tenant, path: &str) -> Vec<Value> {
    t.dev_get(&format!("requests?path={path}"))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == path)
        .cloned()
        .collect()
}

fn proofs(t: &Tenant, path: &str) -> Vec<String> {
    logged(t, path)
        .iter()
        .filter_map(|r| r["headers"]["dpop"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_dpop_login_binds_the_access_token_to_the_handles_key() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true, "scope": "openid"}));
    let key = web.dpop_key().expect("dpop: true generates a key");
    let r = login(&web);
    assert_eq!(r.token_type.as_deref(), Some("DPoP"));
    let claims = jwt_part(access_token(&r), 1);
    assert_eq!(claims["cnf"]["jkt"], key.thumbprint());

    let proof = &proofs(&t, "/oauth/token")[0];
    let (h, c) = (jwt_part(proof, 0), jwt_part(proof, 1));
    assert_eq!(
        (h["typ"].as_str(), h["alg"].as_str()),
        (Some("dpop+jwt"), Some("ES256"))
    );
    assert_eq!(h["jwk"], *key.public_jwk());
    assert_eq!(c["htm"], "POST");
    assert_eq!(c["htu"], format!("{}/oauth/token", t.domain()));
    assert!(c.get("ath").is_none(), "no access token on a token request");

    // Without the option nothing changes.
    let plain = t.web(json!({}));
    assert!(plain.dpop_key().is_none());
    assert_eq!(login(&plain).token_type.as_deref(), Some("Bearer"));
}

#[test]
fn user_info_sends_a_proof_and_a_stolen_token_alone_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true, "scope": "openid"}));
    let r = login(&web);
    let at = access_token(&r);
    let profile = web.client().user_info(at).unwrap();
    assert_eq!(profile.sub, TEST_USER_ID);
    let req = logged(&t, "/userinfo").pop().unwrap();
    assert!(req["headers"]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("DPoP "));
    let c = jwt_part(req["headers"]["dpop"].as_str().unwrap(), 1);
    let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(at.as_bytes()));
    assert_eq!(
        (c["htm"].as_str(), c["ath"].as_str()),
        (Some("GET"), Some(ath.as_str()))
    );
    assert_eq!(c["htu"], format!("{}/userinfo", t.domain()));

    // The thief has the token but not the key: as a Bearer token…
    let e = t.web(json!({})).client().user_info(at).unwrap_err();
    assert_eq!(e.status_code(), Some(401), "{e:?}");
    // …or with a proof signed by a key of their own.
    let thief = t.web(json!({"dpop": true}));
    let e = thief.client().user_info(at).unwrap_err();
    assert_eq!(e.status_code(), Some(401), "{e:?}");
    assert_ne!(
        thief.dpop_key().unwrap().thumbprint(),
        web.dpop_key().unwrap().thumbprint()
    );
}

#[test]
fn every_token_grant_carries_a_proof() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true, "scope": "openid offline_access"}));
    let first = login(&web);
    assert!(first.refresh_token.is_some());
    // The refresh token is bound too: the refresh grant needs the key.
    let renewed = web.renew_auth(&json!({})).unwrap();
    assert_eq!(renewed.token_type.as_deref(), Some("DPoP"));

    web.passwordless_start(&json!({"connection": "email", "send": "code",
                                   "email": "dpop@example.com"}))
        .unwrap();
    let mail = t.dev_get("outbox?to=dpop%40example.com");
    let code = mail.as_array().unwrap().last().unwrap()["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let otp = web
        .client()
        .passwordless_login(&json!({"connection": "email", "email": "dpop@example.com",
                                    "verificationCode": code}))
        .unwrap();
    assert_eq!(otp.token_type.as_deref(), Some("DPoP"));

    let token_requests = logged(&t, "/oauth/token");
    assert_eq!(token_requests.len(), 3);
    assert!(token_requests
        .iter()
        .all(|r| r["headers"]["dpop"].is_string()));
}

#[test]
fn the_code_exchange_of_a_popup_login_is_bound() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true}));
    let interaction = Interaction::new().with_open_url(|url| {
        let url = url.to_owned();
        std::thread::spawn(move || {
            PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
        });
        Ok(())
    });
    let r = web
        .popup_authorize(
            &json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid"}),
            &interaction,
        )
        .unwrap();
    assert_eq!(r.token_type.as_deref(), Some("DPoP"));
    assert_eq!(
        jwt_part(access_token(&r), 1)["cnf"]["jkt"],
        web.dpop_key().unwrap().thumbprint()
    );
    assert!(web.client().user_info(access_token(&r)).is_ok());
}

#[test]
fn a_nonce_challenge_is_answered_with_exactly_one_retry_and_remembered() {
    let t = Tenant::start();
    t.dev_post("settings", json!({"dpop_require_nonce": true}));
    let nonce = t.dev_get("dpop/nonce")["nonce"]
        .as_str()
        .unwrap()
        .to_owned();
    let web = t.web(json!({"dpop": true, "scope": "openid"}));
    let r = login(&web);
    assert_eq!(r.token_type.as_deref(), Some("DPoP"));
    let sent = proofs(&t, "/oauth/token");
    assert_eq!(sent.len(), 2, "the challenge, then one retry");
    assert!(jwt_part(&sent[0], 1).get("nonce").is_none());
    assert_eq!(jwt_part(&sent[1], 1)["nonce"], nonce);

    // Remembered: the next requests carry it at once.
    login(&web);
    web.client().user_info(access_token(&r)).unwrap();
    assert_eq!(proofs(&t, "/oauth/token").len(), 3);
    assert_eq!(proofs(&t, "/userinfo").len(), 1);

    // A rotated nonce: one more challenge, one more retry.
    let rotated = t.dev_post("dpop/nonce", json!({}))["nonce"]
        .as_str()
        .unwrap()
        .to_owned();
    login(&web);
    let sent = proofs(&t, "/oauth/token");
    assert_eq!(sent.len(), 5);
    assert_eq!(jwt_part(&sent[4], 1)["nonce"], rotated);
}

/// A server on 127.0.0.1 that answers every request with a
/// `use_dpop_nonce` challenge carrying a new nonce; counts the requests.
fn always_challenging() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let domain = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let n = c.fetch_add(1, Ordering::SeqCst);
            let answer = r#"{"error":"use_dpop_nonce","error_description":"nonce"}"#;
            let _ = write!(
                conn,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nDPoP-Nonce: n{n}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (domain, count)
}

#[test]
fn a_challenge_that_repeats_is_not_retried_again() {
    let (domain, count) = always_challenging();
    let web = WebAuth::new(&json!({"domain": domain, "clientID": "c", "dpop": true})).unwrap();
    let e = web
        .client()
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION}),
        )
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 2, "exactly one retry");
    assert_eq!((e.code(), e.status_code()), ("use_dpop_nonce", Some(400)));
    // Without DPoP the same answer is an ordinary error, never retried.
    let plain = WebAuth::new(&json!({"domain": domain, "clientID": "c"})).unwrap();
    let _ = plain.client().user_info("at").unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[test]
fn jtis_never_repeat() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true, "scope": "openid offline_access"}));
    let r = login(&web);
    for _ in 0..5 {
        web.client().user_info(access_token(&r)).unwrap();
    }
    web.renew_auth(&json!({})).unwrap();
    let all: Vec<String> = [proofs(&t, "/oauth/token"), proofs(&t, "/userinfo")].concat();
    assert_eq!(all.len(), 7);
    let jtis: HashSet<String> = all
        .iter()
        .map(|p| jwt_part(p, 1)["jti"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(jtis.len(), all.len());
}

#[test]
fn an_exported_key_imported_elsewhere_keeps_the_binding() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true, "scope": "openid"}));
    let r = login(&web);
    let exported = web.dpop_key().unwrap().to_pkcs8().unwrap();
    assert_eq!(format!("{exported:?}"), "DpopPrivateKey([redacted])");

    // By the option (the C and Python faces' way)…
    let by_option = t.web(json!({"dpopKey": exported.secret()}));
    assert_eq!(
        by_option.dpop_key().unwrap().thumbprint(),
        web.dpop_key().unwrap().thumbprint()
    );
    assert!(by_option.client().user_info(access_token(&r)).is_ok());
    // …or set on a handle in use.
    let later = t.web(json!({}));
    later.set_dpop_key(Some(DpopKey::from_pkcs8(&exported).unwrap()));
    assert!(later.client().user_info(access_token(&r)).is_ok());
    later.set_dpop_key(None);
    assert_eq!(
        later
            .client()
            .user_info(access_token(&r))
            .unwrap_err()
            .status_code(),
        Some(401)
    );

    let e = WebAuth::new(&json!({"domain": t.domain(), "clientID": t.client_id(),
                                 "dpopKey": "not-a-key"}))
    .unwrap_err();
    assert!(
        e.description().starts_with("dpopKey option is not valid"),
        "{e:?}"
    );
    assert!(!e.to_json().to_string().contains("not-a-key"));
    let e = WebAuth::new(&json!({"domain": t.domain(), "clientID": t.client_id(),
                                 "dpop": "yes"}))
    .unwrap_err();
    assert_eq!(e.description(), "dpop option is not valid");
}

#[test]
fn the_device_poll_is_bound_too() {
    let t = Tenant::start();
    let web = t.web(json!({"dpop": true}));
    let d = web.device_start(&json!({"scope": "openid"})).unwrap();
    PlainBrowser::new().activate(
        &t.domain(),
        &d.user_code,
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
        true,
    );
    let r = web
        .device_poll(&d, &auth0_native::CancelToken::new())
        .unwrap();
    assert_eq!(r.token_type.as_deref(), Some("DPoP"));
    assert_eq!(
        jwt_part(access_token(&r), 1)["cnf"]["jkt"],
        web.dpop_key().unwrap().thumbprint()
    );
    assert!(logged(&t, "/oauth/device/code")[0]["headers"]["dpop"].is_null());
}
