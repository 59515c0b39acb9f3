//! `auth0_native._native`: the Python face of the auth0-native core.
//!
//! This layer only translates (DESIGN.md, "The Python module"): keyword
//! arguments become the core's JSON options ([`convert`]), core errors become
//! the exceptions of `auth0_native._errors` ([`errors`]), and every core
//! operation runs with the GIL released ([`gil::detached`]). The decisions —
//! validation, defaults, URLs, transactions — are the core's.
//!
//! The public names are re-exported by `auth0_native/__init__.py`; the
//! hand-written `_native.pyi` describes them and is checked against this
//! module by mypy's stubtest.

mod convert;
mod errors;
mod gil;

use auth0_native::{Binding, Error, WebAuth};
use convert::{keywords_to_options, result_to_py};
use gil::detached;
use pyo3::prelude::*;
use pyo3::types::PyDict;
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

    /// `webAuth.client`: the calls that record no transaction. Shares this
    /// handle.
    #[getter]
    fn client(&self) -> PyClient {
        PyClient {
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
    m.add("__version__", auth0_native::VERSION)?;
    Ok(())
}
