//! The one conversion from the core's [`Error`] to a Python exception.
//!
//! The exception classes are written in Python (`auth0_native/_errors.py`):
//! some need two bases (`InvalidArgumentError(Auth0Error, ValueError)`,
//! `Auth0TimeoutError(Auth0Error, TimeoutError)`), which `create_exception!`
//! cannot express, and a Python class gives them a documented constructor
//! and pickling for free. PyO3's `import_exception!` looks each class up
//! once and caches it.

use crate::convert::json_to_py;
use auth0_native::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

pyo3::import_exception!(auth0_native._errors, InvalidArgumentError);
pyo3::import_exception!(auth0_native._errors, NetworkError);
pyo3::import_exception!(auth0_native._errors, Auth0TimeoutError);
pyo3::import_exception!(auth0_native._errors, ServerError);
pyo3::import_exception!(auth0_native._errors, InvalidTokenError);
pyo3::import_exception!(auth0_native._errors, AuthorizationError);
pyo3::import_exception!(auth0_native._errors, MfaRequiredError);
pyo3::import_exception!(auth0_native._errors, CancelledError);
pyo3::import_exception!(auth0_native._errors, StorageError);
pyo3::import_exception!(auth0_native._errors, InternalError);
pyo3::import_exception!(auth0_native._errors, CredentialsError);

/// The exception for `error`: the class of its kind, with `code`,
/// `description` (also `str(exc)`), `status_code`, `original`, `state`,
/// `retry_after` and `rate_limit_reset` set from it. The core's messages carry no secret; only `MfaRequiredError.mfa_token` is added
/// here.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let class = match error.mfa_token() {
        // `mfa_required`: the class that carries the token.
        Some(_) => py.get_type::<MfaRequiredError>(),
        None => class_of(py, error.kind()),
    };
    match instantiate(&class, &error) {
        Ok(exception) => PyErr::from_value(exception),
        // Building the exception failed (e.g. out of memory): raise that.
        Err(failure) => failure,
    }
}

fn class_of(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::InvalidArgument => py.get_type::<InvalidArgumentError>(),
        ErrorKind::Network => py.get_type::<NetworkError>(),
        ErrorKind::Timeout => py.get_type::<Auth0TimeoutError>(),
        ErrorKind::Server => py.get_type::<ServerError>(),
        ErrorKind::InvalidToken => py.get_type::<InvalidTokenError>(),
        ErrorKind::Authorization => py.get_type::<AuthorizationError>(),
        ErrorKind::Cancelled => py.get_type::<CancelledError>(),
        ErrorKind::Storage => py.get_type::<StorageError>(),
        ErrorKind::Credentials => py.get_type::<CredentialsError>(),
        // No `_` arm: a kind added to the core must be given a class here
        // (the C layer's `status_of` likewise).
        ErrorKind::Internal => py.get_type::<InternalError>(),
    }
}

fn instantiate<'py>(class: &Bound<'py, PyType>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let py = class.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", error.code())?;
    kwargs.set_item("status_code", error.status_code())?;
    // The server's body stays as the server wrote it (no key conversion).
    let original = error.original().map(|o| json_to_py(py, o)).transpose()?;
    kwargs.set_item("original", original)?;
    kwargs.set_item("state", error.state())?;
    kwargs.set_item("retry_after", error.retry_after())?;
    kwargs.set_item("rate_limit_reset", error.rate_limit_reset())?;
    if let Some(token) = error.mfa_token() {
        // The one place the mfa_token leaves its type (MfaRequiredError).
        kwargs.set_item("mfa_token", token.secret())?;
    }
    kwargs.set_item("retryable", error.retryable())?;
    kwargs.set_item("cause", error.cause())?;
    class.call((error.description(),), Some(&kwargs))
}
