use super::*;

fn resp(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "application/json".into(),
        location: None,
        retry_after: None,
        rate_limit_reset: None,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn oauth_errors_keep_code_and_description() {
    let e = error_from_response(&resp(
        403,
        r#"{"error":"invalid_grant","error_description":"Wrong email or password."}"#,
    ));
    assert_eq!(
        (e.code(), e.description(), e.status_code()),
        ("invalid_grant", "Wrong email or password.", Some(403))
    );
    assert_eq!(e.original().unwrap()["error"], "invalid_grant");
}

#[test]
fn mfa_required_keeps_its_token_out_of_original() {
    let e = error_from_response(&resp(
        403,
        r#"{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.secret"}"#,
    ));
    assert_eq!(e.code(), "mfa_required");
    assert_eq!(e.kind(), ErrorKind::Authorization);
    assert_eq!(e.status_code(), Some(403));
    assert_eq!(e.mfa_token().unwrap().secret(), "Fe26.secret");
    assert!(!e.original().unwrap().to_string().contains("Fe26"));
    assert!(!format!("{e:?}").contains("Fe26"));
}

#[test]
fn management_errors_keep_the_message() {
    let e = error_from_response(&resp(
        404,
        r#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#,
    ));
    assert_eq!(e.code(), "Not Found");
    assert_eq!(e.description(), "The user does not exist.");
}

#[test]
fn password_policy_errors_use_the_message_over_the_rules_object() {
    let e = error_from_response(&resp(
        400,
        r#"{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":{"rules":[],"verified":false},"statusCode":400}"#,
    ));
    assert_eq!(
        (e.code(), e.description()),
        ("invalid_password", "Password is too weak")
    );
}

#[test]
fn dbconnection_errors_use_code_and_description() {
    let e = error_from_response(&resp(
        400,
        r#"{"name":"BadRequestError","code":"user_exists","description":"The user already exists.","statusCode":400}"#,
    ));
    assert_eq!(
        (e.code(), e.description()),
        ("user_exists", "The user already exists.")
    );
}

#[test]
fn non_json_errors_get_the_status_line() {
    let mut r = resp(502, "Bad gateway");
    r.content_type = "text/plain".into();
    let e = error_from_response(&r);
    assert_eq!(
        (e.code(), e.description(), e.status_code()),
        ("http_error", "HTTP 502 Bad Gateway", Some(502))
    );
}

fn typed(status: u16, content_type: &str, body: &str) -> Response {
    Response {
        content_type: content_type.into(),
        ..resp(status, body)
    }
}

#[test]
fn a_2xx_answer_must_be_json_where_json_is_promised() {
    let portal = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>";
    for r in [
        typed(200, "text/html; charset=utf-8", portal),
        typed(200, "application/json", ""),
        typed(200, "", "  "),
        typed(200, "text/plain", "OK"),
        typed(200, "application/json", "\"a string\""),
        typed(200, "application/json", "{not json"),
    ] {
        let e = answer(&r, Expect::Json).unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.status_code()),
            (ErrorKind::Server, "invalid_response", Some(200)),
            "{:?}",
            String::from_utf8_lossy(&r.body)
        );
        assert!(e.original().is_none(), "a 2xx body is never copied");
    }
    assert_eq!(
        answer(&typed(200, "application/json", "{}"), Expect::Json).unwrap(),
        serde_json::json!({})
    );
    assert_eq!(
        answer(&typed(204, "", ""), Expect::Json).unwrap(),
        Value::Null
    );
}

#[test]
fn a_text_endpoint_takes_a_sentence_but_not_a_page() {
    let ok = typed(200, "text/html", "We've just sent you an email.");
    assert_eq!(
        answer(&ok, Expect::Text).unwrap(),
        "We've just sent you an email."
    );
    let page = typed(200, "text/html", "\n<html><body>portal</body></html>");
    assert_eq!(
        answer(&page, Expect::Text).unwrap_err().code(),
        "invalid_response"
    );
}

#[test]
fn a_token_answer_needs_an_access_token() {
    for v in [
        serde_json::json!({}),
        serde_json::json!({"access_token": ""}),
        serde_json::json!({"access_token": 5}),
        serde_json::json!([]),
    ] {
        assert_eq!(
            require_token_answer(&v).unwrap_err().code(),
            "invalid_response"
        );
    }
    assert!(require_token_answer(&serde_json::json!({"access_token": "a"})).is_ok());
}

#[test]
fn a_429_is_rate_limited_whatever_the_endpoint_calls_it() {
    let mut r = resp(
        429,
        r#"{"error":"too_many_requests","error_description":"Slow down"}"#,
    );
    r.retry_after = Some(86_400);
    let e = error_from_response(&r);
    assert_eq!(
        (e.code(), e.description(), e.retry_after()),
        ("rate_limited", "Slow down", Some(86_400))
    );
    assert_eq!(e.original().unwrap()["error"], "too_many_requests");
    let e = error_from_response(&resp(429, r#"{"error":"slow_down"}"#));
    assert_eq!(e.code(), "slow_down", "a protocol answer keeps its code");
}

#[test]
fn a_flow_deadline_bounds_the_requests_inside_it() {
    let soon = Instant::now() + Duration::from_millis(50);
    let inside = within_deadline(soon, || deadline_after(Duration::from_secs(30)));
    assert_eq!(inside, soon);
    let nested = within_deadline(soon, || {
        within_deadline(soon + Duration::from_secs(9), || {
            deadline_after(Duration::from_secs(30))
        })
    });
    assert_eq!(nested, soon, "the earlier bound wins");
    assert!(deadline_after(Duration::from_secs(30)) > soon, "restored");
}

#[test]
fn transport_options_are_checked_at_construction() {
    let o = serde_json::json!({"timeout": 0});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("timeout option is not valid"));
    let o = serde_json::json!({"caFile": "/nonexistent/ca.pem"});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("caFile option is not valid"));
    let o = serde_json::json!({"caPem": "not a pem"});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("caPem option is not valid"));
    let o = serde_json::json!({"maxResponseBytes": 10});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("maxResponseBytes option is not valid"));
}

