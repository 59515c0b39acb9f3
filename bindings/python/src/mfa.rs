//! `web.client.mfa`: the MFA API after an `mfa_required` error
//! (`MfaRequiredError.mfa_token`), and `web.client.parse_invitation_url`.
//!
//! Keywords become the core's typed options here (times in seconds);
//! results come back as dicts with snake_case top-level keys.

use crate::convert::{auth_result_to_py, result_to_py, str_argument};
use crate::errors::to_py_err;
use crate::gil::{detached, interruptible};
use crate::interactive::{watched, PyCancelToken};
use auth0_native::mfa::{
    MfaAssociateOptions, MfaAuthenticatorsOptions, MfaChallengeOptions, MfaVerifyOptions,
};
use auth0_native::secret::{MfaToken, OobCode, Otp, RecoveryCode};
use auth0_native::{Error, WebAuth};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::sync::Arc;
use std::time::Duration;

/// `web.client.mfa`: challenge, verify, list and enrol the second factors
/// of a user whose login raised `MfaRequiredError`. Shares the handle.
#[pyclass(frozen, module = "auth0_native", name = "Mfa")]
pub(crate) struct PyMfa {
    pub(crate) web: Arc<WebAuth>,
}

fn text(value: Option<&Bound<'_, PyString>>, name: &str) -> PyResult<Option<String>> {
    value.map(|v| str_argument(v, name)).transpose()
}

fn token(value: &Bound<'_, PyString>) -> PyResult<MfaToken> {
    str_argument(value, "mfa_token").map(MfaToken::new)
}

/// Seconds (int or float, not negative) as a Duration; `name` in errors.
fn seconds(py: Python<'_>, value: Option<f64>, name: &str) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s >= 0.0 => Ok(Some(Duration::from_secs_f64(s.min(86_400.0)))),
        Some(_) => Err(to_py_err(
            py,
            Error::invalid_argument(format!("{name} option is not valid (seconds)")),
        )),
    }
}

/// A typed core result (its serde JSON) as a dict with snake_case
/// top-level keys.
fn typed_to_py<'py>(
    py: Python<'py>,
    json: serde_json::Result<serde_json::Value>,
) -> PyResult<Bound<'py, PyAny>> {
    let json = json.map_err(|e| to_py_err(py, Error::internal(e.to_string())))?;
    result_to_py(py, &json)
}

