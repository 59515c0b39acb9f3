//! `webAuth.logout`: the `/v2/logout` URL, and the end of the handle's own
//! session.

use super::{
    as_object, merge, ops, optional_bool, query, strip_undefined, to_snake_case, typed_str, Error,
    IntoOptions, Result, Value, WebAuth,
};

impl WebAuth {
    /// `webAuth.logout(options)`: the `/v2/logout` URL (`returnTo`,
    /// `client_id`, `federated`). `federated: true` adds a bare `federated`
    /// as the reference shows it; `federated: false` adds nothing.
    ///
    /// It also ends the handle's own session: the cookie jar of the
    /// headless flows and the refresh token `renewAuth` would fall back to
    /// are forgotten. With `headless: true` it also requests the URL with
    /// the handle's cookies, ending the tenant's SSO session without a
    /// browser.
    ///
    /// ```
    /// use auth0_native::{LogoutOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain: "me.auth0.com".into(),
    ///     client_id: "abc".into(),
    ///     send_telemetry: Some(false),
    ///     ..Default::default()
    /// })?;
    /// let url = web.logout(&LogoutOptions {
    ///     return_to: Some("https://app.example/".into()),
    ///     ..Default::default()
    /// })?;
    /// assert_eq!(url, "https://me.auth0.com/v2/logout?client_id=abc&returnTo=https%3A%2F%2Fapp.example%2F");
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// Options: [`LogoutOptions`](crate::LogoutOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent); with
    /// `headless: true`, [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn logout(&self, options: &impl IntoOptions<ops::Logout>) -> Result<String> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        typed_str(o, "returnTo", "returnTo option is not valid")?;
        typed_str(o, "clientID", "clientID option is not valid")?;
        match o.get("federated") {
            None | Some(Value::Null | Value::Bool(_) | Value::String(_)) => {}
            Some(_) => return Err(Error::invalid_argument("federated option is not valid")),
        }
        let headless =
            optional_bool(o, "headless", "headless option is not valid")?.unwrap_or(false);
        let mut params = merge(&self.base, &["clientID"], o);
        strip_undefined(&mut params);
        params.shift_remove("headless");
        if let Some(t) = &self.telemetry {
            params.insert("auth0Client".into(), Value::String(t.clone()));
        }
        let params = to_snake_case(&params, &["auth0Client", "returnTo"]);
        let mut pairs = Vec::with_capacity(params.len());
        for (k, v) in &params {
            match (k.as_str(), v) {
                ("federated", Value::Bool(true)) => pairs.push("federated".to_owned()),
                ("federated", Value::Bool(false)) => {}
                _ => query::push_pairs(&mut pairs, k, v),
            }
        }
        let mut url = self.domain.url("/v2/logout");
        if !pairs.is_empty() {
            url.push('?');
            url.push_str(&pairs.join("&"));
        }
        if headless {
            // Ends the tenant's session with the handle's cookies; the
            // redirect to returnTo is the browser's business, not followed.
            let resp = self.http.send(
                reqwest::Method::GET,
                &url,
                None,
                crate::transport::http::Body::Empty,
                None,
            )?;
            if !resp.is_success() && !resp.is_redirect() {
                return Err(crate::transport::http::error_from_response(&resp));
            }
        }
        self.http.clear_cookies();
        *self
            .held_refresh_token
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        Ok(url)
    }
}
