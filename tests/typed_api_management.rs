//! The typed options and results of the Management API client send the
//! requests of the JSON options they stand for and read its answers
//! (issue 14), and refuse what does not fit. Split from the other
//! typed-API tests by API; the masking and log comparison are
//! tests/common/typed_wire.rs.
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

use auth0_devtenant::{
    SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_EMAIL, TEST_USER_ID,
    TEST_USER_PASSWORD,
};
use auth0_native::*;
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};
use std::time::Duration;
use typed_wire::*;

#[test]
fn management_options_give_the_same_requests() {
    let run = |t: &Tenant, typed: bool| {
        let token = typed_web(t, "token")
            .client()
            .login(
                &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                "realm": CONNECTION, "audience": format!("{}/api/v2/", t.domain()),
                "scope": "openid read:current_user"}),
            )
            .unwrap()
            .access_token
            .unwrap();
        let m = if typed {
            Management::new(&ManagementOptions {
                domain: t.domain(),
                token,
                transport: TransportOptions {
                    timeout: Some(Duration::from_secs(5)),
                    ..Default::default()
                },
                ..Default::default()
            })
        } else {
            Management::new(
                &json!({"domain": t.domain(), "token": token.secret(), "timeout": 5000}),
            )
        }
        .unwrap();
        m.get_user(TEST_USER_ID).unwrap();
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/api/v2/users/"]);
}

/// A Management API token of `email` with the scopes of every call.
fn management_token(t: &Tenant, email: &str, password: &str) -> secret::AccessToken {
    typed_web(t, "token")
        .client()
        .login(&LoginOptions {
            username: email.into(),
            password: password.into(),
            realm: CONNECTION.into(),
            scope: Some(
                "openid read:current_user update:current_user_metadata \
                 update:current_user_identities"
                    .into(),
            ),
            audience: Some(format!("{}/api/v2/", t.domain())),
        })
        .unwrap()
        .access_token
        .unwrap()
}

fn management(t: &Tenant) -> Management {
    Management::new(&ManagementOptions {
        domain: t.domain(),
        token: management_token(t, TEST_USER_EMAIL, TEST_USER_PASSWORD),
        ..Default::default()
    })
    .unwrap()
}

/// Metadata as a Rust caller keeps it: any `Serialize` value.
#[derive(serde::Serialize)]
struct Preferences {
    theme: &'static str,
    lang: Option<&'static str>,
}

