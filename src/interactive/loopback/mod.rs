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
//! right `state` is closed to make room. `std::net` only: one accept thread
//! per address, one short-lived thread per connection, no async runtime.

mod connection;
#[cfg(test)]
mod tests;

use crate::error::{Error, ErrorKind, Result};
use crate::interactive::cancel::{cancelled, CancelToken};
use crate::logging::LOOPBACK;
use connection::{accept_loop, respond, Conn};
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
        url.set_port(Some(port)).map_err(|()| invalid())?;
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
            handles: Mutex::new(Vec::new()),
            #[cfg(test)]
            test_exit: connection::TestExit::default(),
            tx: tx.clone(),
        });
        let threads = self
            .tcp
            .into_iter()
            .filter_map(|tcp| {
                let (stop, shared) = (stop.clone(), shared.clone());
                std::thread::Builder::new()
                    .name("auth0-loopback".into())
                    .spawn(move || accept_loop(&tcp, &stop, &shared))
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
        let (running, _) = self
            .conn
            .threads_done
            .wait_timeout_while(threads, Duration::from_secs(2), |n| *n > 0)
            .unwrap_or_else(|e| e.into_inner());
        let all_released = *running == 0;
        drop(running);
        // A released thread has nothing left but to exit: join it. One
        // still reading past the wait (it cannot be: its socket is shut)
        // is left to end at its request deadline rather than block here.
        let handles =
            std::mem::take(&mut *self.conn.handles.lock().unwrap_or_else(|e| e.into_inner()));
        for h in handles {
            if all_released || h.is_finished() {
                let _ = h.join();
            }
        }
    }
}