/// The parts of a loopback HTTP/1.1 server that answers `{}` and keeps
/// its connections open.
mod raw_server {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};

    pub fn listener() -> (TcpListener, String) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", l.local_addr().unwrap());
        (l, url)
    }

    /// Reads one request (head and `Content-Length` body).
    pub fn read_request(r: &mut BufReader<TcpStream>) {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(r.read_line(&mut line).unwrap() > 0, "connection closed");
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        r.read_exact(&mut vec![0; len]).unwrap();
    }

    pub fn answer(s: &mut TcpStream) {
        s.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        )
        .unwrap();
    }
}

/// A POST (which no retry repeats) of `{}`.
fn post_empty(http: &Http, url: &str) -> Result<Value> {
    http.api(
        reqwest::Method::POST,
        url,
        None,
        Some(&serde_json::json!({})),
    )
}

fn http() -> Http {
    let o = serde_json::json!({"timeout": 10_000});
    Http::new(TransportConfig::from_options(o.as_object().unwrap(), None).unwrap())
}

#[test]
fn an_idle_connection_the_server_closed_is_not_used_for_the_next_request() {
    // A POST is not retried, so a request written to the closed
    // connection would fail.
    let (listener, url) = raw_server::listener();
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        for i in 0..2 {
            let (mut s, _) = listener.accept().unwrap();
            let mut r = std::io::BufReader::new(s.try_clone().unwrap());
            raw_server::read_request(&mut r);
            raw_server::answer(&mut s);
            if i == 0 {
                // Keep-alive answered, then closed: an idle timeout.
                s.shutdown(std::net::Shutdown::Both).unwrap();
                closed_tx.send(()).unwrap();
            }
        }
    });
    let http = http();
    let post = || post_empty(&http, &url);
    assert!(post().is_ok());
    closed_rx.recv().unwrap();
    // The FIN is on its way over loopback; give it a moment to land.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(post().unwrap(), serde_json::json!({}));
    server.join().unwrap();
}

#[test]
fn calls_on_one_handle_run_at_once_and_their_connections_serve_later_threads() {
    // The server answers neither of the first two requests until both have
    // arrived: calls that waited on each other would time out instead.
    let (listener, url) = raw_server::listener();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = accepted.clone();
    std::thread::spawn(move || {
        let both = std::sync::Arc::new(std::sync::Barrier::new(2));
        for (i, s) in listener.incoming().enumerate() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (mut s, both) = (s.unwrap(), both.clone());
            std::thread::spawn(move || {
                let mut r = std::io::BufReader::new(s.try_clone().unwrap());
                raw_server::read_request(&mut r);
                if i < 2 {
                    both.wait();
                }
                raw_server::answer(&mut s);
                loop {
                    raw_server::read_request(&mut r);
                    raw_server::answer(&mut s);
                }
            });
        }
    });
    let o = serde_json::json!({"timeout": 5_000});
    let http = Http::new(TransportConfig::from_options(o.as_object().unwrap(), None).unwrap());
    let get = || http.api(reqwest::Method::GET, &url, None, None);
    std::thread::scope(|s| {
        let a = s.spawn(get);
        let b = s.spawn(get);
        assert_eq!(a.join().unwrap().unwrap(), serde_json::json!({}));
        assert_eq!(b.join().unwrap().unwrap(), serde_json::json!({}));
    });
    assert_eq!(http.drivers.idle_count(), 2, "one driver per call at once");
    for _ in 0..3 {
        std::thread::scope(|s| assert!(s.spawn(get).join().unwrap().is_ok()));
    }
    assert_eq!(http.drivers.idle_count(), 2, "kept, not rebuilt");
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "later threads reuse the open connections"
    );
}

#[test]
fn a_call_from_inside_an_async_runtime_works_and_so_does_dropping_the_handle() {
    let (listener, url) = raw_server::listener();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut r = std::io::BufReader::new(s.try_clone().unwrap());
        loop {
            raw_server::read_request(&mut r);
            raw_server::answer(&mut s);
        }
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = http();
        let get = || http.api(reqwest::Method::GET, &url, None, None);
        assert_eq!(get().unwrap(), serde_json::json!({}));
        assert_eq!(get().unwrap(), serde_json::json!({}));
        drop(http);
    });
}

#[test]
fn a_request_in_flight_ends_when_the_current_token_is_cancelled() {
    // The first connection is never answered; the second is. Left alone,
    // the first call would end in a timeout.
    let (listener, url) = raw_server::listener();
    let (read_tx, read_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (hung, _) = listener.accept().unwrap();
        let mut r = std::io::BufReader::new(hung.try_clone().unwrap());
        raw_server::read_request(&mut r);
        read_tx.send(()).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        let mut r = std::io::BufReader::new(s.try_clone().unwrap());
        raw_server::read_request(&mut r);
        raw_server::answer(&mut s);
        drop(hung);
    });
    let http = http();
    let post = || post_empty(&http, &url);
    let token = crate::CancelToken::new();
    let canceller = token.clone();
    std::thread::spawn(move || {
        read_rx.recv().unwrap();
        canceller.cancel();
    });
    let e = token.run_as_current(post).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e:?}");
    assert_eq!(post().unwrap(), serde_json::json!({}), "the handle goes on");
}
