//! One wall-clock deadline per call (issue 11, finding 3): a server that
//! sends its headers at once and then drips the body one byte at a time
//! cannot hold a request past its `timeout`, nor a flow past its own
//! total bound. The drip comes from the dev tenant's `drip_ms` fault, a
//! real slow server on 127.0.0.1.
//!
//! Each test bounds the elapsed time of the operation itself (deadline
//! plus a margin for a loaded machine); the drip would take minutes.

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::ErrorKind;
use common::{Tenant, CONNECTION};
use serde_json::json;
use std::time::{Duration, Instant};

/// Added to every deadline: scheduling on a busy machine, never a speed
/// target.
const MARGIN: Duration = Duration::from_millis(2500);

/// A byte every 400 ms: each read returns well within any per-read
/// timeout, so only a deadline over the whole body stops it.
fn drip(t: &Tenant, path: &str) {
    t.fault(json!({"path": path, "drip_ms": 400, "count": 5}));
}

fn assert_within<T: std::fmt::Debug>(
    started: Instant,
    bound: Duration,
    r: Result<T, auth0_native::Error>,
) -> auth0_native::Error {
    let elapsed = started.elapsed();
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(
        elapsed < bound + MARGIN,
        "took {elapsed:?}, bound {bound:?}"
    );
    e
}

#[test]
fn a_dripping_userinfo_answer_is_cut_at_the_timeout() {
    let t = Tenant::start();
    let web = t.web(json!({"timeout": 1000}));
    drip(&t, "/userinfo");
    let started = Instant::now();
    let r = web.client().user_info("any-token");
    assert_within(started, Duration::from_millis(1000), r);
}

#[test]
fn a_dripping_jwks_is_cut_at_the_timeout() {
    let t = Tenant::start();
    let token = t.sign(json!({}), json!({}));
    let web = t.web(json!({"timeout": 1000}));
    drip(&t, "/.well-known/jwks.json");
    let started = Instant::now();
    let r = web.validate_id_token(&token, &json!({}));
    assert_within(started, Duration::from_millis(1000), r);
}

#[test]
fn a_dripping_token_answer_is_cut_at_the_timeout() {
    let t = Tenant::start();
    let web = t.web(json!({"timeout": 1000}));
    drip(&t, "/oauth/token");
    let started = Instant::now();
    let r = web.client().login(
        &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION}),
    );
    assert_within(started, Duration::from_millis(1000), r);
}

#[test]
fn a_headless_login_is_bounded_when_its_token_check_meets_a_drip() {
    let t = Tenant::start();
    // The walk's total bound is four times the request timeout.
    let web = t.web(json!({"timeout": 1000, "responseType": "token id_token", "scope": "openid"}));
    drip(&t, "/.well-known/jwks.json");
    let started = Instant::now();
    let r = web.login_with_credentials(&json!({"connection": CONNECTION, "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}));
    assert_within(started, Duration::from_millis(4000), r);
}

#[test]
fn renew_auth_is_bounded_by_its_timeout_even_inside_the_token_checks() {
    let t = Tenant::start();
    // A session without fetching the JWKS (no id_token), then a renewal
    // whose id_token check meets a dripping JWKS.
    let web = t.web(json!({"responseType": "token"}));
    web.login_with_credentials(&json!({"connection": CONNECTION, "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}))
        .unwrap();
    drip(&t, "/.well-known/jwks.json");
    let started = Instant::now();
    let r =
        web.renew_auth(&json!({"timeout": 1500, "responseType": "id_token", "scope": "openid"}));
    let e = assert_within(started, Duration::from_millis(1500), r);
    assert_eq!(
        (e.code(), e.description()),
        ("timeout", "Timeout during authentication renew.")
    );
}
