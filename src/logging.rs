//! What the library logs, and how: one facade (the [`log`] crate), one
//! target per concern under `auth0_native::…`, and helpers that make the
//! safe way the only short way to write a call site.
//!
//! A Rust program sees the records through whatever `log` logger it
//! installs (`env_logger`, `simple_logger`, a `tracing` bridge); the C
//! library (`auth0_set_log_callback`, `AUTH0_NATIVE_LOG`) and the Python
//! module (the `logging` logger `auth0_native`) install [`set_sink`]'s
//! forwarder instead. Levels: `debug` for per-request detail, `info` for
//! lifecycle (a listener started, a login done), `warn` for refusals and
//! retries, `error` for nothing yet (an error goes back to the caller, who
//! decides), `trace` unused.
//!
//! A Rust program's own logger also receives the dependencies' records,
//! which are not held to these rules: the cookie store under reqwest logs
//! whole `Set-Cookie` headers (the tenant's SSO session cookie) at
//! `debug`. Filter on the `auth0_native` target, or keep `cookie_store` at
//! `info` or above (`RUST_LOG=auth0_native=debug` with `env_logger`). The
//! C and Python forwarders pass on `auth0_native::…` records only.
//!
//! # Writing a log call (for the library's own code)
//!
//! ```ignore
//! use crate::logging::{self, HTTP};
//! log::debug!(target: HTTP, "{} {} -> {} in {} ms", method, logging::url(url), status, ms);
//! log::warn!(target: logging::RETRY, "retrying after {}", logging::error(&err));
//! log::debug!(target: logging::TRANSACTION, "recorded state {}", logging::prefix(&state));
//! ```
//!
//! The rules the helpers keep, and that every call site must keep too:
//! - a URL is logged through [`url()`] only: scheme, host, port and path —
//!   never the query or fragment (codes, tokens, state, `login_hint`) nor
//!   user info;
//! - an error through [`error()`] only: kind, code, status and description
//!   (the public message, which carries no secret) — never `original`,
//!   the server's body;
//! - an identifier that is no secret but need not be written whole (a
//!   transaction's `state`) through [`prefix()`];
//! - never a body, a header value, a cookie, or anything of a
//!   [`secret`](crate::secret) type (whose `Debug` prints `[redacted]`
//!   anyway, and whose `.secret()` must never appear in a log call).

use crate::error::{Error, Result};
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{OnceLock, RwLock};

pub use log::{Level, LevelFilter};

/// The root of every target the library logs under.
pub const TARGET: &str = "auth0_native";
/// Each HTTP request: method, host, path, status, duration, attempt.
pub const HTTP: &str = "auth0_native::http";
/// Retries and their waits.
pub const RETRY: &str = "auth0_native::retry";
/// JWKS fetches and cache decisions.
pub const JWKS: &str = "auth0_native::jwks";
/// Transactions recorded and consumed (state prefixes only).
pub const TRANSACTION: &str = "auth0_native::transaction";
/// The loopback listener of `popup.authorize`: start, stop, strays.
pub const LOOPBACK: &str = "auth0_native::loopback";
/// Device-flow polling.
pub const DEVICE: &str = "auth0_native::device";
/// The steps of the headless walks (redirects, forms).
pub const HEADLESS: &str = "auth0_native::headless";
/// The credentials manager (saves, renewals, clears).
pub const CREDENTIALS: &str = "auth0_native::credentials";
/// MFA and Organizations flows.
pub const MFA: &str = "auth0_native::mfa";

/// The longest path or description written whole; longer ones are cut.
const MAX_SHOWN: usize = 200;

/// `u` as `scheme://host[:port]/path`, for a log line: no query, no
/// fragment, no user info. Text that is not a URL is not written at all.
#[must_use]
pub fn url(u: &str) -> impl fmt::Display + '_ {
    struct Shown<'a>(&'a str);
    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let Ok(u) = url::Url::parse(self.0) else {
                return f.write_str("<not a URL>");
            };
            write!(f, "{}://{}", u.scheme(), u.host_str().unwrap_or(""))?;
            if let Some(port) = u.port() {
                write!(f, ":{port}")?;
            }
            write_cut(f, u.path())
        }
    }
    Shown(u)
}

