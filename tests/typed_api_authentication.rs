//! The typed options of the single-call Authentication API operations
//! (popup authorize, login, userInfo, parseHash, validateIdToken, signup,
//! changePassword) send the requests of the JSON options they stand for
//! (issue 14). Split from the other typed-API tests by API; the masking
//! and log comparison are tests/common/typed_wire.rs.
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

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::*;
use common::{Tenant, CONNECTION};
use serde_json::json;
use std::time::Duration;
use typed_wire::*;

#[test]
fn popup_authorize_opens_the_same_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let opened = |web: &WebAuth, options: &dyn Fn(&WebAuth, &Interaction) -> Result<AuthResult>| {
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let interaction = Interaction::new().with_open_url(move |url| {
            tx.lock().unwrap().send(url.to_owned()).unwrap();
            Err("no browser in this test".into())
        });
        let e = options(web, &interaction).unwrap_err();
        assert_eq!(e.code(), "browser_open_failed");
        let url: String = rx.recv().unwrap();
        mask_pairs(url.split_once('?').unwrap().1)
    };
    let (web, _) = offline();
    let typed = AuthorizeOptions {
        redirect_uri: Some("http://127.0.0.1:0/callback".into()),
        ports: vec![port],
        state: Some("sp".into()),
        nonce: Some("np".into()),
        timeout: Some(Duration::from_secs(5)),
        success_html: Some("<p>ok</p>".into()),
        ..Default::default()
    };
    let json = json!({"redirectUri": "http://127.0.0.1:0/callback", "ports": [port],
        "state": "sp", "nonce": "np", "timeout": 5000, "successHtml": "<p>ok</p>"});
    let a = opened(&web, &|w, i| w.popup_authorize(&typed, i));
    let b = opened(&web, &|w, i| w.popup_authorize(&json, i));
    assert!(
        a.contains(&format!("127.0.0.1%3A{port}")) || a.contains(&format!("127.0.0.1:{port}")),
        "{a}"
    );
    assert_eq!(a, b);
}

#[test]
fn client_login_sends_the_same_token_request() {
    let login = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let r = if typed {
            web.client().login(&LoginOptions {
                username: TEST_USER_EMAIL.into(),
                password: TEST_USER_PASSWORD.into(),
                realm: CONNECTION.into(),
                scope: Some("openid email".into()),
                audience: Some(format!("{}/api/v2/", t.domain())),
            })
        } else {
            web.client().login(&json!({"username": TEST_USER_EMAIL,
                "password": TEST_USER_PASSWORD, "realm": CONNECTION,
                "scope": "openid email", "audience": format!("{}/api/v2/", t.domain())}))
        };
        let r = r.unwrap();
        assert_eq!(r.claims().expect("typed claims").subject(), TEST_USER_ID);
    };
    same_wire(|t| login(t, true), |t| login(t, false), &["/oauth/token"]);
}

#[test]
fn user_info_sends_the_same_request_and_reads_as_a_profile() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let at = web
            .client()
            .login(
                &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                           "realm": CONNECTION, "scope": "openid email"}),
            )
            .unwrap()
            .access_token
            .unwrap();
        let profile = if typed {
            web.client()
                .user_info_with(
                    at.secret(),
                    &UserInfoOptions {
                        sub: Some(TEST_USER_ID.into()),
                    },
                )
                .unwrap()
        } else {
            let raw =
                json_face::user_info(&web, at.secret(), &json!({"sub": TEST_USER_ID})).unwrap();
            assert_eq!(
                raw["email"], TEST_USER_EMAIL,
                "keys as the server sent them"
            );
            UserProfile::try_from(&raw).unwrap()
        };
        assert_eq!(profile.sub, TEST_USER_ID);
        assert_eq!(profile.email.as_deref(), Some(TEST_USER_EMAIL));
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/userinfo"]);
}