#[pymethods]
impl PyMfa {
    /// Asks for a challenge (`POST /mfa/challenge`) with the `mfa_token`
    /// of `MfaRequiredError`. Returns `{"challenge_type": "otp"}` (ask the
    /// user for the code of their app) or `{"challenge_type": "oob",
    /// "oob_code": ..., "binding_method": "prompt"}` (`binding_method` when
    /// the user must type the code they were sent). auth0.js-style
    /// `mfa.challenge({mfaToken, challengeType, authenticatorId})`.
    #[pyo3(signature = (mfa_token, *, challenge_type = None, authenticator_id = None, oob_channel = None))]
    fn challenge<'py>(
        &self,
        py: Python<'py>,
        mfa_token: &Bound<'py, PyString>,
        challenge_type: Option<&Bound<'py, PyString>>,
        authenticator_id: Option<&Bound<'py, PyString>>,
        oob_channel: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = MfaChallengeOptions {
            mfa_token: token(mfa_token)?,
            challenge_type: text(challenge_type, "challenge_type")?,
            authenticator_id: text(authenticator_id, "authenticator_id")?,
            oob_channel: text(oob_channel, "oob_channel")?,
        };
        let web = &self.web;
        let answer = detached(py, || web.client().mfa_challenge(&options))?;
        typed_to_py(py, serde_json::to_value(&answer))
    }

    /// Completes the login with exactly one of `otp`, `oob_code` (with
    /// `binding_code` when the challenge's `binding_method` is `prompt`)
    /// or `recovery_code`. An out-of-band code is polled every `interval`
    /// seconds (default 5, at least 1) while the user has not approved, at
    /// most `timeout` seconds; `cancel` or Ctrl+C end the wait. Returns the
    /// authResult (id_token verified) plus `recovery_code`: the user's next
    /// recovery code after a recovery-code login, else `None`.
    #[pyo3(signature = (mfa_token, *, otp = None, oob_code = None, binding_code = None, recovery_code = None, interval = None, timeout = None, cancel = None))]
    #[allow(clippy::too_many_arguments)]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        mfa_token: &Bound<'py, PyString>,
        otp: Option<&Bound<'py, PyString>>,
        oob_code: Option<&Bound<'py, PyString>>,
        binding_code: Option<&Bound<'py, PyString>>,
        recovery_code: Option<&Bound<'py, PyString>>,
        interval: Option<f64>,
        timeout: Option<f64>,
        cancel: Option<&Bound<'py, PyCancelToken>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = MfaVerifyOptions {
            mfa_token: token(mfa_token)?,
            otp: text(otp, "otp")?.map(Otp::new),
            oob_code: text(oob_code, "oob_code")?.map(OobCode::new),
            binding_code: text(binding_code, "binding_code")?.map(Otp::new),
            recovery_code: text(recovery_code, "recovery_code")?.map(RecoveryCode::new),
            interval: seconds(py, interval, "interval")?,
            timeout: seconds(py, timeout, "timeout")?,
        };
        let web = Arc::clone(&self.web);
        let result = interruptible(py, watched(cancel), move |token| {
            web.client().mfa_verify(&options, &token)
        })?;
        let dict = auth_result_to_py(py, &result.auth_result)?;
        dict.set_item(
            intern!(py, "recovery_code"),
            result.recovery_code.as_ref().map(RecoveryCode::secret),
        )?;
        Ok(dict)
    }

    /// The user's authenticators (`GET /mfa/authenticators` with the
    /// mfa_token as bearer token): a list of `{"id", "authenticator_type",
    /// "active", "name"?, "oob_channel"?}`.
    #[pyo3(signature = (mfa_token))]
    fn authenticators<'py>(
        &self,
        py: Python<'py>,
        mfa_token: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = MfaAuthenticatorsOptions {
            mfa_token: token(mfa_token)?,
        };
        let web = &self.web;
        let list = detached(py, || web.client().mfa_authenticators(&options))?;
        let out = PyList::empty(py);
        for item in &list {
            out.append(typed_to_py(py, serde_json::to_value(item))?)?;
        }
        Ok(out.into_any())
    }

    /// Enrols an authenticator (`POST /mfa/associate` with the mfa_token
    /// as bearer token): `authenticator_types=["otp"]`, or `["oob"]` with
    /// `oob_channels` (`["sms"]`, `["voice"]`, `["auth0"]`) and
    /// `phone_number` for sms and voice. Returns `{"authenticator_type",
    /// "secret"?, "barcode_uri"?, "oob_channel"?, "oob_code"?,
    /// "binding_method"?, "recovery_codes"}` — `secret`, `barcode_uri` and
    /// `recovery_codes` are secrets to show the user once. Confirm with
    /// `verify` and the same mfa_token.
    #[pyo3(signature = (mfa_token, *, authenticator_types, oob_channels = None, phone_number = None))]
    fn associate<'py>(
        &self,
        py: Python<'py>,
        mfa_token: &Bound<'py, PyString>,
        authenticator_types: Vec<String>,
        oob_channels: Option<Vec<String>>,
        phone_number: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = MfaAssociateOptions {
            mfa_token: token(mfa_token)?,
            authenticator_types,
            oob_channels,
            phone_number: text(phone_number, "phone_number")?,
        };
        let web = &self.web;
        let answer = detached(py, || web.client().mfa_associate(&options))?;
        typed_to_py(py, serde_json::to_value(&answer))
    }

    fn __repr__(&self) -> String {
        format!("Mfa(client_id={:?})", self.web.client_id())
    }
}

/// `web.client.parse_invitation_url(url)`: `{"organization",
/// "invitation", "organization_name"}` of an organization invitation link.
pub(crate) fn parse_invitation_url<'py>(
    py: Python<'py>,
    web: &WebAuth,
    url: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    let url = str_argument(url, "url")?;
    let parsed = web
        .client()
        .parse_invitation_url(&url)
        .map_err(|e| to_py_err(py, e))?;
    typed_to_py(py, serde_json::to_value(parsed))
}
