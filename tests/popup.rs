//! `popup_authorize`: the interactive login through a loopback listener,
//! driven by a test opener that walks the dev tenant's hosted login page
//! with plain HTTP.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{
    SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_EMAIL, TEST_USER_ID,
    TEST_USER_PASSWORD,
};
use auth0_native::{CancelToken, ErrorKind, Interaction};
use common::Tenant;
use interactive::{free_port, query_param, redirect_uri_of, Page, PlainBrowser};
use serde_json::json;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// An opener that hands the URL to `browse` on its own thread (a real
/// browser runs beside the app, too) and keeps the thread for the test.
struct TestOpener {
    interaction: Interaction,
    pages: mpsc::Receiver<JoinHandle<Page>>,
}

fn opener(browse: impl Fn(String) -> Page + Send + Sync + Clone + 'static) -> TestOpener {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let interaction = Interaction::new().with_open_url(move |url| {
        let browse = browse.clone();
        let url = url.to_owned();
        let h = std::thread::spawn(move || browse(url));
        tx.lock().unwrap().send(h).unwrap();
        Ok(())
    });
    TestOpener {
        interaction,
        pages: rx,
    }
}

impl TestOpener {
    /// The page the listener answered the "browser".
    fn page(&self) -> Page {
        self.pages
            .recv_timeout(Duration::from_secs(5))
            .expect("the opener was called")
            .join()
            .expect("the browser thread")
    }
}

fn log_in_as(email: &'static str, password: &'static str) -> impl Fn(String) -> Page + Clone {
    move |url| PlainBrowser::new().log_in(&url, email, password)
}

fn loopback_options() -> serde_json::Value {
    json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid profile email"})
}

#[test]
fn popup_login_with_code_and_pkce_returns_a_verified_auth_result() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let seen = std::sync::Arc::new(Mutex::new(String::new()));
    let s = seen.clone();
    let o = opener(move |url| {
        *s.lock().unwrap() = url.clone();
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web
        .popup_authorize(&loopback_options(), &o.interaction)
        .unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(r.id_token_payload.as_ref().unwrap().subject(), TEST_USER_ID);
    let page = o.page();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You are logged in"), "{}", page.body);
    let url = seen.lock().unwrap().clone();
    assert_eq!(query_param(&url, "response_type").as_deref(), Some("code"));
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&url, "state").is_some_and(|s| s.len() >= 22));
    let exchange = t.dev_get("requests?path=/oauth/token");
    let body = exchange.as_array().unwrap().last().unwrap()["body"].to_string();
    assert!(body.contains("code_verifier"), "{body}");
}

#[test]
fn stray_requests_to_the_listener_are_ignored() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(|url| {
        let b = PlainBrowser::new();
        let listener = redirect_uri_of(&url);
        let origin = listener.trim_end_matches("/callback");
        assert_eq!(b.get(&format!("{origin}/favicon.ico")).status, 404);
        assert_eq!(b.get(&format!("{origin}/other?code=x")).status, 404);
        b.log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web.popup_authorize(&loopback_options(), &o.interaction);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(o.page().status, 200);
}

#[test]
fn a_callback_with_a_wrong_state_is_rejected_without_ending_the_wait() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(|url| {
        let b = PlainBrowser::new();
        let listener = redirect_uri_of(&url);
        let forged = b.get(&format!("{listener}?code=forged&state=not-the-state"));
        assert_eq!(forged.status, 400);
        assert!(forged.body.contains("does not belong"), "{}", forged.body);
        let no_state = b.get(&format!("{listener}?error=access_denied"));
        assert_eq!(no_state.status, 400);
        b.log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    // The real transaction survived the forged callbacks: the login completes.
    let r = web.popup_authorize(&loopback_options(), &o.interaction);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn the_wait_times_out_within_its_bound_when_the_browser_never_comes_back() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let interaction = Interaction::new().with_open_url(|_| Ok(()));
    let start = Instant::now();
    let mut o = loopback_options();
    o["timeout"] = json!(1000);
    let e = web.popup_authorize(&o, &interaction).unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "timeout"));
    assert!(
        elapsed >= Duration::from_millis(1000) && elapsed < Duration::from_secs(4),
        "{elapsed:?}"
    );
}

