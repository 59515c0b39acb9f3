use super::connection::read_request;
use super::*;

fn get(addr: SocketAddr, target: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn binds_loopback_only_on_an_ephemeral_port_by_default() {
    let b = Bound::bind(None, &[]).unwrap();
    assert!(b.local_addr().ip().is_loopback());
    assert_ne!(b.local_addr().port(), 0);
    assert_eq!(
        b.redirect_uri(),
        format!("http://127.0.0.1:{}/callback", b.local_addr().port())
    );
}

#[test]
fn localhost_binds_127_0_0_1_and_keeps_its_name() {
    let b = Bound::bind(Some("http://localhost:0/cb"), &[]).unwrap();
    assert_eq!(b.local_addr().ip(), IpAddr::from(Ipv4Addr::LOCALHOST));
    assert!(b.redirect_uri().starts_with("http://localhost:"));
}

#[test]
fn localhost_binds_both_loopback_addresses_on_one_port() {
    let b = Bound::bind(Some("http://localhost:0/cb"), &[]).unwrap();
    let addrs = b.local_addrs();
    let port = addrs[0].port();
    assert_eq!(addrs[0], SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    if TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok() {
        assert_eq!(
            addrs,
            [addrs[0], SocketAddr::from((Ipv6Addr::LOCALHOST, port))]
        );
    }
    // A callback over IPv6 (where a browser may try localhost first)
    // is delivered.
    let last = *addrs.last().unwrap();
    let s = b.serve("st".into(), Pages::default());
    let h = std::thread::spawn(move || {
        let mut c = TcpStream::connect(last).unwrap();
        write!(
            c,
            "GET /cb?code=c&state=st HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        out
    });
    let cb = s
        .wait(
            Instant::now() + Duration::from_secs(10),
            &CancelToken::new(),
        )
        .unwrap();
    assert_eq!(cb.params, "code=c&state=st");
    cb.respond_success();
    assert!(h.join().unwrap().starts_with("HTTP/1.1 200"));
}

#[test]
fn a_request_without_the_listener_s_host_is_refused() {
    let b = Bound::bind(None, &[]).unwrap();
    let addr = b.local_addr();
    let _s = b.serve("st".into(), Pages::default());
    let raw = |host: &str| {
        let mut c = TcpStream::connect(addr).unwrap();
        write!(c, "GET /callback?code=x&state=st HTTP/1.1\r\n{host}\r\n").unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        out
    };
    assert!(raw("Host: attacker.example\r\n").starts_with("HTTP/1.1 400"));
    assert!(raw(&format!("Host: localhost:{}\r\nHost: x\r\n", addr.port())).is_empty());
    assert!(raw("").starts_with("HTTP/1.1 400"));
}

/// A server-side socket and its client.
fn pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    (l.accept().unwrap().0, client)
}

#[test]
fn a_request_that_arrived_is_read_even_past_the_deadline() {
    let (mut server, mut client) = pair();
    client
        .write_all(b"GET /callback?state=s HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n")
        .unwrap();
    // The bytes are there (one loopback segment) before the listener
    // reads: a loaded machine reads late.
    let mut peek = [0u8; 1];
    server.peek(&mut peek).unwrap();
    let req = read_request(&mut server, Instant::now(), |_, _, _| {}).unwrap();
    assert_eq!(
        (req.path.as_str(), req.query.as_str()),
        ("/callback", "state=s")
    );
    assert_eq!(req.host.as_deref(), Some("127.0.0.1:1"));
}

#[test]
fn past_the_deadline_nothing_more_is_waited_for() {
    let (mut server, mut client) = pair();
    client.write_all(b"GET /callback HTTP/1.1\r\n").unwrap();
    let mut peek = [0u8; 1];
    server.peek(&mut peek).unwrap();
    // The rest of the head never comes, and the client stays connected.
    assert!(read_request(&mut server, Instant::now(), |_, _, _| {}).is_none());
    drop(client);
}

#[test]
fn non_loopback_redirects_are_refused() {
    for uri in [
        "http://0.0.0.0/callback",
        "http://192.168.1.1/callback",
        "https://127.0.0.1/callback",
        "http://example.com/callback",
        "com.example.app://callback",
    ] {
        let e = Bound::bind(Some(uri), &[]).err().expect(uri);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{uri}");
    }
}

#[test]
fn the_first_free_port_of_the_list_is_taken() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let free_port = free.local_addr().unwrap().port();
    drop(free);
    let b = Bound::bind(None, &[busy_port, free_port]).unwrap();
    assert_eq!(b.local_addr().port(), free_port);
}

#[test]
fn strays_and_wrong_states_are_answered_and_the_wait_goes_on() {
    let b = Bound::bind(None, &[]).unwrap();
    let addr = b.local_addr();
    let s = b.serve("good-state".into(), Pages::default());
    assert!(get(addr, "/favicon.ico").starts_with("HTTP/1.1 404"));
    assert!(get(addr, "/callback?code=x&state=bad").starts_with("HTTP/1.1 400"));
    assert!(get(addr, "/callback").contains("URLSearchParams"));
    let h = std::thread::spawn(move || get(addr, "/callback?code=x&state=good-state"));
    let cb = s
        .wait(
            Instant::now() + Duration::from_secs(10),
            &CancelToken::new(),
        )
        .unwrap();
    assert_eq!(cb.params, "code=x&state=good-state");
    cb.respond_success();
    assert!(h.join().unwrap().contains("You are logged in"));
}

#[test]
fn the_listener_s_end_joins_its_connection_threads() {
    // Found by the fuzz target loopback_request (LeakSanitizer): the end
    // waited for the threads' count to reach zero, and a thread counted
    // down but not yet exited outlived the listener.
    let b = Bound::bind(None, &[]).unwrap();
    let addr = b.local_addr();
    let s = b.serve("st".into(), Pages::default());
    let conn = s.conn.clone();
    conn.test_exit.linger_ms.store(300, Ordering::SeqCst);
    let stray = get(addr, "/not-the-callback");
    assert!(stray.starts_with("HTTP/1.1 "), "{stray}");
    drop(s);
    assert_eq!(
        conn.test_exit.ended.load(Ordering::SeqCst),
        1,
        "a connection thread outlived the listener"
    );
}
