//! What the library logs: every operation run at `trace` against the dev
//! tenant with a capturing `log::Log`, then everything captured is
//! scanned for every secret the operation used — the password, the tokens
//! of the answers, and every secret-bearing value the tenant saw on the
//! wire (codes, verifiers, states, nonces, OTPs, tickets, cookie values,
//! bearer tokens, from its request log) — and checked for the events an
//! operator needs.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{Config, DevTenant, TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::{AuthResult, CancelToken, Interaction, Management, WebAuth};
use common::{Tenant, CONNECTION};
use interactive::{redirect_uri_of, PlainBrowser};
use serde_json::{json, Value};
use std::sync::{Mutex, Once};
use std::time::Duration;

/// One captured record.
#[derive(Clone, Debug)]
struct Rec {
    thread: String,
    level: log::Level,
    target: String,
    message: String,
}

/// Captures every record of every crate, at every level.
struct Capture;

static RECORDS: Mutex<Vec<Rec>> = Mutex::new(Vec::new());

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, r: &log::Record<'_>) {
        let rec = Rec {
            thread: std::thread::current().name().unwrap_or("").to_owned(),
            level: r.level(),
            target: r.target().to_owned(),
            message: r.args().to_string(),
        };
        RECORDS.lock().unwrap_or_else(|p| p.into_inner()).push(rec);
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Installs the capture once per test binary.
fn capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in this binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

