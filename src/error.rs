//! The one error type of the library.
//!
//! Every failure — bad options, transport trouble, an HTTP error answer, a
//! token that does not validate — is an [`Error`]. Its [`ErrorKind`] is the
//! stable category the C status and the Python exception class are derived
//! from; `code` and `description` carry auth0.js v8's wording.
//!
//! The JSON form ([`Error::to_json`]) carries both of auth0.js's shapes so
//! either habit works: `code`/`description`/`statusCode`/`original` (the
//! normalised HTTP error) and `error`/`errorDescription` (the parseHash one).
//! Messages never contain a secret: only option *names* are quoted, never
//! the values of `password`, tokens, codes or verifiers.
//!
//! Codes the transport gives besides the server's own (all
//! [`ErrorKind::Server`] unless said): `invalid_response` (a 2xx answer
//! without the shape its endpoint promises: an HTML page, an empty body,
//! a token answer without `access_token`), `rate_limited` (a 429 not
//! waited out, with `retryAfter` / `rateLimitReset`), `unexpected_redirect`,
//! `response_too_large`, `http_error` (an error answer that is not JSON),
//! and `timeout` ([`ErrorKind::Timeout`]: the call's deadline passed).

use crate::secret::MfaToken;
use serde_json::{Map, Value};
use std::fmt;

/// The code of the error a grant answers when the user must pass a second
/// factor (see [`Error::mfa_required`]).
pub const MFA_REQUIRED: &str = "mfa_required";

/// The stable category of an [`Error`].
///
/// Each kind maps to exactly one C status (`auth0_status`) and one Python
/// exception class; new kinds may be added (the enum is exhaustive on
/// purpose, so that the C and Python mappings fail to compile until they
/// map a new kind), existing ones never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A caller mistake: a missing or ill-typed option, bad JSON, a NULL or
    /// non-UTF-8 string at the C boundary. Nothing was sent.
    InvalidArgument,
    /// The server could not be reached, or the connection broke.
    Network,
    /// The operation did not finish within its time bound.
    Timeout,
    /// The server answered with an HTTP error status (see `statusCode`).
    Server,
    /// A token, state or nonce did not validate.
    InvalidToken,
    /// The authorization server refused (an `error=` callback such as
    /// `login_required` or `access_denied`).
    Authorization,
    /// The operation was cancelled by the caller.
    Cancelled,
    /// Local persistent state (the transaction file) could not be read or
    /// written.
    Storage,
    /// The credentials manager could not give credentials: none are stored
    /// (`no_credentials`), none can be renewed (`no_refresh_token`), the
    /// renewal failed (`renew_failed`, with the server's code in
    /// [`Error::cause`]), or the revocation did (`revoke_failed`).
    Credentials,
    /// A bug in this library (including a caught panic).
    Internal,
}

impl ErrorKind {
    /// The `code` given to errors of this kind that have no more specific
    /// code of their own.
    #[must_use]
    pub fn default_code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Network => "network_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Server => "server_error",
            ErrorKind::InvalidToken => "invalid_token",
            ErrorKind::Authorization => "authorization_error",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Storage => "storage_error",
            ErrorKind::Credentials => "credentials_error",
            ErrorKind::Internal => "internal_error",
        }
    }
}

/// An error from any operation of this library.
///
/// ```
/// use auth0_native::{WebAuth, ErrorKind};
/// let err = WebAuth::new(&serde_json::json!({"domain": "example.auth0.com"})).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidArgument);
/// assert_eq!(err.description(), "clientID option is required");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Error(Box<Inner>);

// Boxed so that `Result<T, Error>` stays one pointer wide on the hot paths.
#[derive(Clone, Debug, PartialEq)]
struct Inner {
    kind: ErrorKind,
    code: String,
    description: String,
    status_code: Option<u16>,
    original: Option<Value>,
    state: Option<String>,
    retry_after: Option<u64>,
    rate_limit_reset: Option<u64>,
    mfa_token: Option<MfaToken>,
    cause: Option<String>,
    retryable: Option<bool>,
}

