//! The loopback redirect listener of native logins (RFC 8252 §7.3).
//!
//! It binds the loopback interface only — `127.0.0.1`, or `[::1]` when the
//! redirect URI names it, or both for `localhost` (so that no other local
//! user can take the address family the browser may try first, RFC 8252
//! §8.3) — on the redirect URI's port, on the first free port of a
//! pre-registered list, or on an ephemeral port. It then waits for exactly
//! one callback on the redirect path that carries the expected `state`:
//! stray requests (a favicon, another path) get a 404, a callback with
//! another state or with a `Host` that is not the loopback address and
//! port (DNS rebinding) a 400, and the wait goes on. Answers sent in the
//! fragment (implicit response types) never reach a server, so a bare GET
//! of the redirect path is answered with a tiny page that posts the
//! fragment back.
//!
//! Any local user can connect to the listener, so a connection cannot hold
//! it: each has a total deadline to send a bounded request, and when the
//! connection cap is reached the oldest connection that has not shown the
//! right `state` is closed to make room. std::net only: one accept thread
//! per address, one short-lived thread per connection, no async runtime.

use crate::error::{Error, ErrorKind, Result};
use crate::interactive::cancel::{cancelled, CancelToken};
use crate::logging::LOOPBACK;
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The redirect URI of a popup login when none is configured.
pub(crate) const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// How long one connection may take to send its whole request, counted
/// from when its thread starts reading (a browser sends it at once; a
/// socket that drips bytes is not kept alive by them). Generous, because a
/// loaded machine (or valgrind) may run the browser side slowly.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How long writing an answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Cap on a request's head and on a posted body.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 64 * 1024;
/// Connections handled at once; past it the oldest one that has not shown
/// the right state is closed.
const MAX_CONNECTIONS: usize = 32;
/// Ephemeral ports tried for `localhost` when `[::1]` is taken on the port
/// `127.0.0.1` was given.
const DUAL_BIND_ATTEMPTS: usize = 8;

const DEFAULT_SUCCESS_HTML: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Login complete</title></head>\
<body style=\"font-family:sans-serif;text-align:center;margin-top:4em\"><h1 id=\"auth0-native-result\">You are logged in</h1>\
<p>You can close this window and return to the application.</p></body></html>\n";

/// The pages the listener answers the browser with (`successHtml`,
/// `errorHtml`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Pages {
    pub success_html: Option<String>,
    pub error_html: Option<String>,
}

impl Pages {
    fn success(&self) -> String {
        self.success_html
            .clone()
            .unwrap_or_else(|| DEFAULT_SUCCESS_HTML.to_owned())
    }

