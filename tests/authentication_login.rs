//! `client.login`, `client.userInfo` and `parseHash` against the dev
//! tenant, over real HTTP on 127.0.0.1, and how a failing, slow or
//! misbehaving tenant comes back. `validateIdToken` is in
//! tests/authentication_id_token.rs, the callback's binding to its
//! transaction in tests/authentication_callbacks.rs.

#[path = "common/authn.rs"]
mod authn;
mod common;

use auth0_devtenant::TEST_USER_EMAIL;
use auth0_native::{ClaimValue, ErrorKind};
use authn::login_options;
use common::Tenant;
use serde_json::{json, Value};

#[test]
fn login_returns_tokens_and_a_verified_id_token_payload() {
    let t = Tenant::start();
    let r = t.web(json!({})).client().login(&login_options()).unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(r.token_type.as_deref(), Some("Bearer"));
    assert!(r.expires_in.unwrap() > 0);
    let payload = r.id_token_payload.expect("payload");
    assert_eq!(payload.additional_claims()["email"], TEST_USER_EMAIL);
    assert_eq!(payload.issuer(), format!("{}/", t.domain()));
    assert_eq!(payload.get("aud"), Some(ClaimValue::String(&t.client_id())));
}

#[test]
fn login_sends_v8s_body_and_the_telemetry_header() {
    let t = Tenant::start();
    let web = t.web(json!({"audience": "urn:test"}));
    web.client().login(&login_options()).unwrap();
    let reqs = t.dev_get("requests?path=/oauth/token");
    let last = reqs.as_array().unwrap().last().unwrap().clone();
    let body: Value = match &last["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "realm",
            "audience",
            "client_id",
            "scope",
            "grant_type",
            "username",
            "password"
        ]
    );
    assert_eq!(
        body["grant_type"],
        "http://auth0.com/oauth/grant-type/password-realm"
    );
    let headers = &last["headers"];
    let telemetry = headers["auth0-client"]
        .as_str()
        .expect("Auth0-Client header");
    assert!(
        telemetry.starts_with("eyJuYW1lIjoiYXV0aDAtbmF0aXZlIi"),
        "{telemetry}"
    );
}

#[test]
fn wrong_password_is_a_403_invalid_grant_that_never_echoes_the_password() {
    let t = Tenant::start();
    let mut o = login_options();
    o["password"] = json!("not-the-Passw0rd-xyz");
    let e = t.web(json!({})).client().login(&o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status_code(), Some(403));
    assert_eq!(e.code(), "invalid_grant");
    assert_eq!(e.description(), "Wrong email or password.");
    assert!(!e.to_json().to_string().contains("not-the-Passw0rd-xyz"));
}

#[test]
fn login_requires_username_password_and_realm_before_sending_anything() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for (missing, message) in [
        ("username", "username option is required"),
        ("password", "password option is required"),
        ("realm", "realm option is required"),
    ] {
        let mut o = login_options();
        o.as_object_mut().unwrap().shift_remove(missing);
        let e = web.client().login(&o).unwrap_err();
        assert_eq!(
            (e.kind(), e.description()),
            (ErrorKind::InvalidArgument, message)
        );
    }
    assert!(t
        .dev_get("requests?path=/oauth/token")
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn user_info_returns_the_profile() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.client().login(&login_options()).unwrap();
    let profile = web
        .client()
        .user_info(r.access_token.as_ref().unwrap().secret())
        .unwrap();
    assert_eq!(profile.email.as_deref(), Some(TEST_USER_EMAIL));
    assert!(profile.sub.starts_with("auth0|"), "{profile:?}");
}

#[test]
fn user_info_with_a_bad_token_is_a_401() {
    let t = Tenant::start();
    let e = t
        .web(json!({}))
        .client()
        .user_info("not-a-token")
        .unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(401)));
    let e = t.web(json!({})).client().user_info("").unwrap_err();
    assert_eq!(e.description(), "accessToken parameter is not valid");
}

#[test]
fn parse_hash_of_an_implicit_answer_returns_the_nine_keys() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile"}));
    let req = web
        .authorize(&json!({"responseType": "id_token token", "appState": {"to": "/home"}}))
        .unwrap();
    let callback = t.callback_for(&req.url);
    assert!(
        callback.starts_with("http://127.0.0.1:7777/callback#"),
        "{callback}"
    );
    let r = web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .expect("tokens");
    let j = serde_json::to_value(&r).unwrap();
    let mut keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accessToken",
            "appState",
            "expiresIn",
            "idToken",
            "idTokenPayload",
            "refreshToken",
            "scope",
            "state",
            "tokenType"
        ]
    );
    assert_eq!(r.state.as_deref(), Some(req.state.as_str()));
    assert_eq!(r.app_state, Some(json!({"to": "/home"})));
    assert_eq!(r.id_token_payload.unwrap().nonce(), req.nonce.as_deref());
}