#[test]
fn parse_hash_of_a_code_callback_sends_the_same_exchange() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "code");
        let request = web
            .authorize(&AuthorizeOptions {
                state: Some("ps".into()),
                nonce: Some("pn".into()),
                ..Default::default()
            })
            .unwrap();
        let callback = t.callback_for(&request.url);
        let result = if typed {
            web.parse_hash(&ParseHashOptions {
                hash: callback,
                ..Default::default()
            })
        } else {
            web.parse_hash(&json!({"hash": callback}))
        };
        let result = result.unwrap().expect("a result");
        assert_eq!(result.claims().unwrap().nonce(), Some("pn"));
    };
    same_wire(|t| run(t, true), |t| run(t, false), &["/oauth/token"]);
}

#[test]
fn validate_id_token_reads_the_same_options() {
    let t = Tenant::start();
    let web = typed_web(&t, "token");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = t.sign(json!({"nonce": "vn", "auth_time": now}), json!({}));
    let typed = ValidateIdTokenOptions {
        nonce: Some("vn".into()),
        max_age: Some(Duration::from_secs(3600)),
        ..Default::default()
    };
    let a = web.validate_id_token(&token, &typed).unwrap();
    let b = web
        .validate_id_token(&token, &json!({"nonce": "vn", "maxAge": 3600}))
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.nonce(), Some("vn"));
    let wrong = ValidateIdTokenOptions {
        nonce: Some("other".into()),
        ..Default::default()
    };
    assert_eq!(
        web.validate_id_token(&token, &wrong)
            .unwrap_err()
            .description(),
        web.validate_id_token(&token, &json!({"nonce": "other"}))
            .unwrap_err()
            .description()
    );
}

#[test]
fn validate_id_token_checks_the_same_organization() {
    let t = Tenant::start();
    let web = typed_web(&t, "token");
    let token = t.sign(json!({"org_id": "org_1"}), json!({}));
    let typed = |org: &str| ValidateIdTokenOptions {
        organization: Some(org.into()),
        ..Default::default()
    };
    let ok = web.validate_id_token(&token, &typed("org_1")).unwrap();
    assert_eq!(ok.org_id(), Some("org_1"));
    let a = web.validate_id_token(&token, &typed("org_2")).unwrap_err();
    let b = web
        .validate_id_token(&token, &json!({"organization": "org_2"}))
        .unwrap_err();
    assert_eq!((a.kind(), a.description()), (b.kind(), b.description()));
}

#[test]
fn signup_sends_the_same_body() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let user = if typed {
            web.signup(&SignupOptions {
                connection: CONNECTION.into(),
                email: "typed@example.com".into(),
                password: "a long passphrase 1!".into(),
                username: Some("typed".into()),
                user_metadata: vec![("plan".into(), "silver".into()), ("a".into(), "b".into())],
                extra: vec![("given_name".into(), "Ty".into())],
            })
            .unwrap()
        } else {
            let raw = json_face::signup(
                &web,
                &json!({"connection": CONNECTION, "email": "typed@example.com",
                "password": "a long passphrase 1!", "username": "typed",
                "userMetadata": {"plan": "silver", "a": "b"}, "given_name": "Ty"}),
            )
            .unwrap();
            let keys: Vec<&str> = raw
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(keys, ["Id", "emailVerified", "email", "username"]);
            SignupResult::try_from(&raw).unwrap()
        };
        assert!(!user.id.is_empty());
        assert_eq!(
            (user.email.as_str(), user.username.as_deref()),
            ("typed@example.com", Some("typed"))
        );
        assert_eq!(user.email_verified, Some(false));
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &["/dbconnections/signup"],
    );
}

#[test]
fn change_password_sends_the_same_body() {
    let run = |t: &Tenant, typed: bool| {
        let web = typed_web(t, "token");
        let message = if typed {
            web.change_password(&ChangePasswordOptions {
                connection: CONNECTION.into(),
                email: TEST_USER_EMAIL.into(),
                ..Default::default()
            })
            .unwrap()
        } else {
            let raw = json_face::change_password(
                &web,
                &json!({"connection": CONNECTION, "email": TEST_USER_EMAIL}),
            )
            .unwrap();
            raw.as_str().expect("the text as a JSON string").to_owned()
        };
        assert!(message.contains("reset your password"), "{message}");
    };
    same_wire(
        |t| run(t, true),
        |t| run(t, false),
        &["/dbconnections/change_password"],
    );
}
