//! Typed results: the `id_token`'s claims (typed in the result itself, see
//! [`IdTokenClaims`]), the `/userinfo` profile, the device flow's start
//! answer, and the signup and passwordless start answers.
//!
//! The operations return them ([`AuthResult::claims`], `user_info`,
//! `device_start`, `signup`, `passwordless_start`); each also reads the
//! JSON shape auth0.js answers, which the C and Python faces pass on
//! (`UserProfile::try_from(&profile)`, `DeviceCode::try_from(&started)`, …).

use crate::error::{Error, Result};
use crate::flows::authentication::AuthResult;
use crate::ops::DevicePollOptions;
use crate::secret::DeviceCodeSecret;
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
/// It serialises to the object `device_start`'s JSON face answers (the
/// server's fields, then `qr: {text, svg}`), which
/// [`DeviceCode::try_from`] reads back: a program that shows the codes in
/// another process or stores them across a restart keeps one shape.
///
/// ```
/// use auth0_native::DeviceCode;
///
/// let started = serde_json::json!({
///     "device_code": "Ag_EE...", "user_code": "BCDF-GHJK",
///     "verification_uri": "https://me.auth0.com/activate",
///     "expires_in": 900, "interval": 5, "vendor_hint": "tv",
/// });
/// let code = DeviceCode::try_from(&started)?;
/// assert_eq!(code.user_code, "BCDF-GHJK");
/// assert_eq!(code.device_code.secret(), "Ag_EE...");
/// assert!(!format!("{code:?}").contains("Ag_EE"));
/// assert_eq!(code.other["vendor_hint"], "tv");
/// let poll = code.poll_options();
/// assert_eq!(poll.interval, Some(std::time::Duration::from_secs(5)));
/// assert_eq!(serde_json::to_value(&code).unwrap(), started);
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeviceCode {
    /// The device's credential until the login ends.
    pub device_code: DeviceCodeSecret,
    /// The code the user types on the activation page.
    pub user_code: String,
    /// The activation page.
    pub verification_uri: String,
    /// The activation page with the code filled in, when the tenant sent one.
    pub verification_uri_complete: Option<String>,
    /// How long the codes are valid (whole seconds on the wire).
    pub expires_in: Option<Duration>,
    /// How often to poll (whole seconds on the wire).
    pub interval: Option<Duration>,
    /// A QR code of the activation URL for terminals (Unicode half blocks).
    pub qr_text: Option<String>,
    /// The same QR code as an SVG document.
    pub qr_svg: Option<String>,
    /// Every other field the tenant sent, as it sent it.
    pub other: Map<String, Value>,
}

/// The fields [`DeviceCode`] reads itself; the rest go to `other`.
const DEVICE_CODE_FIELDS: [&str; 7] = [
    "device_code",
    "user_code",
    "verification_uri",
    "verification_uri_complete",
    "expires_in",
    "interval",
    "qr",
];

impl DeviceCode {
    /// The options of `device_poll` for this code (add a `timeout` if
    /// you want one). `device_poll(&code, …)` polls with these.
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

impl Serialize for DeviceCode {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Qr<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            text: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            svg: Option<&'a str>,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("device_code", &self.device_code)?;
        map.serialize_entry("user_code", &self.user_code)?;
        map.serialize_entry("verification_uri", &self.verification_uri)?;
        if let Some(complete) = &self.verification_uri_complete {
            map.serialize_entry("verification_uri_complete", complete)?;
        }
        if let Some(expires_in) = self.expires_in {
            map.serialize_entry("expires_in", &expires_in.as_secs())?;
        }
        if let Some(interval) = self.interval {
            map.serialize_entry("interval", &interval.as_secs())?;
        }
        for (key, value) in &self.other {
            map.serialize_entry(key, value)?;
        }
        if self.qr_text.is_some() || self.qr_svg.is_some() {
            let qr = Qr {
                text: self.qr_text.as_deref(),
                svg: self.qr_svg.as_deref(),
            };
            map.serialize_entry("qr", &qr)?;
        }
        map.end()
    }
}

impl TryFrom<&Value> for DeviceCode {
    type Error = Error;

    /// Reads what `device_start` answered (or what a `DeviceCode`
    /// serialised to).
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
        let other = v
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .filter(|(k, _)| !DEVICE_CODE_FIELDS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(DeviceCode {
            device_code: DeviceCodeSecret::new(required("device_code")?),
            user_code: required("user_code")?,
            verification_uri: required("verification_uri")?,
            verification_uri_complete: text("verification_uri_complete"),
            expires_in: secs("expires_in"),
            interval: secs("interval"),
            qr_text: qr("text"),
            qr_svg: qr("svg"),
            other,
        })
    }
}

