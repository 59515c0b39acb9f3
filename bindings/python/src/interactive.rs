//! The interactive logins: `CancelToken`, `web.popup` (the loopback login
//! through a browser) and `web.device` (RFC 8628's device flow).
//!
//! Their waits are long, so they run through [`interruptible`]: the GIL is
//! released, Ctrl+C ends them, and a `CancelToken` cancelled from another
//! thread ends them with `CancelledError`. The app's Python callbacks (the
//! opener of the login URL, the receiver of the device code) are called
//! from the core on the helper thread of that wait; they take the GIL
//! themselves, and an exception they raise is kept to be raised (or
//! chained) in the caller's thread once the call is over.

use crate::convert::{
    argument_to_json, auth_result_to_py, json_to_py, keywords_to_options, seconds_to_millis,
};
use crate::errors::to_py_err;
use crate::gil::{call, interruptible};
use crate::keywords;
use auth0_native::{json_face, CancelToken, Error, Interaction, Opener, WebAuth};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A way to end a call from another thread: an interactive one given it as
/// `cancel=` (`popup.authorize`, `device.poll`, `device.login`,
/// `mfa.verify`), or any call run through `run()`. `cancel()` makes it raise
/// `CancelledError` promptly. Once cancelled it stays cancelled; use a fresh
/// token per call.
#[pyclass(frozen, module = "auth0_native", name = "CancelToken")]
pub(crate) struct PyCancelToken {
    token: CancelToken,
}

#[pymethods]
impl PyCancelToken {
    #[new]
    fn new() -> Self {
        PyCancelToken {
            token: CancelToken::new(),
        }
    }

    /// Cancels every call watching this token. Safe from any thread, any
    /// number of times.
    fn cancel(&self) {
        self.token.cancel();
    }

    /// Whether `cancel()` has been called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Calls `f(*args, **kwargs)` with this token watching every request
    /// the library makes for it on this thread: once `cancel()` is called,
    /// a request not yet sent is not sent, and one waiting for its answer
    /// ends at once; the call raises `CancelledError`.
    #[pyo3(signature = (f, /, *args, **kwargs))]
    fn run(
        &self,
        f: &Bound<'_, PyAny>,
        args: &Bound<'_, pyo3::types::PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.token
            .run_as_current(|| f.call(args, kwargs).map(Bound::unbind))
    }

    fn __repr__(&self) -> String {
        let cancelled = if self.token.is_cancelled() {
            "True"
        } else {
            "False"
        };
        format!("CancelToken(cancelled={cancelled})")
    }
}

/// The exception a Python callback raised inside a core call, kept for the
/// caller's thread.
type Failure = Arc<Mutex<Option<PyErr>>>;

fn keep(failure: &Failure, error: PyErr) {
    *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
}

fn kept(failure: &Failure) -> Option<PyErr> {
    failure.lock().unwrap_or_else(|p| p.into_inner()).take()
}

fn require_callable(value: &Bound<'_, PyAny>, name: &str) -> PyResult<()> {
    if value.is_callable() {
        Ok(())
    } else {
        Err(to_py_err(
            value.py(),
            Error::invalid_argument(format!("{name} is not callable")),
        ))
    }
}

/// The core opener for a Python `opener(url)`: it runs with the GIL taken
/// on the calling helper thread; an exception is an opener failure (the
/// core's `browser_open_failed`), described by its type and message with
/// the URL taken out, and kept to become the `__cause__` of the error.
fn python_opener(callable: Py<PyAny>, failure: Failure) -> Opener {
    Opener::Callback(Box::new(move |url: &str| {
        Python::attach(|py| match callable.call1(py, (url,)) {
            Ok(_) => Ok(()),
            Err(error) => {
                let reason = describe(py, &error, url);
                keep(&failure, error);
                Err(reason)
            }
        })
    }))
}

/// `TypeName: message` of a Python exception, without `url` (it carries
/// the state and the PKCE challenge, which stay out of messages).
fn describe(py: Python<'_>, error: &PyErr, url: &str) -> String {
    let name = error
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".to_owned());
    let message = error
        .value(py)
        .str()
        .map(|s| s.to_string())
        .unwrap_or_default()
        .replace(url, "<the login URL>");
    if message.is_empty() {
        format!("the opener raised {name}")
    } else {
        format!("the opener raised {name}: {message}")
    }
}

pub(crate) fn watched(cancel: Option<&Bound<'_, PyCancelToken>>) -> Option<CancelToken> {
    cancel.map(|c| c.get().token.clone())
}

/// The interactive login of native apps, through a browser and a loopback
/// listener, and the password login (auth0.js's `webAuth.popup`).
#[pyclass(frozen, module = "auth0_native", name = "Popup")]
pub(crate) struct PyPopup {
    pub(crate) web: Arc<WebAuth>,
}

