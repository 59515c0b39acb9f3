//! The typed options of the URL builders and handles give the bytes of
//! the JSON options they stand for (issue 14): the same handle, URL,
//! transaction and missing-option error, offline, and a Debug that
//! redacts. The network operations are in tests/typed_api_*.rs by API;
//! the masking and log comparison are tests/common/typed_wire.rs.
//!
//! The typed options give the wire bytes of the JSON options they stand
//! for (issue 14): the same URLs for the URL builders, the same requests
//! (method, path, query, body, in order) in the dev tenant's log for the
//! network operations. Each network case runs the typed call on one fresh
//! tenant and the JSON call on another, then compares the two logs; only
//! the values each tenant makes up (codes, tickets, PKCE) are masked.
//! Where an operation answers a typed result, the JSON call goes through
//! `json_face` (what the C and Python layers call), whose answer must read
//! as the same typed result; an answer that does not fit the typed result
//! is an `invalid_response` error of the typed call only.

mod common;
#[path = "common/typed_wire.rs"]
mod typed_wire;

use auth0_native::*;
use common::CONNECTION;
use serde_json::{json, Value};
use std::time::Duration;
use typed_wire::*;

fn full_authorize() -> (AuthorizeOptions, Value) {
    let typed = AuthorizeOptions {
        audience: Some("https://other.example".into()),
        scope: Some("openid email".into()),
        response_type: Some("code".into()),
        client_id: Some("def".into()),
        redirect_uri: Some("com.example.app://other".into()),
        response_mode: Some("form_post".into()),
        state: Some("st".into()),
        nonce: Some("nn".into()),
        connection: Some("twitter".into()),
        prompt: Some("login".into()),
        login_hint: Some("ann@example.com".into()),
        max_age: Some(Duration::from_secs(600)),
        organization: Some("org_1".into()),
        invitation: Some("inv".into()),
        app_state: Some("back-to=/home".into()),
        pkce: Some(false),
        extra: vec![
            ("ui_locales".into(), "fr".into()),
            ("acr_values".into(), "mfa".into()),
        ],
        ..Default::default()
    };
    let json = json!({"audience": "https://other.example", "scope": "openid email",
        "responseType": "code", "clientID": "def", "redirectUri": "com.example.app://other",
        "responseMode": "form_post", "state": "st", "nonce": "nn", "connection": "twitter",
        "prompt": "login", "login_hint": "ann@example.com", "maxAge": 600,
        "organization": "org_1", "invitation": "inv", "appState": "back-to=/home",
        "pkce": false, "ui_locales": "fr", "acr_values": "mfa"});
    (typed, json)
}

#[test]
fn web_auth_options_give_the_json_handle() {
    let (typed, json) = offline();
    assert_eq!(
        serde_json::to_string(typed.base_options()).unwrap(),
        serde_json::to_string(json.base_options()).unwrap()
    );
    assert_eq!(typed.leeway(), 30);
}

#[test]
fn transaction_and_overrides_options_give_the_json_handle() {
    let dir = std::env::temp_dir().join(format!("typed-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tx.json");
    let typed = WebAuth::new(&WebAuthOptions {
        domain: "login.example.com".into(),
        client_id: "abc".into(),
        transaction: Some(ops::TransactionOptions {
            store: ops::TransactionStorage::File(Some(path.clone())),
            ttl: Some(Duration::from_secs(60)),
        }),
        overrides: Some(("me".into(), "https://me.auth0.com/".into())),
        ..Default::default()
    })
    .unwrap();
    let json = WebAuth::new(&json!({"domain": "login.example.com", "clientID": "abc",
        "transaction": {"store": "file", "path": path, "ttl": 60},
        "overrides": {"__tenant": "me", "__token_issuer": "https://me.auth0.com/"}}))
    .unwrap();
    assert_eq!(
        serde_json::to_string(typed.base_options()).unwrap(),
        serde_json::to_string(json.base_options()).unwrap()
    );
    assert_eq!(
        (typed.tenant(), typed.token_issuer()),
        ("me", "https://me.auth0.com/")
    );
    // Both handles share the file: a transaction one records, the other finds.
    let request = typed.authorize(&AuthorizeOptions::default()).unwrap();
    assert!(json.take_transaction(&request.state).unwrap().is_some());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn par_and_dpop_options_give_the_json_handle() {
    let key = DpopKey::generate().unwrap().to_pkcs8().unwrap();
    let typed = WebAuth::new(&WebAuthOptions {
        domain: "me.auth0.com".into(),
        client_id: "abc".into(),
        par: Some(true),
        dpop: Some(true),
        dpop_key: Some(key.clone()),
        ..Default::default()
    })
    .unwrap();
    let json = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "abc",
        "par": true, "dpop": true, "dpopKey": key.secret()}))
    .unwrap();
    assert_eq!(
        serde_json::to_string(typed.base_options()).unwrap(),
        serde_json::to_string(json.base_options()).unwrap()
    );
    let (typed_par, json_par) = (
        AuthorizeOptions {
            par: Some(true),
            ..Default::default()
        },
        json!({"par": true}),
    );
    let (a, b) = (
        typed.client().build_authorize_url(&typed_par).unwrap_err(),
        typed.client().build_authorize_url(&json_par).unwrap_err(),
    );
    assert_eq!(a.description(), b.description());
}

