//! One connection to the loopback listener: reading a bounded request
//! within its deadline, and answering it (the callback, a stray, a refusal).

use super::{
    mpsc, Arc, AtomicBool, AtomicU64, Callback, Condvar, Duration, Event, Instant, Mutex, Ordering,
    Pages, Read, TcpListener, TcpStream, VecDeque, Write, LOOPBACK, MAX_BODY, MAX_CONNECTIONS,
    MAX_HEAD, REQUEST_DEADLINE, WRITE_TIMEOUT,
};
use std::thread::JoinHandle;

pub(super) struct Conn {
    pub(super) path: String,
    /// The bound port, which the `Host` header must name.
    pub(super) port: u16,
    pub(super) state: String,
    pub(super) pages: Pages,
    pub(super) delivered: AtomicBool,
    /// The connections being read, oldest first.
    pub(super) open: Mutex<VecDeque<Open>>,
    pub(super) next_id: AtomicU64,
    /// Connection threads running, and the signal of the last one ending.
    pub(super) threads: Mutex<usize>,
    pub(super) threads_done: Condvar,
    /// The connection threads not joined yet: the listener's end joins
    /// them, so that none is still running (even only exiting) after it.
    pub(super) handles: Mutex<Vec<JoinHandle<()>>>,
    /// Unit tests: how long a connection thread lingers after its release,
    /// and how many have ended.
    #[cfg(test)]
    pub(super) test_exit: TestExit,
    pub(super) tx: mpsc::Sender<Event>,
}

#[cfg(test)]
#[derive(Default)]
pub(super) struct TestExit {
    pub(super) linger_ms: AtomicU64,
    pub(super) ended: AtomicU64,
}

#[cfg(test)]
impl TestExit {
    fn linger_then_count(&self) {
        std::thread::sleep(Duration::from_millis(self.linger_ms.load(Ordering::SeqCst)));
        self.ended.fetch_add(1, Ordering::SeqCst);
    }
}

/// A connection being read, as the accept loop sees it.
pub(super) struct Open {
    id: u64,
    /// A second handle on the socket, to close it when it must make room.
    pub(super) stream: TcpStream,
    /// Set once the connection has shown the expected state: it is never
    /// closed to make room.
    preferred: Arc<AtomicBool>,
}

impl Conn {
    pub(super) fn open(&self) -> std::sync::MutexGuard<'_, VecDeque<Open>> {
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

    /// Keeps `handle` to join at the end, joining the threads that have
    /// ended meanwhile so that a long wait does not pile them up.
    fn keep(&self, handle: JoinHandle<()>) {
        let mut handles = self.handles.lock().unwrap_or_else(|e| e.into_inner());
        let (ended, running): (Vec<_>, Vec<_>) =
            handles.drain(..).partition(JoinHandle::is_finished);
        *handles = running;
        handles.push(handle);
        drop(handles);
        for h in ended {
            let _ = h.join();
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

pub(super) fn accept_loop(tcp: &TcpListener, stop: &AtomicBool, conn: &Arc<Conn>) {
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
                #[cfg(test)]
                c.test_exit.linger_then_count();
            });
        match spawned {
            Ok(handle) => conn.keep(handle),
            Err(_) => conn.release(id),
        }
    }
}

/// A request as far as the listener cares.
pub(super) struct Request {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: String,
    pub(super) host: Option<String>,
    pub(super) body: Vec<u8>,
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
pub(super) fn read_request(
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

pub(super) fn respond(stream: &mut TcpStream, status: u16, reason: &str, body: &str) {
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
