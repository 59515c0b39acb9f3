//! The refresh-token grant and revocation: `client.refreshToken` and
//! `client.revokeToken`, and the one place the crate sends a
//! `refresh_token` grant (renewAuth's fallback and the credentials manager
//! go through here too).

use crate::credentials::options::{object, string};
use crate::error::{Error, Result};
use crate::flows::authentication::AuthResult;
use crate::options::Options;
use crate::secret::RefreshToken;
use crate::transport::http::{answer, Body, Expect};
use crate::webauth::{Client, WebAuth};
use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

/// `client.refreshToken(options)`. JSON face:
/// `{"refreshToken": "...", "scope"?: "...", "audience"?: "..."}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshTokenOptions {
    /// The refresh token to present (single use when the tenant rotates).
    pub refresh_token: RefreshToken,
    /// Scopes to ask for (a subset of the ones first granted).
    #[serde(default)]
    pub scope: Option<String>,
    /// The API to ask an access token for.
    #[serde(default)]
    pub audience: Option<String>,
}

impl Default for RefreshTokenOptions {
    fn default() -> RefreshTokenOptions {
        RefreshTokenOptions {
            refresh_token: RefreshToken::new(String::new()),
            scope: None,
            audience: None,
        }
    }
}

impl RefreshTokenOptions {
    /// Reads the JSON face, with errors naming the option.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
    pub fn from_json(v: &Value) -> Result<RefreshTokenOptions> {
        let o = object(v, &["refreshToken", "scope", "audience"])?;
        Ok(RefreshTokenOptions {
            refresh_token: required_token(o)?,
            scope: string(o, "scope")?,
            audience: string(o, "audience")?,
        })
    }
}

/// `client.revokeToken(options)`. JSON face: `{"refreshToken": "..."}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeTokenOptions {
    /// The refresh token whose family is revoked.
    pub refresh_token: RefreshToken,
}

impl Default for RevokeTokenOptions {
    fn default() -> RevokeTokenOptions {
        RevokeTokenOptions {
            refresh_token: RefreshToken::new(String::new()),
        }
    }
}

impl RevokeTokenOptions {
    /// Reads the JSON face, with errors naming the option.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
    pub fn from_json(v: &Value) -> Result<RevokeTokenOptions> {
        let o = object(v, &["refreshToken"])?;
        Ok(RevokeTokenOptions {
            refresh_token: required_token(o)?,
        })
    }
}

fn required_token(o: &Options) -> Result<RefreshToken> {
    match o.get("refreshToken") {
        Some(Value::String(s)) if !s.is_empty() => Ok(RefreshToken::new(s.clone())),
        None | Some(Value::Null | Value::String(_)) => {
            Err(Error::invalid_argument("refreshToken option is required"))
        }
        Some(_) => Err(Error::invalid_argument("refreshToken option is not valid")),
    }
}

fn require_present(token: &RefreshToken) -> Result<()> {
    if token.secret().is_empty() {
        return Err(Error::invalid_argument("refreshToken option is required"));
    }
    Ok(())
}

impl Client<'_> {
    /// `client.refreshToken(options)`: `POST /oauth/token` with the
    /// `refresh_token` grant. The answer's `id_token` is validated as
    /// `parseHash`'s (no nonce). Never retried but for a 429 (the server
    /// refused before acting): a rotating refresh token is single use. With
    /// rotation on, the answer's `refreshToken` replaces the one sent —
    /// persist it before anything else (the
    /// [`CredentialsManager`](crate::CredentialsManager) does).
    ///
    /// ```
    /// # let tenant = auth0_devtenant::DevTenant::start().unwrap();
    /// # let (domain, client_id) = (tenant.domain(), tenant.client_id().to_owned());
    /// use auth0_native::{LoginOptions, RefreshTokenOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions { domain, client_id, ..Default::default() })?;
    /// let login = web.client().login(&LoginOptions {
    ///     realm: "Username-Password-Authentication".into(),
    ///     username: "dev@example.com".into(),
    ///     password: "DevTenant-Passw0rd".into(),
    ///     scope: Some("openid offline_access".into()),
    ///     ..Default::default()
    /// })?;
    /// let stored = login.refresh_token.expect("offline_access gives a refresh token");
    /// let renewed = web.client().refresh_token(&RefreshTokenOptions {
    ///     refresh_token: stored,
    ///     ..Default::default()
    /// })?;
    /// assert!(renewed.access_token.is_some());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// no refresh token is given or held;
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) `invalid_grant` for a
    /// revoked or reused token;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn refresh_token(&self, options: &RefreshTokenOptions) -> Result<AuthResult> {
        require_present(&options.refresh_token)?;
        self.web().refresh(
            &options.refresh_token,
            options.scope.as_deref(),
            options.audience.as_deref(),
        )
    }

    /// `client.revokeToken(options)`: `POST /oauth/revoke` with the
    /// `client_id` and the refresh token; the tenant revokes the token's
    /// whole family (every token rotated from the same login).
    ///
    /// ```
    /// # let tenant = auth0_devtenant::DevTenant::start().unwrap();
    /// # let (domain, client_id) = (tenant.domain(), tenant.client_id().to_owned());
    /// use auth0_native::{LoginOptions, RefreshTokenOptions, RevokeTokenOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions { domain, client_id, ..Default::default() })?;
    /// let login = web.client().login(&LoginOptions {
    ///     realm: "Username-Password-Authentication".into(),
    ///     username: "dev@example.com".into(),
    ///     password: "DevTenant-Passw0rd".into(),
    ///     scope: Some("openid offline_access".into()),
    ///     ..Default::default()
    /// })?;
    /// let stored = login.refresh_token.expect("offline_access gives a refresh token");
    /// web.client().revoke_token(&RevokeTokenOptions { refresh_token: stored.clone() })?;
    /// // The whole family is revoked: the token no longer renews.
    /// let refused = web.client().refresh_token(&RefreshTokenOptions {
    ///     refresh_token: stored,
    ///     ..Default::default()
    /// });
    /// assert_eq!(refused.unwrap_err().code(), "invalid_grant");
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// the token is empty; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn revoke_token(&self, options: &RevokeTokenOptions) -> Result<()> {
        require_present(&options.refresh_token)?;
        self.web().revoke(&options.refresh_token)
    }
}

