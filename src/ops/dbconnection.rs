//! Database connections: `signup` and `changePassword`.

use super::{typed_options, ChangePassword, Json, Signup};
use crate::secret::Password;
use serde_json::Value;

/// The options of [`WebAuth::signup`](crate::WebAuth::signup).
///
/// ```no_run
/// use auth0_native::{SignupOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// web.signup(&SignupOptions {
///     connection: "Username-Password-Authentication".into(),
///     email: "new@example.com".into(),
///     password: "a long passphrase".into(),
///     user_metadata: vec![("plan".into(), "silver".into())],
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignupOptions {
    /// The database connection. Required. `connection`.
    pub connection: String,
    /// The user's email. Required. `email`.
    pub email: String,
    /// The password. Required. `password`.
    pub password: Password,
    /// A username, when the connection uses them. `username`.
    pub username: Option<String>,
    /// Metadata stored on the user, sent as given. `userMetadata`.
    pub user_metadata: Vec<(String, String)>,
    /// Further body keys (snake-cased as v8 does), last and in this order.
    pub extra: Vec<(String, String)>,
}

impl SignupOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", Some(&self.connection))
            .str("email", Some(&self.email))
            .str("password", Some(self.password.secret()))
            .str("username", self.username.as_deref())
            .pairs("userMetadata", &self.user_metadata)
            .extra(&self.extra)
            .build()
    }
}

typed_options!(SignupOptions => Signup);

/// The options of [`WebAuth::change_password`](crate::WebAuth::change_password).
///
/// ```no_run
/// use auth0_native::{ChangePasswordOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// web.change_password(&ChangePasswordOptions {
///     connection: "Username-Password-Authentication".into(),
///     email: "me@example.com".into(),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangePasswordOptions {
    /// The database connection. Required. `connection`.
    pub connection: String,
    /// The user's email. Required. `email`.
    pub email: String,
    /// Another application's client id. `clientID`.
    pub client_id: Option<String>,
}

impl ChangePasswordOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", Some(&self.connection))
            .str("email", Some(&self.email))
            .str("clientID", self.client_id.as_deref())
            .build()
    }
}

typed_options!(ChangePasswordOptions => ChangePassword);
