//! The names of the claims nearly every id_token carries, made Python
//! strings once: `parse_hash` and `validate_id_token` build a claims dict
//! per call, and a cached key skips the string's allocation, its decoding
//! and its hash (a `str` caches its hash) under the GIL.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

/// OIDC Core's registered and standard claims and Auth0's `org_*`.
const NAMES: [&str; 24] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "auth_time",
    "nonce",
    "at_hash",
    "c_hash",
    "azp",
    "sid",
    "acr",
    "amr",
    "org_id",
    "org_name",
    "name",
    "given_name",
    "family_name",
    "nickname",
    "picture",
    "email",
    "email_verified",
    "updated_at",
];

/// `name` as a Python `str`: the cached one for a common claim, else a
/// new one.
pub(crate) fn claim_name<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    static CACHE: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();
    match NAMES.iter().position(|n| *n == name) {
        Some(i) => {
            let cache = CACHE.get_or_init(py, || {
                NAMES
                    .iter()
                    .map(|n| PyString::intern(py, n).unbind())
                    .collect()
            });
            cache[i].bind(py).clone()
        }
        None => PyString::new(py, name),
    }
}
