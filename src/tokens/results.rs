//! Typed views of the JSON results: the `id_token`'s claims (typed in
//! the result itself, see [`IdTokenClaims`]), the `/userinfo` profile and
//! the device flow's start answer.
//!
//! The operations keep answering auth0.js's JSON shapes (which the C and
//! Python faces pass on); these types read them for a Rust caller:
//! [`AuthResult::claims`], `UserProfile::try_from(&profile)`,
//! `DeviceCode::try_from(&started)`.

use crate::error::{Error, Result};
use crate::flows::authentication::AuthResult;
use crate::ops::DevicePollOptions;
pub use crate::tokens::claims::IdTokenClaims;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;

impl AuthResult {
    /// The verified `id_token`'s claims; `None` when the result carries no
    /// `id_token`.
    #[must_use]
    pub fn claims(&self) -> Option<&IdTokenClaims> {
        self.id_token_payload.as_ref()
    }
}

/// A `/userinfo` profile: the OIDC standard claims the tenant sends,
/// every other field in [`other`](UserProfile::other).
///
/// ```
/// use auth0_native::UserProfile;
///
/// let answer = serde_json::json!({"sub": "auth0|123", "email": "ann@example.com", "email_verified": true});
/// let profile = UserProfile::try_from(&answer)?;
/// assert_eq!(profile.email.as_deref(), Some("ann@example.com"));
/// assert_eq!(profile.email_verified, Some(true));
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserProfile {
    /// The user's id.
    pub sub: String,
    /// The full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// The family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// A picture URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// The email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the email address was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// When the profile last changed (as the tenant wrote it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl TryFrom<&Value> for UserProfile {
    type Error = Error;

    /// Reads what [`Client::user_info`](crate::Client::user_info) answered.
    fn try_from(profile: &Value) -> Result<UserProfile> {
        UserProfile::deserialize(profile).map_err(|e| {
            Error::new(
                crate::ErrorKind::Server,
                format!("the /userinfo answer is not a profile: {e}"),
            )
            .with_code("invalid_response")
        })
    }
}

/// What [`WebAuth::device_start`](crate::WebAuth::device_start) answered:
/// the codes to show and the device's credential.
///
/// ```
/// use auth0_native::DeviceCode;
///
/// let started = serde_json::json!({
///     "device_code": "Ag_EE...", "user_code": "BCDF-GHJK",
///     "verification_uri": "https://me.auth0.com/activate",
///     "expires_in": 900, "interval": 5,
/// });
/// let code = DeviceCode::try_from(&started)?;
/// assert_eq!(code.user_code, "BCDF-GHJK");
/// assert!(!format!("{code:?}").contains("Ag_EE"));
/// let poll = code.poll_options();
/// assert_eq!(poll.interval, Some(std::time::Duration::from_secs(5)));
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct DeviceCode {
    /// The device's credential until the login ends; `Debug` redacts it.
    pub device_code: String,
    /// The code the user types on the activation page.
    pub user_code: String,
    /// The activation page.
    pub verification_uri: String,
    /// The activation page with the code filled in, when the tenant sent one.
    pub verification_uri_complete: Option<String>,
    /// How long the codes are valid.
    pub expires_in: Option<Duration>,
    /// How often to poll.
    pub interval: Option<Duration>,
    /// A QR code of the activation URL for terminals (Unicode half blocks).
    pub qr_text: Option<String>,
    /// The same QR code as an SVG document.
    pub qr_svg: Option<String>,
}

impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCode")
            .field("device_code", &"[redacted]")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("verification_uri_complete", &self.verification_uri_complete)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl DeviceCode {
    /// The options of `device_poll` for this code (add a `timeout` if
    /// you want one).
    #[must_use]
    pub fn poll_options(&self) -> DevicePollOptions {
        DevicePollOptions {
            device_code: self.device_code.clone(),
            interval: self.interval,
            expires_in: self.expires_in,
            timeout: None,
        }
    }
}

impl TryFrom<&Value> for DeviceCode {
    type Error = Error;

    /// Reads what `device_start` answered.
    fn try_from(v: &Value) -> Result<DeviceCode> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let required = |k: &str| {
            text(k).ok_or_else(|| {
                Error::new(
                    crate::ErrorKind::Server,
                    format!("the device code answer has no valid {k}"),
                )
                .with_code("invalid_response")
            })
        };
        let secs = |k: &str| v.get(k).and_then(Value::as_u64).map(Duration::from_secs);
        let qr = |k: &str| {
            v.get("qr")
                .and_then(|q| q.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Ok(DeviceCode {
            device_code: required("device_code")?,
            user_code: required("user_code")?,
            verification_uri: required("verification_uri")?,
            verification_uri_complete: text("verification_uri_complete"),
            expires_in: secs("expires_in"),
            interval: secs("interval"),
            qr_text: qr("text"),
            qr_svg: qr("svg"),
        })
    }
}
