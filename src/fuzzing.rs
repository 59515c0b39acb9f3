//! Entry points into the internal parsers for the fuzz targets (`fuzz/`),
//! behind the `fuzzing` cargo feature (off by default). Not API: they may
//! change with the parsers they reach.
//!
//! Each function runs one parser on hostile input and checks what must
//! hold whatever the input (a bound, a consistency), so that a broken
//! property is a crash the fuzzer reports rather than a silent wrong
//! answer.

/// The callback parser of `parseHash` and the loopback listener
/// (`callback::parse_callback`) and the text bound of messages.
pub fn callback(input: &str) {
    let pairs = crate::flows::callback::parse_callback(input);
    for (k, v) in &pairs {
        // A decoded pair never holds more than its input (percent-decoding
        // and `+` only shrink, replacement characters aside).
        assert!(k.len() + v.len() <= input.len() * 3);
    }
    let shown = crate::flows::callback::bounded_text(input, 64);
    assert!(shown.chars().count() <= 65);
    assert!(!shown.chars().any(char::is_control));
}

/// The HTML form reader of the headless flows (`html_form`): the first
/// form and its fields, and the entity decoder.
pub fn html_form(html: &str) {
    if let Some(form) = crate::transport::html_form::first_form(html) {
        // Every field and attribute is a piece of the page, decoded.
        assert!(form.action.len() <= html.len() * 4);
        assert!(form.fields.len() <= html.len());
        let _ = form.method;
    }
    let decoded = crate::transport::html_form::decode_entities(html);
    // An entity is at least as long as what it decodes to in UTF-8.
    assert!(decoded.len() <= html.len());
}

/// The loopback listener of `popup.authorize` on one connection that
/// sends `request` and closes its write side: the request reader and
/// its checks (host, path, method, state), answered or refused.
///
/// Each call binds a fresh listener on `127.0.0.1` (state `fuzz-state`,
/// path `/callback`), so a callback delivered by one input does not
/// change what the next one meets. The answer is returned (status line
/// and all) so the target can check it.
#[cfg(feature = "interactive")]
#[must_use]
pub fn loopback_request(request: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpStream};
    use std::time::{Duration, Instant};

    let bound = crate::interactive::loopback::Bound::bind(Some("http://127.0.0.1:0/callback"), &[])
        .expect("a loopback port to bind");
    let addr = *bound
        .local_addrs()
        .first()
        .expect("a bound loopback address");
    let serving = bound.serve(
        "fuzz-state".into(),
        crate::interactive::loopback::Pages::default(),
    );
    let mut stream = TcpStream::connect(addr).expect("connect to the listener");
    // A reset on close leaves no TIME_WAIT behind, so millions of runs do
    // not exhaust the ephemeral ports.
    set_linger_zero(&stream);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let _ = stream.write_all(request);
    let _ = stream.shutdown(Shutdown::Write);
    // The answer is read on another thread while this one takes the
    // callbacks that carried the state (the waiting side answers those).
    let reader = stream.try_clone().expect("clone the connection");
    std::thread::scope(|scope| {
        let read = scope.spawn(move || {
            let mut answer = Vec::new();
            let _ = reader.take(1 << 20).read_to_end(&mut answer);
            answer
        });
        let give_up = Instant::now() + Duration::from_secs(2);
        while !read.is_finished() && Instant::now() < give_up {
            if let Ok(cb) = serving.wait(
                Instant::now() + Duration::from_millis(2),
                &crate::CancelToken::new(),
            ) {
                assert!(cb.params.contains("fuzz-state"));
                cb.respond_success();
            }
        }
        drop(stream);
        let answer = read.join().expect("the reading thread");
        drop(serving);
        answer
    })
}

#[cfg(all(feature = "interactive", unix))]
fn set_linger_zero(stream: &std::net::TcpStream) {
    use std::os::unix::io::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a `linger` of the size given.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast(),
            // 8 bytes: fits any `socklen_t`.
            libc::socklen_t::try_from(std::mem::size_of::<libc::linger>()).unwrap_or(8),
        );
    }
}

#[cfg(all(feature = "interactive", not(unix)))]
fn set_linger_zero(_stream: &std::net::TcpStream) {}

/// The domain parser (`Domain::parse`): what it accepts has an origin
/// that is a prefix of every URL made from it.
pub fn domain(input: &str) {
    if let Ok(d) = crate::Domain::parse(input) {
        assert!(d.url("/x").starts_with(d.origin()));
        assert!(d.issuer().starts_with(d.origin()));
    }
}
