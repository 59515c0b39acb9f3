//! Transport options against real servers on 127.0.0.1: a custom CA for a
//! TLS tenant (`caPem`, `caFile`), an HTTP proxy (`proxy`), and a domain
//! that carries a port. The TLS server is a small rustls front end the test
//! starts before the dev tenant; its certificate is made by `openssl`.
//! Then the retry policy (`retry`, on by default for reads and 429s) and
//! the shape checks of 2xx answers, with the dev tenant's faults.

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{ErrorKind, WebAuth};
use common::{Tenant, CONNECTION};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A test CA and a `localhost` / 127.0.0.1 server certificate it signed,
/// made with `openssl`: (CA PEM, CA path, server cert path, server key path).
fn test_pki(
    dir: &std::path::Path,
) -> (
    String,
    std::path::PathBuf,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let p = |name: &str| dir.join(name);
    let openssl = |args: &[&str]| {
        let status = std::process::Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("openssl is needed for the TLS tests: run `bash scripts/install-test-deps.sh`");
        assert!(status.success(), "openssl {args:?} failed");
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=auth0-native test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "key.pem",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        p("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "server.ext",
        "-out",
        "cert.pem",
    ]);
    (
        std::fs::read_to_string(p("ca.pem")).unwrap(),
        p("ca.pem"),
        p("cert.pem"),
        p("key.pem"),
    )
}

/// Reads one HTTP request (head and Content-Length body) from `s`.
fn read_request(s: &mut impl Read) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends `request` to `backend` with `Connection: close` and returns the
/// whole answer, also marked `Connection: close` (one request per
/// connection keeps the relay simple).
fn forward(request: &[u8], backend: &str, request_line: Option<String>) -> Vec<u8> {
    let end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&request[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap().to_owned();
    let mut out = format!("{}\r\n", request_line.unwrap_or(first));
    for l in lines.filter(|l| {
        !l.to_ascii_lowercase().starts_with("connection:")
            && !l.to_ascii_lowercase().starts_with("proxy-")
    }) {
        out.push_str(l);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut b = TcpStream::connect(backend).unwrap();
    b.write_all(out.as_bytes()).unwrap();
    b.write_all(&request[end + 4..]).unwrap();
    let mut answer = Vec::new();
    b.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let mut marked = answer[..split].to_vec();
    marked.extend_from_slice(b"\r\nConnection: close");
    marked.extend_from_slice(&answer[split..]);
    marked
}

/// A TLS front end on 127.0.0.1 relaying to the dev tenant.
fn tls_front(backend: String, cert: &std::path::Path, key: &std::path::Path) -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let (config, backend) = (config.clone(), backend.clone());
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                let tls = rustls::ServerConnection::new(config).unwrap();
                let mut s = rustls::StreamOwned::new(tls, conn);
                if let Some(req) = read_request(&mut s) {
                    let answer = forward(&req, &backend, None);
                    let _ = s.write_all(&answer);
                    s.conn.send_close_notify();
                    let _ = s.flush();
                }
            });
        }
    });
    port
}

/// A forward HTTP proxy on 127.0.0.1 that counts the requests it relays.
fn http_proxy(count: Arc<AtomicUsize>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let count = count.clone();
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                let Some(req) = read_request(&mut conn) else {
                    return;
                };
                let line =
                    String::from_utf8_lossy(&req[..req.iter().position(|b| *b == b'\r').unwrap()])
                        .into_owned();
                // "GET http://127.0.0.1:PORT/path HTTP/1.1" → origin form.
                let mut parts = line.splitn(3, ' ');
                let (method, target, version) = (
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                );
                let rest = target
                    .strip_prefix("http://")
                    .expect("absolute-form target");
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                count.fetch_add(1, Ordering::SeqCst);
                let answer = forward(&req, authority, Some(format!("{method} {path} {version}")));
                let _ = conn.write_all(&answer);
            });
        }
    });
    port
}

fn tls_web(
    t: &Tenant,
    port: u16,
    extra: serde_json::Value,
) -> Result<WebAuth, auth0_native::Error> {
    let mut o = json!({
        "domain": format!("localhost:{port}"),
        "clientID": t.client_id(),
        // The dev tenant names itself by its plain address; the TLS front
        // end does not rewrite tokens.
        "overrides": {"__tenant": "dev", "__token_issuer": format!("{}/", t.domain())},
    });
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    WebAuth::new(&o)
}

fn login(web: &WebAuth) -> Result<auth0_native::AuthResult, auth0_native::Error> {
    web.client().login(&json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION, "scope": "openid email"}))
}

#[test]
fn a_tls_tenant_with_an_unknown_ca_is_refused() {
    let t = Tenant::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, _, cert, key) = test_pki(dir.path());
    let port = tls_front(format!("127.0.0.1:{}", t.dev.port()), &cert, &key);
    let e = login(&tls_web(&t, port, json!({})).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(
        e.description().to_lowercase().contains("certificate"),
        "{e}"
    );
}

