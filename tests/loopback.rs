//! The loopback listener against other local users (issue 11, finding 5):
//! sockets that never finish a request cannot keep the browser out, a
//! request whose `Host` is not the listener's own is refused, and a
//! `localhost` redirect URI holds both loopback addresses.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::Interaction;
use common::Tenant;
use interactive::{query_param, redirect_uri_of, Page, PlainBrowser};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// An opener that runs `browse` on its own thread with the `/authorize`
/// URL, and hands the thread to the test.
fn opener(
    browse: impl Fn(String) -> Page + Send + Sync + Clone + 'static,
) -> (Interaction, mpsc::Receiver<JoinHandle<Page>>) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let interaction = Interaction::new().with_open_url(move |url| {
        let (browse, url) = (browse.clone(), url.to_owned());
        tx.lock()
            .unwrap()
            .send(std::thread::spawn(move || browse(url)))
            .unwrap();
        Ok(())
    });
    (interaction, rx)
}

fn page(pages: &mpsc::Receiver<JoinHandle<Page>>) -> Page {
    pages
        .recv_timeout(Duration::from_secs(5))
        .expect("the opener was called")
        .join()
        .expect("the browser thread")
}

/// The listener's address, from the redirect URI of an `/authorize` URL.
fn listener_addr(authorize_url: &str) -> SocketAddr {
    let redirect = url::Url::parse(&redirect_uri_of(authorize_url)).unwrap();
    SocketAddr::from(([127, 0, 0, 1], redirect.port().unwrap()))
}

/// One raw HTTP exchange; the status of the answer (0 when none came).
fn raw_status(addr: SocketAddr, request: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn forty_silent_and_dripping_sockets_do_not_keep_the_browser_out() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let stop = Arc::new(AtomicBool::new(false));
    let attackers = Arc::new(Mutex::new(Vec::new()));
    let (stop2, attackers2) = (stop.clone(), attackers.clone());
    let (interaction, pages) = opener(move |url| {
        let addr = listener_addr(&url);
        // Another local user: 20 sockets that send nothing, 20 that send a
        // request one byte at a time, never finishing it.
        let mut silent = Vec::new();
        for _ in 0..20 {
            silent.push(TcpStream::connect(addr).unwrap());
        }
        for _ in 0..20 {
            let stop = stop2.clone();
            let mut s = TcpStream::connect(addr).unwrap();
            attackers2.lock().unwrap().push(std::thread::spawn(move || {
                for b in b"GET /callback?code=x&state=y HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    .iter()
                    .cycle()
                {
                    if stop.load(Ordering::SeqCst) || s.write_all(&[*b]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }));
        }
        // Let the listener accept them all before the browser comes.
        std::thread::sleep(Duration::from_millis(300));
        let page = PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD);
        drop(silent);
        page
    });
    // The drippers never stop on their own: only the listener's total
    // deadline per connection, and its closing the oldest connections to
    // make room, let the browser in.
    let r = web.popup_authorize(
        &json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid profile email",
                "timeout": 30000}),
        &interaction,
    );
    stop.store(true, Ordering::SeqCst);
    for a in attackers.lock().unwrap().drain(..) {
        a.join().unwrap();
    }
    let r = r.expect("the login completes");
    assert_eq!(r.id_token_payload.as_ref().unwrap().subject(), TEST_USER_ID);
    assert_eq!(page(&pages).status, 200);
}

#[test]
fn a_callback_with_a_foreign_host_is_answered_400_and_ignored() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (interaction, pages) = opener(|url| {
        let addr = listener_addr(&url);
        let state = query_param(&url, "state").unwrap();
        // A page of another origin that resolved to 127.0.0.1 (DNS
        // rebinding) sends its own name as Host, even with the right state.
        for host in [
            format!("evil.example:{}", addr.port()),
            format!("127.0.0.1:{}", addr.port() ^ 1),
            "127.0.0.1".to_owned(),
        ] {
            let status = raw_status(
                addr,
                &format!(
                    "GET /callback?error=access_denied&state={state} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                ),
            );
            assert_eq!(status, 400, "Host: {host}");
        }
        let no_host = raw_status(
            addr,
            &format!("GET /callback?error=access_denied&state={state} HTTP/1.1\r\n\r\n"),
        );
        assert_eq!(no_host, 400, "no Host");
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web.popup_authorize(
        &json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid profile email",
                "timeout": 30000}),
        &interaction,
    );
    assert!(
        r.is_ok(),
        "the refused callbacks did not end the wait: {r:?}"
    );
    assert_eq!(page(&pages).status, 200);
}

fn ipv6_loopback_available() -> bool {
    TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

#[test]
fn a_localhost_redirect_holds_both_loopback_addresses() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (interaction, pages) = opener(|url| {
        let redirect = redirect_uri_of(&url);
        assert!(redirect.starts_with("http://localhost:"), "{redirect}");
        let port = url::Url::parse(&redirect).unwrap().port().unwrap();
        // Neither family is left for another user to bind on that port.
        assert!(TcpListener::bind(("127.0.0.1", port)).is_err());
        if ipv6_loopback_available() {
            assert!(TcpListener::bind((Ipv6Addr::LOCALHOST, port)).is_err());
        }
        PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD)
    });
    let r = web.popup_authorize(
        &json!({"redirectUri": "http://localhost:0/callback", "scope": "openid profile email",
                "timeout": 30000}),
        &interaction,
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(page(&pages).status, 200);
}
