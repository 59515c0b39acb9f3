//! The device authorization flow (RFC 8628).

use super::{typed_options, DeviceLogin, DevicePoll, DeviceStart, Json};
use crate::secret::DeviceCodeSecret;
use serde_json::Value;
use std::time::Duration;

/// The options of [`WebAuth::device_start`](crate::WebAuth::device_start)
/// and `WebAuth::device_login` (which also reads `timeout`).
///
/// ```no_run
/// use auth0_native::{DeviceStartOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let started = web.device_start(&DeviceStartOptions {
///     scope: Some("openid offline_access".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeviceStartOptions {
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// `device_login` only: bound on the wait for the user. `timeout`.
    pub timeout: Option<Duration>,
}

impl DeviceStartOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .millis("timeout", self.timeout)
            .build()
    }
}

typed_options!(DeviceStartOptions => DeviceStart, DeviceLogin);

/// The options of `WebAuth::device_poll`: what `device_start` answered,
/// and a bound on the wait.
///
/// ```no_run
/// use auth0_native::{CancelToken, DevicePollOptions, WebAuth, WebAuthOptions};
/// use std::time::Duration;
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let device_code = auth0_native::secret::DeviceCodeSecret::default();
/// let result = web.device_poll(&DevicePollOptions {
///     device_code,
///     interval: Some(Duration::from_secs(5)),
///     timeout: Some(Duration::from_secs(300)),
///     ..Default::default()
/// }, &CancelToken::new())?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DevicePollOptions {
    /// The device's credential until the login ends. Required.
    /// `device_code`.
    pub device_code: DeviceCodeSecret,
    /// The polling interval (whole seconds; default 5). `interval`.
    pub interval: Option<Duration>,
    /// The code's lifetime (whole seconds). `expires_in`.
    pub expires_in: Option<Duration>,
    /// Bound on the whole wait. `timeout`.
    pub timeout: Option<Duration>,
}

impl DevicePollOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("device_code", Some(self.device_code.secret()))
            .secs("interval", self.interval)
            .secs("expires_in", self.expires_in)
            .millis("timeout", self.timeout)
            .build()
    }
}

typed_options!(DevicePollOptions => DevicePoll);

// The code `device_start` answered polls as its `poll_options()`.
impl super::sealed::Sealed<DevicePoll> for crate::DeviceCode {}

impl super::IntoOptions<DevicePoll> for crate::DeviceCode {
    fn to_options(&self) -> std::borrow::Cow<'_, Value> {
        std::borrow::Cow::Owned(self.poll_options().json())
    }
}