#[test]
fn ca_pem_adds_a_trusted_root_for_a_tls_tenant() {
    let t = Tenant::start();
    let dir = tempfile::tempdir().unwrap();
    let (pem, _, cert, key) = test_pki(dir.path());
    let port = tls_front(format!("127.0.0.1:{}", t.dev.port()), &cert, &key);
    let web = tls_web(&t, port, json!({"caPem": pem})).unwrap();
    // Token, then JWKS (for the id_token check) both go over TLS.
    let r = login(&web).unwrap();
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
}

#[test]
fn ca_file_adds_a_trusted_root_for_a_tls_tenant() {
    let t = Tenant::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, ca, cert, key) = test_pki(dir.path());
    let port = tls_front(format!("127.0.0.1:{}", t.dev.port()), &cert, &key);
    let web = tls_web(&t, port, json!({"caFile": ca.to_str().unwrap()})).unwrap();
    assert!(login(&web).is_ok());
}

#[test]
fn requests_go_through_the_configured_proxy() {
    let t = Tenant::start();
    let count = Arc::new(AtomicUsize::new(0));
    let port = http_proxy(count.clone());
    let web = t.web(json!({"proxy": format!("http://127.0.0.1:{port}")}));
    let r = login(&web).unwrap();
    web.client()
        .user_info(r.access_token.as_ref().unwrap().secret())
        .unwrap();
    // /oauth/token, the JWKS and /userinfo.
    assert!(
        count.load(Ordering::SeqCst) >= 3,
        "{}",
        count.load(Ordering::SeqCst)
    );
}

#[test]
fn a_bad_proxy_url_is_an_invalid_argument() {
    let e =
        WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "a", "proxy": "::not a url"}))
            .unwrap_err();
    assert!(
        e.description().starts_with("proxy option is not valid"),
        "{e}"
    );
}

fn requests_to(t: &Tenant, path: &str) -> usize {
    t.dev_get(&format!("requests?path={path}"))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == path)
        .count()
}

fn access_token(web: &WebAuth) -> String {
    login(web).unwrap().access_token.unwrap().into_secret()
}

#[test]
fn a_503_from_userinfo_is_retried_and_then_succeeds() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let token = access_token(&web);
    t.fault(json!({"path": "/userinfo", "status": 503, "count": 1}));
    let profile = web.client().user_info(&token).unwrap();
    assert_eq!(profile.email.as_deref(), Some(TEST_USER_EMAIL));
    assert_eq!(requests_to(&t, "/userinfo"), 2);
}

#[test]
fn retry_false_turns_the_retries_off() {
    let t = Tenant::start();
    let web = t.web(json!({"retry": false}));
    let token = access_token(&web);
    t.fault(json!({"path": "/userinfo", "status": 503, "count": 1}));
    let e = web.client().user_info(&token).unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    assert_eq!(requests_to(&t, "/userinfo"), 1);
}

#[test]
fn a_retry_after_of_a_day_is_reported_at_once_as_rate_limited() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    t.fault(json!({"path": "/userinfo", "status": 429, "retry_after": 86400, "count": 3}));
    let started = std::time::Instant::now();
    let e = web.client().user_info("any-token").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "not slept");
    assert_eq!(
        (e.kind(), e.code(), e.status_code(), e.retry_after()),
        (ErrorKind::Server, "rate_limited", Some(429), Some(86400))
    );
    assert_eq!(e.to_json()["retryAfter"], 86400);
    assert_eq!(requests_to(&t, "/userinfo"), 1);
}

#[test]
fn a_short_retry_after_on_a_password_login_is_waited_out() {
    // A 429 means the server did nothing: safe to send again, even for a
    // single-use request.
    let t = Tenant::start();
    let web = t.web(json!({}));
    t.fault(json!({"path": "/oauth/token", "status": 429, "retry_after": 1, "count": 1}));
    assert!(login(&web).is_ok());
    assert_eq!(requests_to(&t, "/oauth/token"), 2);
}

#[test]
fn a_password_login_answered_503_is_not_retried() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    t.fault(json!({"path": "/oauth/token", "status": 503, "count": 1}));
    let e = login(&web).unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    assert_eq!(requests_to(&t, "/oauth/token"), 1);
}

const PORTAL: &str =
    "<!DOCTYPE html><html><body><form action=\"/wifi\">Accept the terms</form></body></html>";

#[test]
fn a_token_endpoint_answering_200_without_tokens_is_an_invalid_response() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for (body, content_type) in [
        (PORTAL, "text/html; charset=utf-8"),
        ("", "application/json"),
        ("{}", "application/json"),
        ("[]", "application/json"),
    ] {
        t.fault(json!({"path": "/oauth/token", "body": body, "content_type": content_type}));
        let e = login(&web).unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::Server, "invalid_response"),
            "{body:?}: {e}"
        );
        assert!(e.original().is_none());
    }
}

#[test]
fn a_userinfo_answer_that_is_an_html_page_is_an_invalid_response() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    t.fault(json!({"path": "/userinfo", "body": PORTAL}));
    let e = web.client().user_info("any-token").unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status_code()),
        (ErrorKind::Server, "invalid_response", Some(200))
    );
    assert_eq!(
        requests_to(&t, "/userinfo"),
        1,
        "a bad answer is not retried"
    );
}
