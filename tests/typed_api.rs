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

use auth0_devtenant::{
    SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_EMAIL, TEST_USER_ID,
    TEST_USER_PASSWORD,
};
use auth0_native::*;
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};
use std::time::Duration;

const REDIRECT: &str = "http://127.0.0.1:7777/callback";

/// Values a tenant or the library makes up afresh on every run.
const MADE_UP: &[&str] = &[
    "code",
    "code_verifier",
    "code_challenge",
    "login_ticket",
    "co_verifier",
    "co_id",
    "otp",
    "verification_code",
    "device_code",
    "wresult",
    "wctx",
    // An id_token, signed with each tenant's own key.
    "link_with",
];

fn mask_pairs(s: &str) -> String {
    url::form_urlencoded::parse(s.as_bytes())
        .map(|(k, v)| {
            let v = if MADE_UP.contains(&k.as_ref()) {
                "*".into()
            } else {
                v.into_owned()
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_json(v: &mut Value) {
    if let Value::Object(m) = v {
        for (k, v) in m.iter_mut() {
            if MADE_UP.contains(&k.as_str()) {
                *v = json!("*");
            } else {
                mask_json(v);
            }
        }
    }
}

/// The tenant's request log: method, path, query and body of each
/// request, the tenant's own origin and made-up values masked.
fn wire(t: &Tenant) -> Vec<Value> {
    let domain = t.domain();
    let log = t.dev_get("requests");
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["path"].as_str().unwrap().starts_with("/__dev"))
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or("").replace(&domain, "DOMAIN");
            let body = text("body");
            let body = match serde_json::from_str::<Value>(&body) {
                Ok(mut v) => {
                    mask_json(&mut v);
                    v.to_string()
                }
                Err(_) if body.contains('=') => mask_pairs(&body),
                Err(_) => body,
            };
            json!({"method": r["method"], "path": r["path"],
                   "query": mask_pairs(&text("query")), "body": body})
        })
        .collect()
}

/// Runs `typed` and `json` on a fresh tenant each; their logs must match,
/// and the typed run's log must hold a request to each path `check` starts
/// (a case that sent nothing proves nothing).
fn same_wire(typed: impl FnOnce(&Tenant), json: impl FnOnce(&Tenant), check: &[&str]) {
    let a = Tenant::start();
    typed(&a);
    let b = Tenant::start();
    json(&b);
    let (wa, wb) = (wire(&a), wire(&b));
    for path in check {
        assert!(
            wa.iter()
                .any(|r| r["path"].as_str().unwrap().starts_with(path)),
            "no {path} in {wa:#?}"
        );
    }
    assert_eq!(wa, wb);
}

fn typed_web(t: &Tenant, response_type: &str) -> WebAuth {
    WebAuth::new(&WebAuthOptions {
        domain: t.domain(),
        client_id: t.client_id(),
        redirect_uri: Some(REDIRECT.into()),
        response_type: Some(response_type.into()),
        scope: Some("openid profile".into()),
        ..Default::default()
    })
    .unwrap()
}

fn offline() -> (WebAuth, WebAuth) {
    let typed = WebAuth::new(&WebAuthOptions {
        domain: "me.auth0.com".into(),
        client_id: "abc".into(),
        redirect_uri: Some("com.example.app://callback".into()),
        scope: Some("openid".into()),
        audience: Some("https://api.example".into()),
        response_mode: Some("query".into()),
        organization: Some("org_x".into()),
        leeway: Some(Duration::from_secs(30)),
        send_telemetry: Some(false),
        transport: TransportOptions {
            timeout: Some(Duration::from_millis(1500)),
            retry: Some(RetryPolicy::none()),
            ..Default::default()
        },
        extra: vec![("popupOrigin".into(), "x".into())],
        ..Default::default()
    })
    .unwrap();
    let json = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "abc",
        "redirectUri": "com.example.app://callback", "scope": "openid",
        "audience": "https://api.example", "responseMode": "query", "organization": "org_x", "leeway": 30,
        "_sendTelemetry": false, "timeout": 1500,
        "retry": {"maxAttempts": 1, "baseDelayMs": 250, "maxDelayMs": 10000, "totalMs": 30000},
        "popupOrigin": "x"}))
    .unwrap();
    (typed, json)
}

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
