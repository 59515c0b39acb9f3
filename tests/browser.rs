//! The interactive logins in a real browser: headless Chromium, driven
//! over WebDriver, fills in the dev tenant's hosted login page and device
//! activation page; the library's loopback listener receives the redirect.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`apt-get install
//! chromium chromium-driver`, or `bash scripts/install-test-deps.sh`;
//! `AUTH0_TEST_CHROMIUM` and `AUTH0_TEST_CHROMEDRIVER` name other
//! binaries). Without them each test fails with that instruction as its
//! only message: they are never skipped, so that a machine without a
//! browser cannot pass them, and a cargo feature to gate them would be one
//! more thing for the test command to remember. The tests run one at a time (two Chromiums on a small CI
//! machine make timing bounds flaky). Screenshots of the hosted login page
//! and of the listener's success page are kept under
//! `target/tmp/browser-artifacts/` (not committed).

mod common;
#[path = "common/interactive.rs"]
mod interactive;
#[path = "common/webdriver.rs"]
mod webdriver;

use auth0_devtenant::{
    Config, DevTenant, SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_EMAIL,
    TEST_USER_ID, TEST_USER_PASSWORD,
};
use auth0_native::{AuthResult, CancelToken, DevicePollOptions, ErrorKind, Interaction, WebAuth};
use common::Tenant;
use interactive::redirect_uri_of;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use webdriver::{missing_browser, Driver, Session};

const WAIT: Duration = Duration::from_secs(20);

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser-artifacts")
        .join(name)
}

/// An interaction whose opener hands the URL to the test, which gives it
/// to Chromium.
fn url_channel(cancel: CancelToken) -> (Interaction, mpsc::Receiver<String>) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let interaction = Interaction::new()
        .with_open_url(move |url| {
            tx.lock()
                .unwrap()
                .send(url.to_owned())
                .map_err(|e| e.to_string())
        })
        .with_cancel(cancel);
    (interaction, rx)
}

fn options(timeout_ms: u64) -> Value {
    json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid profile email",
           "timeout": timeout_ms})
}

fn fill_login(browser: &Session<'_>, email: &str, password: &str) {
    browser.type_into("#username", email);
    browser.type_into("#password", password);
    browser.click("#login-form button[type=submit]");
}

fn expect_success_page(browser: &Session<'_>) {
    browser.wait_text("#auth0-native-result", "You are logged in", WAIT);
}

/// Runs `popup_authorize` on a thread while `drive` works the browser
/// with the URL the opener got.
fn popup_with(
    web: &WebAuth,
    options: Value,
    cancel: CancelToken,
    drive: impl FnOnce(String),
) -> auth0_native::Result<AuthResult> {
    let (interaction, urls) = url_channel(cancel.clone());
    std::thread::scope(|s| {
        let login = s.spawn(|| web.popup_authorize(&options, &interaction));
        let driven = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drive(urls.recv_timeout(WAIT).expect("the opener was called"))
        }));
        if let Err(panic) = driven {
            // Do not wait out the login's timeout to report the failure.
            cancel.cancel();
            let _ = login.join();
            std::panic::resume_unwind(panic);
        }
        login.join().unwrap()
    })
}

#[test]
fn chromium_logs_in_on_the_hosted_page_and_the_listener_receives_the_code() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let r = popup_with(&web, options(60_000), CancelToken::new(), |url| {
        browser.navigate(&url);
        browser.find("#login-form", WAIT);
        browser.screenshot(&artifact("hosted-login-page.png"));
        fill_login(&browser, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    })
    .unwrap();
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    assert!(r.access_token.is_some());
    expect_success_page(&browser);
    assert!(browser.current_url().starts_with("http://127.0.0.1:"));
    browser.screenshot(&artifact("listener-success-page.png"));
}

#[test]
fn a_wrong_password_then_the_right_one_logs_in() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let r = popup_with(&web, options(60_000), CancelToken::new(), |url| {
        browser.navigate(&url);
        fill_login(&browser, TEST_USER_EMAIL, "not-the-password");
        browser.wait_text("#error-message", "Wrong email or password", WAIT);
        fill_login(&browser, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    })
    .unwrap();
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    expect_success_page(&browser);
}

#[test]
fn closing_the_browser_ends_in_a_timeout_within_the_bound() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let start = Instant::now();
    let e = popup_with(&web, options(4_000), CancelToken::new(), |url| {
        browser.navigate(&url);
        browser.find("#login-form", WAIT);
        browser.close_window();
    })
    .unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "timeout"));
    assert!(
        elapsed >= Duration::from_secs(4) && elapsed < Duration::from_secs(8),
        "{elapsed:?}"
    );
}

#[test]
fn cancel_from_another_thread_ends_a_login_in_progress_promptly() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let cancel = CancelToken::new();
    let c = cancel.clone();
    let cancelled_at = Mutex::new(None);
    let e = popup_with(&web, options(120_000), cancel, |url| {
        browser.navigate(&url);
        browser.find("#login-form", WAIT);
        let c = c.clone();
        std::thread::spawn(move || c.cancel()).join().unwrap();
        *cancelled_at.lock().unwrap() = Some(Instant::now());
    })
    .unwrap_err();
    let since = cancelled_at.lock().unwrap().unwrap().elapsed();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Cancelled, "cancelled"));
    assert!(since < Duration::from_secs(2), "{since:?}");
}

