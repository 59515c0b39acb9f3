//! `auth0.Management({domain, token})`: the user's own profile through the
//! Management API v2 — `getUser`, `patchUserMetadata`, `linkUser`, and
//! `unlinkUser` (wire spec §11, Part A) — and the typed user and
//! identities they answer (`users`).

mod users;

pub use users::{Identity, User};

use crate::error::{Error, Result};
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, require_nonempty_str};
use crate::telemetry::{self, Binding};
use crate::tokens::results::read_answer;
use crate::transport::domain::Domain;
use crate::transport::http::{Http, TransportConfig};
use crate::transport::query::encode_component;
use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};

/// A Management API client acting with one user's token.
///
/// ```
/// use auth0_native::{Management, ManagementOptions};
///
/// let m = Management::new(&ManagementOptions {
///     domain: "me.auth0.com".into(),
///     token: "YOUR_ACCESS_TOKEN".into(),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
///
/// Results are the API's answers read into a [`User`] or its
/// [`Identity`] list (the JSON faces pass the API's JSON on untouched, as
/// v8). The handle's `retry`
/// policy (on by default; `false`, `true` or `{maxAttempts, baseDelayMs,
/// maxDelayMs, totalMs}`) retries a 429 for every call and a 502/503/504
/// for `getUser`, with backoff, within the call's `timeout`. A 429 that
/// is not waited out is an error with code `rate_limited` and
/// `retryAfter` / `rateLimitReset`.
pub struct Management {
    domain: Domain,
    token: String,
    http: Http,
}

impl std::fmt::Debug for Management {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Management")
            .field("domain", &self.domain.origin())
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Visible ASCII only, as an HTTP header value (and a bearer token) needs.
pub(crate) fn is_header_safe(token: &str) -> bool {
    token.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The longest id accepted (Auth0's user ids are far shorter; a URL
/// segment this long is already more than some proxies take).
pub(crate) const MAX_ID_BYTES: usize = 1024;
/// The longest `secondaryUserToken` (an `id_token`) accepted.
pub(crate) const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A non-empty id of at most [`MAX_ID_BYTES`], checked before anything is
/// sent; the error names `name`.
fn id_arg<'a>(name: &str, id: &'a str) -> Result<&'a str> {
    if id.is_empty() {
        return Err(Error::invalid_argument(format!(
            "{name} parameter is not valid"
        )));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::invalid_argument(format!(
            "{name} parameter is not valid: longer than {MAX_ID_BYTES} bytes"
        )));
    }
    Ok(id)
}

fn user_id_arg(user_id: &str) -> Result<&str> {
    id_arg("userId", user_id)
}

impl Management {
    /// Validates `{domain, token}` with v8's messages, plus the transport
    /// options of [`crate::WebAuth::new`] and `retry`.
    ///
    /// Options: [`ManagementOptions`](crate::ManagementOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed (`domain`, `token`).
    pub fn new(options: &impl IntoOptions<ops::NewManagement>) -> Result<Management> {
        Management::with_binding(&options.to_options(), Binding::Rust)
    }

