//! # auth0-native
//!
//! An Auth0 client for native programs: the operations of auth0.js v8 as a
//! blocking, thread-safe Rust core, with a C ABI (`include/auth0.h`) and a
//! Python module on top.
//!
//! ```
//! use auth0_native::WebAuth;
//! use serde_json::json;
//!
//! let web = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "abc"}))?;
//! let url = web.client().build_authorize_url(&json!({"state": "xyz"}))?;
//! assert!(url.starts_with("https://me.auth0.com/authorize?client_id=abc&response_type=token&state=xyz"));
//! # Ok::<(), auth0_native::Error>(())
//! ```
//!
//! Options are JSON objects with auth0.js's names (`clientID`,
//! `redirectUri`, `responseType`, …): the same objects the C API takes as
//! strings and the Python module builds from keyword arguments. A `null`
//! value means "not given".

#![warn(missing_docs)]

mod authentication;
mod callback;
mod cancel;
pub mod casing;
pub mod credentials;
mod dbconnection;
mod device;
mod domain;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod headless;
mod html_form;
mod http;
mod id_token;
mod jwks;
#[cfg(feature = "interactive")]
mod loopback;
mod management;
#[cfg(feature = "interactive")]
mod opener;
pub mod options;
mod passwordless;
#[cfg(feature = "interactive")]
mod popup;
mod query;
mod random;
mod retry;
pub mod secret;
pub mod telemetry;
pub mod transaction;
mod webauth;

pub use authentication::AuthResult;
pub use cancel::CancelToken;
pub use device::DEVICE_CODE_GRANT;
pub use domain::Domain;
pub use error::{Error, ErrorKind, Result};
pub use id_token::Expectations;
pub use management::Management;
#[cfg(feature = "interactive")]
pub use opener::{OpenUrlFn, Opener};
pub use options::Options;
#[cfg(feature = "interactive")]
pub use popup::{Interaction, DEFAULT_POPUP_TIMEOUT};
pub use retry::RetryPolicy;
pub use telemetry::Binding;
pub use transaction::{FileStore, MemoryStore, Transaction, TransactionStore};
pub use webauth::{AuthorizeUrl, Client, WebAuth, AUTHORIZE_WHITELIST, MAX_LEEWAY_SECS};

/// The library's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
