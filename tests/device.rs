//! The device authorization flow against the dev tenant: `device_start`,
//! `device_poll` (pending, slow_down, expiry, refusal, cancel, timeout)
//! and `device_login`, with the activation done over plain HTTP.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{Config, DevTenant, TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::{CancelToken, DeviceCode, DevicePollOptions, ErrorKind, WebAuth};
use interactive::PlainBrowser;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn tenant(config: Config) -> DevTenant {
    DevTenant::start_with(config).expect("dev tenant starts")
}

/// A tenant polling every second (the default is 5).
fn quick() -> Config {
    Config {
        device_interval_secs: 1,
        ..Config::default()
    }
}

fn web(t: &DevTenant) -> WebAuth {
    WebAuth::new(&json!({"domain": t.domain(), "clientID": t.client_id()})).unwrap()
}

fn start(web: &WebAuth) -> DeviceCode {
    web.device_start(&json!({"scope": "openid profile"}))
        .unwrap()
}

/// Approves (or refuses) `user_code` on the activation page after `delay`,
/// on another thread.
fn activate_later(
    t: &DevTenant,
    user_code: &str,
    approve: bool,
    delay: Duration,
) -> std::thread::JoinHandle<()> {
    let (domain, code) = (t.domain(), user_code.to_owned());
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        PlainBrowser::new().activate(&domain, &code, TEST_USER_EMAIL, TEST_USER_PASSWORD, approve);
    })
}

fn requests(t: &DevTenant, path: &str) -> Value {
    let r = reqwest::blocking::get(format!("{}/__dev/requests?path={path}", t.domain())).unwrap();
    serde_json::from_slice(&r.bytes().unwrap()).unwrap()
}

fn token_polls(t: &DevTenant) -> usize {
    let log = requests(t, "/oauth/token");
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/oauth/token")
        .count()
}

#[test]
fn device_start_answers_the_rfc8628_fields_and_a_qr_code() {
    let t = tenant(Config::default());
    let d = start(&web(&t));
    assert!(!d.device_code.secret().is_empty(), "{d:?}");
    assert!(!d.user_code.is_empty(), "{d:?}");
    assert!(d.verification_uri.ends_with("/activate"), "{d:?}");
    let complete = d.verification_uri_complete.as_deref().unwrap();
    assert!(complete.contains(&d.user_code), "{complete}");
    assert_eq!(d.expires_in, Some(Duration::from_secs(900)));
    assert_eq!(d.interval, Some(Duration::from_secs(5)));
    let text = d.qr_text.as_deref().unwrap();
    assert!(text.contains('▀') || text.contains('▄'), "{text}");
    assert!(d.qr_svg.as_deref().unwrap().starts_with("<?xml"));
    let sent = requests(&t, "/oauth/device/code");
    let body = sent.as_array().unwrap().last().unwrap()["body"].to_string();
    assert!(
        body.contains("openid profile") && body.contains(t.client_id()),
        "{body}"
    );
}

#[test]
fn poll_waits_while_pending_and_returns_tokens_once_approved() {
    let t = tenant(quick());
    let web = web(&t);
    let d = start(&web);
    let approver = activate_later(&t, &d.user_code, true, Duration::from_millis(1500));
    let r = web.device_poll(&d, &CancelToken::new()).unwrap();
    approver.join().unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    let polls = token_polls(&t);
    assert!(
        (2..=4).contains(&polls),
        "polled {polls} times in ~2 s at a 1 s interval"
    );
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval() {
    // The tenant wants 2 s between polls; the poller is told 1 s, so its
    // second poll is answered slow_down and the interval becomes 6 s.
    let t = tenant(Config {
        device_interval_secs: 2,
        ..Config::default()
    });
    let web = web(&t);
    let code = start(&web);
    let d = DevicePollOptions {
        interval: Some(Duration::from_secs(1)),
        ..code.poll_options()
    };
    let approver = activate_later(&t, &code.user_code, true, Duration::from_millis(2500));
    let begin = Instant::now();
    let r = web.device_poll(&d, &CancelToken::new());
    approver.join().unwrap();
    assert!(r.is_ok(), "{r:?}");
    let elapsed = begin.elapsed();
    assert!(elapsed >= Duration::from_secs(7), "{elapsed:?}");
    assert_eq!(token_polls(&t), 3, "pending, slow_down, then tokens");
}

#[test]
fn an_expired_device_code_ends_with_expired_token_from_the_server() {
    let t = tenant(Config {
        device_code_lifetime_secs: 2,
        ..quick()
    });
    let web = web(&t);
    let d = DevicePollOptions {
        expires_in: None,
        ..start(&web).poll_options()
    };
    let e = web.device_poll(&d, &CancelToken::new()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Authorization, "expired_token")
    );
    assert_eq!(e.status_code(), Some(403));
}

#[test]
fn polling_stops_when_expires_in_has_passed() {
    let t = tenant(Config {
        device_code_lifetime_secs: 2,
        ..quick()
    });
    let web = web(&t);
    let d = start(&web);
    let begin = Instant::now();
    let e = web.device_poll(&d, &CancelToken::new()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Authorization, "expired_token")
    );
    assert!(
        begin.elapsed() < Duration::from_secs(4),
        "{:?}",
        begin.elapsed()
    );
}

#[test]
fn refusing_on_the_activate_page_ends_with_access_denied() {
    let t = tenant(quick());
    let web = web(&t);
    let d = start(&web);
    let refuser = activate_later(&t, &d.user_code, false, Duration::from_millis(500));
    let e = web.device_poll(&d, &CancelToken::new()).unwrap_err();
    refuser.join().unwrap();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Authorization, "access_denied")
    );
}

#[test]
fn cancel_from_another_thread_ends_the_poll_promptly() {
    let t = tenant(Config::default());
    let web = web(&t);
    let d = start(&web);
    let cancel = CancelToken::new();
    let c = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c.cancel();
    });
    let begin = Instant::now();
    let e = web.device_poll(&d, &cancel).unwrap_err();
    canceller.join().unwrap();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Cancelled, "cancelled"));
    assert!(
        begin.elapsed() < Duration::from_secs(2),
        "{:?}",
        begin.elapsed()
    );
    assert_eq!(
        token_polls(&t),
        0,
        "cancelled before the first 5 s interval"
    );
}

#[test]
fn the_timeout_option_bounds_the_poll() {
    let t = tenant(quick());
    let web = web(&t);
    let d = DevicePollOptions {
        timeout: Some(Duration::from_millis(1500)),
        ..start(&web).poll_options()
    };
    let begin = Instant::now();
    let e = web.device_poll(&d, &CancelToken::new()).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "timeout"));
    let elapsed = begin.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[test]
fn device_login_shows_the_code_then_polls() {
    let t = tenant(quick());
    let web = web(&t);
    let domain = t.domain();
    let mut approver = None;
    let r = web
        .device_login(
            &json!({"scope": "openid", "timeout": 30_000}),
            &CancelToken::new(),
            |code| {
                assert!(code.qr_text.is_some());
                let user_code = code.user_code.clone();
                let domain = domain.clone();
                approver = Some(std::thread::spawn(move || {
                    PlainBrowser::new().activate(
                        &domain,
                        &user_code,
                        TEST_USER_EMAIL,
                        TEST_USER_PASSWORD,
                        true,
                    )
                }));
            },
        )
        .unwrap();
    approver.unwrap().join().unwrap();
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
}

#[test]
fn poll_needs_a_device_code() {
    let t = tenant(Config::default());
    let e = web(&t)
        .device_poll(&json!({"interval": 5}), &CancelToken::new())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.description(), "device_code option is required");
}
