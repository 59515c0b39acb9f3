//! `webAuth.logout(options)`.

use super::{typed_options, Json, Logout};
use serde_json::Value;

/// The options of [`WebAuth::logout`](crate::WebAuth::logout).
///
/// ```
/// use auth0_native::{LogoutOptions, WebAuth, WebAuthOptions};
///
/// let web = WebAuth::new(&WebAuthOptions {
///     domain: "me.auth0.com".into(),
///     client_id: "abc".into(),
///     send_telemetry: Some(false),
///     ..Default::default()
/// })?;
/// let url = web.logout(&LogoutOptions {
///     return_to: Some("https://app.example/".into()),
///     federated: true,
///     ..Default::default()
/// })?;
/// assert_eq!(url, "https://me.auth0.com/v2/logout?client_id=abc&returnTo=https%3A%2F%2Fapp.example%2F&federated");
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogoutOptions {
    /// Where the tenant sends the browser after logout (an allowed logout
    /// URL). `returnTo`.
    pub return_to: Option<String>,
    /// Another application's client id. `clientID`.
    pub client_id: Option<String>,
    /// Also log out of the identity provider (a bare `federated`). `federated`.
    pub federated: bool,
    /// Also end the tenant's session with the handle's cookies, without a
    /// browser (a network call). `headless`.
    pub headless: bool,
    /// Further query parameters, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl LogoutOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("returnTo", self.return_to.as_deref())
            .str("clientID", self.client_id.as_deref())
            .bool("federated", self.federated.then_some(true))
            .bool("headless", self.headless.then_some(true))
            .extra(&self.extra)
            .build()
    }
}

typed_options!(LogoutOptions => Logout);