#[test]
fn management_calls_send_the_same_requests_and_read_as_users() {
    let run = |t: &Tenant, typed: bool| {
        let m = management(t);
        let secondary = typed_web(t, "token")
            .client()
            .login(&LoginOptions {
                username: SECOND_USER_EMAIL.into(),
                password: SECOND_USER_PASSWORD.into(),
                realm: CONNECTION.into(),
                scope: Some("openid".into()),
                ..Default::default()
            })
            .unwrap()
            .id_token
            .unwrap();
        let (provider, id) = SECOND_USER_ID.split_once('|').unwrap();
        let (user, patched, linked, left) = if typed {
            (
                m.get_user(TEST_USER_ID).unwrap(),
                m.patch_user_metadata(
                    TEST_USER_ID,
                    &Preferences {
                        theme: "dark",
                        lang: None,
                    },
                )
                .unwrap(),
                m.link_user(TEST_USER_ID, secondary.secret()).unwrap(),
                m.unlink_user(TEST_USER_ID, provider, id).unwrap(),
            )
        } else {
            let user = json_face::get_user(&m, TEST_USER_ID).unwrap();
            let patched = json_face::patch_user_metadata(
                &m,
                TEST_USER_ID,
                &json!({"theme": "dark", "lang": null}),
            )
            .unwrap();
            let linked = json_face::link_user(&m, TEST_USER_ID, secondary.secret()).unwrap();
            let left = json_face::unlink_user(&m, TEST_USER_ID, provider, id).unwrap();
            // The API's JSON, untouched: its own key names.
            assert_eq!(linked[1]["isSocial"], false);
            assert!(linked[1]["profileData"].is_object());
            (
                User::try_from(&user).unwrap(),
                User::try_from(&patched).unwrap(),
                serde_json::from_value(linked).unwrap(),
                serde_json::from_value(left).unwrap(),
            )
        };
        assert_eq!(user.user_id, TEST_USER_ID);
        assert_eq!(user.email.as_deref(), Some(TEST_USER_EMAIL));
        assert_eq!(user.identities.len(), 1);
        assert_eq!(
            Value::Object(patched.user_metadata.unwrap()),
            json!({"theme": "dark"})
        );
        let linked: Vec<Identity> = linked;
        assert_eq!(linked.len(), 2);
        assert_eq!(
            (linked[1].provider.as_str(), linked[1].user_id.as_str()),
            (provider, id)
        );
        assert_eq!(
            linked[1].profile_data.as_ref().unwrap()["email"],
            SECOND_USER_EMAIL
        );
        let left: Vec<Identity> = left;
        assert_eq!(left, linked[..1]);
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/api/v2/users/"]);
}

#[test]
fn metadata_that_is_not_an_object_is_refused_before_anything_is_sent() {
    let t = Tenant::start();
    let m = management(&t);
    let non_string_keys = std::collections::HashMap::from([((1, 2), "x")]);
    for e in [
        m.patch_user_metadata(TEST_USER_ID, &["dark"]).unwrap_err(),
        m.patch_user_metadata(TEST_USER_ID, "dark").unwrap_err(),
        m.patch_user_metadata(TEST_USER_ID, &non_string_keys)
            .unwrap_err(),
    ] {
        assert_eq!(
            (e.kind(), e.description()),
            (
                ErrorKind::InvalidArgument,
                "userMetadata parameter is not valid"
            )
        );
    }
    let e = m
        .patch_user_metadata(
            "",
            &Preferences {
                theme: "dark",
                lang: None,
            },
        )
        .unwrap_err();
    assert_eq!(e.description(), "userId parameter is not valid");
    assert!(t
        .dev_get("requests?path=/api/v2/users")
        .as_array()
        .unwrap()
        .is_empty());
}

/// The typed call's error for an answer that does not fit its result:
/// a `Server` error `invalid_response` naming the endpoint and the problem.
fn assert_invalid_response(e: Error, endpoint: &str, problem: &str) {
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Server, "invalid_response"),
        "{e}"
    );
    assert!(
        e.description().contains(endpoint) && e.description().contains(problem),
        "{endpoint} / {problem}: {e}"
    );
}