fn all_records() -> Vec<Rec> {
    RECORDS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// The library's records made on this test's thread.
fn mine() -> Vec<Rec> {
    let me = std::thread::current().name().unwrap_or("").to_owned();
    all_records()
        .into_iter()
        .filter(|r| r.thread == me && r.target.starts_with("auth0_native"))
        .collect()
}

fn has(records: &[Rec], level: log::Level, target: &str, parts: &[&str]) -> bool {
    records.iter().any(|r| {
        r.level == level && r.target == target && parts.iter().all(|p| r.message.contains(p))
    })
}

#[track_caller]
fn expect_event(records: &[Rec], level: log::Level, target: &str, parts: &[&str]) {
    assert!(
        has(records, level, target, parts),
        "no {level} record of {target} with {parts:?} among:\n{}",
        records
            .iter()
            .map(|r| format!("{} {} {}", r.level, r.target, r.message))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Keys whose values are secrets wherever they travel (query, form, JSON).
const SECRET_KEYS: &[&str] = &[
    "password",
    "code",
    "code_verifier",
    "access_token",
    "id_token",
    "refresh_token",
    "state",
    "nonce",
    "otp",
    "verification_code",
    "device_code",
    "user_code",
    "mfa_token",
    "client_secret",
    "login_ticket",
    "ticket",
    "wresult",
    "token",
    "binding_code",
    "recovery_code",
    "oob_code",
];

fn collect_json(v: &Value, key: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::String(s) if key.is_some_and(|k| SECRET_KEYS.contains(&k)) => out.push(s.clone()),
        Value::Object(m) => m.iter().for_each(|(k, v)| collect_json(v, Some(k), out)),
        Value::Array(a) => a.iter().for_each(|v| collect_json(v, key, out)),
        _ => {}
    }
}

fn collect_form(text: &str, out: &mut Vec<String>) {
    for (k, v) in url::form_urlencoded::parse(text.trim_start_matches(['?', '#']).as_bytes()) {
        if SECRET_KEYS.contains(&k.as_ref()) {
            out.push(v.into_owned());
        }
    }
}

/// Every secret-bearing value the tenant received (its request log).
fn wire_secrets(domain: &str) -> Vec<String> {
    let r = reqwest::blocking::get(format!("{domain}/__dev/requests")).unwrap();
    let log: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    let mut out = Vec::new();
    for r in log.as_array().unwrap() {
        if let Some(q) = r["query"].as_str() {
            collect_form(q, &mut out);
        }
        let body = r["body"].as_str().unwrap_or("");
        match serde_json::from_str::<Value>(body) {
            Ok(v) => collect_json(&v, None, &mut out),
            Err(_) => collect_form(body, &mut out),
        }
        for (name, value) in r["headers"].as_object().into_iter().flatten() {
            let value = value.as_str().unwrap_or("");
            match name.to_ascii_lowercase().as_str() {
                "cookie" => out.extend(
                    value
                        .split(';')
                        .filter_map(|c| c.split_once('=').map(|(_, v)| v.trim().to_owned())),
                ),
                "authorization" => out.push(value.trim_start_matches("Bearer ").to_owned()),
                _ => {}
            }
        }
    }
    out
}

fn result_secrets(r: &AuthResult) -> Vec<String> {
    let tokens = [
        r.access_token.as_ref().map(|t| t.secret()),
        r.id_token.as_ref().map(|t| t.secret()),
        r.refresh_token.as_ref().map(|t| t.secret()),
        r.state.as_deref(),
    ];
    tokens.into_iter().flatten().map(str::to_owned).collect()
}

/// No captured record (of any crate, at any level) holds any of
/// `secrets`, nor any part of a JWT among them.
#[track_caller]
fn assert_no_secret_logged(secrets: &[String]) {
    let mut needles: Vec<&str> = Vec::new();
    for s in secrets {
        needles.push(s);
        if s.matches('.').count() == 2 {
            needles.extend(s.split('.'));
        }
    }
    // Short values (a one-letter state) could match by chance; every real
    // secret here is longer.
    needles.retain(|n| n.len() >= 6);
    assert!(!needles.is_empty(), "the test found no secret to look for");
    // cookie_store (under reqwest's cookie jar) logs whole Set-Cookie
    // headers at `debug`: the SSO cookie's value. It is not the library's
    // record, and the C and Python forwarders never pass it on (they take
    // `auth0_native::*` only); a Rust program's own logger gets it unless
    // it filters that target, as the crate documentation says.
    for r in all_records()
        .into_iter()
        .filter(|r| !r.target.starts_with("cookie_store"))
    {
        for n in &needles {
            assert!(
                !r.message.contains(n) && !r.target.contains(n),
                "a secret ({}…) reached a log record: {} {}: {}",
                &n[..3],
                r.level,
                r.target,
                r.message
            );
        }
    }
}

/// The access token of a password login of the test user, with `extra`
/// (audience, scope) merged into the options.
fn access_token(web: &WebAuth, extra: Value) -> String {
    let mut o = json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    web.client()
        .login(&o)
        .unwrap()
        .access_token
        .unwrap()
        .into_secret()
}

fn credentials() -> Value {
    json!({"connection": CONNECTION, "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD})
}

#[test]
fn password_login_and_user_info_log_each_request_and_no_secret() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web
        .client()
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION, "scope": "openid profile email offline_access"}),
        )
        .unwrap();
    assert!(r.refresh_token.is_some());
    web.client()
        .user_info(r.access_token.as_ref().unwrap().secret())
        .unwrap();
    let wrong = "Wr0ng-Secret-Pa55word-7d1c";
    web.client()
        .login(&json!({"username": TEST_USER_EMAIL, "password": wrong, "realm": CONNECTION}))
        .unwrap_err();

    let mut secrets = result_secrets(&r);
    secrets.extend([TEST_USER_PASSWORD.to_owned(), wrong.to_owned()]);
    secrets.extend(wire_secrets(&t.domain()));
    assert_no_secret_logged(&secrets);

    let host = t.domain();
    let records = mine();
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &[
            &format!("POST {host}/oauth/token -> 200 in "),
            "(attempt 1)",
        ],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &[&format!("GET {host}/userinfo -> 200"), " ms "],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &[&format!("POST {host}/oauth/token -> 403")],
    );
}

