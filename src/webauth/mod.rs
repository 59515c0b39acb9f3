//! `WebAuth`: the handle of the Authentication API side of auth0.js v8.
//!
//! It holds the validated base options of `new auth0.WebAuth(options)`, the
//! tenant's domain, the telemetry value and the transaction store. It is
//! immutable after construction except for the store, which locks
//! internally, so one handle may be shared by any number of threads.

mod authorize;
pub(crate) mod base_keys;
mod construct;
mod logout;

#[cfg(feature = "interactive")]
pub(crate) use authorize::Flow;
pub use authorize::{AuthorizeUrl, AUTHORIZE_WHITELIST};

use crate::casing::to_snake_case;
use crate::error::{Error, Result};
use crate::logging;
use crate::ops::{self, IntoOptions};
use crate::options::{
    as_object, merge, optional_bool, optional_f64, optional_object, optional_str,
    require_nonempty_str, require_str, Options,
};
use crate::random;
use crate::telemetry::{self, Binding};
use crate::tokens::id_token::Verifier;
use crate::tokens::jwks::Jwks;
use crate::transaction::{Transaction, TransactionConfig};
use crate::transport::domain::Domain;
use crate::transport::http::{Http, TransportConfig};
use crate::transport::query;
use serde::Serialize;
use serde_json::Value;

/// The largest `leeway` (Part A: 0..300 seconds).
pub const MAX_LEEWAY_SECS: u32 = 300;

/// The longest `domain` accepted: a DNS name is at most 253 bytes, plus
/// room for a scheme and port of a loopback dev tenant.
pub(crate) const MAX_DOMAIN_LEN: usize = 270;

/// The longest `clientID` accepted (Auth0's are 32 characters).
pub(crate) const MAX_CLIENT_ID_LEN: usize = 128;

/// The Auth0 Authentication API client of one tenant and application —
/// `new auth0.WebAuth(options)`.
///
/// ```
/// use auth0_native::{AuthorizeOptions, WebAuth, WebAuthOptions};
///
/// let web = WebAuth::new(&WebAuthOptions {
///     domain: "me.auth0.com".into(),
///     client_id: "abc".into(),
///     redirect_uri: Some("com.example.app://callback".into()),
///     scope: Some("openid profile".into()),
///     ..Default::default()
/// })?;
/// let request = web.authorize(&AuthorizeOptions {
///     connection: Some("twitter".into()),
///     ..Default::default()
/// })?;
/// assert!(request.url.starts_with("https://me.auth0.com/authorize?client_id=abc&response_type=code"));
/// assert!(request.url.contains("&code_challenge_method=S256"));
/// # Ok::<(), auth0_native::Error>(())
/// ```
pub struct WebAuth {
    domain: Domain,
    base: Options,
    telemetry: Option<String>,
    leeway: u32,
    tenant: String,
    token_issuer: String,
    transactions: TransactionConfig,
    http: Http,
    jwks: Jwks,
    /// `responseType` was not given and took the reference's default.
    default_response_type: bool,
    /// The refresh token of the last login, for `renewAuth`'s fallback;
    /// `logout` forgets it.
    held_refresh_token: std::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for WebAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebAuth")
            .field("domain", &self.domain.origin())
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

impl WebAuth {
    /// The tenant's domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The application's client id.
    pub fn client_id(&self) -> &str {
        self.base["clientID"].as_str().unwrap_or_default()
    }

    /// The effective base options (after defaults).
    pub fn base_options(&self) -> &Options {
        &self.base
    }

    /// Clock-skew allowance for token checks, in seconds.
    pub fn leeway(&self) -> u32 {
        self.leeway
    }

    /// v8's `tenant` (the first label of the domain, or `overrides.__tenant`).
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The issuer `id_tokens` must carry (`origin + "/"`, or
    /// `overrides.__token_issuer`).
    pub fn token_issuer(&self) -> &str {
        &self.token_issuer
    }

    /// The encoded `Auth0-Client` value, unless `_sendTelemetry` is false.
    pub fn telemetry(&self) -> Option<&str> {
        self.telemetry.as_deref()
    }

    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    /// Builds the handle's HTTP client now (TLS setup, the system's root
    /// certificates), which otherwise falls on its first request. For a
    /// thread that can afford the wait (the C task pool runs it on a
    /// worker when a handle is created).
    pub fn warm_up(&self) {
        self.http.warm_up();
    }

    pub(crate) fn response_type_is_default(&self) -> bool {
        self.default_response_type
    }

    pub(crate) fn held_refresh_token(&self) -> Option<String> {
        self.held_refresh_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Remembers the refresh token of a login (the newest one wins, which
    /// is what rotation needs).
    pub(crate) fn hold_refresh_token(&self, token: Option<&str>) {
        if let Some(t) = token {
            *self
                .held_refresh_token
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(t.to_owned());
        }
    }

    pub(crate) fn verifier(&self) -> Verifier<'_> {
        Verifier {
            issuer: &self.token_issuer,
            client_id: self.client_id(),
            leeway: u64::from(self.leeway),
            jwks: &self.jwks,
            http: &self.http,
        }
    }

    /// `webAuth.client`: the Authentication API calls that record no
    /// transaction.
    pub fn client(&self) -> Client<'_> {
        Client { web: self }
    }
}

/// `webAuth.client`: calls that record no transaction.
pub struct Client<'a> {
    web: &'a WebAuth,
}

impl Client<'_> {
    pub(crate) fn web(&self) -> &WebAuth {
        self.web
    }
}

/// A string option checked by type: absent, `null` or `""` is `None`, a
/// string is itself, anything else (a number, `false`, an array) is
/// `message` — never written into a URL as `key[0]=…`.
pub(crate) fn typed_str<'a>(o: &'a Options, key: &str, message: &str) -> Result<Option<&'a str>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_argument(message)),
    }
}

/// `null` stands for JavaScript's `undefined` in options: the key is absent.
pub(crate) fn strip_undefined(params: &mut Options) {
    params.retain(|_, v| !v.is_null());
}

pub(crate) fn has_word(space_separated: &str, word: &str) -> bool {
    space_separated.split_whitespace().any(|w| w == word)
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WebAuth>();
};
