//! The typed options of the multi-step logins (passwordless start and
//! verify, device authorization, embedded login with credentials,
//! cross-origin login and renewAuth) send the requests of the JSON
//! options they stand for (issue 14). Split from the other typed-API tests
//! by API; the masking and log comparison are tests/common/typed_wire.rs.
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

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::*;
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};
use std::time::Duration;
use typed_wire::*;

fn outbox_code(t: &Tenant, to: &str) -> String {
    let out = t.dev_get(&format!("outbox?to={to}"));
    out.as_array().unwrap().last().expect("a message")["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn passwordless_start_and_verify_send_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let to = "pl@example.com";
        let sent = if typed {
            web.passwordless_start(&PasswordlessStartOptions {
                connection: "email".into(),
                send: "code".into(),
                email: Some(to.into()),
                auth_params: Some(AuthorizeOptions {
                    scope: Some("openid email".into()),
                    state: Some("as".into()),
                    nonce: Some("an".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .unwrap()
        } else {
            let raw = json_face::passwordless_start(
                &web,
                &json!({"connection": "email", "send": "code", "email": to,
                "authParams": {"scope": "openid email", "state": "as", "nonce": "an"}}),
            )
            .unwrap();
            let keys: Vec<&str> = raw
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(keys, ["Id", "email", "emailVerified"]);
            PasswordlessStartResult::try_from(&raw).unwrap()
        };
        assert_eq!(sent.email.as_deref(), Some(to));
        assert_eq!(sent.email_verified, Some(false));
        assert!(!sent.id.is_empty());
        let code = outbox_code(t, to);
        let result = if typed {
            web.passwordless_verify(&PasswordlessVerifyOptions {
                connection: "email".into(),
                email: Some(to.into()),
                verification_code: code.into(),
                response_type: Some("token id_token".into()),
                state: Some("vs".into()),
                nonce: Some("vn".into()),
                ..Default::default()
            })
        } else {
            web.passwordless_verify(&json!({"connection": "email", "email": to,
                "verificationCode": code, "responseType": "token id_token",
                "state": "vs", "nonce": "vn"}))
        };
        assert!(result.unwrap().access_token.is_some());
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &[
            "/passwordless/start",
            "/passwordless/verify",
            "/passwordless/verify_redirect",
        ],
    );
}

#[test]
fn passwordless_login_sends_the_same_otp_grant() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let to = "otp@example.com";
        web.passwordless_start(&json!({"connection": "email", "send": "code", "email": to,
            "authParams": {"state": "ss"}}))
            .unwrap();
        let code = outbox_code(t, to);
        if typed {
            web.client().passwordless_login(&PasswordlessLoginOptions {
                connection: "email".into(),
                email: Some(to.into()),
                verification_code: code.into(),
                scope: Some("openid".into()),
                ..Default::default()
            })
        } else {
            web.client()
                .passwordless_login(&json!({"connection": "email", "email": to,
                "verificationCode": code, "scope": "openid"}))
        }
        .unwrap();
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/oauth/token"]);
}

#[test]
fn device_start_and_poll_send_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let code = if typed {
            web.device_start(&DeviceStartOptions {
                scope: Some("openid offline_access".into()),
                ..Default::default()
            })
            .unwrap()
        } else {
            let raw =
                json_face::device_start(&web, &json!({"scope": "openid offline_access"})).unwrap();
            let keys: Vec<&str> = raw
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(
                keys,
                [
                    "device_code",
                    "user_code",
                    "verification_uri",
                    "verification_uri_complete",
                    "expires_in",
                    "interval",
                    "qr"
                ]
            );
            DeviceCode::try_from(&raw).unwrap()
        };
        assert_eq!(code.interval, Some(Duration::from_secs(5)));
        assert!(code.qr_svg.is_some() && code.qr_text.is_some());
        // Nobody activates it: one poll, then the bound ends the wait.
        let e = if typed {
            web.device_poll(
                &DevicePollOptions {
                    timeout: Some(Duration::from_millis(1500)),
                    interval: Some(Duration::from_secs(1)),
                    ..code.poll_options()
                },
                &CancelToken::new(),
            )
        } else {
            web.device_poll(
                &json!({"device_code": code.device_code, "interval": 1, "timeout": 1500}),
                &CancelToken::new(),
            )
        }
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout);
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &["/oauth/device/code", "/oauth/token"],
    );
}

#[test]
fn device_login_sends_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let mut shown = None;
        let cancel = CancelToken::new();
        // Nobody activates it: the first poll comes after the tenant's
        // 5 s interval, so a 1 s bound ends the wait before any poll.
        let e = if typed {
            let options = DeviceStartOptions {
                audience: Some("https://api.example".into()),
                timeout: Some(Duration::from_secs(1)),
                ..Default::default()
            };
            web.device_login(&options, &cancel, |code: &DeviceCode| {
                shown = Some(code.clone());
            })
        } else {
            let options = json!({"audience": "https://api.example", "timeout": 1000});
            json_face::device_login(&web, &options, &cancel, |started: &Value| {
                assert!(started["qr"]["svg"].is_string(), "{started}");
                shown = Some(DeviceCode::try_from(started).unwrap());
            })
        }
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert!(!shown.expect("the code was shown").user_code.is_empty());
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/oauth/device/code"]);
}

#[test]
fn login_with_credentials_sends_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token id_token");
        if typed {
            web.login_with_credentials(&LoginWithCredentialsOptions {
                connection: Some(CONNECTION.into()),
                username: TEST_USER_EMAIL.into(),
                password: TEST_USER_PASSWORD.into(),
                scope: Some("openid email".into()),
                state: Some("cs".into()),
                nonce: Some("cn".into()),
                extra: vec![("device".into(), "kiosk".into())],
                ..Default::default()
            })
        } else {
            web.login_with_credentials(&json!({"connection": CONNECTION,
                "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                "scope": "openid email", "state": "cs", "nonce": "cn", "device": "kiosk"}))
        }
        .unwrap();
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &["/usernamepassword/login"],
    );
}

#[test]
fn cross_origin_login_and_renew_auth_send_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token id_token");
        if typed {
            web.login(&HeadlessLoginOptions {
                realm: Some(CONNECTION.into()),
                username: TEST_USER_EMAIL.into(),
                password: TEST_USER_PASSWORD.into(),
                state: Some("ls".into()),
                nonce: Some("ln".into()),
                ..Default::default()
            })
            .unwrap();
            web.renew_auth(&RenewAuthOptions {
                scope: Some("openid email".into()),
                state: Some("rs".into()),
                nonce: Some("rn".into()),
                response_type: Some("token id_token".into()),
                timeout: Some(Duration::from_secs(20)),
                ..Default::default()
            })
            .unwrap();
        } else {
            web.login(&json!({"realm": CONNECTION, "username": TEST_USER_EMAIL,
                "password": TEST_USER_PASSWORD, "state": "ls", "nonce": "ln"}))
                .unwrap();
            web.renew_auth(
                &json!({"scope": "openid email", "state": "rs", "nonce": "rn",
                "responseType": "token id_token", "timeout": 20000}),
            )
            .unwrap();
        }
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &["/co/authenticate", "/authorize"],
    );
}
