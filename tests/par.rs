//! Pushed authorization requests (RFC 9126) against the dev tenant:
//! `authorize` and `popup.authorize` with `par`, the push's errors, and
//! `buildAuthorizeUrl` staying local.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::{ErrorKind, Interaction};
use common::Tenant;
use interactive::{form_action, hidden_inputs, post_form, query_param, PlainBrowser};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The form fields of the pushed requests the tenant logged.
fn pushes(t: &Tenant) -> Vec<BTreeMap<String, String>> {
    t.dev_get("requests?path=/oauth/par")
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/oauth/par")
        .map(|r| {
            assert_eq!(
                r["headers"]["content-type"],
                "application/x-www-form-urlencoded"
            );
            url::form_urlencoded::parse(r["body"].as_str().unwrap().as_bytes())
                .into_owned()
                .collect()
        })
        .collect()
}

/// The query keys of a URL, in order.
fn query_keys(url: &str) -> Vec<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect()
}

#[test]
fn authorize_with_par_opens_a_short_url_and_logs_in_through_parse_hash() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile", "par": true}));
    let req = web.authorize(&json!({"appState": {"page": 3}})).unwrap();
    assert_eq!(query_keys(&req.url), ["client_id", "request_uri"]);
    assert!(req.url.starts_with(&format!(
        "{}/authorize?client_id={}&",
        t.domain(),
        t.client_id()
    )));
    let request_uri = query_param(&req.url, "request_uri").unwrap();
    assert!(request_uri.starts_with("urn:ietf:params:oauth:request_uri:"));

    // What the URL would have carried went to /oauth/par instead.
    let pushed = &pushes(&t)[0];
    assert_eq!(pushed["client_id"], t.client_id());
    assert_eq!(pushed["state"], req.state);
    assert_eq!(pushed["nonce"], *req.nonce.as_ref().unwrap());
    assert_eq!(pushed["response_type"], "code");
    assert_eq!(pushed["redirect_uri"], "http://127.0.0.1:7777/callback");
    assert_eq!(pushed["code_challenge_method"], "S256");
    assert!(pushed.contains_key("code_challenge") && pushed.contains_key("auth0Client"));
    assert!(!pushed.contains_key("par"));
    let plain = t.web(json!({"scope": "openid profile"}));
    let unpushed = plain.authorize(&json!({"appState": {"page": 3}})).unwrap();
    let mut keys_without: Vec<String> = query_keys(&unpushed.url);
    let mut keys_with: Vec<String> = pushed.keys().cloned().collect();
    keys_without.sort();
    keys_with.sort();
    assert_eq!(keys_with, keys_without, "the same parameters as the URL");

    // A browser logs in on the short URL; the callback completes as ever
    // (state, nonce, PKCE verifier recorded as without PAR).
    let browser = PlainBrowser::new();
    let page = browser.get(&req.url);
    assert_eq!(page.status, 200, "{}", page.body);
    let answer = browser.submit_login(&req.url, &page.body, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let base = answer.url().to_string();
    let html = answer.text().unwrap();
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = post_form(&http, &form_action(&html, &base), &hidden_inputs(&html));
    let callback = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(callback.starts_with("http://127.0.0.1:7777/callback?code="));
    let result = web
        .parse_hash(&json!({ "hash": callback }))
        .unwrap()
        .unwrap();
    assert_eq!(result.id_token_payload.unwrap().subject(), TEST_USER_ID);
    assert_eq!(result.app_state, Some(json!({"page": 3})));

    // The request_uri is single use.
    assert_eq!(PlainBrowser::new().get(&req.url).status, 400);
}

#[test]
fn popup_authorize_with_par_per_call_completes_the_login() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let opened = Arc::new(Mutex::new(String::new()));
    let o = opened.clone();
    let interaction = Interaction::new().with_open_url(move |url| {
        *o.lock().unwrap() = url.to_owned();
        let url = url.to_owned();
        std::thread::spawn(move || {
            PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
        });
        Ok(())
    });
    let r = web
        .popup_authorize(
            &json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid",
                    "par": true}),
            &interaction,
        )
        .unwrap();
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    assert_eq!(
        query_keys(&opened.lock().unwrap()),
        ["client_id", "request_uri"]
    );
    let pushed = &pushes(&t)[0];
    assert!(pushed["redirect_uri"].starts_with("http://127.0.0.1:"));
    assert!(pushed.contains_key("code_challenge"));

    // par: false on the call wins over the handle's par: true.
    let web = t.web(json!({"par": true}));
    let req = web.authorize(&json!({"par": false})).unwrap();
    assert!(query_keys(&req.url).contains(&"state".to_owned()));
    assert_eq!(pushes(&t).len(), 1);
}

#[test]
fn errors_of_the_push_keep_the_servers_code_and_record_nothing() {
    let t = Tenant::start();
    let web = t.web(json!({"par": true, "redirectUri": "https://evil.example/callback"}));
    let e = web.authorize(&json!({"state": "s-evil"})).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status_code()),
        (ErrorKind::Server, "invalid_request", Some(400))
    );
    assert!(
        e.description().starts_with("Callback URL mismatch"),
        "{e:?}"
    );
    assert!(web.take_transaction("s-evil").unwrap().is_none());

    let other = auth0_native::WebAuth::new(&json!({"domain": t.domain(), "clientID": "nobody",
        "redirectUri": "http://127.0.0.1:7777/callback", "par": true}))
    .unwrap();
    let e = other.authorize(&json!({})).unwrap_err();
    assert_eq!((e.code(), e.status_code()), ("invalid_client", Some(401)));
}

#[test]
fn a_2xx_push_answer_without_request_uri_is_invalid_response_and_never_retried() {
    let t = Tenant::start();
    let web = t.web(json!({"par": true}));
    for body in [
        r#"{"expires_in":60}"#,
        r#"{"request_uri":"urn:ietf:params:oauth:request_uri:x"}"#,
        r#"{"request_uri":"","expires_in":60}"#,
    ] {
        t.fault(json!({"path": "/oauth/par", "status": 201, "body": body,
                       "content_type": "application/json"}));
        let e = web.authorize(&json!({"state": "s-bad"})).unwrap_err();
        assert_eq!(
            (e.code(), e.status_code()),
            ("invalid_response", Some(201)),
            "{body}"
        );
        assert!(web.take_transaction("s-bad").unwrap().is_none());
    }
    // A 503 is not retried: the server may have stored the request.
    let before = t
        .dev_get("requests?path=/oauth/par")
        .as_array()
        .unwrap()
        .len();
    t.fault(json!({"path": "/oauth/par", "status": 503}));
    let e = web.authorize(&json!({})).unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    let after = t
        .dev_get("requests?path=/oauth/par")
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after - before, 1);
}

#[test]
fn build_authorize_url_stays_local_and_refuses_par() {
    let t = Tenant::start();
    let web = t.web(json!({"par": true}));
    let url = web
        .client()
        .build_authorize_url(&json!({"state": "s"}))
        .unwrap();
    assert!(query_keys(&url).contains(&"redirect_uri".to_owned()));
    let e = web
        .client()
        .build_authorize_url(&json!({"state": "s", "par": true}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.description().starts_with("par option is not valid"));
    assert!(t
        .dev_get("requests?path=/oauth/par")
        .as_array()
        .unwrap()
        .is_empty());
    let e = auth0_native::WebAuth::new(&json!({"domain": t.domain(), "clientID": "c",
                                              "par": "yes"}))
    .unwrap_err();
    assert_eq!(e.description(), "par option is not valid");
}