#[test]
fn build_authorize_url_is_the_same_url() {
    let (web, _) = offline();
    let (typed, json) = full_authorize();
    let url = web.client().build_authorize_url(&typed).unwrap();
    assert_eq!(url, web.client().build_authorize_url(&json).unwrap());
    assert!(url.ends_with("&ui_locales=fr&acr_values=mfa"), "{url}");
}

#[test]
fn authorize_is_the_same_url_and_transaction() {
    let (web, _) = offline();
    let (typed, json) = full_authorize();
    let a = web.authorize(&typed).unwrap();
    let b = web.authorize(&json).unwrap();
    assert_eq!(a, b);
    let (ta, tb) = (
        web.take_transaction("st").unwrap(),
        web.take_transaction("st"),
    );
    assert!(
        ta.is_some() && tb.unwrap().is_none(),
        "one transaction per state"
    );
}

#[test]
fn authorize_with_pkce_differs_only_in_the_challenge() {
    let (web, _) = offline();
    let typed = AuthorizeOptions {
        state: Some("s1".into()),
        nonce: Some("n1".into()),
        ..Default::default()
    };
    let a = web.authorize(&typed).unwrap();
    let b = web
        .authorize(&json!({"state": "s1", "nonce": "n1"}))
        .unwrap();
    let mask = |u: &str| mask_pairs(u.split_once('?').unwrap().1);
    assert!(a.url.contains("code_challenge="), "{}", a.url);
    assert_eq!(mask(&a.url), mask(&b.url));
}

#[test]
fn logout_is_the_same_url() {
    let (web, _) = offline();
    let typed = LogoutOptions {
        return_to: Some("https://app.example/bye".into()),
        client_id: Some("def".into()),
        federated: true,
        extra: vec![("lang".into(), "fr".into())],
        ..Default::default()
    };
    let url = web.logout(&typed).unwrap();
    let json = json!({"returnTo": "https://app.example/bye", "clientID": "def",
                      "federated": true, "lang": "fr"});
    assert_eq!(url, web.logout(&json).unwrap());
    assert_eq!(
        web.logout(&LogoutOptions::default()).unwrap(),
        web.logout(&json!({})).unwrap()
    );
}

#[test]
fn an_empty_required_field_is_the_json_faces_missing_option() {
    let (web, _) = offline();
    let e = web.client().login(&LoginOptions::default()).unwrap_err();
    let j = web.client().login(&json!({})).unwrap_err();
    assert_eq!(e.description(), "username option is required");
    assert_eq!(e.description(), j.description());
    let e = web.parse_hash(&ParseHashOptions::default()).unwrap();
    assert!(e.is_none(), "an empty hash is no answer, as in JSON");
}

#[test]
fn debug_of_typed_options_redacts_their_secrets() {
    let login = LoginOptions {
        username: "ann".into(),
        password: "hunter2-secret".into(),
        realm: CONNECTION.into(),
        ..Default::default()
    };
    let hash = ParseHashOptions {
        hash: "#access_token=at-secret".into(),
        ..Default::default()
    };
    let poll = DevicePollOptions {
        device_code: "dc-secret".into(),
        ..Default::default()
    };
    for d in [
        format!("{login:?}"),
        format!("{hash:?}"),
        format!("{poll:?}"),
    ] {
        assert!(!d.contains("secret"), "{d}");
    }
}