#[test]
fn two_concurrent_logins_on_two_handles_in_two_browsers() {
    let _g = serial();
    let t = Tenant::start();
    let (web_a, web_b) = (t.web(json!({})), t.web(json!({})));
    let driver = Driver::start();
    let (browser_a, browser_b) = (driver.session(), driver.session());
    let (ia, urls_a) = url_channel(CancelToken::new());
    let (ib, urls_b) = url_channel(CancelToken::new());
    std::thread::scope(|s| {
        let a = s.spawn(|| web_a.popup_authorize(&options(60_000), &ia));
        let b = s.spawn(|| web_b.popup_authorize(&options(60_000), &ib));
        let (url_a, url_b) = (
            urls_a.recv_timeout(WAIT).unwrap(),
            urls_b.recv_timeout(WAIT).unwrap(),
        );
        assert_ne!(redirect_uri_of(&url_a), redirect_uri_of(&url_b));
        browser_a.navigate(&url_a);
        browser_b.navigate(&url_b);
        fill_login(&browser_b, SECOND_USER_EMAIL, SECOND_USER_PASSWORD);
        fill_login(&browser_a, TEST_USER_EMAIL, TEST_USER_PASSWORD);
        let (a, b) = (a.join().unwrap().unwrap(), b.join().unwrap().unwrap());
        assert_eq!(a.id_token_payload.unwrap().subject(), TEST_USER_ID);
        assert_eq!(b.id_token_payload.unwrap().subject(), SECOND_USER_ID);
    });
    expect_success_page(&browser_a);
    expect_success_page(&browser_b);
}

#[test]
fn stray_requests_from_the_browser_do_not_end_the_login() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let r = popup_with(&web, options(60_000), CancelToken::new(), |url| {
        let listener = redirect_uri_of(&url);
        let origin = listener.trim_end_matches("/callback");
        browser.navigate(&format!("{origin}/favicon.ico"));
        browser.navigate(&format!("{listener}?code=forged&state=forged"));
        browser.wait_text("#auth0-native-message", "does not belong", WAIT);
        browser.navigate(&url);
        fill_login(&browser, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    });
    assert!(r.is_ok(), "{r:?}");
    expect_success_page(&browser);
}

#[test]
fn implicit_tokens_in_the_fragment_are_posted_back_by_the_page_script() {
    let _g = serial();
    let t = Tenant::start();
    let web = t.web(json!({}));
    let driver = Driver::start();
    let browser = driver.session();
    let mut o = options(60_000);
    o["responseType"] = json!("token id_token");
    let r = popup_with(&web, o, CancelToken::new(), |url| {
        browser.navigate(&url);
        fill_login(&browser, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    })
    .unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    expect_success_page(&browser);
    assert!(
        !browser.current_url().contains("access_token"),
        "the tokens are gone from the address bar"
    );
}

#[test]
fn the_device_activation_page_completed_in_chromium_ends_the_poll() {
    let _g = serial();
    let t = DevTenant::start_with(Config {
        device_interval_secs: 1,
        ..Config::default()
    })
    .unwrap();
    let web = WebAuth::new(&json!({"domain": t.domain(), "clientID": t.client_id()})).unwrap();
    let driver = Driver::start();
    let browser = driver.session();
    let code = web
        .device_start(&json!({"scope": "openid profile"}))
        .unwrap();
    let poll_options = DevicePollOptions {
        timeout: Some(Duration::from_secs(60)),
        ..code.poll_options()
    };
    let r = std::thread::scope(|s| {
        let poll = s.spawn(|| web.device_poll(&poll_options, &CancelToken::new()));
        browser.navigate(code.verification_uri_complete.as_deref().unwrap());
        browser.type_into("#username", TEST_USER_EMAIL);
        browser.type_into("#password", TEST_USER_PASSWORD);
        browser.click("button[type=submit]");
        browser.wait_text("#user-code", &code.user_code, WAIT);
        browser.click("#confirm");
        browser.wait_text("#message", "connected", WAIT);
        poll.join().unwrap()
    });
    assert_eq!(r.unwrap().id_token_payload.unwrap().subject(), TEST_USER_ID);
}

#[test]
fn a_missing_browser_fails_with_what_to_install() {
    let why = missing_browser(&[PathBuf::from("/nonexistent/chromium"), chromium_here()])
        .expect("a missing binary is reported");
    assert!(why.contains("/nonexistent/chromium is missing"), "{why}");
    assert!(
        why.contains("apt-get install chromium chromium-driver"),
        "{why}"
    );
    assert!(why.contains("scripts/install-test-deps.sh"), "{why}");
    assert_eq!(missing_browser(&[chromium_here()]), None);
}

/// A file that exists on every machine that runs these tests.
fn chromium_here() -> PathBuf {
    std::env::current_exe().unwrap()
}
