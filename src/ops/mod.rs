//! Typed options, one struct per operation, and the one trait every
//! operation takes its options through.
//!
//! Each operation of [`WebAuth`](crate::WebAuth), [`Client`](crate::Client)
//! and [`Management`](crate::Management) takes `&impl IntoOptions<Op>`,
//! where `Op` is the operation's marker type below. Two kinds of value
//! implement it:
//!
//! - the operation's typed struct ([`LoginOptions`] for `client.login`,
//!   [`AuthorizeOptions`] for `authorize`, …): public fields plus
//!   `Default`, so a misspelt option is a compile error and a Rust caller
//!   needs no `serde_json`;
//! - a `serde_json::Value` with auth0.js's camelCase names — the shape the
//!   C and Python faces and the fixtures use, borrowed as it is.
//!
//! A typed struct becomes the same JSON object a JavaScript caller would
//! pass, with the keys in auth0.js's documented order and `extra` last,
//! in the order given. `None` (or an empty required string) leaves a key
//! out, so the operation reports a missing required option with
//! auth0.js's message. Durations are [`Duration`]s; the JSON face keeps
//! milliseconds (seconds where auth0.js uses seconds: `leeway`, `maxAge`,
//! the device flow's `interval` and `expires_in`).
//!
//! The operations whose core reads the typed struct itself ([`TypedOp`]:
//! `parseHash`, `validateIdToken`) go the other way: the struct is
//! borrowed as it is, and a JSON object is deserialised into it, with
//! auth0.js's messages.
//!
//! Why not every operation that way: the others put their options on the
//! wire, and auth0.js sends them in the order the caller's object has them
//! (`merge(baseOptions, keys).with(options)`: the handle's keys first, then
//! the caller's, unknown ones included). A C or Python caller's JSON must
//! give the same bytes as the same object in auth0.js, which a struct
//! cannot remember; so for those the JSON object is the operation's input,
//! and the typed struct is the compile-checked way to write it (`tests/typed_api_*.rs`
//! check both send the same bytes).
//!
//! ```
//! use auth0_native::{AuthorizeOptions, WebAuth, WebAuthOptions};
//!
//! let web = WebAuth::new(&WebAuthOptions {
//!     domain: "me.auth0.com".into(),
//!     client_id: "abc".into(),
//!     send_telemetry: Some(false),
//!     ..Default::default()
//! })?;
//! let url = web.client().build_authorize_url(&AuthorizeOptions {
//!     state: Some("xyz".into()),
//!     ..Default::default()
//! })?;
//! assert_eq!(url, "https://me.auth0.com/authorize?client_id=abc&response_type=token&state=xyz");
//! # Ok::<(), auth0_native::Error>(())
//! ```
//!
//! Options of one operation are not options of another:
//!
//! ```compile_fail,E0277
//! use auth0_native::{ParseHashOptions, WebAuth};
//! # let web: WebAuth = unimplemented!();
//! web.client().login(&ParseHashOptions::default());
//! ```
//!
//! and a misspelt option does not compile:
//!
//! ```compile_fail,E0560
//! use auth0_native::LoginOptions;
//! let o = LoginOptions { usename: "me".into(), ..Default::default() };
//! ```

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::time::Duration;

mod authorize;
mod dbconnection;
mod device;
mod login;
mod logout;
mod loose;
mod management;
mod parse_hash;
mod passwordless;
mod webauth;

pub use authorize::AuthorizeOptions;
pub use dbconnection::{ChangePasswordOptions, SignupOptions};
pub use device::{DevicePollOptions, DeviceStartOptions};
pub use login::{
    HeadlessLoginOptions, LoginOptions, LoginWithCredentialsOptions, RenewAuthOptions,
    UserInfoOptions,
};
pub use logout::LogoutOptions;
pub use management::ManagementOptions;
pub use parse_hash::{ParseHashOptions, ValidateIdTokenOptions};
pub use passwordless::{
    PasswordlessLoginOptions, PasswordlessStartOptions, PasswordlessVerifyOptions,
};
pub use webauth::{TransactionOptions, TransactionStorage, TransportOptions, WebAuthOptions};

