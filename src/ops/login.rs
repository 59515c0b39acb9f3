//! The logins with credentials (`client.login`, `loginWithCredentials`,
//! the cross-origin `login`), `renewAuth` and `userInfo`.

use super::{typed_options, HeadlessLogin, Json, Login, LoginWithCredentials, RenewAuth, UserInfo};
use crate::secret::{Otp, Password};
use serde_json::Value;
use std::time::Duration;

/// The options of [`Client::login`](crate::Client::login) — the
/// password-realm grant at `/oauth/token`.
///
/// ```no_run
/// use auth0_native::{LoginOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.client().login(&LoginOptions {
///     username: "testuser".into(),
///     password: "testpass".into(),
///     realm: "Username-Password-Authentication".into(),
///     scope: Some("openid profile".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoginOptions {
    /// The username (or email). Required. `username`.
    pub username: String,
    /// The password. Required. `password`.
    pub password: Password,
    /// The database connection. Required. `realm`.
    pub realm: String,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
}

impl LoginOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("username", Some(&self.username))
            .str("password", Some(self.password.secret()))
            .str("realm", Some(&self.realm))
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .build()
    }
}

typed_options!(LoginOptions => Login);

/// The options of [`Client::user_info_with`](crate::Client::user_info_with).
///
/// ```no_run
/// use auth0_native::{UserInfoOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let access_token = "";
/// let profile = web.client().user_info_with(access_token, &UserInfoOptions {
///     sub: Some("auth0|123".into()),
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserInfoOptions {
    /// The `id_token`'s `sub`: a profile of another user is an error. `sub`.
    pub sub: Option<String>,
}

impl UserInfoOptions {
    fn json(&self) -> Value {
        Json::new().str("sub", self.sub.as_deref()).build()
    }
}

typed_options!(UserInfoOptions => UserInfo);

/// The options of
/// [`WebAuth::login_with_credentials`](crate::WebAuth::login_with_credentials)
/// — `redirect.loginWithCredentials`.
///
/// ```no_run
/// use auth0_native::{LoginWithCredentialsOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.login_with_credentials(&LoginWithCredentialsOptions {
///     connection: Some("Username-Password-Authentication".into()),
///     username: "testuser".into(),
///     password: "testpass".into(),
///     scope: Some("openid".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoginWithCredentialsOptions {
    /// The database or enterprise connection. `connection`.
    pub connection: Option<String>,
    /// The username (or use `email`). `username`.
    pub username: String,
    /// The email, when no `username` is given. `email`.
    pub email: Option<String>,
    /// The password. Required. `password`.
    pub password: Password,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// Where the answer goes. `redirectUri`.
    pub redirect_uri: Option<String>,
    /// Space-separated `code`, `token`, `id_token`. `responseType`.
    pub response_type: Option<String>,
    /// `query`, `fragment` or `form_post`. `responseMode`.
    pub response_mode: Option<String>,
    /// Your own state. `state`.
    pub state: Option<String>,
    /// Your own nonce. `nonce`.
    pub nonce: Option<String>,
    /// Further parameters, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl LoginWithCredentialsOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", self.connection.as_deref())
            .str("username", Some(&self.username))
            .str("email", self.email.as_deref())
            .str("password", Some(self.password.secret()))
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("responseMode", self.response_mode.as_deref())
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .extra(&self.extra)
            .build()
    }
}

typed_options!(LoginWithCredentialsOptions => LoginWithCredentials);

/// The options of [`WebAuth::login`](crate::WebAuth::login) — v8's
/// cross-origin `webAuth.login` (`/co/authenticate`, then `/authorize`).
///
/// ```no_run
/// use auth0_native::{HeadlessLoginOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.login(&HeadlessLoginOptions {
///     realm: Some("Username-Password-Authentication".into()),
///     username: "testuser".into(),
///     password: "testpass".into(),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadlessLoginOptions {
    /// The connection; selects the password-realm credential type. `realm`.
    pub realm: Option<String>,
    /// The username (or use `email`). `username`.
    pub username: String,
    /// The email, when no `username` is given. `email`.
    pub email: Option<String>,
    /// The password (or give `otp`). `password`.
    pub password: Password,
    /// A one-time code instead of the password. `otp`.
    pub otp: Option<Otp>,
    /// The credential type of a realm login (default v8's password-realm
    /// grant). `credentialType`.
    pub credential_type: Option<String>,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// Where the answer goes. `redirectUri`.
    pub redirect_uri: Option<String>,
    /// Space-separated `code`, `token`, `id_token`. `responseType`.
    pub response_type: Option<String>,
    /// Your own state. `state`.
    pub state: Option<String>,
    /// Your own nonce. `nonce`.
    pub nonce: Option<String>,
    /// Further `/authorize` parameters, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl HeadlessLoginOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("realm", self.realm.as_deref())
            .str("username", Some(&self.username))
            .str("email", self.email.as_deref())
            .str("password", Some(self.password.secret()))
            .str("otp", self.otp.as_ref().map(Otp::secret))
            .str("credentialType", self.credential_type.as_deref())
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .extra(&self.extra)
            .build()
    }
}

typed_options!(HeadlessLoginOptions => HeadlessLogin);

/// The options of [`WebAuth::renew_auth`](crate::WebAuth::renew_auth):
/// silent authentication with the handle's session.
///
/// ```no_run
/// use auth0_native::{RenewAuthOptions, WebAuth, WebAuthOptions};
/// use std::time::Duration;
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.renew_auth(&RenewAuthOptions {
///     audience: Some("https://api.example".into()),
///     timeout: Some(Duration::from_secs(20)),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenewAuthOptions {
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// Where the answer goes. `redirectUri`.
    pub redirect_uri: Option<String>,
    /// Space-separated `code`, `token`, `id_token` (default `token`). `responseType`.
    pub response_type: Option<String>,
    /// `query`, `fragment` (default) or `form_post`. `responseMode`.
    pub response_mode: Option<String>,
    /// Your own state. `state`.
    pub state: Option<String>,
    /// Your own nonce. `nonce`.
    pub nonce: Option<String>,
    /// Bound on the whole call (default 60 s). `timeout`.
    pub timeout: Option<Duration>,
    /// Further `/authorize` parameters, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl RenewAuthOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("audience", self.audience.as_deref())
            .str("scope", self.scope.as_deref())
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("responseMode", self.response_mode.as_deref())
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .millis("timeout", self.timeout)
            .extra(&self.extra)
            .build()
    }
}

typed_options!(RenewAuthOptions => RenewAuth);
