//! `parseHash` and `validateIdToken`.

use super::{typed_options, Json, ParseHash, ValidateIdToken};
use crate::secret::AccessToken;
use serde_json::Value;
use std::time::Duration;

/// The options of [`WebAuth::parse_hash`](crate::WebAuth::parse_hash).
///
/// ```no_run
/// use auth0_native::{ParseHashOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let callback_url = String::new();
/// // `callback_url`: what the browser was sent back to.
/// if let Some(result) = web.parse_hash(&ParseHashOptions { hash: callback_url, ..Default::default() })? {
///     println!("logged in as {:?}", result.claims().map(|c| c.sub));
/// }
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ParseHashOptions {
    /// The answer: a fragment, a query string, or the whole callback URL.
    /// It carries a code or tokens: `Debug` redacts it. `hash`.
    pub hash: String,
    /// The state to expect (default: the recorded transaction's). `state`.
    pub state: Option<String>,
    /// The nonce to expect (default: the recorded transaction's). `nonce`.
    pub nonce: Option<String>,
    /// The organization the id_token must name in `org_id` / `org_name`
    /// (default: the recorded transaction's). `organization`.
    pub organization: Option<String>,
}

impl std::fmt::Debug for ParseHashOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseHashOptions")
            .field("hash", &"[redacted]")
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("organization", &self.organization)
            .finish()
    }
}

impl ParseHashOptions {
    fn json(&self) -> Value {
        // Sent even when empty: an empty answer is `Ok(None)`, not an error.
        Json::new()
            .always_str("hash", &self.hash)
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .str("organization", self.organization.as_deref())
            .build()
    }
}

typed_options!(ParseHashOptions => ParseHash);

/// The options of
/// [`WebAuth::validate_id_token`](crate::WebAuth::validate_id_token).
///
/// ```no_run
/// use auth0_native::{ValidateIdTokenOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let id_token = "";
/// let claims = web.validate_id_token(id_token, &ValidateIdTokenOptions {
///     nonce: Some("n-0S6_WzA2Mj".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateIdTokenOptions {
    /// The nonce the token must carry. `nonce`.
    pub nonce: Option<String>,
    /// The longest time since the user authenticated (whole seconds). `maxAge`.
    pub max_age: Option<Duration>,
    /// The access token issued with it, checked against `at_hash`. `accessToken`.
    pub access_token: Option<AccessToken>,
    /// The organization the token must name in `org_id` / `org_name`. `organization`.
    pub organization: Option<String>,
}

impl ValidateIdTokenOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("nonce", self.nonce.as_deref())
            .secs("maxAge", self.max_age)
            .str(
                "accessToken",
                self.access_token.as_ref().map(AccessToken::secret),
            )
            .str("organization", self.organization.as_deref())
            .build()
    }
}

typed_options!(ValidateIdTokenOptions => ValidateIdToken);
