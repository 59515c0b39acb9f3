//! The one way this module calls the core: with the GIL released
//! ([`detached`], through [`call`] for the methods that take `**options`;
//! [`interruptible`] for the long interactive waits).

use crate::convert::keywords_to_options;
use crate::errors::to_py_err;
use crate::keywords::Keywords;
use auth0_native::{CancelToken, Error};
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

/// Runs one core call with the GIL released and turns its error into the
/// matching `Auth0Error` subclass.
///
/// The caller converts its Python arguments to owned Rust values *before*
/// (the `Ungil` bound makes touching a Python object inside `call` a compile
/// error) and builds Python objects from the result *after*, with the GIL
/// held again. Other Python threads run meanwhile — in the network calls,
/// for as long as the server takes.
///
/// A panic in the core is contained here and raised as `InternalError`
/// with code `panic`, as the C boundary reports it, rather than PyO3's
/// `PanicException` (a `BaseException` that `except Auth0Error` misses).
pub(crate) fn detached<T, F>(py: Python<'_>, call: F) -> PyResult<T>
where
    F: Ungil + FnOnce() -> auth0_native::Result<T>,
    auth0_native::Result<T>: Ungil,
{
    crate::logging::refresh_level(py);
    // The panic is caught after `detach` has taken the GIL back (its guard
    // does that while unwinding), so no Python state is touched without it.
    let result =
        catch_unwind(AssertUnwindSafe(|| py.detach(call))).unwrap_or_else(|_| Err(panic_error()));
    // The call's log records reach `logging` before it returns.
    crate::logging::deliver(py);
    result.map_err(|e| to_py_err(py, e))
}

/// The body of a method that takes auth0.js's options as `**keywords`:
/// the keywords checked against `accepts` and converted to the core's
/// options, `core` run with them and the GIL released ([`detached`]),
/// and its result made a Python object by `to_py` with the GIL held.
pub(crate) fn call<'py, T, F>(
    py: Python<'py>,
    accepts: &Keywords,
    keywords: Option<&Bound<'py, PyDict>>,
    core: F,
    to_py: fn(Python<'py>, &T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    // `Send` (which makes the closure below `Ungil`): like `detached`'s
    // bound, no Python object can be touched with the GIL released.
    F: Send + FnOnce(Value) -> auth0_native::Result<T>,
    auth0_native::Result<T>: Send,
{
    let options = keywords_to_options(keywords, accepts)?;
    let result = detached(py, move || core(options))?;
    to_py(py, &result)
}

fn panic_error() -> Error {
    Error::internal("a panic was caught at the Python boundary; this is a bug in auth0-native")
        .with_code("panic")
}

/// How often a blocking interactive call wakes the calling thread to look
/// for a signal (Ctrl+C) or a cancelled [`PyCancelToken`].
///
/// [`PyCancelToken`]: crate::interactive::PyCancelToken
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Runs one long, cancellable core call (the popup's loopback wait, device
/// polling) so that Ctrl+C ends it.
///
/// CPython runs signal handlers on the main thread only, when it holds the
/// GIL, so the core call goes to a helper thread and the calling thread
/// waits for it with the GIL released, waking every [`SIGNAL_POLL`] to
/// run `py.check_signals()` and to look at `watch` (the caller's
/// `CancelToken`). When a signal handler raises (`KeyboardInterrupt`), the
/// core call is cancelled through the token `call` was given, which ends
/// its wait at once, and that exception is raised once the call is over; a
/// second Ctrl+C stops waiting for it (a Python callback of the call may
/// still be running). `watch` being cancelled cancels the call too, and
/// it then ends with `CancelledError`. The caller's token is never
/// cancelled by a signal.
///
/// Callbacks the call makes into Python run on the helper thread, and take
/// the GIL themselves (`Python::attach`).
pub(crate) fn interruptible<T, F>(
    py: Python<'_>,
    watch: Option<CancelToken>,
    call: F,
) -> PyResult<T>
where
    T: Send + 'static,
    F: FnOnce(CancelToken) -> auth0_native::Result<T> + Send + 'static,
{
    crate::logging::refresh_level(py);
    let token = CancelToken::new();
    if watch.as_ref().is_some_and(CancelToken::is_cancelled) {
        // The call then ends before it opens or sends anything.
        token.cancel();
    }
    let (tx, rx) = mpsc::channel();
    let inner = token.clone();
    std::thread::Builder::new()
        .name("auth0-native-wait".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| call(inner)))
                .unwrap_or_else(|_| Err(panic_error()));
            // The caller may have stopped waiting (a second Ctrl+C).
            let _ = tx.send(result);
        })
        .map_err(|e| {
            to_py_err(
                py,
                Error::internal(format!("a thread could not be started: {e}")),
            )
        })?;
    let mut rx = Some(rx);
    loop {
        let waited = wait_once(py, &mut rx);
        // Records of the call (and of its listener threads) as they come.
        crate::logging::deliver(py);
        match waited {
            Some(Ok(result)) => return result.map_err(|e| to_py_err(py, e)),
            Some(Err(())) => return Err(to_py_err(py, lost_thread_error())),
            None => {}
        }
        if watch.as_ref().is_some_and(CancelToken::is_cancelled) {
            token.cancel();
        }
        if let Err(interrupt) = py.check_signals() {
            token.cancel();
            loop {
                match wait_once(py, &mut rx) {
                    Some(_) => return Err(interrupt),
                    None => py.check_signals()?,
                }
            }
        }
    }
}

/// Waits up to [`SIGNAL_POLL`] for the helper's result with the GIL
/// released: `Some(Ok(result))`, `Some(Err(()))` when the helper is gone
/// without one, `None` when still running. (The receiver moves in and out
/// of the detached closure: it is `Send` but not `Sync`.)
fn wait_once<T: Send>(
    py: Python<'_>,
    slot: &mut Option<mpsc::Receiver<auth0_native::Result<T>>>,
) -> Option<Result<auth0_native::Result<T>, ()>> {
    let Some(rx) = slot.take() else {
        return Some(Err(()));
    };
    let (rx, got) = py.detach(move || {
        let got = rx.recv_timeout(SIGNAL_POLL);
        (rx, got)
    });
    *slot = Some(rx);
    match got {
        Ok(result) => Some(Ok(result)),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err(())),
    }
}

fn lost_thread_error() -> Error {
    Error::internal("the call's thread ended without an answer; this is a bug in auth0-native")
}
