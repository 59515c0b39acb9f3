//! `auth0_native.Management`: auth0.js's `new auth0.Management({domain,
//! token})`, the user's own profile through the Management API v2.
//!
//! Results are the API's JSON exactly as the server sent it (dicts and
//! lists, keys untouched), as auth0.js returns them.

use crate::convert::{argument_to_json, json_to_py, keywords_to_options, str_argument};
use crate::gil::detached;
use crate::keywords;
use auth0_native::{json_face, Binding, Management};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

/// A Management API v2 client acting with one user's token. Immutable and
/// safe to share between threads.
#[pyclass(frozen, module = "auth0_native", name = "Management")]
pub(crate) struct PyManagement {
    management: Management,
    /// The `domain` option as given, for `repr` and the property.
    domain: String,
}

#[pymethods]
impl PyManagement {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = keywords_to_options(options, &keywords::MANAGEMENT)?;
        let management = detached(py, || Management::with_binding(&options, Binding::Python))?;
        let domain = options
            .get("domain")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Ok(PyManagement { management, domain })
    }

    /// The `domain` option as given.
    #[getter]
    fn domain(&self) -> &str {
        &self.domain
    }

    /// Reads the user's profile (auth0.js's `getUser`).
    fn get_user<'py>(
        &self,
        py: Python<'py>,
        user_id: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let user_id = str_argument(user_id, "user_id")?;
        let m = &self.management;
        let user = detached(py, || json_face::get_user(m, &user_id))?;
        json_to_py(py, &user)
    }

    /// Merges the top-level keys of `user_metadata` into the stored
    /// metadata (`None` deletes a key); returns the updated profile
    /// (auth0.js's `patchUserMetadata`).
    fn patch_user_metadata<'py>(
        &self,
        py: Python<'py>,
        user_id: &Bound<'py, PyString>,
        user_metadata: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let user_id = str_argument(user_id, "user_id")?;
        let metadata = argument_to_json(user_metadata, "user_metadata")?;
        let m = &self.management;
        let user = detached(py, || {
            json_face::patch_user_metadata(m, &user_id, &metadata)
        })?;
        json_to_py(py, &user)
    }

    /// Links the account the token belongs to; returns the identities
    /// (auth0.js's `linkUser`).
    fn link_user<'py>(
        &self,
        py: Python<'py>,
        user_id: &Bound<'py, PyString>,
        secondary_user_token: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let user_id = str_argument(user_id, "user_id")?;
        let secondary_user_token = str_argument(secondary_user_token, "secondary_user_token")?;
        let m = &self.management;
        let identities = detached(py, || {
            json_face::link_user(m, &user_id, &secondary_user_token)
        })?;
        json_to_py(py, &identities)
    }

    /// Unlinks the identity `provider` / `identity_user_id`; returns the
    /// remaining identities.
    fn unlink_user<'py>(
        &self,
        py: Python<'py>,
        user_id: &Bound<'py, PyString>,
        provider: &Bound<'py, PyString>,
        identity_user_id: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let user_id = str_argument(user_id, "user_id")?;
        let provider = str_argument(provider, "provider")?;
        let identity_user_id = str_argument(identity_user_id, "identity_user_id")?;
        let m = &self.management;
        let identities = detached(py, || {
            json_face::unlink_user(m, &user_id, &provider, &identity_user_id)
        })?;
        json_to_py(py, &identities)
    }

    fn __repr__(&self) -> String {
        // Never the token.
        format!("Management(domain={:?})", self.domain)
    }
}