#[test]
fn parse_hash_of_a_code_logs_the_transaction_and_the_jwks_fetch_but_no_code() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile email offline_access"}));
    let req = web.authorize(&json!({"pkce": true})).unwrap();
    let callback = t.callback_for(&req.url);
    assert!(callback.contains("code="), "{callback}");
    let r = web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .expect("tokens");

    let mut secrets = result_secrets(&r);
    collect_form(callback.split_once('?').unwrap().1, &mut secrets);
    secrets.push(req.state.clone());
    secrets.extend(req.nonce.clone());
    secrets.extend(wire_secrets(&t.domain()));
    assert!(
        secrets.iter().any(|s| s.len() > 30),
        "the verifier is among them"
    );
    assert_no_secret_logged(&secrets);

    let records = mine();
    let prefix: String = req.state.chars().take(4).collect();
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::transaction",
        &["recorded for state", &format!("{prefix}…")],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::transaction",
        &[&format!("{prefix}…"), "consumed"],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::jwks",
        &["fetching", "/.well-known/jwks.json", "cache empty or stale"],
    );
    expect_event(
        &records,
        log::Level::Info,
        "auth0_native::jwks",
        &["fetched 1 usable signing keys from"],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &["GET", "/.well-known/jwks.json -> 200"],
    );
    // A second check of the same key is answered by the cache.
    web.validate_id_token(
        r.id_token.as_ref().unwrap().secret(),
        &json!({"nonce": req.nonce}),
    )
    .unwrap();
    expect_event(
        &mine(),
        log::Level::Debug,
        "auth0_native::jwks",
        &["keys from the cache"],
    );
}

#[test]
fn a_headless_walk_logs_its_steps_without_query_or_form_values() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid offline_access", "pkce": true}));
    let r = web.login_with_credentials(&credentials()).unwrap();
    let mut secrets = result_secrets(&r);
    secrets.push(TEST_USER_PASSWORD.to_owned());
    secrets.extend(wire_secrets(&t.domain()));
    assert_no_secret_logged(&secrets);

    let records = mine();
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::headless",
        &["submitting the page's form", "/login/callback"],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::headless",
        &["redirectUri http://127.0.0.1:7777/callback: walk done"],
    );
    // No URL of any record carries a query or a fragment.
    for r in records
        .iter()
        .filter(|r| r.target == "auth0_native::headless")
    {
        assert!(
            !r.message.contains('?') && !r.message.contains('#'),
            "{}",
            r.message
        );
    }
}

fn outbox_code(t: &Tenant, to: &str) -> String {
    let out = t.dev_get(&format!("outbox?to={to}"));
    out.as_array().unwrap().last().unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn passwordless_codes_never_reach_a_record() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({"responseType": "token id_token", "scope": "openid email"}));
    web.passwordless_start(
        &json!({"connection": "email", "send": "code", "email": "logs@example.com"}),
    )
    .unwrap();
    let code = outbox_code(&t, "logs@example.com");
    let verified = web
        .passwordless_verify(
            &json!({"connection": "email", "email": "logs@example.com", "verificationCode": code}),
        )
        .unwrap();
    web.passwordless_start(
        &json!({"connection": "email", "send": "code", "email": "logs@example.com"}),
    )
    .unwrap();
    let code2 = outbox_code(&t, "logs@example.com");
    let direct = web
        .client()
        .passwordless_login(
            &json!({"connection": "email", "email": "logs@example.com", "verificationCode": code2}),
        )
        .unwrap();
    let mut secrets = vec![code, code2];
    secrets.extend(result_secrets(&verified));
    secrets.extend(result_secrets(&direct));
    secrets.extend(wire_secrets(&t.domain()));
    assert_no_secret_logged(&secrets);
    expect_event(
        &mine(),
        log::Level::Debug,
        "auth0_native::http",
        &["POST", "/passwordless/start -> 200"],
    );
}

#[test]
fn device_polling_logs_its_steps_and_no_code() {
    capture();
    let dev = DevTenant::start_with(Config {
        device_interval_secs: 1,
        ..Config::default()
    })
    .unwrap();
    let web = WebAuth::new(&json!({"domain": dev.domain(), "clientID": dev.client_id()})).unwrap();
    let d = web
        .device_start(&json!({"scope": "openid offline_access"}))
        .unwrap();
    let (domain, user_code) = (dev.domain(), d.user_code.clone());
    let approver = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        PlainBrowser::new().activate(
            &domain,
            &user_code,
            TEST_USER_EMAIL,
            TEST_USER_PASSWORD,
            true,
        );
    });
    let r = web.device_poll(&d, &CancelToken::new()).unwrap();
    approver.join().unwrap();
    let mut secrets = result_secrets(&r);
    let wire = wire_secrets(&dev.domain());
    // The device code the poll sent is among the secrets looked for.
    assert!(wire.iter().any(|w| w == d.device_code.secret()));
    secrets.extend(wire);
    assert_no_secret_logged(&secrets);
    let records = mine();
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::device",
        &["authorization pending; next poll in 1 s"],
    );
    expect_event(
        &records,
        log::Level::Info,
        "auth0_native::device",
        &["activated"],
    );
}

