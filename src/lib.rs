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
//!     println!("logged in as {}", claims.subject());
//! }
//! # Ok::<(), auth0_native::Error>(())
//! ```
//!
//! The library logs through the [`log`](https://docs.rs/log) facade under
//! targets `auth0_native::…` (HTTP requests, retries, JWKS, transactions,
//! the loopback listener, device polling, headless walks) and never logs a
//! secret, a query string or a body: see [`logging`].
//!
//! # Where things live
//!
//! ```text
//! src/
//!   lib.rs          the public API: re-exports, and this map
//!   webauth/        the WebAuth handle: construction, authorize URL and its transaction, logout
//!   flows/          the network operations: login, parseHash, userInfo, signup, passwordless,
//!                   headless walks, device flow, MFA, PAR, refresh/revoke, invitations
//!   tokens/         id_token validation (decode, signature, claims), signing keys (JWKS),
//!                   DPoP keys and proofs, typed results (claims, profile, device code)
//!   transaction/    the transaction store (memory, file) and the `transaction` option
//!   credentials/    the credentials manager and its stores
//!   interactive/    popup.authorize: loopback listener, browser opener, cancel token
//!   transport/      the HTTP client and answer normalisation, retries, telemetry, query
//!                   strings, the tenant's domain, HTML forms
//!   management/     the Management API v2 calls, and the user and identities they answer
//!   json_face.rs    the bindings' JSON answers of the operations with typed results
//!   ops/            typed option structs of every operation, and their JSON names
//!   options.rs      JSON option objects as auth0.js reads them
//!   casing.rs       key casing (camelCase / snake_case)
//!   error.rs        the one error type
//!   secret.rs       secret newtypes
//!   logging.rs      log targets and the safe-logging helpers
//!   random.rs       the OS random source (state, nonce, PKCE)
//!   fuzzing.rs      fuzz entry points (`fuzzing` feature)
//! bindings/c/       the C library (header include/auth0.h)
//! bindings/python/  the Python module
//! ```

#![warn(missing_docs)]
#![warn(clippy::pedantic)]
// `clippy::pedantic` lints that do not fit this crate, each with its reason:
// a lock's poison recovery reads best as `|p| p.into_inner()`, the idiom
// of every lock in the crate, not as a path to `PoisonError::into_inner`.
#![allow(clippy::redundant_closure_for_method_calls)]

pub mod casing;
pub mod credentials;
mod error;
mod flows;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod interactive;
#[doc(hidden)]
pub mod json_face;
pub mod logging;
mod management;
pub mod ops;
pub mod options;
mod random;
pub mod secret;
mod tokens;
pub mod transaction;
mod transport;
mod webauth;

pub use flows::mfa;
pub use tokens::dpop;
pub use transport::telemetry;

pub use credentials::{
    ClearOptions, Credentials, CredentialsManager, CredentialsOptions, StorageOptions,
};
pub use dpop::DpopKey;
pub use error::{Error, ErrorKind, Result};
pub use flows::authentication::AuthResult;
pub use flows::device::DEVICE_CODE_GRANT;
pub use flows::organization::Invitation;
pub use flows::token_grants::{RefreshTokenOptions, RevokeTokenOptions};
pub use interactive::cancel::CancelToken;
#[cfg(feature = "interactive")]
pub use interactive::opener::{OpenUrlFn, Opener};
#[cfg(feature = "interactive")]
pub use interactive::popup::{Interaction, DEFAULT_POPUP_TIMEOUT};
pub use management::{Identity, Management, User};
pub use ops::{
    AuthorizeOptions, ChangePasswordOptions, DevicePollOptions, DeviceStartOptions,
    HeadlessLoginOptions, IntoOptions, LoginOptions, LoginWithCredentialsOptions, LogoutOptions,
    ManagementOptions, ParseHashOptions, PasswordlessLoginOptions, PasswordlessStartOptions,
    PasswordlessVerifyOptions, RenewAuthOptions, SignupOptions, TransportOptions, UserInfoOptions,
    ValidateIdTokenOptions, WebAuthOptions,
};
pub use options::Options;
pub use tokens::claims::ClaimValue;
pub use tokens::id_token::Expectations;
pub use tokens::results::{
    DeviceCode, IdTokenClaims, PasswordlessStartResult, SignupResult, UserProfile,
};
pub use transaction::{FileStore, MemoryStore, Transaction, TransactionStore};
pub use transport::domain::Domain;
pub use transport::http::warm_up;
pub use transport::retry::RetryPolicy;
pub use transport::telemetry::Binding;
pub use webauth::{AuthorizeUrl, Client, WebAuth, AUTHORIZE_WHITELIST, MAX_LEEWAY_SECS};

/// The library's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