    /// The error page; the default one shows `message` (escaped), which
    /// never holds a secret.
    fn error(&self, message: &str) -> String {
        self.error_html.clone().unwrap_or_else(|| {
            format!(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Login failed</title></head>\
<body style=\"font-family:sans-serif;text-align:center;margin-top:4em\"><h1 id=\"auth0-native-result\">Login failed</h1>\
<p id=\"auth0-native-message\">{}</p><p>You can close this window and return to the application.</p></body></html>\n",
                escape(message)
            )
        })
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A listener bound to its port, not yet serving.
pub(crate) struct Bound {
    /// One listener per loopback address: two for `localhost`.
    tcp: Vec<TcpListener>,
    redirect_uri: String,
    path: String,
}

/// Binds `ip:port`, and for `localhost` `[::1]` on the same port too.
fn bind_at(ip: IpAddr, port: u16, localhost: bool) -> std::io::Result<Vec<TcpListener>> {
    let first = TcpListener::bind(SocketAddr::new(ip, port))?;
    if !localhost {
        return Ok(vec![first]);
    }
    let port = first.local_addr()?.port();
    match TcpListener::bind(SocketAddr::new(Ipv6Addr::LOCALHOST.into(), port)) {
        Ok(second) => Ok(vec![first, second]),
        // No IPv6 loopback on this machine: nobody can bind it either.
        Err(e)
            if e.kind() == std::io::ErrorKind::AddrNotAvailable
                || e.raw_os_error() == Some(libc::EAFNOSUPPORT) =>
        {
            Ok(vec![first])
        }
        Err(e) => Err(e),
    }
}

impl Bound {
    /// Binds for `redirect_uri` (a loopback `http://` URL; `None` is
    /// [`DEFAULT_REDIRECT_URI`]). Its port is used when it has one other
    /// than 0; otherwise the first of `ports` that is free, or an ephemeral
    /// port when `ports` is empty.
    pub fn bind(redirect_uri: Option<&str>, ports: &[u16]) -> Result<Bound> {
        let invalid = || {
            Error::invalid_argument(
                "redirectUri option is not valid: popup.authorize needs a loopback URL such as http://127.0.0.1/callback (or http://localhost/..., http://[::1]/...)",
            )
        };
        let mut url =
            url::Url::parse(redirect_uri.unwrap_or(DEFAULT_REDIRECT_URI)).map_err(|_| invalid())?;
        if url.scheme() != "http" || url.fragment().is_some() {
            return Err(invalid());
        }
        // A browser resolves `localhost` to both loopback addresses and may
        // try either: both are bound, on the same port.
        let (ip, localhost): (IpAddr, bool) = match url.host() {
            Some(url::Host::Ipv4(a)) if a == Ipv4Addr::LOCALHOST => {
                (Ipv4Addr::LOCALHOST.into(), false)
            }
            Some(url::Host::Ipv6(a)) if a == Ipv6Addr::LOCALHOST => {
                (Ipv6Addr::LOCALHOST.into(), false)
            }
            Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
                (Ipv4Addr::LOCALHOST.into(), true)
            }
            _ => return Err(invalid()),
        };
        let candidates: Vec<u16> = match url.port() {
            Some(p) if p != 0 => vec![p],
            _ if !ports.is_empty() => ports.to_vec(),
            _ if localhost => vec![0; DUAL_BIND_ATTEMPTS],
            _ => vec![0],
        };
        let mut last_error = None;
        let mut tcp = None;
        for port in &candidates {
            match bind_at(ip, *port, localhost) {
                Ok(l) => {
                    tcp = Some(l);
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        let tcp = tcp.ok_or_else(|| {
            let mut list: Vec<String> = candidates.iter().map(u16::to_string).collect();
            list.dedup();
            let addresses = if localhost {
                format!("{ip} and [::1]")
            } else {
                ip.to_string()
            };
            Error::new(
                ErrorKind::Network,
                format!(
                    "could not listen on {addresses} port {}: {}",
                    list.join(", "),
                    last_error.map(|e| e.to_string()).unwrap_or_default()
                ),
            )
            .with_code("listen_failed")
        })?;
        let port = tcp[0]
            .local_addr()
            .map_err(|e| Error::internal(format!("the listener has no address: {e}")))?
            .port();
        url.set_port(Some(port)).map_err(|_| invalid())?;
        Ok(Bound {
            path: url.path().to_owned(),
            redirect_uri: url.to_string(),
            tcp,
        })
    }

    /// The redirect URI with the bound port, to send to `/authorize`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The bound address (always a loopback address; `127.0.0.1` for
    /// `localhost`, which also has `[::1]` bound on the same port).
    #[cfg(test)]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addrs()
            .first()
            .copied()
            .unwrap_or_else(|| SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0))
    }

    /// Every bound address.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.tcp
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    /// Starts accepting connections; only a callback carrying `state` is
    /// delivered.
    pub fn serve(self, state: String, pages: Pages) -> Serving {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let addrs = self.local_addrs();
        log::info!(target: LOOPBACK, "listening on {addrs:?} for the callback to {}", self.path);
        let shared = Arc::new(Conn {
            path: self.path,
            port: addrs.first().map_or(0, SocketAddr::port),
            state,
            pages,
            delivered: AtomicBool::new(false),
            open: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(0),
            threads: Mutex::new(0),
            threads_done: Condvar::new(),
            tx: tx.clone(),
        });
        let threads = self
            .tcp
            .into_iter()
            .filter_map(|tcp| {
                let (stop, shared) = (stop.clone(), shared.clone());
                std::thread::Builder::new()
                    .name("auth0-loopback".into())
                    .spawn(move || accept_loop(tcp, stop, shared))
                    .ok()
            })
            .collect();
        Serving {
            addrs,
            rx,
            tx,
            stop,
            threads,
            conn: shared,
        }
    }
}

/// What the waiting thread receives.
enum Event {
    Callback(Callback),
    Cancelled,
}

/// A callback that carried the expected state, with its connection, which
/// is answered once the answer has been checked.
pub(crate) struct Callback {
    /// The callback's parameters: the query, or the posted form (a
    /// `form_post` answer, or the fragment posted back).
    pub params: String,
    stream: TcpStream,
    pages: Pages,
}

impl Callback {
    /// Answers the browser with the success page.
    pub fn respond_success(mut self) {
        let page = self.pages.success();
        respond(&mut self.stream, 200, "OK", &page);
    }

    /// Answers the browser with the error page.
    pub fn respond_error(mut self, message: &str) {
        let page = self.pages.error(message);
        respond(&mut self.stream, 400, "Bad Request", &page);
    }
}

/// A serving listener. Dropping it stops the accept thread.
pub(crate) struct Serving {
    addrs: Vec<SocketAddr>,
    rx: mpsc::Receiver<Event>,
    tx: mpsc::Sender<Event>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    conn: Arc<Conn>,
}

impl Serving {
    /// Waits for the callback until `deadline`, or until `cancel` fires.
    pub fn wait(&self, deadline: Instant, cancel: &CancelToken) -> Result<Callback> {
        let tx = std::sync::Mutex::new(self.tx.clone());
        let _guard = cancel.on_cancel(move || {
            let _ = tx
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .send(Event::Cancelled);
        });
        let timeout = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(timeout) {
            Ok(Event::Callback(c)) => Ok(c),
            Ok(Event::Cancelled) => Err(cancelled()),
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                "the login was not completed in time (the browser never came back to the application)",
            )),
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        log::info!(target: LOOPBACK, "stopping the listener on {:?}", self.addrs);
        self.stop.store(true, Ordering::SeqCst);
        // Wake each blocking accept with a connection of our own.
        for addr in &self.addrs {
            let _ = TcpStream::connect_timeout(addr, Duration::from_secs(1));
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        // Close the connections still being read and wait (briefly) for
        // their threads, so that none outlives the login.
        for o in self.conn.open().iter() {
            let _ = o.stream.shutdown(std::net::Shutdown::Both);
        }
        let threads = self.conn.threads.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .conn
            .threads_done
            .wait_timeout_while(threads, Duration::from_secs(2), |n| *n > 0);
    }
}

struct Conn {
    path: String,
    /// The bound port, which the `Host` header must name.
    port: u16,
    state: String,
    pages: Pages,
    delivered: AtomicBool,
    /// The connections being read, oldest first.
    open: Mutex<VecDeque<Open>>,
    next_id: AtomicU64,
    /// Connection threads running, and the signal of the last one ending.
    threads: Mutex<usize>,
    threads_done: Condvar,
    tx: mpsc::Sender<Event>,
}

/// A connection being read, as the accept loop sees it.
struct Open {
    id: u64,
    /// A second handle on the socket, to close it when it must make room.
    stream: TcpStream,
    /// Set once the connection has shown the expected state: it is never
    /// closed to make room.
    preferred: Arc<AtomicBool>,
}

impl Conn {
    fn open(&self) -> std::sync::MutexGuard<'_, VecDeque<Open>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a new connection, closing the oldest one that has not
    /// shown the right state when the cap is reached; `None` when every
    /// open connection has (the new one is then dropped).
    fn admit(&self, stream: &TcpStream) -> Option<(u64, Arc<AtomicBool>)> {
        let mut open = self.open();
        if open.len() >= MAX_CONNECTIONS {
            let i = open
                .iter()
                .position(|o| !o.preferred.load(Ordering::SeqCst))?;
            if let Some(evicted) = open.remove(i) {
                let _ = evicted.stream.shutdown(std::net::Shutdown::Both);
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let preferred = Arc::new(AtomicBool::new(false));
        open.push_back(Open {
            id,
            stream: stream.try_clone().ok()?,
            preferred: preferred.clone(),
        });
        Some((id, preferred))
    }

    /// Takes a connection out of the ones that may be closed to make room
    /// or at the end (its callback is handed to the waiting thread).
    fn detach(&self, id: u64) {
        self.open().retain(|o| o.id != id);
    }

    fn release(&self, id: u64) {
        self.detach(id);
        let mut n = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.threads_done.notify_all();
        }
    }

    /// Whether `params` (a query or a form body) carry the expected state.
    fn has_state(&self, params: &str) -> bool {
        let state = url::form_urlencoded::parse(params.as_bytes())
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        constant_time_eq(state.as_bytes(), self.state.as_bytes())
    }

    /// Whether a `Host` header value names this listener:
    /// `127.0.0.1:PORT`, `[::1]:PORT` or `localhost:PORT`. Anything else is
    /// a page of another origin that resolved to the loopback address
    /// (DNS rebinding), or not a browser.
    fn is_own_host(&self, host: &str) -> bool {
        let Some((name, port)) = host.trim().rsplit_once(':') else {
            return false;
        };
        port.parse::<u16>() == Ok(self.port)
            && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
    }
}

fn accept_loop(tcp: TcpListener, stop: Arc<AtomicBool>, conn: Arc<Conn>) {
    for stream in tcp.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of descriptors and the like: do not spin.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let Some((id, preferred)) = conn.admit(&stream) else {
            continue;
        };
        *conn.threads.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let c = conn.clone();
        let spawned = std::thread::Builder::new()
            .name("auth0-loopback-conn".into())
            .spawn(move || {
                handle(
                    stream,
                    &c,
                    id,
                    Instant::now() + REQUEST_DEADLINE,
                    &preferred,
                );
                c.release(id);
            });
        if spawned.is_err() {
            conn.release(id);
        }
    }
}

/// A request as far as the listener cares.
struct Request {
    method: String,
    path: String,
    query: String,
    host: Option<String>,
    body: Vec<u8>,
}

/// Reads into `buf`, waiting until `deadline` at most; `None` when nothing
/// came by then, at the end of the stream or on an error. Past the
/// deadline, bytes that have already arrived are still taken (a loaded
/// machine may start reading late), but nothing is waited for.
fn read_some(stream: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Option<()> {
    let mut chunk = [0u8; 2048];
    let left = deadline.saturating_duration_since(Instant::now());
    let read = if left.is_zero() {
        stream.set_nonblocking(true).ok()?;
        let read = stream.read(&mut chunk);
        stream.set_nonblocking(false).ok()?;
        read
    } else {
        stream.set_read_timeout(Some(left)).ok()?;
        stream.read(&mut chunk)
    };
    let n = read.ok()?;
    if n == 0 {
        return None;
    }
    buf.extend_from_slice(&chunk[..n]);
    Some(())
}

/// Reads one bounded request before `deadline`. `on_target` sees the
/// request line's method, path and query as soon as it has arrived.
fn read_request(
    stream: &mut TcpStream,
    deadline: Instant,
    mut on_target: impl FnMut(&str, &str, &str),
) -> Option<Request> {
    let mut buf = Vec::with_capacity(2048);
    let mut seen_target = false;
    let head_end = loop {
        if !seen_target {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                seen_target = true;
                let line = std::str::from_utf8(&buf[..i]).ok()?;
                let mut parts = line.split(' ');
                let (method, target) = (parts.next()?, parts.next()?);
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                on_target(method, path, query);
            }
        }
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        read_some(stream, &mut buf, deadline)?;
    };
    let head = std::str::from_utf8(&buf[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?;
    let mut content_length = 0;
    let mut host = None;
    for (k, v) in lines.filter_map(|l| l.split_once(':')) {
        if k.trim().eq_ignore_ascii_case("content-length") {
            content_length = v.trim().parse::<usize>().ok()?;
        } else if k.trim().eq_ignore_ascii_case("host") {
            if host.is_some() {
                return None; // two Host headers: not a browser
            }
            host = Some(v.trim().to_owned());
        }
    }
    if content_length > MAX_BODY {
        return None;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut body = buf[head_end..].to_vec();
    while body.len() < content_length {
        read_some(stream, &mut body, deadline)?;
    }
    body.truncate(content_length);
    Some(Request {
        method,
        path: path.to_owned(),
        query: query.to_owned(),
        host,
        body,
    })
}

fn handle(mut stream: TcpStream, conn: &Conn, id: u64, deadline: Instant, preferred: &AtomicBool) {
    let Some(req) = read_request(&mut stream, deadline, |method, path, query| {
        if method == "GET" && path == conn.path && conn.has_state(query) {
            preferred.store(true, Ordering::SeqCst);
        }
    }) else {
        return;
    };
    if !req.host.as_deref().is_some_and(|h| conn.is_own_host(h)) {
        log::warn!(target: LOOPBACK, "refused a {} request with a foreign Host header (400)", req.method.escape_debug());
        respond(
            &mut stream,
            400,
            "Bad Request",
            "This listener answers only http://127.0.0.1, http://[::1] and http://localhost on its own port.",
        );
        return;
    }
    if req.path != conn.path {
        log::warn!(target: LOOPBACK, "stray {} request for another path (404)", req.method.escape_debug());
        respond(&mut stream, 404, "Not Found", "Not found");
        return;
    }
    let params = match req.method.as_str() {
        "GET" if req.query.is_empty() => {
            log::debug!(target: LOOPBACK, "a callback without a query: answering the page that posts the fragment back");
            respond(&mut stream, 200, "OK", FRAGMENT_POST_BACK);
            return;
        }
        "GET" => req.query,
        "POST" => String::from_utf8_lossy(&req.body).into_owned(),
        _ => {
            log::warn!(target: LOOPBACK, "refused a {} request (405)", req.method.escape_debug());
            respond(&mut stream, 405, "Method Not Allowed", "Method not allowed");
            return;
        }
    };
    if !conn.has_state(&params) {
        log::warn!(target: LOOPBACK, "refused a callback that does not carry the login's state (400)");
        let page = conn
            .pages
            .error("This answer does not belong to the login in progress.");
        respond(&mut stream, 400, "Bad Request", &page);
        return;
    }
    if conn.delivered.swap(true, Ordering::SeqCst) {
        log::warn!(target: LOOPBACK, "refused a second callback for a login already answered (400)");
        let page = conn.pages.error("This login has already been completed.");
        respond(&mut stream, 400, "Bad Request", &page);
        return;
    }
    // From here the waiting thread owns the connection: nothing else may
    // close it.
    conn.detach(id);
    log::info!(target: LOOPBACK, "the callback arrived ({})", req.method.escape_debug());
    let callback = Callback {
        params,
        stream,
        pages: conn.pages.clone(),
    };
    if let Err(mpsc::SendError(Event::Callback(c))) = conn.tx.send(Event::Callback(callback)) {
        c.respond_error("The application is no longer waiting for this login.");
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn respond(stream: &mut TcpStream, status: u16, reason: &str, body: &str) {
    let content_type = if body.starts_with('<') {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

/// Posts the fragment of the page's URL back to the same path as a form
/// (what `response_mode=form_post` would send), after removing it from
/// the address bar and history.
const FRAGMENT_POST_BACK: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Completing login</title></head><body>\
<noscript>JavaScript is needed to complete this login.</noscript><script>\
(function(){var p=new URLSearchParams(location.hash.slice(1));var f=document.createElement('form');\
f.method='post';f.action=location.pathname;p.forEach(function(v,k){var i=document.createElement('input');\
i.type='hidden';i.name=k;i.value=v;f.appendChild(i);});document.body.appendChild(f);\
history.replaceState(null,'',location.pathname);f.submit();})();</script></body></html>\n";

#[cfg(test)]
mod tests {
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
}