/// `e` for a log line: `kind code (HTTP status): description`. Never the
/// server's body (`original`).
#[must_use]
pub fn error(e: &Error) -> impl fmt::Display + '_ {
    struct Shown<'a>(&'a Error);
    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let e = self.0;
            write!(f, "{:?} {}", e.kind(), e.code())?;
            if let Some(s) = e.status_code() {
                write!(f, " (HTTP {s})")?;
            }
            f.write_str(": ")?;
            write_cut(f, e.description())
        }
    }
    Shown(e)
}

/// The first characters of an identifier that is not a secret but need
/// not be written whole (a transaction's `state`): enough to tell two
/// apart in a log, not enough to replay one.
#[must_use]
pub fn prefix(s: &str) -> impl fmt::Display + '_ {
    struct Shown<'a>(&'a str);
    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let head: String = self.0.chars().take(4).filter(|c| !c.is_control()).collect();
            write!(f, "{head}…")
        }
    }
    Shown(s)
}

/// Writes `s` without control characters (no forged log lines), cut at
/// [`MAX_SHOWN`] characters.
fn write_cut(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    for (i, c) in s.chars().enumerate() {
        if i == MAX_SHOWN {
            return f.write_str("…");
        }
        if c.is_control() {
            f.write_str("\u{fffd}")?;
        } else {
            fmt::Write::write_char(f, c)?;
        }
    }
    Ok(())
}

/// Where [`set_sink`]'s forwarder sends the library's records: the C
/// callback, Python's `logging`, stderr.
pub trait Sink: Send + Sync {
    /// One record: its level, its target (`auth0_native::http`) and its
    /// message, already formatted. Called on the thread that logged (any
    /// thread of the program or of the library); must not block for long.
    fn log(&self, level: Level, target: &str, message: &str);
}

/// A [`Sink`] that writes `auth0-native: LEVEL target: message` lines to
/// stderr (the C library's `AUTH0_NATIVE_LOG`).
pub struct StderrSink;