mod sealed {
    /// Only this crate's types take part in [`super::IntoOptions`].
    pub trait Sealed<Op> {}
}

/// A value an operation `Op` takes its options from: the operation's typed
/// struct, or a `serde_json::Value` with auth0.js's names (borrowed, not
/// copied). Sealed: the set of implementations is this crate's.
///
/// ```
/// use auth0_native::{LogoutOptions, WebAuth, WebAuthOptions};
///
/// let web = WebAuth::new(&WebAuthOptions {
///     domain: "me.auth0.com".into(),
///     client_id: "abc".into(),
///     ..Default::default()
/// })?;
/// let typed = web.logout(&LogoutOptions {
///     return_to: Some("https://app.example/".into()),
///     ..Default::default()
/// })?;
/// let json = web.logout(&serde_json::json!({"returnTo": "https://app.example/"}))?;
/// assert_eq!(typed, json);
/// # Ok::<(), auth0_native::Error>(())
/// ```
pub trait IntoOptions<Op>: sealed::Sealed<Op> {
    /// The JSON object the operation reads.
    #[doc(hidden)]
    fn to_options(&self) -> Cow<'_, Value>;

    /// The typed options of an operation whose core reads them: the
    /// struct itself (borrowed), or the JSON object deserialised into it.
    #[doc(hidden)]
    fn to_typed(&self) -> crate::Result<Cow<'_, Op::Options>>
    where
        Op: TypedOp,
    {
        Op::from_json(&self.to_options()).map(Cow::Owned)
    }
}

/// An operation whose core reads typed options; its JSON face is
/// deserialised into them, with auth0.js's messages.
#[doc(hidden)]
pub trait TypedOp {
    /// The operation's options struct.
    type Options: Clone;
    /// The JSON face: `options` read into the struct.
    fn from_json(options: &Value) -> crate::Result<Self::Options>;
}

impl<Op> sealed::Sealed<Op> for Value {}

