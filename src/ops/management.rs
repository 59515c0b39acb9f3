//! `new auth0.Management(options)`.

use super::{typed_options, Json, NewManagement, TransportOptions};
use crate::secret::AccessToken;
use serde_json::Value;

/// The options of [`Management::new`](crate::Management::new):
/// the tenant and the user's Management API token.
///
/// ```
/// use auth0_native::{Management, ManagementOptions};
///
/// let m = Management::new(&ManagementOptions {
///     domain: "me.auth0.com".into(),
///     token: "YOUR_ACCESS_TOKEN".into(),
///     ..Default::default()
/// })?;
/// # drop(m);
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ManagementOptions {
    /// The tenant's domain. Required. `domain`.
    pub domain: String,
    /// The user's access token for the Management API. Required. `token`.
    pub token: AccessToken,
    /// `false` sends no `Auth0-Client` telemetry. `_sendTelemetry`.
    pub send_telemetry: Option<bool>,
    /// The transport (timeouts, trusted roots, proxy, retries).
    pub transport: TransportOptions,
}

impl ManagementOptions {
    fn json(&self) -> Value {
        let j = Json::new()
            .str("domain", Some(&self.domain))
            .str("token", Some(self.token.secret()))
            .bool("_sendTelemetry", self.send_telemetry);
        self.transport.add_to(j).build()
    }
}

typed_options!(ManagementOptions => NewManagement);
