//! Database connections: `signup` and `changePassword` (wire spec §5).

use crate::casing::{to_camel_case, to_snake_case};
use crate::error::{Error, Result};
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, merge, require_str};
use crate::tokens::results::{invalid_answer, SignupResult};
use crate::webauth::{strip_undefined, WebAuth};
use reqwest::Method;
use serde_json::{json, Value};

impl WebAuth {
    /// `webAuth.signup(options)`: `POST /dbconnections/signup` with
    /// `connection`, `email`, `password` (required) and any other option
    /// (`username`, ...) snake-cased; `userMetadata` (or `user_metadata`) is
    /// sent as `user_metadata` with its keys untouched. Returns the new
    /// user (auth0.js's camelCased answer, `{"Id", "email",
    /// "emailVerified"}`, read into a [`SignupResult`]). The password never
    /// appears in an error.
    ///
    /// Options: [`SignupOptions`](crate::SignupOptions), or the same object as JSON.
    ///
    /// ```no_run
    /// use auth0_native::{SignupOptions, WebAuth, WebAuthOptions};
    /// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
    /// let user = web.signup(&SignupOptions {
    ///     connection: "Username-Password-Authentication".into(),
    ///     email: "new@example.com".into(),
    ///     password: "a long passphrase".into(),
    ///     ..Default::default()
    /// })?;
    /// println!("signed up {} ({})", user.email, user.id);
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer
    /// (`user_exists`, `invalid_password`, …), or code `invalid_response`
    /// for a success answer that is not a signup result.
    pub fn signup(&self, options: &impl IntoOptions<ops::Signup>) -> Result<SignupResult> {
        SignupResult::try_from(&self.signup_json(&options.to_options())?)
    }

    /// [`WebAuth::signup`]'s answer as auth0.js gives it (the JSON face).
    pub(crate) fn signup_json(&self, options: &Value) -> Result<Value> {
        let o = as_object(options, "options parameter is not valid")?;
        require_str(o, "connection", "connection option is required")?;
        require_str(o, "email", "email option is required")?;
        require_str(o, "password", "password option is required")?;
        let metadata = o
            .get("user_metadata")
            .or_else(|| o.get("userMetadata"))
            .cloned();
        if metadata
            .as_ref()
            .is_some_and(|m| !m.is_object() && !m.is_null())
        {
            return Err(Error::invalid_argument("userMetadata option is not valid"));
        }
        let mut params = merge(self.base_options(), &["clientID"], o);
        strip_undefined(&mut params);
        for k in ["scope", "userMetadata", "user_metadata"] {
            params.shift_remove(k);
        }
        let mut body = to_snake_case(&params, &[]);
        if let Some(m) = metadata.filter(|m| !m.is_null()) {
            body.insert("user_metadata".into(), m);
        }
        let answer = self.http().api(
            Method::POST,
            &self.domain().url("/dbconnections/signup"),
            None,
            Some(&Value::Object(body)),
        )?;
        Ok(match answer {
            Value::Object(m) => Value::Object(to_camel_case(&m)),
            other => other,
        })
    }

    /// `webAuth.changePassword(options)`: `POST
    /// /dbconnections/change_password` with exactly `{client_id, email,
    /// connection}` (a `password` option is ignored, as v8). Returns the
    /// tenant's text answer ("We've just sent you an email to reset your
    /// password.").
    ///
    /// Options: [`ChangePasswordOptions`](crate::ChangePasswordOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer that is not
    /// text.
    pub fn change_password(
        &self,
        options: &impl IntoOptions<ops::ChangePassword>,
    ) -> Result<String> {
        match self.change_password_json(&options.to_options())? {
            Value::String(message) => Ok(message),
            _ => Err(invalid_answer(
                "/dbconnections/change_password",
                "JSON where a text message was expected",
            )),
        }
    }

    /// [`WebAuth::change_password`]'s answer as auth0.js gives it: the
    /// text as a JSON string (or the JSON the tenant sent instead).
    pub(crate) fn change_password_json(&self, options: &Value) -> Result<Value> {
        let o = as_object(options, "options parameter is not valid")?;
        let connection = require_str(o, "connection", "connection option is required")?;
        let email = require_str(o, "email", "email option is required")?;
        let client_id = o
            .get("clientID")
            .and_then(Value::as_str)
            .unwrap_or(self.client_id());
        let body = json!({"client_id": client_id, "email": email, "connection": connection});
        self.http().api_text(
            Method::POST,
            &self.domain().url("/dbconnections/change_password"),
            None,
            Some(&body),
        )
    }
}
