//! What the library sends: request bodies and queries keep auth0.js v8's
//! key order (read back from the dev tenant's request log), and arguments
//! a request cannot succeed without are refused before anything is sent,
//! with an error naming the parameter (issue 11, finding 10).

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::ErrorKind;
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};

fn logged(t: &Tenant, path: &str) -> Vec<Value> {
    t.dev_get(&format!("requests?path={path}"))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == path)
        .cloned()
        .collect()
}

/// The keys of the last JSON body sent to `path`, in the order sent.
fn body_keys(t: &Tenant, path: &str) -> Vec<String> {
    let last = logged(t, path).pop().expect("a request was logged");
    let body: Value = serde_json::from_str(last["body"].as_str().unwrap()).unwrap();
    body.as_object().unwrap().keys().cloned().collect()
}

/// The keys of the last query sent to `path`, in the order sent.
fn query_keys(t: &Tenant, path: &str) -> Vec<String> {
    let last = logged(t, path).pop().expect("a request was logged");
    url::form_urlencoded::parse(last["query"].as_str().unwrap_or("").as_bytes())
        .map(|(k, _)| k.into_owned())
        .filter(|k| k != "auth0Client")
        .collect()
}

#[test]
fn passwordless_start_with_auth_params_keeps_v8s_body_order() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token", "scope": "openid"}));
    web.passwordless_start(&json!({"connection": "email", "send": "code",
        "email": "order@example.com", "authParams": {"scope": "openid email"}}))
        .unwrap();
    assert_eq!(
        body_keys(&t, "/passwordless/start"),
        ["client_id", "connection", "send", "email", "authParams"]
    );
}

#[test]
fn login_with_credentials_by_email_keeps_v8s_body_order() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token id_token", "scope": "openid"}));
    web.login_with_credentials(&json!({"connection": CONNECTION, "email": TEST_USER_EMAIL,
        "password": TEST_USER_PASSWORD, "device": "kiosk"}))
        .unwrap();
    assert_eq!(
        body_keys(&t, "/usernamepassword/login"),
        [
            "client_id",
            "redirect_uri",
            "tenant",
            "response_type",
            "scope",
            "connection",
            "password",
            "device",
            "username",
            "state",
            "nonce"
        ]
    );
}

#[test]
fn cross_origin_login_keeps_the_callers_order_in_authorize() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token"}));
    web.login(
        &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
        "realm": CONNECTION, "scope": "openid", "connection": CONNECTION}),
    )
    .unwrap();
    let keys = query_keys(&t, "/authorize");
    let ours: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| ["realm", "scope", "connection", "login_ticket"].contains(k))
        .collect();
    assert_eq!(
        ours,
        ["realm", "scope", "connection", "login_ticket"],
        "{keys:?}"
    );
}

#[test]
fn renew_auth_drops_browser_options_without_reordering_the_query() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let _ = web.renew_auth(&json!({"usePostMessage": true}));
    assert_eq!(
        query_keys(&t, "/authorize"),
        [
            "client_id",
            "response_type",
            "redirect_uri",
            "response_mode",
            "state",
            "prompt"
        ]
    );
}

fn refused_before_sending(
    t: &Tenant,
    path: &str,
    r: Result<impl std::fmt::Debug, auth0_native::Error>,
    message: &str,
) {
    let e = r.unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (ErrorKind::InvalidArgument, message)
    );
    assert!(logged(t, path).is_empty(), "nothing reached {path}");
}

#[test]
fn cross_origin_login_without_a_password_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.login(&json!({"username": TEST_USER_EMAIL, "realm": CONNECTION}));
    refused_before_sending(&t, "/co/authenticate", r, "password option is required");
    let r = web.login(&json!({"username": TEST_USER_EMAIL, "password": 5}));
    refused_before_sending(&t, "/co/authenticate", r, "password option is required");
}

#[test]
fn passwordless_calls_name_the_recipient_their_connection_needs() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token"}));
    let verify = |o: Value| {
        let mut base = json!({"verificationCode": "123456"});
        base.as_object_mut()
            .unwrap()
            .extend(o.as_object().unwrap().clone());
        web.passwordless_verify(&base)
    };
    let r = verify(json!({"connection": "email"}));
    refused_before_sending(&t, "/passwordless/verify", r, "email option is required");
    let r = verify(json!({"connection": "email", "phoneNumber": "+15555550100"}));
    refused_before_sending(&t, "/passwordless/verify", r, "email option is required");
    let r = verify(json!({"connection": "sms", "email": "a@example.com"}));
    refused_before_sending(
        &t,
        "/passwordless/verify",
        r,
        "phoneNumber option is required",
    );
    let r = verify(json!({"connection": "custom"}));
    refused_before_sending(
        &t,
        "/passwordless/verify",
        r,
        "phoneNumber option is required",
    );

    let r = web.passwordless_start(&json!({"connection": "email", "send": "code"}));
    refused_before_sending(&t, "/passwordless/start", r, "email option is required");
    let r = web.passwordless_start(&json!({"connection": "sms", "send": "code"}));
    refused_before_sending(
        &t,
        "/passwordless/start",
        r,
        "phoneNumber option is required",
    );

    let r = web
        .client()
        .passwordless_login(&json!({"connection": "email", "verificationCode": "1"}));
    refused_before_sending(&t, "/oauth/token", r, "email option is required");
}