impl<Op> IntoOptions<Op> for Value {
    fn to_options(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

/// Implements [`IntoOptions`] of each listed operation for a typed struct
/// through its `json()`.
macro_rules! typed_options {
    ($ty:ty => $($op:ty),+) => {
        $(
            impl crate::ops::sealed::Sealed<$op> for $ty {}
            impl crate::ops::IntoOptions<$op> for $ty {
                fn to_options(&self) -> std::borrow::Cow<'_, serde_json::Value> {
                    std::borrow::Cow::Owned(self.json())
                }
            }
        )+
    };
}
pub(crate) use typed_options;

macro_rules! markers {
    ($($(#[$attr:meta])* $name:ident),+ $(,)?) => {
        $(
            $(#[$attr])*
            #[derive(Debug)]
            pub enum $name {}
        )+
    };
}

markers!(
    /// `new auth0.WebAuth(options)`: [`WebAuthOptions`].
    NewWebAuth,
    /// `webAuth.authorize`: [`AuthorizeOptions`].
    Authorize,
    /// `client.buildAuthorizeUrl`: [`AuthorizeOptions`].
    BuildAuthorizeUrl,
    /// `popup.authorize`: [`AuthorizeOptions`].
    PopupAuthorize,
    /// `webAuth.logout`: [`LogoutOptions`].
    Logout,
    /// `webAuth.parseHash`: [`ParseHashOptions`].
    ParseHash,
    /// `webAuth.validateIdToken`: [`ValidateIdTokenOptions`].
    ValidateIdToken,
    /// `client.login`: [`LoginOptions`].
    Login,
    /// `client.userInfo`: [`UserInfoOptions`].
    UserInfo,
    /// `webAuth.signup`: [`SignupOptions`].
    Signup,
    /// `webAuth.changePassword`: [`ChangePasswordOptions`].
    ChangePassword,
    /// `webAuth.passwordlessStart`: [`PasswordlessStartOptions`].
    PasswordlessStart,
    /// `webAuth.passwordlessVerify`: [`PasswordlessVerifyOptions`].
    PasswordlessVerify,
    /// `client.passwordlessLogin` (the OTP grant): [`PasswordlessLoginOptions`].
    PasswordlessLogin,
    /// `device.start`: [`DeviceStartOptions`].
    DeviceStart,
    /// `device.poll`: [`DevicePollOptions`].
    DevicePoll,
    /// `device.login`: [`DeviceStartOptions`] (with its `timeout`).
    DeviceLogin,
    /// `redirect.loginWithCredentials`: [`LoginWithCredentialsOptions`].
    LoginWithCredentials,
    /// The cross-origin `webAuth.login`: [`HeadlessLoginOptions`].
    HeadlessLogin,
    /// `webAuth.renewAuth`: [`RenewAuthOptions`].
    RenewAuth,
    /// `new auth0.Management(options)`: [`ManagementOptions`].
    NewManagement,
);

/// Builds an options object key by key, leaving out what was not given.
#[derive(Default)]
pub(crate) struct Json(Map<String, Value>);

impl Json {
    pub fn new() -> Json {
        Json::default()
    }

    /// A string, when given and not empty.
    pub fn str(mut self, key: &str, v: Option<&str>) -> Json {
        if let Some(s) = v.filter(|s| !s.is_empty()) {
            self.0.insert(key.into(), Value::String(s.into()));
        }
        self
    }

    /// A string, even when empty.
    pub fn always_str(mut self, key: &str, v: &str) -> Json {
        self.0.insert(key.into(), Value::String(v.into()));
        self
    }

    pub fn bool(mut self, key: &str, v: Option<bool>) -> Json {
        if let Some(b) = v {
            self.0.insert(key.into(), Value::Bool(b));
        }
        self
    }

    pub fn u64(mut self, key: &str, v: Option<u64>) -> Json {
        if let Some(n) = v {
            self.0.insert(key.into(), Value::from(n));
        }
        self
    }

    /// A duration in milliseconds (the JSON face's unit).
    pub fn millis(self, key: &str, v: Option<Duration>) -> Json {
        self.u64(
            key,
            v.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        )
    }

    /// A duration in whole seconds (`leeway`, `maxAge`, `interval`).
    pub fn secs(self, key: &str, v: Option<Duration>) -> Json {
        self.u64(key, v.map(|d| d.as_secs()))
    }

    pub fn value(mut self, key: &str, v: Option<Value>) -> Json {
        if let Some(v) = v {
            self.0.insert(key.into(), v);
        }
        self
    }

    /// An ordered string map (`userMetadata`), when not empty.
    pub fn pairs(self, key: &str, pairs: &[(String, String)]) -> Json {
        let v = (!pairs.is_empty()).then(|| {
            Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            )
        });
        self.value(key, v)
    }

    /// What auth0.js passes through as it is, last and in the given order
    /// (a key given twice keeps its first place and takes the last value,
    /// as a JavaScript object literal).
    pub fn extra(mut self, extra: &[(String, String)]) -> Json {
        for (k, v) in extra {
            self.0.insert(k.clone(), Value::String(v.clone()));
        }
        self
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_comes_last_in_its_order_and_a_repeated_key_keeps_its_place() {
        let j = Json::new()
            .str("scope", Some("openid"))
            .extra(&[
                ("b".into(), "1".into()),
                ("a".into(), "2".into()),
                ("scope".into(), "email".into()),
            ])
            .build();
        assert_eq!(j.to_string(), r#"{"scope":"email","b":"1","a":"2"}"#);
    }

    #[test]
    fn durations_become_the_json_faces_units() {
        let j = Json::new()
            .millis("timeout", Some(Duration::from_secs(2)))
            .secs("leeway", Some(Duration::from_millis(30_999)))
            .millis("absent", None)
            .build();
        assert_eq!(j.to_string(), r#"{"timeout":2000,"leeway":30}"#);
    }

    #[test]
    fn json_options_are_borrowed_as_they_are() {
        let v = serde_json::json!({"state": "s"});
        let Cow::Borrowed(b) = IntoOptions::<Authorize>::to_options(&v) else {
            panic!("a JSON value is not copied");
        };
        assert!(std::ptr::eq(b, &raw const v));
    }
}
