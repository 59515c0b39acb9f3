//! Passwordless: start, verify, and the OTP grant.

use super::{
    typed_options, AuthorizeOptions, Json, PasswordlessLogin, PasswordlessStart, PasswordlessVerify,
};
use crate::secret::Otp;
use serde_json::Value;

/// The options of
/// [`WebAuth::passwordless_start`](crate::WebAuth::passwordless_start).
///
/// ```no_run
/// use auth0_native::{PasswordlessStartOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// web.passwordless_start(&PasswordlessStartOptions {
///     connection: "email".into(),
///     send: "code".into(),
///     email: Some("me@example.com".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PasswordlessStartOptions {
    /// `email` or `sms`. Required. `connection`.
    pub connection: String,
    /// `code` or `link`. Required. `send`.
    pub send: String,
    /// The recipient of an `email` connection. `email`.
    pub email: Option<String>,
    /// The recipient of an `sms` connection. `phoneNumber`.
    pub phone_number: Option<String>,
    /// The `/authorize` parameters of the link. `authParams`.
    pub auth_params: Option<AuthorizeOptions>,
}

impl PasswordlessStartOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", Some(&self.connection))
            .str("send", Some(&self.send))
            .str("email", self.email.as_deref())
            .str("phoneNumber", self.phone_number.as_deref())
            .value(
                "authParams",
                self.auth_params.as_ref().map(AuthorizeOptions::json),
            )
            .build()
    }
}

typed_options!(PasswordlessStartOptions => PasswordlessStart);

/// The options of
/// [`WebAuth::passwordless_verify`](crate::WebAuth::passwordless_verify).
///
/// ```no_run
/// use auth0_native::{PasswordlessVerifyOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.passwordless_verify(&PasswordlessVerifyOptions {
///     connection: "email".into(),
///     email: Some("me@example.com".into()),
///     verification_code: "123456".into(),
///     redirect_uri: Some("http://127.0.0.1:7777/callback".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PasswordlessVerifyOptions {
    /// `email` or `sms`. Required. `connection`.
    pub connection: String,
    /// The recipient of an `email` connection. `email`.
    pub email: Option<String>,
    /// The recipient of an `sms` connection. `phoneNumber`.
    pub phone_number: Option<String>,
    /// The code the user received. Required. `verificationCode`.
    pub verification_code: Otp,
    /// Where the answer goes. `redirectUri`.
    pub redirect_uri: Option<String>,
    /// Space-separated `code`, `token`, `id_token`. `responseType`.
    pub response_type: Option<String>,
    /// `query`, `fragment` or `form_post`. `responseMode`.
    pub response_mode: Option<String>,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// Your own state. `state`.
    pub state: Option<String>,
    /// Your own nonce. `nonce`.
    pub nonce: Option<String>,
    /// Further `/authorize` parameters, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl PasswordlessVerifyOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", Some(&self.connection))
            .str("email", self.email.as_deref())
            .str("phoneNumber", self.phone_number.as_deref())
            .str("verificationCode", Some(self.verification_code.secret()))
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("responseMode", self.response_mode.as_deref())
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .extra(&self.extra)
            .build()
    }
}

typed_options!(PasswordlessVerifyOptions => PasswordlessVerify);

/// The options of
/// [`Client::passwordless_login`](crate::Client::passwordless_login) —
/// the OTP grant at `/oauth/token`.
///
/// ```no_run
/// use auth0_native::{PasswordlessLoginOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// let result = web.client().passwordless_login(&PasswordlessLoginOptions {
///     connection: "sms".into(),
///     phone_number: Some("+15551234567".into()),
///     verification_code: "123456".into(),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PasswordlessLoginOptions {
    /// `email` or `sms` (sent as `realm`). Required. `connection`.
    pub connection: String,
    /// The recipient of an `email` connection (sent as `username`). `email`.
    pub email: Option<String>,
    /// The recipient of an `sms` connection (sent as `username`). `phoneNumber`.
    pub phone_number: Option<String>,
    /// The code the user received (sent as `otp`). Required. `verificationCode`.
    pub verification_code: Otp,
    /// The scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
}

impl PasswordlessLoginOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("connection", Some(&self.connection))
            .str("email", self.email.as_deref())
            .str("phoneNumber", self.phone_number.as_deref())
            .str("verificationCode", Some(self.verification_code.secret()))
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .build()
    }
}

typed_options!(PasswordlessLoginOptions => PasswordlessLogin);
