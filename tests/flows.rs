//! Database, passwordless and headless redirect flows against the dev
//! tenant: signup, changePassword, passwordlessStart/Verify, the OTP grant,
//! loginWithCredentials, the cross-origin login, renewAuth and logout.

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::ErrorKind;
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};

fn credentials() -> Value {
    json!({"connection": CONNECTION, "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD})
}

fn last_body(t: &Tenant, path: &str) -> Value {
    let reqs = t.dev_get(&format!("requests?path={path}"));
    let last = reqs
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r["path"] == path)
        .expect("a request was logged")
        .clone();
    match &last["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
        other => other.clone(),
    }
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn outbox_code(t: &Tenant, to: &str) -> String {
    let out = t.dev_get(&format!("outbox?to={}", urlencode(to)));
    let msg = out
        .as_array()
        .unwrap()
        .last()
        .expect("a message in the outbox")
        .clone();
    msg["code"].as_str().expect("a code").to_owned()
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn signup_creates_a_user_and_sends_user_metadata_untouched() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web
        .signup(&json!({"connection": CONNECTION, "email": "new@example.com", "password": "Str0ng-Passw0rd!",
                        "username": "newbie", "userMetadata": {"favoriteColor": "blue"}}))
        .unwrap();
    assert_eq!(r.email, "new@example.com");
    // Read from `Id`: v8 camelCases the server's `_id`.
    assert!(!r.id.is_empty(), "{r:?}");
    assert_eq!(r.username.as_deref(), Some("newbie"));
    assert_eq!(r.email_verified, Some(false));
    let body = last_body(&t, "/dbconnections/signup");
    assert_eq!(
        keys(&body),
        [
            "client_id",
            "connection",
            "email",
            "password",
            "username",
            "user_metadata"
        ]
    );
    assert_eq!(body["user_metadata"], json!({"favoriteColor": "blue"}));
    // The new user can log in.
    let login = web.client().login(&json!({"username": "new@example.com", "password": "Str0ng-Passw0rd!", "realm": CONNECTION}));
    assert!(login.is_ok(), "{login:?}");
}

#[test]
fn signup_of_an_existing_user_is_user_exists() {
    let t = Tenant::start();
    let e = t.web(json!({}))
        .signup(&json!({"connection": CONNECTION, "email": TEST_USER_EMAIL, "password": "Str0ng-Passw0rd!"}))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status_code()),
        (ErrorKind::Server, "user_exists", Some(400))
    );
    assert!(e.original().is_some());
}

#[test]
fn signup_with_a_weak_password_is_a_password_policy_error() {
    let t = Tenant::start();
    let e = t
        .web(json!({}))
        .signup(&json!({"connection": CONNECTION, "email": "weak@example.com", "password": "abc"}))
        .unwrap_err();
    assert_eq!((e.code(), e.status_code()), ("invalid_password", Some(400)));
    assert!(
        !e.to_json().to_string().contains("\"abc\""),
        "the password is not echoed"
    );
}

#[test]
fn signup_requires_connection_email_and_password() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let e = web
        .signup(&json!({"email": "a@b.c", "password": "x"}))
        .unwrap_err();
    assert_eq!(e.description(), "connection option is required");
    let e = web
        .signup(&json!({"connection": CONNECTION, "password": "x"}))
        .unwrap_err();
    assert_eq!(e.description(), "email option is required");
    let e = web
        .signup(&json!({"connection": CONNECTION, "email": "a@b.c"}))
        .unwrap_err();
    assert_eq!(e.description(), "password option is required");
}

#[test]
fn change_password_sends_exactly_three_keys_and_returns_the_text() {
    let t = Tenant::start();
    let r = t
        .web(json!({}))
        .change_password(
            &json!({"connection": CONNECTION, "email": TEST_USER_EMAIL, "password": "ignored"}),
        )
        .unwrap();
    assert!(r.contains("reset your password"), "{r}");
    let body = last_body(&t, "/dbconnections/change_password");
    assert_eq!(keys(&body), ["client_id", "email", "connection"]);
}

#[test]
fn passwordless_start_sends_v8s_body_and_a_code_reaches_the_outbox() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token", "scope": "openid"}));
    let r = web
        .passwordless_start(
            &json!({"connection": "email", "send": "code", "email": "pl@example.com"}),
        )
        .unwrap();
    assert_eq!(r.email.as_deref(), Some("pl@example.com"));
    assert!(!r.id.is_empty(), "{r:?}");
    let body = last_body(&t, "/passwordless/start");
    assert_eq!(
        keys(&body),
        ["client_id", "connection", "send", "email", "authParams"]
    );
    assert_eq!(
        keys(&body["authParams"]),
        ["response_type", "redirect_uri", "scope", "state"]
    );
    assert!(outbox_code(&t, "pl@example.com").len() >= 6);
}

#[test]
fn passwordless_start_validates_send() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let e = web
        .passwordless_start(&json!({"connection": "email", "email": "a@b.c"}))
        .unwrap_err();
    assert_eq!(e.description(), "send option is required");
    let e = web
        .passwordless_start(&json!({"connection": "email", "send": "sms", "email": "a@b.c"}))
        .unwrap_err();
    assert_eq!(e.description(), "send is not valid ([link, code])");
}

#[test]
fn passwordless_verify_follows_the_redirect_into_an_auth_result() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token id_token", "scope": "openid email"}));
    web.passwordless_start(
        &json!({"connection": "email", "send": "code", "email": "otp@example.com"}),
    )
    .unwrap();
    let code = outbox_code(&t, "otp@example.com");
    let r = web
        .passwordless_verify(
            &json!({"connection": "email", "email": "otp@example.com", "verificationCode": code}),
        )
        .unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        "otp@example.com"
    );
    let body = last_body(&t, "/passwordless/verify");
    assert_eq!(keys(&body), ["connection", "verification_code", "email"]);
}