#[test]
fn management_calls_log_the_path_but_not_the_token() {
    capture();
    let t = Tenant::start();
    let token = access_token(
        &t.web(json!({})),
        json!({"audience": format!("{}/api/v2/", t.domain()),
               "scope": "openid read:current_user update:current_user_metadata"}),
    );
    let m = Management::new(&json!({"domain": t.domain(), "token": token})).unwrap();
    m.get_user(TEST_USER_ID).unwrap();
    m.patch_user_metadata(TEST_USER_ID, &json!({"theme": "dark"}))
        .unwrap();
    let mut secrets = vec![token, TEST_USER_PASSWORD.to_owned()];
    secrets.extend(wire_secrets(&t.domain()));
    assert_no_secret_logged(&secrets);
    let records = mine();
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &["GET", "/api/v2/users/", "-> 200"],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &["PATCH", "/api/v2/users/", "-> 200"],
    );
}

#[test]
fn a_retry_is_a_warning_with_its_wait() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({"retry": {"baseDelayMs": 1, "maxDelayMs": 5}}));
    let token = access_token(&web, json!({"scope": "openid"}));
    t.fault(json!({"path": "/userinfo", "status": 503, "count": 1}));
    web.client().user_info(&token).unwrap();
    assert_no_secret_logged(&[token]);
    let records = mine();
    expect_event(
        &records,
        log::Level::Warn,
        "auth0_native::retry",
        &["attempt 1 of 3 failed", "(HTTP 503)", "retrying in"],
    );
    expect_event(
        &records,
        log::Level::Debug,
        "auth0_native::http",
        &["GET", "/userinfo -> 200", "(attempt 2)"],
    );
}

#[test]
fn the_loopback_listener_logs_start_stop_and_strays_but_no_code() {
    capture();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let browser = std::sync::Arc::new(Mutex::new(None));
    let b = browser.clone();
    let interaction = Interaction::new().with_open_url(move |url| {
        let url = url.to_owned();
        *b.lock().unwrap() = Some(std::thread::spawn(move || {
            let p = PlainBrowser::new();
            let listener = redirect_uri_of(&url);
            let origin = listener.trim_end_matches("/callback");
            assert_eq!(p.get(&format!("{origin}/favicon.ico")).status, 404);
            assert_eq!(
                p.get(&format!("{listener}?code=forged-c0de&state=forged-5tate"))
                    .status,
                400
            );
            p.log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
        }));
        Ok(())
    });
    let r = web
        .popup_authorize(
            &json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid offline_access"}),
            &interaction,
        )
        .unwrap();
    let page = browser.lock().unwrap().take().unwrap().join().unwrap();
    assert_eq!(page.status, 200);
    let mut secrets = result_secrets(&r);
    secrets.extend(["forged-c0de".to_owned(), "forged-5tate".to_owned()]);
    secrets.extend(wire_secrets(&t.domain()));
    assert_no_secret_logged(&secrets);
    // The listener's records come from its own threads.
    let loopback: Vec<Rec> = all_records()
        .into_iter()
        .filter(|r| r.target == "auth0_native::loopback")
        .collect();
    expect_event(
        &loopback,
        log::Level::Info,
        "auth0_native::loopback",
        &["listening on [127.0.0.1:"],
    );
    expect_event(
        &loopback,
        log::Level::Warn,
        "auth0_native::loopback",
        &["stray GET request for another path (404)"],
    );
    expect_event(
        &loopback,
        log::Level::Warn,
        "auth0_native::loopback",
        &["does not carry the login's state"],
    );
    expect_event(
        &loopback,
        log::Level::Info,
        "auth0_native::loopback",
        &["the callback arrived"],
    );
    expect_event(
        &loopback,
        log::Level::Info,
        "auth0_native::loopback",
        &["stopping the listener"],
    );
}
