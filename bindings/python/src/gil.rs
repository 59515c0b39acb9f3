//! The one way this module calls the core: with the GIL released.

use crate::errors::to_py_err;
use auth0_native::Error;
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

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
    // The panic is caught after `detach` has taken the GIL back (its guard
    // does that while unwinding), so no Python state is touched without it.
    catch_unwind(AssertUnwindSafe(|| py.detach(call)))
        .unwrap_or_else(|_| Err(panic_error()))
        .map_err(|e| to_py_err(py, e))
}

fn panic_error() -> Error {
    Error::internal("a panic was caught at the Python boundary; this is a bug in auth0-native")
        .with_code("panic")
}