/// The error of a 2xx answer that does not have the shape its typed result
/// needs: a [`Server`](crate::ErrorKind::Server) error with code
/// `invalid_response` saying which answer and what was wrong (serde's
/// message names the field or the type, never a string it did not expect
/// to be there).
pub(crate) fn invalid_answer(what: &str, problem: impl std::fmt::Display) -> Error {
    Error::new(
        crate::ErrorKind::Server,
        format!("the {what} answer is not valid: {problem}"),
    )
    .with_code("invalid_response")
}

/// Reads a typed result out of the JSON `answer` of `what` (an endpoint),
/// or the [`invalid_answer`] error.
pub(crate) fn read_answer<T: serde::de::DeserializeOwned>(answer: &Value, what: &str) -> Result<T> {
    T::deserialize(answer).map_err(|e| invalid_answer(what, e))
}

/// What [`WebAuth::signup`](crate::WebAuth::signup) answered: the new
/// database user, with auth0.js's camelCased keys (`Id` is the server's
/// `_id`).
///
/// ```
/// use auth0_native::SignupResult;
///
/// let answer = serde_json::json!({"Id": "5c1f…", "emailVerified": false, "email": "ann@example.com"});
/// let user = SignupResult::try_from(&answer)?;
/// assert_eq!(user.email, "ann@example.com");
/// assert_eq!(user.email_verified, Some(false));
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupResult {
    /// The new user's id within the connection (the user id without its
    /// `auth0|` prefix). `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// The e-mail address signed up. `email`.
    pub email: String,
    /// Whether the address is verified (`false` until the user follows the
    /// verification e-mail). `emailVerified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// The username, when the connection uses them. `username`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Every other field of the answer (`givenName`, `userMetadata`, …),
    /// camelCased as auth0.js does.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl TryFrom<&Value> for SignupResult {
    type Error = Error;

    /// Reads the camelCased `/dbconnections/signup` answer.
    fn try_from(answer: &Value) -> Result<SignupResult> {
        read_answer(answer, "/dbconnections/signup")
    }
}

/// What [`WebAuth::passwordless_start`](crate::WebAuth::passwordless_start)
/// answered: who the code or link was sent to, with auth0.js's camelCased
/// keys (`Id` is the server's `_id`).
///
/// ```
/// use auth0_native::PasswordlessStartResult;
///
/// let answer = serde_json::json!({"Id": "5c1f…", "email": "ann@example.com", "emailVerified": false});
/// let sent = PasswordlessStartResult::try_from(&answer)?;
/// assert_eq!(sent.email.as_deref(), Some("ann@example.com"));
/// assert_eq!(sent.phone_number, None);
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordlessStartResult {
    /// The id of the passwordless user (the user id without its `email|`
    /// or `sms|` prefix). `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// The recipient of an `email` connection. `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether that address is verified. `emailVerified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// The recipient of an `sms` connection. `phoneNumber`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Every other field of the answer (`phoneVerified`,
    /// `requestLanguage`, …), camelCased as auth0.js does.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl TryFrom<&Value> for PasswordlessStartResult {
    type Error = Error;

    /// Reads the camelCased `/passwordless/start` answer.
    fn try_from(answer: &Value) -> Result<PasswordlessStartResult> {
        read_answer(answer, "/passwordless/start")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_device_code_serialises_to_the_json_face_s_object_and_reads_back() {
        let started = json!({
            "device_code": "dc-secret", "user_code": "BCDF-GHJK",
            "verification_uri": "https://me.auth0.com/activate",
            "verification_uri_complete": "https://me.auth0.com/activate?user_code=BCDF-GHJK",
            "expires_in": 900, "interval": 5, "vendor": {"hint": [1, 2]},
            "qr": {"text": "▀▄", "svg": "<svg/>"},
        });
        let code = DeviceCode::try_from(&started).unwrap();
        assert_eq!(code.qr_text.as_deref(), Some("▀▄"));
        assert_eq!(
            code.other.len(),
            1,
            "only the unknown field: {:?}",
            code.other
        );
        let written = serde_json::to_value(&code).unwrap();
        assert_eq!(written, started);
        assert_eq!(DeviceCode::try_from(&written).unwrap(), code);
        // The JSON face's order: the server's fields, then qr.
        let keys: Vec<&String> = written.as_object().unwrap().keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some("device_code"));
        assert_eq!(keys.last().map(|k| k.as_str()), Some("qr"));
    }

    #[test]
    fn a_device_code_without_optional_fields_writes_none_of_them() {
        let started =
            json!({"device_code": "d", "user_code": "u", "verification_uri": "https://x/a"});
        let code = DeviceCode::try_from(&started).unwrap();
        assert_eq!(serde_json::to_value(&code).unwrap(), started);
        assert!(!format!("{code:?}").contains("\"d\""), "{code:?}");
    }
}
