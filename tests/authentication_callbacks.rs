//! Issue 11 against the dev tenant, over real HTTP on 127.0.0.1: a
//! callback (`parseHash`) is bound to its transaction (state, nonce,
//! response type, redirect URI, issuer, bounded error text), and a
//! transient failure does not end the login. Split from
//! tests/authentication_login.rs (login, userInfo, parseHash).

#[path = "common/authn.rs"]
mod authn;
mod common;

use auth0_native::ErrorKind;
use authn::login_options;
use common::Tenant;
use serde_json::json;

// ---- issue 11: the callback is bound to its transaction ------------------

/// The state and the callback the tenant answers for a code + PKCE login.
fn code_login(t: &Tenant, web: &auth0_native::WebAuth) -> (String, String) {
    let req = web.authorize(&json!({})).unwrap();
    (req.state.clone(), t.callback_for(&req.url))
}

fn invalid_token(e: auth0_native::Error) -> String {
    assert_eq!(e.kind(), ErrorKind::InvalidToken, "{e:?}");
    e.description().to_owned()
}

#[test]
fn a_code_flow_refuses_an_injected_access_token() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!("#access_token=X&state={}", req.state)}))
        .unwrap_err();
    let msg = invalid_token(e);
    assert!(
        msg.contains("`code`") && msg.contains("`access_token`"),
        "{msg}"
    );
}

#[test]
fn a_code_flow_refuses_an_injected_id_token_without_a_nonce() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({})).unwrap();
    // A well-signed token of the tenant, but of the attacker's own login.
    let forged = t.sign(json!({"sub": "auth0|attacker"}), json!({}));
    let e = web
        .parse_hash(&json!({"hash": format!("#id_token={forged}&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
}

#[test]
fn a_code_flow_with_openid_sends_a_nonce_and_checks_it_after_the_exchange() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile"}));
    let req = web.authorize(&json!({})).unwrap();
    let nonce = req
        .nonce
        .clone()
        .expect("a nonce for a code flow with openid");
    assert!(req.url.contains(&format!("&nonce={nonce}")), "{}", req.url);
    let r = web
        .parse_hash(&json!({"hash": t.callback_for(&req.url)}))
        .unwrap()
        .unwrap();
    assert_eq!(r.id_token_payload.unwrap().nonce(), Some(nonce.as_str()));
}

#[test]
fn an_implicit_flow_refuses_a_code_and_extra_tokens() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!("#code=c&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!(
            "#access_token=a&refresh_token=r&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
}

#[test]
fn a_callback_to_another_redirect_uri_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (_, callback) = code_login(&t, &web);
    let elsewhere = callback.replace("127.0.0.1:7777/callback", "127.0.0.1:7777/other");
    let e = web.parse_hash(&json!({"hash": elsewhere})).unwrap_err();
    assert!(invalid_token(e).contains("redirectUri"));
}

#[test]
fn a_duplicated_callback_parameter_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (state, callback) = code_login(&t, &web);
    let e = web
        .parse_hash(&json!({"hash": format!("{callback}&state={state}")}))
        .unwrap_err();
    assert!(invalid_token(e).contains("repeats the `state`"));
}

#[test]
fn an_rfc9207_iss_must_be_the_tenants() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (_, callback) = code_login(&t, &web);
    let e = web
        .parse_hash(&json!({"hash": format!("{callback}&iss=https%3A%2F%2Fevil.example%2F")}))
        .unwrap_err();
    assert!(invalid_token(e).contains("`iss`"));
    let (_, callback) = code_login(&t, &web);
    let iss =
        url::form_urlencoded::byte_serialize(web.token_issuer().as_bytes()).collect::<String>();
    let r = web.parse_hash(&json!({"hash": format!("{callback}&iss={iss}")}));
    assert!(r.unwrap().is_some());
}

#[test]
fn an_error_answer_with_an_unknown_state_is_invalid_token() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for hash in [
        "#error=access_denied&state=never-issued",
        "#error=access_denied",
    ] {
        let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
        assert_eq!(invalid_token(e), "`state` does not match.");
    }
}

#[test]
fn an_error_answer_consumes_its_transaction() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({})).unwrap();
    let hash = format!("#error=access_denied&state={}", req.state);
    let e = web.parse_hash(&json!({"hash": hash.clone()})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authorization);
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(invalid_token(e), "`state` does not match.");
}

#[test]
fn error_text_from_the_callback_is_bounded_and_has_no_control_characters() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({})).unwrap();
    let long = "x".repeat(5000);
    let hash = format!(
        "#error=bad%0D%0Acode&error_description=line%0Anext%1B[31m{long}&state={}",
        req.state
    );
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(e.code(), "badcode");
    assert!(
        !e.description().chars().any(char::is_control),
        "{:?}",
        e.description()
    );
    assert!(
        e.description().chars().count() <= 513,
        "{}",
        e.description().len()
    );
}

#[test]
fn an_oversized_callback_is_refused_before_it_is_decoded() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let hash = format!("#access_token={}&state=s", "%41".repeat(30_000));
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.description().starts_with("hash option is not valid"));
}

#[test]
fn user_info_can_check_the_sub_of_the_id_token() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.client().login(&login_options()).unwrap();
    let at = r.access_token.unwrap().into_secret();
    let sub = r.id_token_payload.unwrap().subject().to_owned();
    let p = web
        .client()
        .user_info_with(&at, &json!({"sub": sub}))
        .unwrap();
    assert_eq!(p.sub, sub);
    let e = web
        .client()
        .user_info_with(&at, &json!({"sub": "auth0|someone-else"}))
        .unwrap_err();
    assert!(invalid_token(e).contains("`sub`"));
    let e = web
        .client()
        .user_info_with(&at, &json!({"sub": 5}))
        .unwrap_err();
    assert_eq!(e.description(), "sub option is not valid");
}

// ---- issue 11: a transient failure does not end the login ----------------

#[test]
fn a_dropped_code_exchange_can_be_retried_with_the_same_callback() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "drop": true}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e:?}");
    let r = web.parse_hash(&json!({"hash": callback})).unwrap().unwrap();
    assert!(r.access_token.is_some());
}

#[test]
fn a_503_of_the_code_exchange_can_be_retried() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "status": 503}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    assert!(web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .is_some());
}

#[test]
fn a_jwks_failure_of_an_implicit_answer_can_be_retried() {
    let t = Tenant::start();
    // No retries, so one faulted answer fails the fetch.
    let web = t.web(json!({"scope": "openid", "retry": false}));
    let req = web.authorize(&json!({"responseType": "id_token"})).unwrap();
    let callback = t.callback_for(&req.url);
    t.fault(json!({"path": "/.well-known/jwks.json", "status": 503}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    // Within the JWKS cache's failure window the same error comes back
    // without a request — and it is the 503 again, not "`state` does not
    // match.": the transaction was given back.
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503), "{e:?}");
    // Once the window is over the tenant is asked again, and the same
    // callback logs the user in.
    std::thread::sleep(std::time::Duration::from_millis(5_200));
    assert!(web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .is_some());
}

#[test]
fn a_code_the_server_refused_is_not_given_back() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "status": 400}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(400));
    let e = web.parse_hash(&json!({"hash": callback})).unwrap_err();
    assert_eq!(invalid_token(e), "`state` does not match.");
}
