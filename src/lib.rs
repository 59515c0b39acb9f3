//! # auth0-native
//!
//! An Auth0 client for native programs: the operations of auth0.js v8 as a
//! blocking, thread-safe Rust core, with a C ABI (`include/auth0.h`) and a
//! Python module on top.
//!
//! ```
//! use auth0_native::{AuthorizeOptions, WebAuth, WebAuthOptions};
//!
//! let web = WebAuth::new(&WebAuthOptions {
//!     domain: "me.auth0.com".into(),
//!     client_id: "abc".into(),
//!     ..Default::default()
//! })?;
//! let url = web.client().build_authorize_url(&AuthorizeOptions {
//!     state: Some("xyz".into()),
//!     ..Default::default()
//! })?;
//! assert!(url.starts_with("https://me.auth0.com/authorize?client_id=abc&response_type=token&state=xyz"));
//! # Ok::<(), auth0_native::Error>(())
//! ```
//!
//! Each operation takes its options as a typed struct ([`ops`]: public
//! fields and `Default`, so a misspelt option does not compile, secrets in
//! [`secret`] newtypes, durations as [`std::time::Duration`]) or as a
//! `serde_json::Value` with auth0.js's names (`clientID`, `redirectUri`,
//! `responseType`, …) — the objects the C API takes as strings and the
//! Python module builds from keyword arguments, where a `null` value
//! means "not given". Both give the same requests, byte for byte.
//!
//! ```no_run
//! use auth0_native::{LoginOptions, WebAuth, WebAuthOptions};
//!
//! let web = WebAuth::new(&WebAuthOptions {
//!     domain: "me.auth0.com".into(),
//!     client_id: "abc".into(),
//!     ..Default::default()
//! })?;
//! let result = web.client().login(&LoginOptions {
//!     username: "ann@example.com".into(),
//!     password: "hunter2".into(),
//!     realm: "Username-Password-Authentication".into(),
//!     scope: Some("openid profile".into()),
//!     ..Default::default()
//! })?;
//! if let Some(claims) = result.claims() {
//!     println!("logged in as {}", claims.sub);
//! }
//! # Ok::<(), auth0_native::Error>(())
//! ```
//!
//! The library logs through the [`log`](https://docs.rs/log) facade under
//! targets `auth0_native::…` (HTTP requests, retries, JWKS, transactions,
//! the loopback listener, device polling, headless walks) and never logs a
//! secret, a query string or a body: see [`logging`].

#![warn(missing_docs)]

mod authentication;
mod callback;
mod cancel;
pub mod casing;
pub mod credentials;
mod dbconnection;
mod device;
mod domain;
pub mod dpop;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod headless;
mod html_form;
mod http;
#[path = "tokens/id_token/mod.rs"]
mod id_token;
mod jwks;
pub mod logging;
#[cfg(feature = "interactive")]
mod loopback;
mod management;
pub mod mfa;
#[cfg(feature = "interactive")]
mod opener;
pub mod ops;
pub mod options;
mod organization;
mod par;
mod passwordless;
#[cfg(feature = "interactive")]
mod popup;
mod query;
mod random;
mod results;
mod retry;
pub mod secret;
pub mod telemetry;
mod token_grants;
pub mod transaction;
mod webauth;

pub use authentication::AuthResult;
pub use cancel::CancelToken;
pub use credentials::{
    ClearOptions, Credentials, CredentialsManager, CredentialsOptions, StorageOptions,
};
pub use device::DEVICE_CODE_GRANT;
pub use domain::Domain;
pub use dpop::DpopKey;
pub use error::{Error, ErrorKind, Result};
pub use http::warm_up;
pub use id_token::Expectations;
pub use management::Management;
#[cfg(feature = "interactive")]
pub use opener::{OpenUrlFn, Opener};
pub use ops::{
    AuthorizeOptions, ChangePasswordOptions, DevicePollOptions, DeviceStartOptions,
    HeadlessLoginOptions, IntoOptions, LoginOptions, LoginWithCredentialsOptions, LogoutOptions,
    ManagementOptions, ParseHashOptions, PasswordlessLoginOptions, PasswordlessStartOptions,
    PasswordlessVerifyOptions, RenewAuthOptions, SignupOptions, TransportOptions, UserInfoOptions,
    ValidateIdTokenOptions, WebAuthOptions,
};
pub use options::Options;
pub use organization::Invitation;
#[cfg(feature = "interactive")]
pub use popup::{Interaction, DEFAULT_POPUP_TIMEOUT};
pub use results::{DeviceCode, IdTokenClaims, UserProfile};
pub use retry::RetryPolicy;
pub use telemetry::Binding;
pub use token_grants::{RefreshTokenOptions, RevokeTokenOptions};
pub use transaction::{FileStore, MemoryStore, Transaction, TransactionStore};
pub use webauth::{AuthorizeUrl, Client, WebAuth, AUTHORIZE_WHITELIST, MAX_LEEWAY_SECS};

/// The library's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