#[pymethods]
impl PyPopup {
    /// Logs the user in through a browser: binds a loopback listener,
    /// opens the `/authorize` URL (PKCE unless `pkce=False`) with `opener`
    /// or the system browser, waits for the browser to come back
    /// (`timeout` seconds, default five minutes), and returns the checked
    /// authResult (auth0.js's `popup.authorize`).
    #[pyo3(signature = (*, opener = None, cancel = None, **options))]
    fn authorize<'py>(
        &self,
        py: Python<'py>,
        opener: Option<&Bound<'py, PyAny>>,
        cancel: Option<&Bound<'py, PyCancelToken>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options, &keywords::POPUP_AUTHORIZE)?;
        let failure = Failure::default();
        let opener = match opener {
            None => Opener::System,
            Some(callable) => {
                require_callable(callable, "opener")?;
                python_opener(callable.clone().unbind(), Arc::clone(&failure))
            }
        };
        let web = Arc::clone(&self.web);
        let result = interruptible(py, watched(cancel), move |token| {
            let interaction = Interaction::new().with_opener(opener).with_cancel(token);
            web.popup_authorize(&options, &interaction)
        });
        match result {
            Ok(result) => auth_result_to_py(py, &result),
            Err(error) => {
                if let Some(cause) = kept(&failure) {
                    error.set_cause(py, Some(cause));
                }
                Err(error)
            }
        }
    }

    /// Logs in with a password, without a browser: the same as
    /// `redirect.login_with_credentials` (auth0.js's
    /// `popup.loginWithCredentials`; no window is needed natively).
    #[pyo3(signature = (**options))]
    fn login_with_credentials<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        login_with_credentials(py, &self.web, options)
    }

    fn __repr__(&self) -> String {
        format!("Popup(client_id={:?})", self.web.client_id())
    }
}

/// The headless password login (auth0.js's `webAuth.redirect`).
#[pyclass(frozen, module = "auth0_native", name = "Redirect")]
pub(crate) struct PyRedirect {
    pub(crate) web: Arc<WebAuth>,
}

#[pymethods]
impl PyRedirect {
    /// Logs in with a password on the tenant's login endpoint with the
    /// handle's cookie jar (which then holds the SSO session `renew_auth`
    /// uses), follows the answer to `redirect_uri` and returns the checked
    /// authResult (auth0.js's `redirect.loginWithCredentials`).
    #[pyo3(signature = (**options))]
    fn login_with_credentials<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        login_with_credentials(py, &self.web, options)
    }

    fn __repr__(&self) -> String {
        format!("Redirect(client_id={:?})", self.web.client_id())
    }
}

fn login_with_credentials<'py>(
    py: Python<'py>,
    web: &WebAuth,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let login = |o: Value| web.login_with_credentials(&o);
    call(
        py,
        &keywords::LOGIN_WITH_CREDENTIALS,
        options,
        login,
        auth_result_to_py,
    )
}

/// The device authorization flow (RFC 8628) for TVs, kiosks and
/// terminals: `start`, `poll`, and the one-call `login`.
#[pyclass(frozen, module = "auth0_native", name = "Device")]
pub(crate) struct PyDevice {
    pub(crate) web: Arc<WebAuth>,
}

#[pymethods]
impl PyDevice {
    /// `POST /oauth/device/code`: the server's answer (`device_code`,
    /// `user_code`, `verification_uri`, ...) plus `qr` (`text`, `svg`).
    #[pyo3(signature = (**options))]
    fn start<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        // The server's keys, already snake_case.
        call(
            py,
            &keywords::DEVICE_START,
            options,
            |o| json_face::device_start(web, &o),
            json_to_py,
        )
    }

    /// Polls the token endpoint with `code` (what `start` returned) until
    /// the user approves or refuses, the code expires, `timeout` seconds pass,
    /// `cancel` is cancelled or Ctrl+C is pressed.
    #[pyo3(signature = (code, *, cancel = None, timeout = None))]
    fn poll<'py>(
        &self,
        py: Python<'py>,
        code: &Bound<'py, PyAny>,
        cancel: Option<&Bound<'py, PyCancelToken>>,
        timeout: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut options = argument_to_json(code, "code")?;
        let Value::Object(fields) = &mut options else {
            return Err(to_py_err(
                py,
                Error::invalid_argument("code parameter is not valid (the dict start returned)"),
            ));
        };
        if let Some(t) = timeout.filter(|t| !t.is_none()) {
            fields.insert("timeout".into(), seconds_to_millis(t, "timeout")?);
        }
        let web = Arc::clone(&self.web);
        let result = interruptible(py, watched(cancel), move |token| {
            web.device_poll(&options, &token)
        })?;
        auth_result_to_py(py, &result)
    }

    /// `start`, then `on_code(code)` (show the user code and the QR code),
    /// then `poll` with the `timeout` option. An exception raised by
    /// `on_code` ends the login and is raised as it is.
    #[pyo3(signature = (on_code, *, cancel = None, **options))]
    fn login<'py>(
        &self,
        py: Python<'py>,
        on_code: &Bound<'py, PyAny>,
        cancel: Option<&Bound<'py, PyCancelToken>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        require_callable(on_code, "on_code")?;
        let options = keywords_to_options(options, &keywords::DEVICE_LOGIN)?;
        let on_code = on_code.clone().unbind();
        let failure = Failure::default();
        let raised = Arc::clone(&failure);
        let web = Arc::clone(&self.web);
        let result = interruptible(py, watched(cancel), move |token| {
            let stop = token.clone();
            json_face::device_login(&web, &options, &token, move |code| {
                Python::attach(|py| {
                    let called = json_to_py(py, code).and_then(|c| on_code.call1(py, (c,)));
                    if let Err(error) = called {
                        keep(&raised, error);
                        // Ends the poll before it starts.
                        stop.cancel();
                    }
                })
            })
        });
        match (result, kept(&failure)) {
            (_, Some(error)) => Err(error),
            (Ok(result), None) => auth_result_to_py(py, &result),
            (Err(error), None) => Err(error),
        }
    }

    fn __repr__(&self) -> String {
        format!("Device(client_id={:?})", self.web.client_id())
    }
}