#[test]
fn passwordless_verify_with_a_wrong_code_fails_without_redirecting() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token"}));
    web.passwordless_start(
        &json!({"connection": "sms", "send": "code", "phoneNumber": "+15550001111"}),
    )
    .unwrap();
    let e = web
        .passwordless_verify(&json!({"connection": "sms", "phoneNumber": "+15550001111", "verificationCode": "000000x"}))
        .unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(403)));
    assert!(t
        .dev_get("requests?path=/passwordless/verify_redirect")
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_otp_grant_logs_in_directly_and_a_code_is_single_use() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid email"}));
    web.passwordless_start(
        &json!({"connection": "email", "send": "code", "email": "direct@example.com"}),
    )
    .unwrap();
    let code = outbox_code(&t, "direct@example.com");
    let opts =
        json!({"connection": "email", "email": "direct@example.com", "verificationCode": code});
    let r = web.client().passwordless_login(&opts).unwrap();
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        "direct@example.com"
    );
    let e = web.client().passwordless_login(&opts).unwrap_err();
    assert_eq!((e.code(), e.status_code()), ("invalid_grant", Some(403)));
}

#[test]
fn login_with_credentials_walks_the_form_and_returns_a_validated_result() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token id_token", "scope": "openid profile email"}));
    let r = web.login_with_credentials(&credentials()).unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
    let body = last_body(&t, "/usernamepassword/login");
    assert_eq!(
        keys(&body),
        [
            "client_id",
            "redirect_uri",
            "tenant",
            "response_type",
            "scope",
            "connection",
            "password",
            "username",
            "state",
            "nonce"
        ]
    );
}

#[test]
fn login_with_credentials_works_for_the_code_flow_with_pkce() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid", "pkce": true}));
    let r = web.login_with_credentials(&credentials()).unwrap();
    assert!(r.id_token_payload.is_some());
}

#[test]
fn login_with_credentials_with_a_wrong_password_is_an_error() {
    let t = Tenant::start();
    let mut c = credentials();
    c["password"] = json!("Wrong-Passw0rd-123");
    let e = t.web(json!({})).login_with_credentials(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.status_code().unwrap() >= 400);
    assert!(!e.to_json().to_string().contains("Wrong-Passw0rd-123"));
}

#[test]
fn cross_origin_login_uses_a_login_ticket() {
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token id_token", "scope": "openid"}));
    let r = web.login(&json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION})).unwrap();
    assert!(r.id_token.is_some());
    let body = last_body(&t, "/co/authenticate");
    assert_eq!(
        keys(&body),
        [
            "client_id",
            "username",
            "password",
            "realm",
            "credential_type"
        ]
    );
}

#[test]
fn cross_origin_login_with_a_wrong_password_is_refused() {
    let t = Tenant::start();
    let e = t
        .web(json!({}))
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": "nope-Nope-1", "realm": CONNECTION}),
        )
        .unwrap_err();
    assert_eq!(e.status_code(), Some(403));
}

#[test]
fn renew_auth_uses_the_session_left_by_a_credentials_login() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    web.login_with_credentials(&credentials()).unwrap();
    let r = web.renew_auth(&json!({})).unwrap();
    assert!(r.access_token.is_some());
    let authorize = t.dev_get("requests?path=/authorize");
    let last = authorize.as_array().unwrap().last().unwrap()["query"].to_string();
    assert!(
        last.contains("prompt=none") && last.contains("response_type=token"),
        "{last}"
    );
}

#[test]
fn renew_auth_without_a_session_is_login_required() {
    let t = Tenant::start();
    let e = t.web(json!({})).renew_auth(&json!({})).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Authorization, "login_required")
    );
    assert!(e.state().is_some());
}

#[test]
fn renew_auth_falls_back_to_a_held_refresh_token() {
    let t = Tenant::start();
    // A password-realm login leaves no SSO cookie, only a refresh token.
    let web = t.web(json!({"scope": "openid offline_access"}));
    let first = web.client().login(&json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION})).unwrap();
    assert!(first.refresh_token.is_some());
    let r = web.renew_auth(&json!({})).unwrap();
    assert!(r.access_token.is_some());
    assert_ne!(
        r.refresh_token, first.refresh_token,
        "rotation gave a new refresh token"
    );
    // And again, with the rotated token the handle now holds.
    assert!(web.renew_auth(&json!({})).is_ok());
}

#[test]
fn renew_auth_is_bounded_by_its_timeout() {
    let t = Tenant::start();
    t.fault(json!({"path": "/authorize", "latency_ms": 3000}));
    let started = std::time::Instant::now();
    let e = t
        .web(json!({}))
        .renew_auth(&json!({"timeout": 300}))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.description()),
        (
            ErrorKind::Timeout,
            "timeout",
            "Timeout during authentication renew."
        )
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

#[test]
fn logout_ends_the_handles_session() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid offline_access"}));
    web.login_with_credentials(&credentials()).unwrap();
    let url = web
        .logout(&json!({"returnTo": "http://127.0.0.1:7777/"}))
        .unwrap();
    assert!(url.contains("/v2/logout?"));
    let e = web.renew_auth(&json!({})).unwrap_err();
    assert_eq!(
        e.code(),
        "login_required",
        "no cookie and no refresh token are left"
    );
}

#[test]
fn headless_logout_ends_the_tenants_session() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    web.login_with_credentials(&credentials()).unwrap();
    web.logout(&json!({"headless": true})).unwrap();
    let logouts = t.dev_get("requests?path=/v2/logout");
    assert_eq!(logouts.as_array().unwrap().len(), 1);
    assert!(!logouts[0]["query"].to_string().contains("headless"));
}