#[test]
fn cancel_from_another_thread_ends_the_wait_promptly() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let cancel = CancelToken::new();
    let (tx, rx) = mpsc::channel::<String>();
    let tx = Mutex::new(tx);
    let interaction = Interaction::new()
        .with_open_url(move |url| {
            tx.lock().unwrap().send(url.to_owned()).unwrap();
            Ok(())
        })
        .with_cancel(cancel.clone());
    let c = cancel.clone();
    let canceller = std::thread::spawn(move || {
        let url = rx.recv().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        c.cancel();
        url
    });
    let start = Instant::now();
    let mut o = loopback_options();
    o["timeout"] = json!(60_000);
    let e = web.popup_authorize(&o, &interaction).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Cancelled, "cancelled"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // The listener is gone once the call has returned.
    let listener = redirect_uri_of(&canceller.join().unwrap());
    let port = url::Url::parse(&listener).unwrap().port().unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn a_cancelled_token_fails_at_once_without_opening_anything() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let cancel = CancelToken::new();
    cancel.cancel();
    let interaction = Interaction::new()
        .with_open_url(|_| panic!("must not be opened"))
        .with_cancel(cancel);
    let e = web
        .popup_authorize(&loopback_options(), &interaction)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
}

#[test]
fn two_concurrent_popup_logins_on_two_handles_both_succeed() {
    let t = Tenant::start();
    let (a, b) = (t.web(json!({})), t.web(json!({})));
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            let o = opener(log_in_as(TEST_USER_EMAIL, TEST_USER_PASSWORD));
            a.popup_authorize(&loopback_options(), &o.interaction)
        });
        let second = s.spawn(|| {
            let o = opener(log_in_as(SECOND_USER_EMAIL, SECOND_USER_PASSWORD));
            b.popup_authorize(&loopback_options(), &o.interaction)
        });
        let (first, second) = (first.join().unwrap(), second.join().unwrap());
        assert_eq!(
            first.unwrap().id_token_payload.unwrap().subject(),
            TEST_USER_ID
        );
        assert_eq!(
            second.unwrap().id_token_payload.unwrap().subject(),
            SECOND_USER_ID
        );
    });
}

#[test]
fn the_port_of_redirect_uri_is_used() {
    let t = Tenant::start();
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let web = t.web(json!({"redirectUri": redirect}));
    let r2 = redirect.clone();
    let o = opener(move |url| {
        assert_eq!(redirect_uri_of(&url), r2);
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web.popup_authorize(&json!({"scope": "openid"}), &o.interaction);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn an_ephemeral_loopback_port_is_used_when_redirect_uri_has_none() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(|url| {
        let listener = url::Url::parse(&redirect_uri_of(&url)).unwrap();
        assert_eq!(listener.host_str(), Some("127.0.0.1"));
        let port = listener.port().expect("a port");
        assert_ne!(port, 0);
        // Bound to loopback only: the machine's other address refuses.
        if let Some(ip) = interactive::non_loopback_ip() {
            let addr = std::net::SocketAddr::new(ip, port);
            assert!(
                std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err(),
                "the listener answers on {addr}"
            );
        }
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web.popup_authorize(&loopback_options(), &o.interaction);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn the_first_free_port_of_the_ports_list_is_used() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let free = free_port();
    let o = opener(move |url| {
        assert_eq!(
            redirect_uri_of(&url),
            format!("http://127.0.0.1:{free}/callback")
        );
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let mut options = loopback_options();
    options["ports"] = json!([busy_port, free]);
    let r = web.popup_authorize(&options, &o.interaction);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn implicit_token_id_token_arrives_through_the_fragment_post_back_page() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(log_in_as(TEST_USER_EMAIL, TEST_USER_PASSWORD));
    let mut options = loopback_options();
    options["responseType"] = json!("token id_token");
    let r = web.popup_authorize(&options, &o.interaction).unwrap();
    assert!(r.access_token.is_some() && r.id_token.is_some());
    assert_eq!(r.id_token_payload.unwrap().subject(), TEST_USER_ID);
    assert!(o.page().body.contains("You are logged in"));
}

#[test]
fn access_denied_ends_the_login_with_an_authorization_error_and_an_error_page() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(|url| {
        // The fake social provider's Cancel button answers access_denied.
        let social = reqwest::blocking::Client::new().get(&url).send().unwrap();
        assert_eq!(social.status(), 200);
        let base = social.url().to_string();
        let html = social.text().unwrap();
        let mut fields = interactive::hidden_inputs(&html);
        fields.push(("action".into(), "deny".into()));
        let no_redirects = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let action = interactive::form_action(&html, &base);
        let answer = interactive::post_form(&no_redirects, &action, &fields);
        let b = PlainBrowser::new();
        b.deliver(answer.headers()["location"].to_str().unwrap())
    });
    let mut options = loopback_options();
    options["connection"] = json!("twitter");
    let e = web.popup_authorize(&options, &o.interaction).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Authorization, "access_denied")
    );
    let page = o.page();
    assert_eq!(page.status, 400);
    assert!(page.body.contains("Login failed"), "{}", page.body);
}

#[test]
fn custom_success_and_error_pages_are_served() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let o = opener(log_in_as(TEST_USER_EMAIL, TEST_USER_PASSWORD));
    let mut options = loopback_options();
    options["successHtml"] = json!("<html><body>Welcome to the game</body></html>");
    options["errorHtml"] = json!("<html><body>Nope</body></html>");
    web.popup_authorize(&options, &o.interaction).unwrap();
    assert_eq!(
        o.page().body,
        "<html><body>Welcome to the game</body></html>"
    );
}

#[test]
fn a_failing_opener_ends_the_login_with_browser_open_failed() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let interaction = Interaction::new().with_open_url(|_| Err("no display".into()));
    let e = web
        .popup_authorize(&loopback_options(), &interaction)
        .unwrap_err();
    assert_eq!(e.code(), "browser_open_failed");
    assert!(e.description().contains("no display"));
}

#[test]
fn a_redirect_uri_that_is_not_loopback_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let interaction = Interaction::new().with_open_url(|_| panic!("must not be opened"));
    for uri in [
        "https://app.example.com/callback",
        "com.auth0native.example://callback",
        "http://0.0.0.0/callback",
    ] {
        let e = web
            .popup_authorize(&json!({"redirectUri": uri}), &interaction)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{uri}");
        assert!(e
            .description()
            .starts_with("redirectUri option is not valid"));
    }
}

