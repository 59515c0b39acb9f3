//! `auth0_native._native`: the Python face of the auth0-native core.
//!
//! This layer only translates (DESIGN.md, "The Python module"): keyword
//! arguments become the core's JSON options ([`convert`]), core errors become
//! the exceptions of `auth0_native._errors` ([`errors`]), and every core
//! operation runs with the GIL released ([`gil::detached`]; the long
//! interactive waits of [`interactive`] through [`gil::interruptible`], which
//! Ctrl+C ends). Results become dicts with snake_case top-level keys and
//! nested data untouched. The decisions — validation, defaults, URLs,
//! transactions — are the core's.
//!
//! The public names are re-exported by `auth0_native/__init__.py`; the
//! hand-written `_native.pyi` describes them and is checked against this
//! module by mypy's stubtest.

mod convert;
mod errors;
mod gil;
mod interactive;
mod management;

use auth0_native::{Binding, Error, WebAuth};
use convert::{auth_result_to_py, json_to_py, keywords_to_options, result_to_py, str_argument};
use gil::detached;
use interactive::{PyCancelToken, PyDevice, PyPopup, PyRedirect};
use management::PyManagement;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;
use std::sync::Arc;

/// The Auth0 Authentication API client of one tenant and application
/// (auth0.js's `new auth0.WebAuth(options)`).
///
/// Takes auth0.js's options as keywords, in snake_case (`client_id`,
/// `redirect_uri`) or auth0.js's own camelCase (`clientID`). Immutable and
/// safe to share between threads.
#[pyclass(frozen, module = "auth0_native", name = "WebAuth")]
struct PyWebAuth {
    web: Arc<WebAuth>,
}

#[pymethods]
impl PyWebAuth {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = keywords_to_options(options)?;
        let web = detached(py, || WebAuth::with_binding(&options, Binding::Python))?;
        Ok(PyWebAuth { web: Arc::new(web) })
    }

    /// The `domain` option as given.
    #[getter]
    fn domain(&self) -> &str {
        domain_option(&self.web)
    }

    /// The application's client id.
    #[getter]
    fn client_id(&self) -> &str {
        self.web.client_id()
    }

    /// The DPoP key tokens are bound to (`dpop=True`), to store next to
    /// them: `{"thumbprint", "dpop_key"}`, or `None` without DPoP.
    fn dpop_key_export<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(key) = self.web.dpop_key() else {
            return Ok(None);
        };
        let pkcs8 = key.to_pkcs8().map_err(|e| errors::to_py_err(py, e))?;
        let v = serde_json::json!({"thumbprint": key.thumbprint(), "dpop_key": pkcs8.secret()});
        json_to_py(py, &v).map(Some)
    }

    /// `webAuth.client`: the calls that record no transaction. Shares this
    /// handle.
    #[getter]
    fn client(&self) -> PyClient {
        PyClient {
            web: Arc::clone(&self.web),
        }
    }

    /// `webAuth.redirect`: `login_with_credentials`. Shares this handle.
    #[getter]
    fn redirect(&self) -> PyRedirect {
        PyRedirect {
            web: Arc::clone(&self.web),
        }
    }

    /// `webAuth.popup`: the interactive loopback login. Shares this handle.
    #[getter]
    fn popup(&self) -> PyPopup {
        PyPopup {
            web: Arc::clone(&self.web),
        }
    }

    /// The device flow (RFC 8628). Shares this handle.
    #[getter]
    fn device(&self) -> PyDevice {
        PyDevice {
            web: Arc::clone(&self.web),
        }
    }

    /// `webAuth.authorize(options)`: records a transaction (state, nonce,
    /// PKCE verifier, app_state) and returns the `/authorize` URL to open.
    #[pyo3(signature = (**options))]
    fn authorize(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let request = detached(py, || web.authorize(&options))?;
        Ok(request.url)
    }

    /// `authorize`, returning `{"url", "state", "nonce"?}` for apps that
    /// keep the state themselves.
    #[pyo3(signature = (**options))]
    fn authorize_request<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        // The same JSON the C ABI's `auth0_webauth_authorize` returns.
        let request = detached(py, || {
            let request = web.authorize(&options)?;
            serde_json::to_value(request).map_err(|e| Error::internal(e.to_string()))
        })?;
        result_to_py(py, &request)
    }

    /// `webAuth.parseHash({hash, state, nonce})`: checks the answer
    /// `/authorize` sent back (a fragment, a query, or the whole callback
    /// URL) against the recorded transaction, exchanges a code, verifies
    /// the id_token. `None` when the answer holds no token and no code.
    #[pyo3(signature = (hash = None, **options))]
    fn parse_hash<'py>(
        &self,
        py: Python<'py>,
        hash: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut options = keywords_to_options(options)?;
        if let (Some(hash), Value::Object(fields)) = (hash, &mut options) {
            fields.insert("hash".into(), convert::argument_to_json(hash, "hash")?);
        }
        let web = &self.web;
        match detached(py, || web.parse_hash(&options))? {
            Some(result) => auth_result_to_py(py, &result),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// `validateIdToken(idToken, {nonce, maxAge, accessToken})`: the
    /// checks `parse_hash` makes, for a token obtained elsewhere; returns
    /// the verified claims as the token carries them.
    #[pyo3(signature = (id_token, **options))]
    fn validate_id_token<'py>(
        &self,
        py: Python<'py>,
        id_token: &Bound<'py, PyString>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id_token = str_argument(id_token, "id_token")?;
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let claims = detached(py, || web.validate_id_token(&id_token, &options))?;
        json_to_py(py, &claims)
    }

    /// `webAuth.login(options)`: the cross-origin login
    /// (`/co/authenticate`, then `/authorize` with the login ticket),
    /// followed headlessly to `redirect_uri`.
    #[pyo3(signature = (**options))]
    fn login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let result = detached(py, || web.login(&options))?;
        auth_result_to_py(py, &result)
    }

    /// `webAuth.signup(options)`: creates a database user; returns
    /// `{"id", "email", "email_verified"}`.
    #[pyo3(signature = (**options))]
    fn signup<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let answer = detached(py, || web.signup(&options))?;
        result_to_py(py, &answer)
    }

    /// `webAuth.changePassword(options)`: asks the tenant to send a reset
    /// e-mail; returns its text answer.
    #[pyo3(signature = (**options))]
    fn change_password<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let answer = detached(py, || web.change_password(&options))?;
        json_to_py(py, &answer)
    }

    /// `webAuth.passwordlessStart(options)`: sends a code or a link;
    /// returns `{"id", "email" | "phone_number", "email_verified"?}`.
    #[pyo3(signature = (**options))]
    fn passwordless_start<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let answer = detached(py, || web.passwordless_start(&options))?;
        result_to_py(py, &answer)
    }

    /// `webAuth.passwordlessVerify(options)`: verifies the code and
    /// follows the tenant's redirect headlessly; returns the authResult.
    #[pyo3(signature = (**options))]
    fn passwordless_verify<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let result = detached(py, || web.passwordless_verify(&options))?;
        auth_result_to_py(py, &result)
    }

    /// `webAuth.renewAuth(options)`: `/authorize` with `prompt=none` and
    /// the handle's SSO session cookie; falls back to the handle's refresh
    /// token on `login_required`.
    #[pyo3(signature = (**options))]
    fn renew_auth<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let result = detached(py, || web.renew_auth(&options))?;
        auth_result_to_py(py, &result)
    }

    /// `webAuth.logout(options)`: the `/v2/logout` URL.
    #[pyo3(signature = (**options))]
    fn logout(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        detached(py, || web.logout(&options))
    }

    fn __repr__(&self) -> String {
        format!(
            "WebAuth(domain={:?}, client_id={:?})",
            domain_option(&self.web),
            self.web.client_id()
        )
    }
}

