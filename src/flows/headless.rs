//! The browser's part of auth0.js's redirect flows, done by the handle's
//! own HTTP client and cookie jar (DESIGN.md): `redirect` and `popup`
//! `loginWithCredentials`, the cross-origin `login`, `renewAuth`, and the
//! walk from an `/authorize`-like request to the app's `redirectUri`.
//!
//! The walk follows redirects only within the tenant's origin, submits the
//! forms the tenant answers (the `wresult` form, `form_post`), and stops at
//! — never requests — the `redirectUri`. What arrives there goes through
//! `parseHash`, so these flows validate exactly like the others.

use crate::casing::to_snake_case;
use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::flows::grant_types;
use crate::logging::{self, HEADLESS};
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, merge, optional_str, require_str, Options};
use crate::secret::RefreshToken;
use crate::transport::html_form::first_form;
use crate::transport::http::{error_from_response, Body, Response};
use crate::webauth::{base_keys, strip_undefined, WebAuth};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// At most this many redirects and form submissions per flow.
const MAX_HOPS: usize = 20;
/// renewAuth's default bound (v8: 60 000 ms).
const DEFAULT_RENEW_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a walk must stop, and by when.
pub(crate) struct Walk<'a> {
    pub redirect_uri: &'a str,
    pub deadline: Instant,
    /// The error a timeout becomes (renewAuth has its own wording).
    pub timeout_error: fn() -> Error,
}

impl Walk<'_> {
    /// The time left before the deadline; the walk's timeout error once
    /// there is none.
    fn remaining(&self) -> Result<Duration> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(self.timeout_error)
    }

    /// Runs the network part of a flow under the walk's total bound: every
    /// request inside (the walk, the code exchange, the JWKS fetch, a
    /// refresh) ends by `deadline`, and a timeout that the bound
    /// caused is the flow's own timeout error.
    pub(crate) fn within<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        crate::transport::http::within_deadline(self.deadline, f).map_err(|e| {
            // reqwest's timer may fire a hair early.
            let slack = Duration::from_millis(50);
            if e.kind() == ErrorKind::Timeout && Instant::now() + slack >= self.deadline {
                (self.timeout_error)()
            } else {
                e
            }
        })
    }
}

fn default_timeout_error() -> Error {
    Error::new(ErrorKind::Timeout, "the login did not complete in time")
}

fn renew_timeout_error() -> Error {
    Error::new(ErrorKind::Timeout, "Timeout during authentication renew.").with_code("timeout")
}

/// `url` is the redirectUri itself, or it with a query or fragment.
fn reaches(url: &str, redirect_uri: &str) -> bool {
    url.strip_prefix(redirect_uri)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('?') || rest.starts_with('#'))
}

impl WebAuth {
    fn same_origin(&self, url: &reqwest::Url) -> bool {
        reqwest::Url::parse(self.domain().origin()).is_ok_and(|o| o.origin() == url.origin())
    }

    /// Sends one step of a walk through the handle's retry policy, turning
    /// a transport timeout into the flow's timeout error. A 429 is
    /// retried for every step (the server refused before acting). Only a
    /// `repeatable` step — renewAuth's first GET, a `prompt=none`
    /// `/authorize` that spends nothing — is also retried after a
    /// 502/503/504 or a broken connection; every later step carries a
    /// transaction's state, a login ticket or a password post that the
    /// server may have acted on, so it goes once.
    pub(crate) fn flow_send(
        &self,
        walk: &Walk<'_>,
        method: &Method,
        url: &str,
        body: Body<'_>,
        repeatable: bool,
    ) -> Result<Response> {
        self.http()
            .retry_policy()
            .run_until(repeatable, walk.deadline, || {
                let left = walk.remaining()?;
                let bound = left.min(self.http().timeout());
                let resp = self
                    .http()
                    .send(method.clone(), url, None, body, Some(bound))
                    .map_err(|e| {
                        if e.kind() == ErrorKind::Timeout && left <= bound {
                            (walk.timeout_error)()
                        } else {
                            e
                        }
                    })?;
                // Only what the policy may retry becomes an error here; any
                // other answer is the walk's to read.
                if resp.status == 429 || (repeatable && (502..=504).contains(&resp.status)) {
                    return Err(error_from_response(&resp));
                }
                Ok(resp)
            })
    }