#[test]
fn bad_popup_options_are_invalid_arguments() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let interaction = Interaction::new().with_open_url(|_| panic!("must not be opened"));
    for (options, message) in [
        (json!({"timeout": 0}), "timeout option is not valid"),
        (json!({"ports": [0]}), "ports option is not valid"),
        (json!({"ports": "8080"}), "ports option is not valid"),
        (json!({"successHtml": 1}), "successHtml option is not valid"),
    ] {
        let e = web.popup_authorize(&options, &interaction).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.description().starts_with(message), "{}", e.description());
    }
}

// ---- issue 11: the loopback callback is bound to the transaction --------

#[test]
fn a_token_injected_into_the_listener_of_a_code_login_is_invalid_token() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    // The "browser" knows the state (it is in the URL) and answers with an
    // access token of its choosing instead of a code.
    let o = opener(|url| {
        let state = query_param(&url, "state").unwrap();
        let listener = redirect_uri_of(&url);
        PlainBrowser::new().get(&format!("{listener}?state={state}&access_token=X"))
    });
    let e = web
        .popup_authorize(&loopback_options(), &o.interaction)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidToken, "{e:?}");
    assert!(e.description().contains("`access_token`"), "{e:?}");
    assert_eq!(o.page().status, 400);
    assert!(
        t.dev_get("requests?path=/oauth/token")
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was exchanged"
    );
}

#[test]
fn a_popup_login_sends_pkce_and_a_nonce_unless_pkce_is_turned_off() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let seen = std::sync::Arc::new(Mutex::new(String::new()));
    let s = seen.clone();
    let o = opener(move |url| {
        *s.lock().unwrap() = url.clone();
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let mut options = loopback_options();
    options["pkce"] = json!(false);
    let r = web.popup_authorize(&options, &o.interaction).unwrap();
    let url = seen.lock().unwrap().clone();
    assert!(query_param(&url, "code_challenge").is_none(), "{url}");
    let nonce = query_param(&url, "nonce").expect("a nonce for openid");
    assert_eq!(r.id_token_payload.unwrap().nonce(), Some(nonce.as_str()));
}