impl Sink for StderrSink {
    fn log(&self, level: Level, target: &str, message: &str) {
        use std::io::Write;
        // One write per line, so lines of two threads do not interleave.
        let line = format!("auth0-native: {level:<5} {target}: {message}\n");
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Reads a level name (`error`, `warn`, `info`, `debug`, `trace`, `off`;
/// any case), as `AUTH0_NATIVE_LOG` takes it.
#[must_use]
pub fn parse_level(name: &str) -> Option<LevelFilter> {
    name.trim().parse().ok()
}

/// The forwarder [`set_sink`] installs as the process's `log` logger.
struct Forwarder;

/// The sink, read-locked while a record is delivered so that once
/// [`set_sink`] returns the previous sink is neither running nor called
/// again (a C program may then free its `user_data`).
static SINK: RwLock<Option<Box<dyn Sink>>> = RwLock::new(None);
/// The sink's level, as `LevelFilter as usize`.
static LEVEL: AtomicUsize = AtomicUsize::new(0);
/// Whether the forwarder is the process's logger (set once).
static INSTALLED: OnceLock<bool> = OnceLock::new();

thread_local! {
    /// Set while this thread runs the sink: a record the sink itself
    /// causes (a C callback calling into the library) is dropped rather
    /// than delivered re-entrantly.
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

fn level_from(n: usize) -> LevelFilter {
    LevelFilter::iter().nth(n).unwrap_or(LevelFilter::Off)
}

impl log::Log for Forwarder {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        is_ours(m.target()) && m.level() <= level_from(LEVEL.load(Ordering::Relaxed))
    }

    fn log(&self, record: &log::Record<'_>) {
        /// Clears `IN_SINK` however the sink returns.
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_SINK.with(|f| f.set(false));
            }
        }

        // Only the library's own records: the dependencies' (hyper, rustls,
        // the cookie store) are not the library's to hand out, and are not
        // held to its redaction rules.
        if !self.enabled(record.metadata()) || IN_SINK.with(Cell::get) {
            return;
        }
        let sink = SINK.read().unwrap_or_else(|p| p.into_inner());
        let Some(sink) = sink.as_ref() else {
            return;
        };
        let message = record.args().to_string();
        IN_SINK.with(|f| f.set(true));
        let _reset = Reset;
        sink.log(record.level(), record.target(), &message);
    }

    fn flush(&self) {}
}

fn is_ours(target: &str) -> bool {
    target
        .strip_prefix(TARGET)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// Sends the library's records at `level` and above to `sink` (`None`, or
/// [`LevelFilter::Off`], turns logging off), replacing the previous sink.
/// Thread-safe, callable at any time: when it returns, the previous sink
/// is no longer running on any thread and is never called again.
///
/// The first call makes the forwarder the process's `log` logger. For the
/// bindings: a Rust program installs its own `log` logger instead, and
/// then this fails with an `InvalidArgument` error, as it does when called
/// from inside a sink.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
/// another `log` logger is installed, or when called from inside a sink.
pub fn set_sink(level: LevelFilter, sink: Option<Box<dyn Sink>>) -> Result<()> {
    if IN_SINK.with(Cell::get) {
        return Err(Error::invalid_argument(
            "the log sink cannot be changed from inside a log callback",
        ));
    }
    let installed = *INSTALLED.get_or_init(|| log::set_logger(&Forwarder).is_ok());
    if !installed {
        return Err(Error::invalid_argument(
            "another `log` logger is installed in this process; its records are already going there",
        ));
    }
    let level = if sink.is_some() {
        level
    } else {
        LevelFilter::Off
    };
    let old = {
        let mut guard = SINK.write().unwrap_or_else(|p| p.into_inner());
        LEVEL.store(level as usize, Ordering::Relaxed);
        log::set_max_level(level);
        std::mem::replace(&mut *guard, sink)
    };
    drop(old);
    Ok(())
}

/// Changes the level of the installed sink without replacing it (Python's
/// logger level, read again before each call). Does nothing before
/// [`set_sink`] installed the forwarder.
pub fn set_sink_level(level: LevelFilter) {
    if INSTALLED.get() != Some(&true) {
        return;
    }
    let has_sink = SINK.read().unwrap_or_else(|p| p.into_inner()).is_some();
    let level = if has_sink { level } else { LevelFilter::Off };
    if LEVEL.swap(level as usize, Ordering::Relaxed) != level as usize {
        log::set_max_level(level);
    }
}

/// Whether a sink is installed (the C library reads `AUTH0_NATIVE_LOG`
/// only when none is).
pub fn has_sink() -> bool {
    INSTALLED.get() == Some(&true) && SINK.read().unwrap_or_else(|p| p.into_inner()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_url_keeps_scheme_host_port_and_path_only() {
        let u = "https://user:pw@me.auth0.com:8443/authorize/x?code=SECRET&state=s#access_token=T";
        assert_eq!(url(u).to_string(), "https://me.auth0.com:8443/authorize/x");
        assert_eq!(url("not a url?code=SECRET").to_string(), "<not a URL>");
        assert_eq!(
            url("http://127.0.0.1:9/cb?code=X").to_string(),
            "http://127.0.0.1:9/cb"
        );
    }

    #[test]
    fn an_error_shows_its_public_parts_and_never_its_body() {
        let e = Error::new(ErrorKind::Server, "Wrong email or password.")
            .with_code("invalid_grant")
            .with_status_code(403)
            .with_original(serde_json::json!({"secret": "BODY-SECRET"}));
        let shown = error(&e).to_string();
        assert_eq!(
            shown,
            "Server invalid_grant (HTTP 403): Wrong email or password."
        );
    }

    #[test]
    fn control_characters_cannot_forge_lines() {
        let e = Error::new(ErrorKind::Server, "a\nauth0-native: INFO forged");
        assert!(!error(&e).to_string().contains('\n'));
        assert_eq!(prefix("ab\ncdefgh").to_string(), "abc…");
    }

    #[test]
    fn a_prefix_is_four_characters() {
        assert_eq!(prefix("0123456789abcdef").to_string(), "0123…");
    }

    #[test]
    fn only_the_library_s_targets_are_forwarded() {
        assert!(is_ours("auth0_native"));
        assert!(is_ours("auth0_native::http"));
        assert!(!is_ours("auth0_native_other"));
        assert!(!is_ours("reqwest::connect"));
    }

    /// The one test of this binary that installs the forwarder (the
    /// process's logger is global).
    #[test]
    fn the_forwarder_passes_the_library_s_records_only_and_can_be_swapped() {
        use std::sync::{Arc, Mutex};
        type Seen = Arc<Mutex<Vec<(Level, String, String)>>>;
        static ME: OnceLock<std::thread::ThreadId> = OnceLock::new();
        struct Collect(Seen, bool);
        impl Sink for Collect {
            fn log(&self, level: Level, target: &str, message: &str) {
                // The other unit tests log on their own threads meanwhile.
                if ME.get() != Some(&std::thread::current().id()) {
                    return;
                }
                if self.1 {
                    // Re-entrant: refused, and this record is not redelivered.
                    let refused = set_sink(LevelFilter::Off, None).is_err();
                    log::warn!(target: HTTP, "inner");
                    self.0
                        .lock()
                        .unwrap()
                        .push((level, "refused".into(), refused.to_string()));
                }
                self.0
                    .lock()
                    .unwrap()
                    .push((level, target.into(), message.into()));
            }
        }
        ME.set(std::thread::current().id()).unwrap();
        let seen: Seen = Arc::default();
        set_sink(
            LevelFilter::Debug,
            Some(Box::new(Collect(seen.clone(), false))),
        )
        .unwrap();
        assert!(has_sink());
        log::debug!(target: HTTP, "GET {}", url("https://x.test/p?code=SECRET"));
        log::trace!(target: HTTP, "too verbose");
        log::debug!(target: "reqwest::connect", "not ours");
        assert_eq!(
            *seen.lock().unwrap(),
            [(
                Level::Debug,
                HTTP.to_owned(),
                "GET https://x.test/p".to_owned()
            )]
        );
        set_sink_level(LevelFilter::Trace);
        log::trace!(target: JWKS, "now verbose");
        assert_eq!(seen.lock().unwrap().len(), 2);

        let inner: Seen = Arc::default();
        set_sink(
            LevelFilter::Info,
            Some(Box::new(Collect(inner.clone(), true))),
        )
        .unwrap();
        log::info!(target: DEVICE, "outer");
        assert_eq!(
            seen.lock().unwrap().len(),
            2,
            "the old sink is never called again"
        );
        assert_eq!(
            *inner.lock().unwrap(),
            [
                (Level::Info, "refused".to_owned(), "true".to_owned()),
                (Level::Info, DEVICE.to_owned(), "outer".to_owned())
            ]
        );
        set_sink(LevelFilter::Trace, None).unwrap();
        assert!(!has_sink());
        assert_eq!(log::max_level(), LevelFilter::Off);
        log::error!(target: HTTP, "nobody listens");
        assert_eq!(inner.lock().unwrap().len(), 2);
    }

    #[test]
    fn level_names_parse() {
        assert_eq!(parse_level("debug"), Some(LevelFilter::Debug));
        assert_eq!(parse_level(" WARN "), Some(LevelFilter::Warn));
        assert_eq!(parse_level("loud"), None);
        assert_eq!(level_from(LevelFilter::Trace as usize), LevelFilter::Trace);
    }
}