/// `webAuth.client` (auth0.js's Authentication API client): calls that
/// record no transaction. Obtained from `WebAuth.client`.
#[pyclass(frozen, module = "auth0_native", name = "Client")]
struct PyClient {
    web: Arc<WebAuth>,
}

#[pymethods]
impl PyClient {
    /// `client.buildAuthorizeUrl(options)`: the `/authorize` URL auth0.js
    /// builds for the same options. No state or nonce is generated or
    /// stored; pass your own `state`.
    #[pyo3(signature = (**options))]
    fn build_authorize_url(
        &self,
        py: Python<'_>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        detached(py, || web.client().build_authorize_url(&options))
    }

    /// `client.login(options)`: the password-realm grant; returns the
    /// authResult with the verified `id_token_payload`.
    #[pyo3(signature = (**options))]
    fn login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let result = detached(py, || web.client().login(&options))?;
        auth_result_to_py(py, &result)
    }

    /// `client.userInfo(accessToken)`: the profile as the server sent it;
    /// with `sub`, a profile of another user raises `InvalidTokenError`.
    #[pyo3(signature = (access_token, *, sub=None))]
    fn user_info<'py>(
        &self,
        py: Python<'py>,
        access_token: &Bound<'py, PyString>,
        sub: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let access_token = str_argument(access_token, "access_token")?;
        let checks = match sub {
            Some(s) => serde_json::json!({ "sub": str_argument(s, "sub")? }),
            None => serde_json::json!({}),
        };
        let web = &self.web;
        let profile = detached(py, || web.client().user_info_with(&access_token, &checks))?;
        json_to_py(py, &profile)
    }

    /// The passwordless OTP grant; returns the authResult.
    #[pyo3(signature = (**options))]
    fn passwordless_login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = keywords_to_options(options)?;
        let web = &self.web;
        let result = detached(py, || web.client().passwordless_login(&options))?;
        auth_result_to_py(py, &result)
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(domain={:?}, client_id={:?})",
            domain_option(&self.web),
            self.web.client_id()
        )
    }
}

/// The `domain` option as the caller gave it (validated by the
/// constructor), so that `WebAuth(domain=web.domain, ...)` makes the same
/// handle — including a loopback dev tenant's `http://` scheme.
fn domain_option(web: &WebAuth) -> &str {
    web.base_options()
        .get("domain")
        .and_then(Value::as_str)
        .unwrap_or_else(|| web.domain().authority())
}

/// The native part of `auth0_native`; import `auth0_native` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyWebAuth>()?;
    m.add_class::<PyClient>()?;
    m.add_class::<PyRedirect>()?;
    m.add_class::<PyPopup>()?;
    m.add_class::<PyDevice>()?;
    m.add_class::<PyCancelToken>()?;
    m.add_class::<PyManagement>()?;
    m.add("__version__", auth0_native::VERSION)?;
    Ok(())
}
