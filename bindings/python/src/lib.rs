//! `auth0_native._native`: the Python face of the auth0-native core.
//!
//! This layer only translates (DESIGN.md, "The Python module"): keyword
//! arguments, checked against what each method takes and with times in
//! seconds ([`keywords`]), become the core's JSON options ([`convert`];
//! one body for every method, [`gil::call`]), core errors become
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

mod claim_names;
mod convert;
mod credentials;
mod errors;
mod gil;
mod interactive;
mod keywords;
mod logging;
mod management;
mod mfa;

/// mimalloc for the module's (and so the core's) allocations: see the
/// dependency's comment in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use auth0_native::secret::AccessToken;
use auth0_native::{json_face, Binding, Error, ParseHashOptions, ValidateIdTokenOptions, WebAuth};
use convert::{
    argument_to_json, auth_result_to_py, claims_to_py, json_to_py, keywords_to_options,
    keywords_to_slots, optional_auth_result_to_py, result_to_py, str_argument, text_to_py, Slot,
};
use gil::{call, detached};
use interactive::{PyCancelToken, PyDevice, PyPopup, PyRedirect};
use management::PyManagement;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The Auth0 Authentication API client of one tenant and application
/// (auth0.js's `new auth0.WebAuth(options)`).
///
/// Takes auth0.js's options as keywords, in snake_case (`client_id`,
/// `redirect_uri`) or auth0.js's own camelCase (`clientID`); times in
/// seconds. Immutable and safe to share between threads.
#[pyclass(frozen, module = "auth0_native", name = "WebAuth")]
struct PyWebAuth {
    web: Arc<WebAuth>,
}

#[pymethods]
impl PyWebAuth {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = keywords_to_options(options, &keywords::WEB_AUTH)?;
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

    /// The calls that record no transaction (auth0.js's `webAuth.client`).
    /// Shares this handle.
    #[getter]
    fn client(&self) -> PyClient {
        PyClient {
            web: Arc::clone(&self.web),
        }
    }

    /// The headless login with a password (auth0.js's `webAuth.redirect`).
    /// Shares this handle.
    #[getter]
    fn redirect(&self) -> PyRedirect {
        PyRedirect {
            web: Arc::clone(&self.web),
        }
    }

    /// The interactive login through a browser (auth0.js's
    /// `webAuth.popup`). Shares this handle.
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

