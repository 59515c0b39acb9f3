//! `auth0_native.CredentialsManager`, the Python face of the core's
//! [`CredentialsManager`], with the host store as a Python object; and the
//! refresh-token grant and revocation of `WebAuth.client`.

use crate::convert::{
    argument_to_json, auth_result_to_py, claims_to_py, result_to_py, str_argument,
};
use crate::errors::to_py_err;
use crate::gil::detached;
use crate::PyWebAuth;
use auth0_native::casing::keyword_to_option_name;
use auth0_native::credentials::{HostBackend, HostError, HostStore, LockScope};
use auth0_native::{
    AuthResult, ClearOptions, CredentialsManager, CredentialsOptions, Error, RefreshTokenOptions,
    RevokeTokenOptions, StorageOptions, WebAuth,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};
use serde_json::{json, Value};
use std::sync::Arc;

/// Keeps one user's credentials in a storage and hands back valid ones,
/// renewing them with the refresh token when they expire (Auth0.swift's
/// and Auth0.Android's `CredentialsManager`).
///
/// `storage` is `None` (memory), a dict (`{"type": "memory"}`,
/// `{"type": "file", "path": ..., "key": ...}`, `{"type": "keyring",
/// "service": ..., "account": ...}`) or an object with `load()`,
/// `save(blob)` and `delete()` that keeps the bytes itself. Safe to share
/// between threads: at most one renewal runs at a time and the threads that
/// waited get its result.
#[pyclass(frozen, module = "auth0_native", name = "CredentialsManager")]
pub(crate) struct PyCredentialsManager {
    inner: Arc<CredentialsManager>,
}

#[pymethods]
impl PyCredentialsManager {
    #[new]
    #[pyo3(signature = (web, storage = None))]
    fn new(
        py: Python<'_>,
        web: &Bound<'_, PyWebAuth>,
        storage: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let web = Arc::clone(&web.get().web);
        let manager = match storage {
            None => {
                let storage = storage_options(py, json!({"type": "memory"}))?;
                detached(py, || CredentialsManager::with_storage(web, &storage))?
            }
            Some(s) if s.is_instance_of::<PyDict>() => {
                let storage = storage_options(py, argument_to_json(s, "storage")?)?;
                detached(py, || CredentialsManager::with_storage(web, &storage))?
            }
            Some(s) => {
                let backend = ObjectBackend::new(s)?;
                // The object's identity names its lock: two managers over
                // one object exclude each other's renewals.
                let identity = format!("py:{}:{:x}", web.client_id(), s.as_ptr() as usize);
                let store = HostStore::new(Box::new(backend), &identity, LockScope::Process);
                CredentialsManager::new(web, Arc::new(store))
            }
        };
        Ok(PyCredentialsManager {
            inner: Arc::new(manager),
        })
    }

    /// Stores the credentials of an authResult (what `client.login`,
    /// `parse_hash` and the other logins return), replacing the stored ones.
    /// `expires_in` counts from now; `access_token` is required.
    fn save(&self, py: Python<'_>, auth_result: &Bound<'_, PyAny>) -> PyResult<()> {
        let result = auth_result_from_py(py, auth_result)?;
        let inner = &self.inner;
        detached(py, || inner.save(&result))
    }

    /// Valid credentials: the stored ones when the access token is valid
    /// for `min_ttl` more seconds and covers `scope`, else renewed with the
    /// refresh token first. Returns a dict: `access_token`, `token_type`,
    /// `id_token`, `refresh_token`, `expires_at` (unix seconds),
    /// `expires_in` (seconds left), `scope`, `id_token_payload`.
    #[pyo3(signature = (min_ttl = 0.0, scope = None, audience = None))]
    fn credentials<'py>(
        &self,
        py: Python<'py>,
        min_ttl: f64,
        scope: Option<&Bound<'py, PyString>>,
        audience: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = CredentialsOptions {
            min_ttl: seconds(py, min_ttl, "min_ttl")?,
            scope: scope.map(|s| str_argument(s, "scope")).transpose()?,
            audience: audience.map(|s| str_argument(s, "audience")).transpose()?,
        };
        let inner = &self.inner;
        let credentials = detached(py, || Ok(inner.credentials(&options)?.to_json()))?;
        result_to_py(py, &credentials)
    }

    /// Whether credentials are stored that are valid for `min_ttl` more
    /// seconds or can be renewed. Never touches the network.
    #[pyo3(signature = (min_ttl = 0.0))]
    fn has_valid_credentials(&self, py: Python<'_>, min_ttl: f64) -> PyResult<bool> {
        let min_ttl = seconds(py, min_ttl, "min_ttl")?;
        let inner = &self.inner;
        detached(py, || inner.has_valid_credentials(min_ttl))
    }

    /// The verified id_token claims of the stored credentials (keys as the
    /// token has them), or `None` when nothing is stored.
    fn user<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let user = detached(py, || inner.user())?;
        match user {
            Some(claims) => claims_to_py(py, &claims),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// Revokes the stored refresh token (`revoke=True`, the default) and
    /// removes the stored credentials. When the revocation fails nothing is
    /// removed and `CredentialsError` (`code` `"revoke_failed"`) is raised.
    #[pyo3(signature = (revoke = true))]
    fn clear(&self, py: Python<'_>, revoke: bool) -> PyResult<()> {
        let inner = &self.inner;
        detached(py, || inner.clear(&ClearOptions { revoke }))
    }

    fn __repr__(&self) -> String {
        "CredentialsManager(...)".to_owned()
    }
}

