//! `client.userInfo(accessToken)`: the profile `/userinfo` answers for
//! an access token, typed (and as the server sent it, for the JSON face).

use crate::error::{Error, Result};
use crate::ops::{self, IntoOptions};
use crate::options::as_object;
use crate::tokens::results::UserProfile;
use crate::webauth::{typed_str, Client};
use reqwest::Method;
use serde_json::{json, Value};

impl Client<'_> {
    /// `client.userInfo(accessToken)`: `GET /userinfo`; the user's
    /// profile, its OIDC claims typed and every other field of the
    /// server's answer in [`UserProfile::other`].
    ///
    /// ```no_run
    /// use auth0_native::{WebAuth, WebAuthOptions};
    /// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
    /// # let access_token = "";
    /// let profile = web.client().user_info(access_token)?;
    /// println!("{} <{}>", profile.sub, profile.email.unwrap_or_default());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an empty access token or one
    /// with characters a bearer token cannot have (nothing is sent);
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) with status 401 for a token the tenant
    /// refuses (and the server's `code`, status and body for any other
    /// error answer), or code `invalid_response` for a success answer that
    /// is not a profile; [`ErrorKind::Network`](crate::ErrorKind::Network) or [`ErrorKind::Timeout`](crate::ErrorKind::Timeout)
    /// when the tenant cannot be reached in time.
    pub fn user_info(&self, access_token: &str) -> Result<UserProfile> {
        UserProfile::try_from(&self.user_info_json(access_token, &json!({}))?)
    }

    /// [`Client::user_info`] with checks: the `sub` option (the
    /// `id_token`'s `sub`) makes a profile of another user an
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) error (OIDC Core §5.3.2).
    ///
    /// Options: [`UserInfoOptions`](crate::UserInfoOptions), or the same
    /// object as JSON (other keys are ignored, so the C face's
    /// `{"accessToken", "sub"}` object can be passed as it is).
    ///
    /// # Errors
    ///
    /// As [`Client::user_info`]; [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for a `sub`
    /// that is not a string, [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) for a profile of
    /// another user.
    pub fn user_info_with(
        &self,
        access_token: &str,
        options: &impl IntoOptions<ops::UserInfo>,
    ) -> Result<UserProfile> {
        UserProfile::try_from(&self.user_info_json(access_token, &options.to_options())?)
    }

    /// [`Client::user_info_with`]'s profile as the server sent it (no key
    /// conversion, as v8): the JSON face.
    pub(crate) fn user_info_json(&self, access_token: &str, options: &Value) -> Result<Value> {
        let o = as_object(options, "options parameter is not valid")?;
        let sub = typed_str(o, "sub", "sub option is not valid")?;
        let profile = self.user_info_unchecked(access_token)?;
        if let Some(sub) = sub {
            if profile.get("sub").and_then(Value::as_str) != Some(sub) {
                return Err(Error::invalid_token(
                    "The `sub` of the profile does not match the id_token's.",
                ));
            }
        }
        Ok(profile)
    }

    fn user_info_unchecked(&self, access_token: &str) -> Result<Value> {
        if access_token.is_empty() || !crate::management::is_header_safe(access_token) {
            return Err(Error::invalid_argument(
                "accessToken parameter is not valid",
            ));
        }
        let web = self.web();
        web.http().api(
            Method::GET,
            &web.domain().url("/userinfo"),
            Some(access_token),
            None,
        )
    }
}