impl WebAuth {
    /// The crate's one `refresh_token` grant (body keys in v8's token-body
    /// order). Never retried: a rotated token is single use. For the same
    /// reason a cancel (a C task's, `run_as_current`) stops it before it is
    /// sent, never during: the answer holds the rotated refresh token, and
    /// dropped unread it would leave the store (or the held token) spent.
    pub(crate) fn refresh(
        &self,
        refresh_token: &RefreshToken,
        scope: Option<&str>,
        audience: Option<&str>,
    ) -> Result<AuthResult> {
        let mut body = serde_json::Map::new();
        if let Some(a) = audience {
            body.insert("audience".into(), a.into());
        }
        body.insert("client_id".into(), self.client_id().into());
        if let Some(s) = scope {
            body.insert("scope".into(), s.into());
        }
        body.insert("grant_type".into(), "refresh_token".into());
        body.insert("refresh_token".into(), refresh_token.secret().into());
        if crate::interactive::cancel::current_is_cancelled() {
            return Err(crate::interactive::cancel::cancelled());
        }
        crate::interactive::cancel::uncancellable(|| {
            self.token_request(&Value::Object(body), None, None)
        })
    }

    /// `POST /oauth/revoke {client_id, token}`; any 2xx is success.
    pub(crate) fn revoke(&self, refresh_token: &RefreshToken) -> Result<()> {
        let mut body = serde_json::Map::new();
        body.insert("client_id".into(), self.client_id().into());
        body.insert("token".into(), refresh_token.secret().into());
        let body = Value::Object(body);
        let url = self.domain().url("/oauth/revoke");
        let resp = self
            .http()
            .send(Method::POST, &url, None, Body::Json(&body), None)?;
        if resp.is_success() {
            return Ok(());
        }
        answer(&resp, Expect::Json).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_name_what_is_wrong() {
        let e = RefreshTokenOptions::from_json(&json!({})).unwrap_err();
        assert_eq!(e.description(), "refreshToken option is required");
        let e = RefreshTokenOptions::from_json(&json!({"refreshToken": 5})).unwrap_err();
        assert_eq!(e.description(), "refreshToken option is not valid");
        let e = RevokeTokenOptions::from_json(&json!({"refreshToken": "x", "foo": 1})).unwrap_err();
        assert_eq!(e.description(), "foo option is not supported");
        let o = RefreshTokenOptions::from_json(&json!({"refreshToken": "rt", "scope": "openid"}))
            .unwrap();
        assert_eq!(o.refresh_token.secret(), "rt");
        assert!(!format!("{o:?}").contains("\"rt\""));
    }

    #[test]
    fn an_empty_token_is_refused_before_the_network() {
        let web = WebAuth::new(&json!({"domain": "127.0.0.1:9", "clientID": "c"})).unwrap();
        let e = web
            .client()
            .refresh_token(&RefreshTokenOptions::default())
            .unwrap_err();
        assert_eq!(e.description(), "refreshToken option is required");
        let e = web
            .client()
            .revoke_token(&RevokeTokenOptions::default())
            .unwrap_err();
        assert_eq!(e.description(), "refreshToken option is required");
    }
}