/// `client.refreshToken(options)`: the refresh-token grant.
pub(crate) fn refresh_token<'py>(
    py: Python<'py>,
    web: &WebAuth,
    refresh_token: &Bound<'py, PyString>,
    scope: Option<&Bound<'py, PyString>>,
    audience: Option<&Bound<'py, PyString>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut options = json!({ "refreshToken": str_argument(refresh_token, "refresh_token")? });
    if let Some(s) = scope {
        options["scope"] = Value::String(str_argument(s, "scope")?);
    }
    if let Some(a) = audience {
        options["audience"] = Value::String(str_argument(a, "audience")?);
    }
    let options = RefreshTokenOptions::from_json(&options).map_err(|e| to_py_err(py, e))?;
    let result = detached(py, || web.client().refresh_token(&options))?;
    auth_result_to_py(py, &result)
}

/// `client.revokeToken(options)`: revokes the refresh token's family.
pub(crate) fn revoke_token(
    py: Python<'_>,
    web: &WebAuth,
    refresh_token: &Bound<'_, PyString>,
) -> PyResult<()> {
    let options = json!({ "refreshToken": str_argument(refresh_token, "refresh_token")? });
    let options = RevokeTokenOptions::from_json(&options).map_err(|e| to_py_err(py, e))?;
    detached(py, || web.client().revoke_token(&options))
}

/// Seconds as the core's whole seconds, rounded up (a longer `min_ttl` is
/// the safe side); negative or not finite is refused naming `name`.
fn seconds(py: Python<'_>, value: f64, name: &str) -> PyResult<u64> {
    if !value.is_finite() || value < 0.0 {
        return Err(to_py_err(
            py,
            Error::invalid_argument(format!("{name} must be a number of seconds >= 0")),
        ));
    }
    Ok(value.ceil().min(u64::MAX as f64) as u64)
}

fn storage_options(py: Python<'_>, value: Value) -> PyResult<StorageOptions> {
    serde_json::from_value(value).map_err(|e| {
        to_py_err(
            py,
            Error::invalid_argument(format!("storage is not valid: {e}")),
        )
    })
}

/// An `AuthResult` dict (snake_case keys, as the logins return it; the
/// camelCase spelling is accepted too) as the core's type.
fn auth_result_from_py(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<AuthResult> {
    if !value.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "auth_result must be a dict, not {}",
            value.get_type().name()?
        )));
    }
    let Value::Object(fields) = argument_to_json(value, "auth_result")? else {
        // A dict always converts to an object; stay total anyway.
        return Err(PyTypeError::new_err("auth_result must be a dict"));
    };
    let fields = fields
        .into_iter()
        .map(|(k, v)| (keyword_to_option_name(&k), v))
        .collect();
    serde_json::from_value(Value::Object(fields)).map_err(|e| {
        to_py_err(
            py,
            Error::invalid_argument(format!("auth_result is not valid: {e}")),
        )
    })
}

/// A Python object with `load()`, `save(blob)` and `delete()` as the
/// core's [`HostBackend`]. Each method is called with the GIL taken for
/// that call only; an exception becomes the `StorageError`'s message.
struct ObjectBackend {
    object: Py<PyAny>,
}

impl ObjectBackend {
    fn new(object: &Bound<'_, PyAny>) -> PyResult<ObjectBackend> {
        for method in ["load", "save", "delete"] {
            let callable = object
                .getattr(method)
                .map(|m| m.is_callable())
                .unwrap_or(false);
            if !callable {
                return Err(PyTypeError::new_err(format!(
                    "storage must be None, a dict or an object with load(), save(blob) and \
                     delete() methods; {} has no {method}()",
                    object.get_type().name()?
                )));
            }
        }
        Ok(ObjectBackend {
            object: object.clone().unbind(),
        })
    }

    fn call<T>(
        &self,
        method: &str,
        f: impl FnOnce(&Bound<'_, PyAny>) -> PyResult<T>,
    ) -> Result<T, HostError> {
        Python::attach(|py| {
            let object = self.object.bind(py);
            f(object).map_err(|e| HostError::new(format!("{method}() raised {}", describe(py, &e))))
        })
    }
}

/// `TypeName: message` of an exception, without its traceback.
fn describe(py: Python<'_>, e: &PyErr) -> String {
    let name = e
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".to_owned());
    let message = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
    if message.is_empty() {
        name
    } else {
        format!("{name}: {message}")
    }
}

impl HostBackend for ObjectBackend {
    fn load(&self) -> Result<Option<Vec<u8>>, HostError> {
        self.call("load", |o| {
            let blob = o.call_method0("load")?;
            if blob.is_none() {
                return Ok(None);
            }
            if let Ok(b) = blob.cast::<PyBytes>() {
                return Ok(Some(b.as_bytes().to_vec()));
            }
            if let Ok(b) = blob.cast::<PyByteArray>() {
                return Ok(Some(b.to_vec()));
            }
            Err(PyTypeError::new_err(format!(
                "load() must return bytes or None, not {}",
                blob.get_type().name()?
            )))
        })
    }

    fn save(&self, blob: &[u8]) -> Result<(), HostError> {
        self.call("save", |o| {
            o.call_method1("save", (PyBytes::new(o.py(), blob),))
                .map(drop)
        })
    }

    fn delete(&self) -> Result<(), HostError> {
        self.call("delete", |o| o.call_method0("delete").map(drop))
    }
}