    /// Records a transaction (state, nonce, PKCE verifier, app_state) and
    /// returns the `/authorize` URL to open (auth0.js's
    /// `webAuth.authorize`).
    #[pyo3(signature = (**options))]
    fn authorize<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        call(
            py,
            &keywords::AUTHORIZE,
            options,
            |o| Ok(web.authorize(&o)?.url),
            text_to_py,
        )
    }

    /// `authorize`, returning `{"url", "state", "nonce"?}` for apps that
    /// keep the state themselves.
    #[pyo3(signature = (**options))]
    fn authorize_request<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        // The same JSON the C ABI's `auth0_webauth_authorize` returns.
        let request = |o: Value| {
            let request = web.authorize(&o)?;
            serde_json::to_value(request).map_err(|e| Error::internal(e.to_string()))
        };
        call(
            py,
            &keywords::AUTHORIZE_REQUEST,
            options,
            request,
            result_to_py,
        )
    }

    /// Checks the answer `/authorize` sent back (a fragment, a query, or
    /// the whole callback URL) against the recorded transaction, exchanges
    /// a code, verifies the id_token (auth0.js's `webAuth.parseHash`).
    /// `None` when the answer holds no token and no code.
    #[pyo3(signature = (hash = None, **options))]
    fn parse_hash<'py>(
        &self,
        py: Python<'py>,
        hash: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        // The usual call (str options) straight into the typed options;
        // anything else through the JSON object, for its messages.
        if let Some(typed) = typed_parse_hash_options(hash, options) {
            let result = detached(py, || web.parse_hash(&typed))?;
            return optional_auth_result_to_py(py, &result);
        }
        let hash = hash.map(|h| argument_to_json(h, "hash")).transpose()?;
        let parse = move |mut o: Value| {
            if let (Some(hash), Value::Object(fields)) = (hash, &mut o) {
                fields.insert("hash".into(), hash);
            }
            web.parse_hash(&o)
        };
        call(
            py,
            &keywords::PARSE_HASH,
            options,
            parse,
            optional_auth_result_to_py,
        )
    }

    /// The checks `parse_hash` makes, for an id_token obtained elsewhere;
    /// returns the verified claims as the token carries them (auth0.js's
    /// `validateIdToken`).
    #[pyo3(signature = (id_token, **options))]
    fn validate_id_token<'py>(
        &self,
        py: Python<'py>,
        id_token: &Bound<'py, PyString>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id_token = str_argument(id_token, "id_token")?;
        let web = &self.web;
        if let Some(typed) = typed_validate_options(options) {
            let claims = detached(py, || web.validate_id_token(&id_token, &typed))?;
            return claims_to_py(py, &claims);
        }
        let validate = move |o: Value| web.validate_id_token(&id_token, &o);
        call(
            py,
            &keywords::VALIDATE_ID_TOKEN,
            options,
            validate,
            claims_to_py,
        )
    }

    /// Logs in with a password without a browser: `/co/authenticate`,
    /// then `/authorize` with the login ticket, followed headlessly to
    /// `redirect_uri` (auth0.js's cross-origin `webAuth.login`).
    #[pyo3(signature = (**options))]
    fn login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        call(
            py,
            &keywords::LOGIN,
            options,
            |o| web.login(&o),
            auth_result_to_py,
        )
    }

    /// Creates a database user; returns `{"id", "email",
    /// "email_verified"}` (auth0.js's `webAuth.signup`).
    #[pyo3(signature = (**options))]
    fn signup<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        call(
            py,
            &keywords::SIGNUP,
            options,
            |o| json_face::signup(web, &o),
            result_to_py,
        )
    }

    /// Asks the tenant to send a password reset e-mail; returns its text
    /// answer (auth0.js's `webAuth.changePassword`).
    #[pyo3(signature = (**options))]
    fn change_password<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let change = |o: Value| json_face::change_password(web, &o);
        call(py, &keywords::CHANGE_PASSWORD, options, change, json_to_py)
    }

    /// Sends a one-time code or a link; returns `{"id", "email" |
    /// "phone_number", "email_verified"?}` (auth0.js's
    /// `webAuth.passwordlessStart`).
    #[pyo3(signature = (**options))]
    fn passwordless_start<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let start = |o: Value| json_face::passwordless_start(web, &o);
        call(
            py,
            &keywords::PASSWORDLESS_START,
            options,
            start,
            result_to_py,
        )
    }

    /// Verifies the one-time code and follows the tenant's redirect
    /// headlessly; returns the authResult (auth0.js's
    /// `webAuth.passwordlessVerify`).
    #[pyo3(signature = (**options))]
    fn passwordless_verify<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let verify = |o: Value| web.passwordless_verify(&o);
        call(
            py,
            &keywords::PASSWORDLESS_VERIFY,
            options,
            verify,
            auth_result_to_py,
        )
    }

    /// New tokens without the user: `/authorize` with `prompt=none` and
    /// the handle's SSO session cookie, falling back to the handle's
    /// refresh token on `login_required` (auth0.js's `webAuth.renewAuth`).
    #[pyo3(signature = (**options))]
    fn renew_auth<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        call(
            py,
            &keywords::RENEW_AUTH,
            options,
            |o| web.renew_auth(&o),
            auth_result_to_py,
        )
    }

    /// The `/v2/logout` URL; the handle forgets its session (auth0.js's
    /// `webAuth.logout`).
    #[pyo3(signature = (**options))]
    fn logout<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        call(
            py,
            &keywords::LOGOUT,
            options,
            |o| web.logout(&o),
            text_to_py,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "WebAuth(domain={:?}, client_id={:?})",
            domain_option(&self.web),
            self.web.client_id()
        )
    }
}

/// The calls that record no transaction (auth0.js's `webAuth.client`, its
/// Authentication API client). Obtained from `WebAuth.client`.
#[pyclass(frozen, module = "auth0_native", name = "Client")]
struct PyClient {
    web: Arc<WebAuth>,
}