#[test]
fn parse_hash_exchanges_a_code_with_the_pkce_verifier() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile email offline_access"}));
    let req = web.authorize(&json!({"pkce": true})).unwrap();
    let callback = t.callback_for(&req.url);
    assert!(callback.contains("code="), "{callback}");
    let r = web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .expect("tokens");
    assert!(r.access_token.is_some() && r.refresh_token.is_some());
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
}

#[test]
fn a_code_cannot_be_exchanged_without_its_verifier() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({"pkce": true})).unwrap();
    let callback = t.callback_for(&req.url);
    // Another handle has no transaction, hence no verifier and no state.
    let other = t.web(json!({}));
    let e = other
        .parse_hash(&json!({"hash": callback.clone(), "state": req.state}))
        .unwrap_err();
    assert_eq!((e.status_code(), e.code()), (Some(403), "invalid_grant"));
}

#[test]
fn parse_hash_refuses_an_unknown_or_replayed_state() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let callback = t.callback_for(&req.url);
    web.parse_hash(&json!({"hash": callback.clone()}))
        .unwrap()
        .unwrap();
    let e = web.parse_hash(&json!({"hash": callback})).unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (ErrorKind::InvalidToken, "`state` does not match.")
    );
    let e = web
        .parse_hash(&json!({"hash": "#access_token=x&state=forged"}))
        .unwrap_err();
    assert_eq!(e.description(), "`state` does not match.");
    let e = web
        .parse_hash(&json!({"hash": "#access_token=x"}))
        .unwrap_err();
    assert_eq!(e.description(), "`state` does not match.");
}

#[test]
fn parse_hash_reports_an_error_answer_with_its_state() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    web.authorize(&json!({"state": "s1"})).unwrap();
    let e = web
        .parse_hash(
            &json!({"hash": "#error=login_required&error_description=Login%20required&state=s1"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authorization);
    let j = e.to_json();
    assert_eq!(
        (
            j["error"].as_str(),
            j["errorDescription"].as_str(),
            j["state"].as_str()
        ),
        (Some("login_required"), Some("Login required"), Some("s1"))
    );
}

#[test]
fn parse_hash_without_tokens_is_none() {
    let t = Tenant::start();
    assert!(t
        .web(json!({}))
        .parse_hash(&json!({"hash": "#foo=bar"}))
        .unwrap()
        .is_none());
    let e = t.web(json!({})).parse_hash(&json!({})).unwrap_err();
    assert_eq!(e.description(), "hash option is required");
}

#[test]
fn an_unreachable_tenant_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let web = auth0_native::WebAuth::new(
        &json!({"domain": format!("http://127.0.0.1:{port}"), "clientID": "x"}),
    )
    .unwrap();
    let e = web.client().login(&login_options()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
}

#[test]
fn a_slow_tenant_is_a_timeout_error_within_the_bound() {
    let t = Tenant::start();
    t.fault(json!({"path": "/oauth/token", "latency_ms": 3000}));
    let web = t.web(json!({"timeout": 300}));
    let started = std::time::Instant::now();
    let e = web.client().login(&login_options()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

#[test]
fn an_oversized_answer_is_refused() {
    let t = Tenant::start();
    t.fault(json!({"path": "/userinfo", "oversize_bytes": 2_000_000}));
    let e = t.web(json!({})).client().user_info("x").unwrap_err();
    assert_eq!(e.code(), "response_too_large");
}

#[test]
fn a_redirect_from_the_token_endpoint_is_not_followed() {
    let t = Tenant::start();
    t.fault(json!({"path": "/oauth/token", "status": 302}));
    let e = t
        .web(json!({}))
        .client()
        .login(&login_options())
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status_code()),
        ("unexpected_redirect", Some(302))
    );
}

#[test]
fn an_access_token_with_a_control_character_is_an_invalid_argument_not_a_network_error() {
    let t = Tenant::start();
    let e = t.web(json!({})).client().user_info("a\nb").unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (
            ErrorKind::InvalidArgument,
            "accessToken parameter is not valid"
        )
    );
}
