//! What the transport logs: a retry is a warning with its wait, and the
//! loopback listener logs its start, stop and stray requests but no code.
//! Split from tests/logging_logins.rs; the capture and the secret scan are
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

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::Interaction;
use common::Tenant;
use interactive::{redirect_uri_of, PlainBrowser};
use log_capture::*;
use serde_json::json;
use std::sync::Mutex;

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
