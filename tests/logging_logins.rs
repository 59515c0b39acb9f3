//! What the logins log (password login and userInfo, parseHash of a
//! code, a headless walk, passwordless, device polling). Management calls
//! are in tests/logging_management.rs, retries and the loopback listener
//! in tests/logging_transport.rs; the capture and the secret scan are
//! tests/common/log_capture.rs.
//!
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
#[path = "common/log_capture.rs"]
mod log_capture;

use auth0_devtenant::{Config, DevTenant, TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{CancelToken, WebAuth};
use common::{Tenant, CONNECTION};
use interactive::PlainBrowser;
use log_capture::*;
use serde_json::{json, Value};
use std::time::Duration;

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