    #[doc(hidden)]
    pub fn with_binding(options: &Value, binding: Binding) -> Result<Management> {
        let o = as_object(options, "options parameter is not valid")?;
        let domain = Domain::parse(require_nonempty_str(
            o,
            "domain",
            "domain option is required",
        )?)?;
        let token = require_nonempty_str(o, "token", "token option is required")?.to_owned();
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Error::invalid_argument(format!(
                "token option is not valid: longer than {MAX_TOKEN_BYTES} bytes"
            )));
        }
        if !is_header_safe(&token) {
            return Err(Error::invalid_argument(
                "token option is not valid: it contains characters a bearer token cannot have",
            ));
        }
        let telemetry = match o.get("_sendTelemetry") {
            Some(Value::Bool(false)) => None,
            _ => Some(telemetry::encode(&match o.get("_telemetryInfo") {
                Some(Value::Object(i)) => Value::Object(i.clone()),
                _ => telemetry::default_info(binding),
            })),
        };
        let http = Http::new(TransportConfig::from_options(o, telemetry)?);
        Ok(Management {
            domain,
            token,
            http,
        })
    }

    /// `https://DOMAIN/api/v2/users/{id}` with the id as ONE path segment:
    /// `auth0|123`, `google-oauth2|1/2?x#y` and non-ASCII ids reach the
    /// server as the same id (v8 concatenated it raw; Part A).
    fn user_url(&self, user_id: &str, rest: &str) -> String {
        format!(
            "{}/api/v2/users/{}{rest}",
            self.domain.origin(),
            encode_component(user_id)
        )
    }

    /// Builds the handle's HTTP client now, as [`WebAuth::warm_up`].
    ///
    /// [`WebAuth::warm_up`]: crate::WebAuth::warm_up
    pub fn warm_up(&self) {
        self.http.warm_up();
    }

    fn call(&self, method: Method, url: &str, body: Option<&Value>) -> Result<Value> {
        self.http.api(method, url, Some(&self.token), body)
    }

    /// `getUser(userId)`: `GET /api/v2/users/{userId}`; the user.
    ///
    /// ```no_run
    /// use auth0_native::{Management, ManagementOptions};
    /// # let m = Management::new(&ManagementOptions { domain: "me.auth0.com".into(), token: "t".into(), ..Default::default() })?;
    /// let user = m.get_user("auth0|123")?;
    /// for identity in &user.identities {
    ///     println!("{} {}", identity.provider, identity.user_id);
    /// }
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty or over-long `user_id`; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer that is not
    /// a user.
    pub fn get_user(&self, user_id: &str) -> Result<User> {
        read_user(&self.get_user_json(user_id)?)
    }

    /// [`Management::get_user`]'s answer as the API sent it (the JSON face).
    pub(crate) fn get_user_json(&self, user_id: &str) -> Result<Value> {
        let url = self.user_url(user_id_arg(user_id)?, "");
        self.call(Method::GET, &url, None)
    }

    /// `patchUserMetadata(userId, userMetadata)`: `PATCH` with
    /// `{"user_metadata": userMetadata}` (keys as given: any value that
    /// serialises to a JSON object — a map, a struct, a
    /// `serde_json::Value`). Auth0 merges top-level keys into the stored
    /// metadata; a `null` value removes a key. Returns the updated user.
    ///
    /// ```no_run
    /// use auth0_native::{Management, ManagementOptions};
    /// use std::collections::BTreeMap;
    /// # let m = Management::new(&ManagementOptions { domain: "me.auth0.com".into(), token: "t".into(), ..Default::default() })?;
    /// let user = m.patch_user_metadata("auth0|123", &BTreeMap::from([("theme", "dark")]))?;
    /// assert_eq!(user.user_metadata.unwrap()["theme"], "dark");
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty or over-long `user_id` or metadata that does not serialise to
    /// an object;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer that is not
    /// a user.
    pub fn patch_user_metadata<M: Serialize + ?Sized>(
        &self,
        user_id: &str,
        user_metadata: &M,
    ) -> Result<User> {
        user_id_arg(user_id)?;
        // A value serde cannot write as JSON (a map with non-string keys)
        // is refused as one that is not an object.
        let metadata = serde_json::to_value(user_metadata)
            .map_err(|_| Error::invalid_argument(METADATA_NOT_VALID))?;
        read_user(&self.patch_user_metadata_json(user_id, &metadata)?)
    }

    /// [`Management::patch_user_metadata`]'s answer as the API sent it
    /// (the JSON face).
    pub(crate) fn patch_user_metadata_json(
        &self,
        user_id: &str,
        user_metadata: &Value,
    ) -> Result<Value> {
        let url = self.user_url(user_id_arg(user_id)?, "");
        if !user_metadata.is_object() {
            return Err(Error::invalid_argument(METADATA_NOT_VALID));
        }
        self.call(
            Method::PATCH,
            &url,
            Some(&json!({"user_metadata": user_metadata})),
        )
    }

    /// `linkUser(userId, secondaryUserToken)`: `POST
    /// /api/v2/users/{userId}/identities` with `{"link_with": token}`;
    /// returns the user's identities, the linked one included.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty or over-long `user_id` or an over-long or unsafe `secondary_user_token`;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer that is not
    /// a list of identities.
    pub fn link_user(&self, user_id: &str, secondary_user_token: &str) -> Result<Vec<Identity>> {
        read_identities(&self.link_user_json(user_id, secondary_user_token)?)
    }

    /// [`Management::link_user`]'s answer as the API sent it (the JSON
    /// face).
    pub(crate) fn link_user_json(
        &self,
        user_id: &str,
        secondary_user_token: &str,
    ) -> Result<Value> {
        let url = self.user_url(user_id_arg(user_id)?, "/identities");
        if secondary_user_token.is_empty() {
            return Err(Error::invalid_argument(
                "secondaryUserToken parameter is not valid",
            ));
        }
        if secondary_user_token.len() > MAX_TOKEN_BYTES {
            return Err(Error::invalid_argument(format!(
                "secondaryUserToken parameter is not valid: longer than {MAX_TOKEN_BYTES} bytes"
            )));
        }
        self.call(
            Method::POST,
            &url,
            Some(&json!({"link_with": secondary_user_token})),
        )
    }

    /// `unlinkUser(userId, provider, identityUserId)`: `DELETE
    /// /api/v2/users/{userId}/identities/{provider}/{identityUserId}`;
    /// returns the remaining identities.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// empty argument; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer that is not
    /// a list of identities.
    pub fn unlink_user(
        &self,
        user_id: &str,
        provider: &str,
        identity_user_id: &str,
    ) -> Result<Vec<Identity>> {
        read_identities(&self.unlink_user_json(user_id, provider, identity_user_id)?)
    }

    /// [`Management::unlink_user`]'s answer as the API sent it (the JSON
    /// face).
    pub(crate) fn unlink_user_json(
        &self,
        user_id: &str,
        provider: &str,
        identity_user_id: &str,
    ) -> Result<Value> {
        user_id_arg(user_id)?;
        id_arg("provider", provider)?;
        id_arg("identityUserId", identity_user_id)?;
        let rest = format!(
            "/identities/{}/{}",
            encode_component(provider),
            encode_component(identity_user_id)
        );
        let url = self.user_url(user_id, &rest);
        self.call(Method::DELETE, &url, None)
    }
}