#[pymethods]
impl PyClient {
    /// The `/authorize` URL for the options, and nothing else: no state or
    /// nonce is generated or stored; pass your own `state` (auth0.js's
    /// `client.buildAuthorizeUrl`).
    #[pyo3(signature = (**options))]
    fn build_authorize_url<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let build = |o: Value| web.client().build_authorize_url(&o);
        call(
            py,
            &keywords::BUILD_AUTHORIZE_URL,
            options,
            build,
            text_to_py,
        )
    }

    /// Logs in with a password (the password-realm grant); returns the
    /// authResult with the verified `id_token_payload` (auth0.js's
    /// `client.login`).
    #[pyo3(signature = (**options))]
    fn login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let login = |o: Value| web.client().login(&o);
        call(
            py,
            &keywords::CLIENT_LOGIN,
            options,
            login,
            auth_result_to_py,
        )
    }

    /// The user's profile as the server sent it; with `sub`, a profile of
    /// another user raises `InvalidTokenError` (auth0.js's
    /// `client.userInfo`).
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
        let profile = detached(py, || json_face::user_info(web, &access_token, &checks))?;
        json_to_py(py, &profile)
    }

    /// Logs in with the one-time code `passwordless_start` sent (the
    /// passwordless OTP grant); returns the authResult.
    #[pyo3(signature = (**options))]
    fn passwordless_login<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let web = &self.web;
        let login = |o: Value| web.client().passwordless_login(&o);
        call(
            py,
            &keywords::PASSWORDLESS_LOGIN,
            options,
            login,
            auth_result_to_py,
        )
    }

    /// The MFA API (`mfa.challenge`, `mfa.verify`, ...). Shares this handle.
    #[getter]
    fn mfa(&self) -> mfa::PyMfa {
        mfa::PyMfa {
            web: Arc::clone(&self.web),
        }
    }

    /// The `organization`, `invitation` and `organization_name` of an
    /// organization invitation link, for `authorize`.
    fn parse_invitation_url<'py>(
        &self,
        py: Python<'py>,
        url: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        mfa::parse_invitation_url(py, &self.web, url)
    }

    /// `client.refreshToken(options)`: the refresh-token grant; returns the
    /// authResult (with rotation on, a new `refresh_token`: the one sent
    /// stops working). `CredentialsManager` does this for you.
    #[pyo3(signature = (*, refresh_token, scope = None, audience = None))]
    fn refresh_token<'py>(
        &self,
        py: Python<'py>,
        refresh_token: &Bound<'py, PyString>,
        scope: Option<&Bound<'py, PyString>>,
        audience: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        credentials::refresh_token(py, &self.web, refresh_token, scope, audience)
    }

    /// `client.revokeToken(options)`: revokes the refresh token and every
    /// token rotated from it.
    #[pyo3(signature = (*, refresh_token))]
    fn revoke_token(&self, py: Python<'_>, refresh_token: &Bound<'_, PyString>) -> PyResult<()> {
        credentials::revoke_token(py, &self.web, refresh_token)
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
    m.add_class::<mfa::PyMfa>()?;
    m.add_class::<credentials::PyCredentialsManager>()?;
    m.add("__version__", auth0_native::VERSION)?;
    logging::install(m.py())?;
    Ok(())
}

/// `parse_hash`'s options when every value is a `str` (or `None`), without
/// a JSON object; `None` sends the call through the JSON object.
fn typed_parse_hash_options(
    hash: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> Option<ParseHashOptions> {
    let hash = hash?.cast::<PyString>().ok()?.to_cow().ok()?.into_owned();
    let [state, nonce] = keywords_to_slots(options, ["state", "nonce"], &[])?;
    Some(ParseHashOptions {
        hash,
        state: state.into_str(),
        nonce: nonce.into_str(),
        organization: None,
    })
}

/// `validate_id_token`'s options when they are of their types, without a
/// JSON object; `None` sends the call through the JSON object.
fn typed_validate_options(options: Option<&Bound<'_, PyDict>>) -> Option<ValidateIdTokenOptions> {
    let [nonce, max_age, access_token, organization] = keywords_to_slots(
        options,
        ["nonce", "maxAge", "accessToken", "organization"],
        &["maxAge"],
    )?;
    let max_age = match max_age {
        // Whole seconds, as the JSON face reads them.
        Slot::Number(m) if m >= 0.0 => Some(Duration::from_secs(m as u64)),
        Slot::Number(_) => return None,
        _ => None,
    };
    Some(ValidateIdTokenOptions {
        nonce: nonce.into_str(),
        max_age,
        access_token: access_token.into_str().map(AccessToken::new),
        organization: organization.into_str(),
    })
}
