//! What the Management API client logs: the path, never its token. Split
//! from tests/logging_logins.rs; the capture and the secret scan are
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
#[path = "common/log_capture.rs"]
mod log_capture;

use auth0_devtenant::{TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::Management;
use common::Tenant;
use log_capture::*;
use serde_json::json;

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