/// The result of every fallible call of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with its default code and the given description.
    pub fn new(kind: ErrorKind, description: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            code: kind.default_code().to_owned(),
            description: description.into(),
            status_code: None,
            original: None,
            state: None,
            retry_after: None,
            rate_limit_reset: None,
            mfa_token: None,
            cause: None,
            retryable: None,
        }))
    }

    /// The `mfa_required` error of a grant that needs a second factor:
    /// an [`ErrorKind::Authorization`] error (the user must act) carrying
    /// the `mfa_token` that [`Client::mfa_challenge`] and
    /// [`Client::mfa_verify`] take. The token is a secret: `Debug` redacts
    /// it and `Display` and the description never show it; it leaves its
    /// type only in [`Error::to_json`]'s `mfaToken` member, for the C and
    /// Python faces.
    ///
    /// [`Client::mfa_challenge`]: crate::Client::mfa_challenge
    /// [`Client::mfa_verify`]: crate::Client::mfa_verify
    pub fn mfa_required(description: impl Into<String>, mfa_token: MfaToken) -> Self {
        let mut e = Error::new(ErrorKind::Authorization, description).with_code(MFA_REQUIRED);
        e.0.mfa_token = Some(mfa_token);
        e
    }

    /// An invalid-argument error; `message` must name the parameter, as
    /// auth0.js's assertion messages do (`"clientID option is required"`).
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// An `invalid_token` error (auth0.js's parseHash shape).
    pub fn invalid_token(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidToken, message)
    }

    /// An internal error: a bug in this library.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    /// A storage error for the transaction store or other local state.
    pub fn storage(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Storage, message)
    }

    /// Replaces the machine-readable code (e.g. `invalid_json`).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.0.code = code.into();
        self
    }

    /// Attaches the HTTP status of the answer that caused the error.
    #[must_use]
    pub fn with_status_code(mut self, status: u16) -> Self {
        self.0.status_code = Some(status);
        self
    }

    /// Attaches the server's answer body (already free of request secrets).
    #[must_use]
    pub fn with_original(mut self, original: Value) -> Self {
        self.0.original = Some(original);
        self
    }

    /// Attaches the `state` an error callback carried.
    #[must_use]
    pub fn with_state(mut self, state: impl Into<String>) -> Self {
        self.0.state = Some(state.into());
        self
    }

    /// Attaches what a 429 (or 503) answer said about when to try again:
    /// `Retry-After` seconds and the `X-RateLimit-Reset` time.
    #[must_use]
    pub fn with_rate_limit(mut self, retry_after: Option<u64>, reset: Option<u64>) -> Self {
        self.0.retry_after = retry_after;
        self.0.rate_limit_reset = reset;
        self
    }

    /// Attaches the code of the error this one was caused by (a
    /// `renew_failed` carries the server's `invalid_grant`, or
    /// `network_error`).
    #[must_use]
    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.0.cause = Some(cause.into());
        self
    }

    /// The code of the error this one was caused by, when it wraps one.
    #[must_use]
    pub fn cause(&self) -> Option<&str> {
        self.0.cause.as_deref()
    }

    /// Says explicitly whether a retry may help, instead of deriving it
    /// from the kind and status (see [`Error::retryable`]).
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.0.retryable = Some(retryable);
        self
    }

    /// Whether the same call, repeated later, may succeed: a network
    /// failure, a timeout, a 5xx or 429 answer (and an error caused by one
    /// of them, such as a `renew_failed` whose request did not get through).
    /// Not for a caller mistake, a refused grant (`invalid_grant`) or
    /// missing credentials.
    #[must_use]
    pub fn retryable(&self) -> bool {
        if let Some(r) = self.0.retryable {
            return r;
        }
        match self.0.kind {
            ErrorKind::Network | ErrorKind::Timeout => true,
            ErrorKind::Server => {
                self.0.code == "rate_limited"
                    || self
                        .0
                        .status_code
                        .is_some_and(|s| s == 429 || (500..=599).contains(&s))
            }
            _ => false,
        }
    }

    /// Seconds to wait before trying again, from `Retry-After`.
    #[must_use]
    pub fn retry_after(&self) -> Option<u64> {
        self.0.retry_after
    }

    /// When the rate limit resets (Unix seconds), from `X-RateLimit-Reset`.
    #[must_use]
    pub fn rate_limit_reset(&self) -> Option<u64> {
        self.0.rate_limit_reset
    }

    /// The `mfa_token` of an `mfa_required` error (see
    /// [`Error::mfa_required`]).
    #[must_use]
    pub fn mfa_token(&self) -> Option<&MfaToken> {
        self.0.mfa_token.as_ref()
    }

    /// The category (the C status and the Python exception class).
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// auth0.js's `code` (also given as `error` in the JSON form).
    #[must_use]
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// auth0.js's `description` (also given as `errorDescription`).
    #[must_use]
    pub fn description(&self) -> &str {
        &self.0.description
    }
    /// The HTTP status of the server's answer, when one caused the error.
    #[must_use]
    pub fn status_code(&self) -> Option<u16> {
        self.0.status_code
    }
    /// The server's error body, when there was one (never a 2xx body,
    /// which may hold tokens).
    #[must_use]
    pub fn original(&self) -> Option<&Value> {
        self.0.original.as_ref()
    }
    /// The `state` of an `error=` callback, so the app can tell which
    /// login failed.
    #[must_use]
    pub fn state(&self) -> Option<&str> {
        self.0.state.as_deref()
    }

    /// The error as the JSON object the C layer returns and the Python
    /// exception carries: `code`, `description`, `statusCode` and `original`
    /// when known, `error`, `errorDescription`, `state`, `retryAfter`,
    /// `rateLimitReset` and `cause` when known, and `retryable`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("code".into(), Value::String(self.0.code.clone()));
        m.insert(
            "description".into(),
            Value::String(self.0.description.clone()),
        );
        if let Some(s) = self.0.status_code {
            m.insert("statusCode".into(), Value::from(s));
        }
        if let Some(o) = &self.0.original {
            m.insert("original".into(), o.clone());
        }
        m.insert("error".into(), Value::String(self.0.code.clone()));
        m.insert(
            "errorDescription".into(),
            Value::String(self.0.description.clone()),
        );
        if let Some(s) = &self.0.state {
            m.insert("state".into(), Value::String(s.clone()));
        }
        if let Some(r) = self.0.retry_after {
            m.insert("retryAfter".into(), Value::from(r));
        }
        if let Some(r) = self.0.rate_limit_reset {
            m.insert("rateLimitReset".into(), Value::from(r));
        }
        if let Some(t) = &self.0.mfa_token {
            // The one place the mfa_token leaves its type: the C and
            // Python faces hand it back to `mfa.challenge` / `mfa.verify`.
            m.insert("mfaToken".into(), Value::String(t.secret().to_owned()));
        }
        if let Some(c) = &self.0.cause {
            m.insert("cause".into(), Value::String(c.clone()));
        }
        m.insert("retryable".into(), Value::Bool(self.retryable()));
        Value::Object(m)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.description)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_carries_both_auth0js_shapes() {
        let e = Error::new(ErrorKind::Server, "The user already exists.")
            .with_code("user_exists")
            .with_status_code(400)
            .with_original(serde_json::json!({"code": "user_exists"}));
        let j = e.to_json();
        assert_eq!(j["code"], "user_exists");
        assert_eq!(j["error"], "user_exists");
        assert_eq!(j["description"], "The user already exists.");
        assert_eq!(j["errorDescription"], "The user already exists.");
        assert_eq!(j["statusCode"], 400);
        assert_eq!(j["original"]["code"], "user_exists");
        assert!(j.get("state").is_none());
    }

    #[test]
    fn mfa_required_carries_its_token_only_in_the_json() {
        let e = Error::mfa_required("Multifactor authentication required", "mfa-secret".into());
        assert_eq!(e.kind(), ErrorKind::Authorization);
        assert_eq!(e.code(), "mfa_required");
        assert_eq!(e.mfa_token().map(MfaToken::secret), Some("mfa-secret"));
        assert!(!format!("{e:?}").contains("mfa-secret"));
        assert!(!e.to_string().contains("mfa-secret"));
        assert_eq!(e.to_json()["mfaToken"], "mfa-secret");
        assert!(Error::invalid_token("x")
            .to_json()
            .get("mfaToken")
            .is_none());
    }

    #[test]
    fn retryable_follows_kind_and_status() {
        assert!(Error::new(ErrorKind::Network, "x").retryable());
        assert!(Error::new(ErrorKind::Timeout, "x").retryable());
        assert!(Error::new(ErrorKind::Server, "x")
            .with_status_code(503)
            .retryable());
        assert!(Error::new(ErrorKind::Server, "x")
            .with_status_code(429)
            .retryable());
        let grant = Error::new(ErrorKind::Server, "x")
            .with_code("invalid_grant")
            .with_status_code(403);
        assert!(!grant.retryable());
        assert!(!Error::invalid_argument("x").retryable());
        let wrapped = Error::new(ErrorKind::Credentials, "x")
            .with_code("renew_failed")
            .with_cause("network_error")
            .with_retryable(true);
        assert!(wrapped.retryable());
        let j = wrapped.to_json();
        assert_eq!(j["retryable"], true);
        assert_eq!(j["cause"], "network_error");
        assert_eq!(grant.to_json()["retryable"], false);
    }

    #[test]
    fn invalid_argument_uses_its_default_code() {
        let e = Error::invalid_argument("domain option is required");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(e.code(), "invalid_argument");
        assert_eq!(e.to_string(), "invalid_argument: domain option is required");
    }
}