#[test]
fn answers_that_do_not_fit_the_typed_results_are_invalid_responses() {
    let t = Tenant::start();
    let web = typed_web(&t, "token");
    let at = web
        .client()
        .login(&LoginOptions {
            username: TEST_USER_EMAIL.into(),
            password: TEST_USER_PASSWORD.into(),
            realm: CONNECTION.into(),
            ..Default::default()
        })
        .unwrap()
        .access_token
        .unwrap();
    let m = management(&t);
    // The next request to `path` (by `method`) is answered 200 with `body`.
    let odd = |method: &str, path: &str, body: &str| {
        t.fault(json!({"method": method, "path": path, "body": body,
                       "content_type": "application/json"}));
    };
    let signup = SignupOptions {
        connection: CONNECTION.into(),
        email: "odd@example.com".into(),
        password: "a long passphrase 1!".into(),
        ..Default::default()
    };
    let passwordless = PasswordlessStartOptions {
        connection: "email".into(),
        send: "code".into(),
        email: Some("odd@example.com".into()),
        ..Default::default()
    };

    // Each: the typed call refuses the answer; the JSON face answers it
    // as it came (camelCased where auth0.js camelCases).
    let body = r#"{"email": "ann@example.com"}"#;
    odd("GET", "/userinfo", body);
    let e = web.client().user_info(at.secret()).unwrap_err();
    assert_invalid_response(e, "/userinfo", "missing field `sub`");
    odd("GET", "/userinfo", body);
    let raw = json_face::user_info(&web, at.secret(), &json!({})).unwrap();
    assert_eq!(raw, json!({"email": "ann@example.com"}));

    let body = r#"{"email": "odd@example.com", "email_verified": false}"#;
    odd("POST", "/dbconnections/signup", body);
    let e = web.signup(&signup).unwrap_err();
    assert_invalid_response(e, "/dbconnections/signup", "missing field `Id`");
    odd("POST", "/dbconnections/signup", body);
    let raw = json_face::signup(
        &web,
        &json!({"connection": CONNECTION,
        "email": "odd@example.com", "password": "a long passphrase 1!"}),
    )
    .unwrap();
    assert_eq!(
        raw,
        json!({"email": "odd@example.com", "emailVerified": false})
    );

    let body = r#"{"ticket": "t"}"#;
    let change = ChangePasswordOptions {
        connection: CONNECTION.into(),
        email: TEST_USER_EMAIL.into(),
        ..Default::default()
    };
    odd("POST", "/dbconnections/change_password", body);
    let e = web.change_password(&change).unwrap_err();
    assert_invalid_response(e, "/dbconnections/change_password", "text message");
    odd("POST", "/dbconnections/change_password", body);
    let raw = json_face::change_password(
        &web,
        &json!({"connection": CONNECTION,
        "email": TEST_USER_EMAIL}),
    )
    .unwrap();
    assert_eq!(raw, json!({"ticket": "t"}));

    let body = r#"{"_id": 5, "email": "odd@example.com"}"#;
    odd("POST", "/passwordless/start", body);
    let e = web.passwordless_start(&passwordless).unwrap_err();
    assert_invalid_response(e, "/passwordless/start", "expected a string");
    odd("POST", "/passwordless/start", body);
    let raw = json_face::passwordless_start(
        &web,
        &json!({"connection": "email",
        "send": "code", "email": "odd@example.com"}),
    )
    .unwrap();
    assert_eq!(raw, json!({"Id": 5, "email": "odd@example.com"}));

    // The device flow's start is checked in both faces: a poll needs it.
    let body = r#"{"device_code": "d", "user_code": 7, "verification_uri": "u"}"#;
    odd("POST", "/oauth/device/code", body);
    let e = web
        .device_start(&DeviceStartOptions::default())
        .unwrap_err();
    assert_invalid_response(e, "device code", "user_code");
    odd("POST", "/oauth/device/code", body);
    let e = json_face::device_start(&web, &json!({})).unwrap_err();
    assert_invalid_response(e, "device code", "user_code");

    let body = r#"{"email": "ann@example.com"}"#;
    odd("GET", "/api/v2/users/", body);
    let e = m.get_user(TEST_USER_ID).unwrap_err();
    assert_invalid_response(e, "/api/v2/users", "missing field `user_id`");
    odd("GET", "/api/v2/users/", body);
    let raw = json_face::get_user(&m, TEST_USER_ID).unwrap();
    assert_eq!(raw, json!({"email": "ann@example.com"}));

    let body = r#"{"user_id": "auth0|1", "user_metadata": "dark"}"#;
    odd("PATCH", "/api/v2/users/", body);
    let e = m
        .patch_user_metadata(TEST_USER_ID, &json!({"theme": "dark"}))
        .unwrap_err();
    assert_invalid_response(e, "/api/v2/users", "expected a map");
    odd("PATCH", "/api/v2/users/", body);
    let raw = json_face::patch_user_metadata(&m, TEST_USER_ID, &json!({"theme": "dark"})).unwrap();
    assert_eq!(raw["user_metadata"], "dark");

    let body = r#"{"identities": []}"#;
    odd("POST", "/api/v2/users/", body);
    let e = m.link_user(TEST_USER_ID, "x").unwrap_err();
    assert_invalid_response(e, "/identities", "expected a sequence");
    odd("POST", "/api/v2/users/", body);
    let raw = json_face::link_user(&m, TEST_USER_ID, "x").unwrap();
    assert_eq!(raw, json!({"identities": []}));

    let body = r#"[{"connection": "c", "provider": "p", "user_id": true}]"#;
    odd("DELETE", "/api/v2/users/", body);
    let e = m.unlink_user(TEST_USER_ID, "p", "1").unwrap_err();
    assert_invalid_response(e, "/identities", "expected a string or a whole number");
    odd("DELETE", "/api/v2/users/", body);
    let raw = json_face::unlink_user(&m, TEST_USER_ID, "p", "1").unwrap();
    assert_eq!(raw[0]["user_id"], true);
}