const METADATA_NOT_VALID: &str = "userMetadata parameter is not valid";

fn read_user(answer: &Value) -> Result<User> {
    read_answer(answer, "/api/v2/users")
}

fn read_identities(answer: &Value) -> Result<Vec<Identity>> {
    read_answer(answer, "/api/v2/users/{id}/identities")
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Management>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_uses_v8s_messages() {
        let e = Management::new(&json!({"token": "t"})).unwrap_err();
        assert_eq!(e.description(), "domain option is required");
        let e = Management::new(&json!({"domain": "me.auth0.com"})).unwrap_err();
        assert_eq!(e.description(), "token option is required");
        let e = Management::new(&json!({"domain": "me.auth0.com", "token": 5})).unwrap_err();
        assert_eq!(e.description(), "token option is required");
    }

    #[test]
    fn user_ids_are_one_path_segment() {
        let m = Management::new(&json!({"domain": "me.auth0.com", "token": "t"})).unwrap();
        assert_eq!(
            m.user_url("auth0|123", ""),
            "https://me.auth0.com/api/v2/users/auth0%7C123"
        );
        assert_eq!(
            m.user_url("google-oauth2|1/2?x#y z", "/identities"),
            "https://me.auth0.com/api/v2/users/google-oauth2%7C1%2F2%3Fx%23y%20z/identities"
        );
        assert_eq!(
            m.user_url("ü", ""),
            "https://me.auth0.com/api/v2/users/%C3%BC"
        );
    }

    #[test]
    fn a_token_with_control_characters_is_refused_at_construction() {
        let e = Management::new(&json!({"domain": "me.auth0.com", "token": "a\nb"})).unwrap_err();
        assert!(
            e.description().starts_with("token option is not valid"),
            "{e}"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let m =
            Management::new(&json!({"domain": "me.auth0.com", "token": "secret-token"})).unwrap();
        assert!(!format!("{m:?}").contains("secret-token"));
    }
}
