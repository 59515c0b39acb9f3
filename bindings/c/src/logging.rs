//! The C face of the library's logging: [`auth0_set_log_callback`], and
//! the `AUTH0_NATIVE_LOG` environment variable for logging to stderr
//! without code changes. Both go through the core's one forwarder
//! (`auth0_native::logging::set_sink`), which passes on the library's own
//! records only (targets `auth0_native::…`), already redacted.

use super::boundary::auth0_status;
use auth0_native::logging::{self, Level, LevelFilter, Sink, StderrSink};
use std::ffi::{c_char, c_int, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// The levels of the library's log records, most severe first. A callback
/// set for a level receives the records of that level and the more severe
/// ones.
///
/// `AUTH0_LOG_WARN`: refusals and retries (a stray request to the loopback
/// listener, a rate-limited call waited out). `AUTH0_LOG_INFO`: lifecycle
/// (a listener started or stopped, keys fetched, a device activated).
/// `AUTH0_LOG_DEBUG`: per-request detail (each HTTP request's method,
/// host, path — never the query —, status, duration and attempt; cache
/// decisions; transaction states, by a short prefix).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum auth0_log_level {
    /// No records (turns logging off).
    AUTH0_LOG_OFF = 0,
    /// Errors.
    AUTH0_LOG_ERROR = 1,
    /// Warnings: refusals, retries.
    AUTH0_LOG_WARN = 2,
    /// Lifecycle events.
    AUTH0_LOG_INFO = 3,
    /// Per-request detail.
    AUTH0_LOG_DEBUG = 4,
    /// Everything.
    AUTH0_LOG_TRACE = 5,
}

/// A log callback: `level` is an `auth0_log_level` (never `AUTH0_LOG_OFF`),
/// `target` names what logged (`"auth0_native::http"`,
/// `"auth0_native::loopback"`, …) and `message` is the record's text. Both
/// strings are NUL-terminated UTF-8, owned by the library and valid only
/// during the call: copy them to keep them. `user_data` is the pointer given
/// to `auth0_set_log_callback`.
///
/// Called on whichever thread logged — the caller's, or one of the
/// library's (the loopback listener's) — possibly on several threads at
/// once: it must be thread-safe, return promptly, and not wait for another
/// thread that may be logging. Records the library makes while the
/// callback runs on that thread (the callback calling the library) are
/// dropped.
#[allow(non_camel_case_types)]
pub type auth0_log_callback = Option<
    unsafe extern "C" fn(
        level: c_int,
        target: *const c_char,
        message: *const c_char,
        user_data: *mut c_void,
    ),
>;

struct CSink {
    f: unsafe extern "C" fn(c_int, *const c_char, *const c_char, *mut c_void),
    user_data: *mut c_void,
}

// SAFETY: the caller of auth0_set_log_callback promises a thread-safe
// callback and user_data usable from any thread (its documentation).
unsafe impl Send for CSink {}
// SAFETY: as above.
unsafe impl Sync for CSink {}

fn c_text(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{fffd}")).unwrap_or_default()
}

impl Sink for CSink {
    fn log(&self, level: Level, target: &str, message: &str) {
        let (target, message) = (c_text(target), c_text(message));
        // SAFETY: both strings are NUL-terminated and live across the call;
        // the callback's contract is the caller's (see its documentation).
        unsafe {
            (self.f)(
                level as c_int,
                target.as_ptr(),
                message.as_ptr(),
                self.user_data,
            )
        }
    }
}

fn filter_of(level: c_int) -> Option<LevelFilter> {
    LevelFilter::iter().nth(usize::try_from(level).ok()?)
}

/// Reads `AUTH0_NATIVE_LOG` once, on the first use of the library (the
/// first handle made, or the first `auth0_set_log_callback`): with
/// `error`, `warn`, `info`, `debug` or `trace`, records of that level and
/// above go to stderr. A callback set later replaces it.
pub(crate) fn init_from_env() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Some(value) = std::env::var_os("AUTH0_NATIVE_LOG") else {
            return;
        };
        let value = value.to_string_lossy();
        match logging::parse_level(&value) {
            Some(LevelFilter::Off) => {}
            Some(level) if !logging::has_sink() => {
                let _ = logging::set_sink(level, Some(Box::new(StderrSink)));
            }
            Some(_) => {}
            None => eprintln!(
                "auth0-native: AUTH0_NATIVE_LOG={:?} is not a level (error, warn, info, debug, trace or off); not logging",
                value.chars().take(40).collect::<String>()
            ),
        }
    });
}

/// Sends the library's log records of `level` and more severe to
/// `callback(level, target, message, user_data)`, replacing any previous
/// callback (and the stderr logging of `AUTH0_NATIVE_LOG`).
///
/// `level` is an `auth0_log_level` value; `AUTH0_LOG_OFF` or a NULL
/// `callback` turns logging off. Records never hold a token, code,
/// verifier, password, OTP, `mfa_token`, client secret, cookie value,
/// query string, fragment or body.
///
/// Returns `AUTH0_OK`, or `AUTH0_ERROR_INVALID_ARGUMENT` (nothing changed)
/// when `level` is not an `auth0_log_level` or when called from inside the
/// log callback. Thread-safe and callable at any time, before or after
/// handles exist: when it returns, the previous callback is not running on
/// any thread and is never called again, so its `user_data` may be freed.
/// `user_data` may be NULL; the library never dereferences it.
#[no_mangle]
pub unsafe extern "C" fn auth0_set_log_callback(
    level: c_int,
    callback: auth0_log_callback,
    user_data: *mut c_void,
) -> auth0_status {
    catch_unwind(AssertUnwindSafe(|| {
        init_from_env();
        let Some(filter) = filter_of(level) else {
            return auth0_status::AUTH0_ERROR_INVALID_ARGUMENT;
        };
        let sink = callback.map(|f| Box::new(CSink { f, user_data }) as Box<dyn Sink>);
        match logging::set_sink(filter, sink) {
            Ok(()) => auth0_status::AUTH0_OK,
            Err(_) => auth0_status::AUTH0_ERROR_INVALID_ARGUMENT,
        }
    }))
    .unwrap_or(auth0_status::AUTH0_ERROR_INTERNAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_levels_are_the_core_s() {
        assert_eq!(
            filter_of(auth0_log_level::AUTH0_LOG_OFF as c_int),
            Some(LevelFilter::Off)
        );
        assert_eq!(
            filter_of(auth0_log_level::AUTH0_LOG_WARN as c_int),
            Some(LevelFilter::Warn)
        );
        assert_eq!(
            filter_of(auth0_log_level::AUTH0_LOG_TRACE as c_int),
            Some(LevelFilter::Trace)
        );
        assert_eq!(
            Level::Debug as c_int,
            auth0_log_level::AUTH0_LOG_DEBUG as c_int
        );
        assert_eq!(filter_of(6), None);
        assert_eq!(filter_of(-1), None);
    }
}