    /// Follows `resp` (the answer to a request sent to `url`) until the
    /// tenant sends the browser to the redirectUri; returns that callback
    /// (a URL, or for `form_post` a `#`-string of the posted fields).
    pub(crate) fn walk_to_callback(
        &self,
        mut resp: Response,
        mut url: String,
        walk: &Walk<'_>,
    ) -> Result<String> {
        for _ in 0..MAX_HOPS {
            if resp.is_redirect() {
                let location = resp.location.clone().ok_or_else(|| {
                    Error::new(
                        ErrorKind::Server,
                        "the tenant answered a redirect without a Location",
                    )
                    .with_code("invalid_response")
                    .with_status_code(resp.status)
                })?;
                let next = reqwest::Url::parse(&url)
                    .and_then(|base| base.join(&location))
                    .map_err(|_| {
                        Error::new(ErrorKind::Server, "the tenant redirected to an invalid URL")
                            .with_code("invalid_response")
                    })?;
                if reaches(next.as_str(), walk.redirect_uri)
                    || reaches(&location, walk.redirect_uri)
                {
                    log::debug!(target: HEADLESS, "redirected to the redirectUri {}: walk done", logging::url(next.as_str()));
                    return Ok(if reaches(&location, walk.redirect_uri) {
                        location
                    } else {
                        next.to_string()
                    });
                }
                if !self.same_origin(&next) {
                    return Err(Error::new(
                        ErrorKind::Server,
                        format!(
                            "the tenant redirected to another host ({}), which a headless flow does not follow",
                            next.host_str().unwrap_or("?")
                        ),
                    )
                    .with_code("unexpected_redirect"));
                }
                url = next.to_string();
                log::debug!(target: HEADLESS, "following a {} redirect to {}", resp.status, logging::url(&url));
                resp = self.flow_send(walk, &Method::GET, &url, Body::Empty, false)?;
                continue;
            }
            if !resp.is_success() {
                return Err(error_from_response(&resp));
            }
            let html = String::from_utf8_lossy(&resp.body);
            let Some(form) = first_form(&html).filter(|f| f.method == "post") else {
                return Err(Error::new(
                    ErrorKind::Server,
                    "the tenant answered with a page that needs a person, which a headless flow cannot complete",
                )
                .with_code("interaction_required")
                .with_status_code(resp.status));
            };
            let action = reqwest::Url::parse(&url)
                .and_then(|base| base.join(&form.action))
                .map_err(|_| {
                    Error::new(ErrorKind::Server, "the tenant's form has an invalid action")
                        .with_code("invalid_response")
                })?;
            if reaches(action.as_str(), walk.redirect_uri)
                || reaches(&form.action, walk.redirect_uri)
            {
                // response_mode=form_post: the fields are the answer.
                log::debug!(target: HEADLESS, "a form posts to the redirectUri {}: walk done", logging::url(action.as_str()));
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form.fields.iter())
                    .finish();
                return Ok(format!("#{encoded}"));
            }
            if !self.same_origin(&action) {
                return Err(Error::new(
                    ErrorKind::Server,
                    format!("the tenant's form posts to another host ({}), which a headless flow does not follow",
                        action.host_str().unwrap_or("?")),
                )
                .with_code("unexpected_redirect"));
            }
            url = action.to_string();
            log::debug!(target: HEADLESS, "submitting the page's form ({} fields) to {}", form.fields.len(), logging::url(&url));
            resp = self.flow_send(walk, &Method::POST, &url, Body::Form(&form.fields), false)?;
        }
        Err(
            Error::new(ErrorKind::Server, "the tenant redirected too many times")
                .with_code("too_many_redirects"),
        )
    }

    /// Walks from `url` (a GET; `repeatable` when sending it twice spends
    /// nothing) to the callback and parses it.
    fn navigate_and_parse(
        &self,
        url: &str,
        walk: &Walk<'_>,
        repeatable: bool,
    ) -> Result<AuthResult> {
        let resp = self.flow_send(walk, &Method::GET, url, Body::Empty, repeatable)?;
        let callback = self.walk_to_callback(resp, url.to_owned(), walk)?;
        self.parse_callback_result(&callback)
    }

    fn login_walk<'a>(&self, redirect_uri: &'a str) -> Walk<'a> {
        Walk {
            redirect_uri,
            deadline: Instant::now() + self.http().timeout() * 4,
            timeout_error: default_timeout_error,
        }
    }

    /// `redirect.loginWithCredentials(options)` (and `popup.`, which is the
    /// same natively): `POST /usernamepassword/login` with v8's body, then
    /// the tenant's form is submitted and its redirects followed up to the
    /// `redirectUri`; the answer is parsed and validated as `parseHash`
    /// does. Leaves the tenant's SSO session in the handle's cookie jar.
    ///
    /// ```
    /// # let tenant = auth0_devtenant::DevTenant::start().unwrap();
    /// # let (domain, client_id) = (tenant.domain(), tenant.client_id().to_owned());
    /// use auth0_native::{LoginWithCredentialsOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain,
    ///     client_id,
    ///     redirect_uri: Some("http://127.0.0.1:7777/callback".into()),
    ///     response_type: Some("token id_token".into()),
    ///     scope: Some("openid profile email".into()),
    ///     ..Default::default()
    /// })?;
    /// let result = web.login_with_credentials(&LoginWithCredentialsOptions {
    ///     connection: Some("Username-Password-Authentication".into()),
    ///     username: "dev@example.com".into(),
    ///     password: "DevTenant-Passw0rd".into(),
    ///     ..Default::default()
    /// })?;
    /// assert!(result.access_token.is_some() && result.id_token.is_some());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// Options: [`LoginWithCredentialsOptions`](crate::LoginWithCredentialsOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with the
    /// tenant's code when the login is refused;
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the walk does not
    /// reach the redirectUri in time;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn login_with_credentials(
        &self,
        options: &impl IntoOptions<ops::LoginWithCredentials>,
    ) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let mut base = self.base_options().clone();
        base.insert("tenant".into(), Value::String(self.tenant().to_owned()));
        let mut params = merge(&base, base_keys::LOGIN_WITH_CREDENTIALS, o);
        strip_undefined(&mut params);
        require_str(&params, "responseType", "responseType option is required")?;
        let redirect_uri =
            require_str(&params, "redirectUri", "redirectUri option is required")?.to_owned();
        let username = params
            .shift_remove("username")
            .filter(crate::options::is_truthy)
            .or_else(|| {
                params
                    .get("email")
                    .cloned()
                    .filter(crate::options::is_truthy)
            });
        params.shift_remove("email");
        let Some(Value::String(username)) = username else {
            return Err(Error::invalid_argument("username option is required"));
        };
        require_str(&params, "password", "password option is required")?;
        params.insert("username".into(), Value::String(username));
        let pending = self.process(&mut params, o)?;
        let body = Value::Object(to_snake_case(&params, &[]));
        pending.record(self)?;

        let walk = self.login_walk(&redirect_uri);
        walk.within(|| {
            let url = self.domain().url("/usernamepassword/login");
            let resp = self.flow_send(&walk, &Method::POST, &url, Body::Json(&body), false)?;
            if !resp.is_success() {
                return Err(error_from_response(&resp));
            }
            let callback = self.walk_to_callback(resp, url, &walk)?;
            self.parse_callback_result(&callback)
        })
    }

    /// The callback a walk reached, parsed and validated as `parseHash`.
    pub(crate) fn parse_callback_result(&self, callback: &str) -> Result<AuthResult> {
        self.parse_answer(callback, &crate::flows::authentication::Expected::default())?
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Server,
                    "the callback carried neither tokens nor a code",
                )
                .with_code("invalid_response")
            })
    }

    /// v8's cross-origin `webAuth.login(options)`: `POST /co/authenticate`,
    /// then `/authorize` with the `login_ticket` in the same cookie jar,
    /// followed to the `redirectUri` and parsed. `realm` selects the
    /// password-realm credential type, as v8.
    ///
    /// ```
    /// # let tenant = auth0_devtenant::DevTenant::start().unwrap();
    /// # let (domain, client_id) = (tenant.domain(), tenant.client_id().to_owned());
    /// use auth0_native::{HeadlessLoginOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain,
    ///     client_id,
    ///     redirect_uri: Some("http://127.0.0.1:7777/callback".into()),
    ///     response_type: Some("token id_token".into()),
    ///     scope: Some("openid profile email".into()),
    ///     ..Default::default()
    /// })?;
    /// let result = web.login(&HeadlessLoginOptions {
    ///     realm: Some("Username-Password-Authentication".into()),
    ///     username: "dev@example.com".into(),
    ///     password: "DevTenant-Passw0rd".into(),
    ///     ..Default::default()
    /// })?;
    /// assert!(result.access_token.is_some());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// Options: [`HeadlessLoginOptions`](crate::HeadlessLoginOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with the
    /// tenant's code when the login is refused;
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the walk does not
    /// reach the redirectUri in time;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn login(&self, options: &impl IntoOptions<ops::HeadlessLogin>) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let base = self.base_options();
        let pick = |k: &str| {
            o.get(k)
                .filter(|v| crate::options::is_truthy(v))
                .or_else(|| base.get(k).filter(|v| crate::options::is_truthy(v)))
                .cloned()
        };
        let username = o
            .get("username")
            .filter(|v| crate::options::is_truthy(v))
            .or_else(|| o.get("email"))
            .cloned();
        let Some(Value::String(_)) = &username else {
            return Err(Error::invalid_argument("username option is required"));
        };
        // v8 sends what it is given; a login without a secret can only
        // fail at the tenant, so it is refused here (an OTP login carries
        // `otp` instead of a password).
        let secret = |k: &str| o.get(k).filter(|v| crate::options::is_truthy(v));
        let (password, otp) = (secret("password"), secret("otp"));
        if password.is_some_and(|p| !p.is_string()) || (password.is_none() && otp.is_none()) {
            return Err(Error::invalid_argument("password option is required"));
        }
        if otp.is_some_and(|v| !v.is_string()) {
            return Err(Error::invalid_argument("otp option is required"));
        }
        let mut body = Options::new();
        body.insert("client_id".into(), pick("clientID").unwrap_or(Value::Null));
        body.insert("username".into(), username.unwrap_or(Value::Null));
        for k in ["password", "otp"] {
            if let Some(v) = o.get(k).filter(|v| crate::options::is_truthy(v)) {
                body.insert(k.into(), v.clone());
            }
        }
        match pick("realm") {
            Some(realm) => {
                body.insert("realm".into(), realm);
                let credential_type =
                    pick("credentialType").unwrap_or_else(|| json!(grant_types::PASSWORD_REALM));
                body.insert("credential_type".into(), credential_type);
            }
            None => {
                body.insert("credential_type".into(), json!("password"));
            }
        }
        let redirect_uri = match optional_str(o, "redirectUri", "redirectUri option is required")? {
            Some(r) => r.to_owned(),
            None => base
                .get("redirectUri")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::invalid_argument("redirectUri option is required"))?,
        };
        let walk = self.login_walk(&redirect_uri);
        walk.within(|| {
            let co_url = self.domain().url("/co/authenticate");
            let resp = self.flow_send(
                &walk,
                &Method::POST,
                &co_url,
                Body::Json(&Value::Object(body)),
                false,
            )?;
            let answer =
                crate::transport::http::answer(&resp, crate::transport::http::Expect::Json)?;
            let ticket = answer
                .get("login_ticket")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Server,
                        "the tenant's /co/authenticate answer has no login_ticket",
                    )
                    .with_code("invalid_response")
                })?;
            let mut authorize_options = o.clone();
            for k in ["username", "password", "credentialType", "otp"] {
                authorize_options.shift_remove(k);
            }
            authorize_options.insert("loginTicket".into(), Value::String(ticket.to_owned()));
            let request = self.authorize(&Value::Object(authorize_options))?;
            // The login ticket in this URL is single-use.
            self.navigate_and_parse(&request.url, &walk, false)
        })
    }

    /// `renewAuth(options)`: silent authentication without a browser —
    /// `/authorize` with `prompt=none`, walked with the handle's cookie jar
    /// (`responseType` defaults to `token`, `responseMode` to `fragment`,
    /// as v8). When the tenant answers `login_required` and the handle
    /// holds a refresh token, that token is used instead. `timeout` (ms,
    /// default 60 000) bounds the whole call: then the error is v8's
    /// `{error: "timeout", errorDescription: "Timeout during authentication renew."}`.
    ///
    /// ```
    /// # let tenant = auth0_devtenant::DevTenant::start().unwrap();
    /// # let (domain, client_id) = (tenant.domain(), tenant.client_id().to_owned());
    /// use auth0_native::{HeadlessLoginOptions, RenewAuthOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain,
    ///     client_id,
    ///     redirect_uri: Some("http://127.0.0.1:7777/callback".into()),
    ///     response_type: Some("token id_token".into()),
    ///     scope: Some("openid profile email".into()),
    ///     ..Default::default()
    /// })?;
    /// # web.login(&HeadlessLoginOptions {
    /// #     realm: Some("Username-Password-Authentication".into()),
    /// #     username: "dev@example.com".into(),
    /// #     password: "DevTenant-Passw0rd".into(),
    /// #     ..Default::default()
    /// # })?;
    /// // The handle holds the tenant's session from an earlier login.
    /// let renewed = web.renew_auth(&RenewAuthOptions::default())?;
    /// assert!(renewed.access_token.is_some());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// Options: [`RenewAuthOptions`](crate::RenewAuthOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization)
    /// (`login_required`, `consent_required`, …) when the session cannot be
    /// renewed silently; [`ErrorKind::Timeout`](crate::ErrorKind::Timeout)
    /// (`timeout`) past the bound;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn renew_auth(&self, options: &impl IntoOptions<ops::RenewAuth>) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let message = "timeout option is not valid";
        let timeout = crate::options::millis_option(o, "timeout", 1.0..=f64::MAX, message)?
            .unwrap_or(DEFAULT_RENEW_TIMEOUT);
        let mut base = self.base_options().clone();
        if self.response_type_is_default() {
            base.shift_remove("responseType");
        }
        let mut params = merge(&base, base_keys::RENEW_AUTH, o);
        strip_undefined(&mut params);
        if !params
            .get("responseType")
            .is_some_and(crate::options::is_truthy)
        {
            params.insert("responseType".into(), json!("token"));
        }
        if !params
            .get("responseMode")
            .is_some_and(crate::options::is_truthy)
        {
            params.insert("responseMode".into(), json!("fragment"));
        }
        let redirect_uri =
            require_str(&params, "redirectUri", "redirectUri option is required")?.to_owned();
        let pending = self.process(&mut params, o)?;
        params.insert("prompt".into(), json!("none"));
        for k in [
            "usePostMessage",
            "tenant",
            "postMessageDataType",
            "postMessageOrigin",
        ] {
            params.shift_remove(k);
        }
        let url = self.build_authorize_url(&params)?;
        pending.record(self)?;
        let walk = Walk {
            redirect_uri: &redirect_uri,
            deadline: Instant::now() + timeout,
            timeout_error: renew_timeout_error,
        };
        walk.within(|| match self.navigate_and_parse(&url, &walk, true) {
            Err(e) if e.code() == "login_required" => match self.held_refresh_token() {
                Some(rt) => self.refresh(&RefreshToken::new(rt), None, None),
                None => Err(e),
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaching_the_redirect_uri_needs_an_exact_prefix() {
        let r = "http://127.0.0.1:7777/callback";
        assert!(reaches("http://127.0.0.1:7777/callback#a=1", r));
        assert!(reaches("http://127.0.0.1:7777/callback?code=1", r));
        assert!(reaches(r, r));
        assert!(!reaches("http://127.0.0.1:7777/callbackx", r));
        assert!(!reaches("http://127.0.0.1:7777/", r));
    }
}
