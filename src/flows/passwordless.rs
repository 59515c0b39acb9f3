//! Passwordless: `passwordlessStart`, `passwordlessVerify` (followed
//! headlessly to its redirect) and the OTP grant (wire spec §6).

use crate::casing::{to_camel_case, to_snake_case};
use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::flows::grant_types;
use crate::flows::headless::Walk;
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, merge, optional_object, optional_str, require_str, Options};
use crate::tokens::results::PasswordlessStartResult;
use crate::transport::http::{error_from_response, Body};
use crate::transport::query;
use crate::webauth::{base_keys, strip_undefined, WebAuth};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Instant;

/// Who a passwordless call is for: `("email", address)` or
/// `("phone_number", number)`. The `email` connection needs `email`, the
/// `sms` connection `phoneNumber`, and the error names the one missing;
/// another connection takes either (the phone number first, as v8's
/// verify), and names `phoneNumber`, v8's wording, when both are missing.
fn recipient<'a>(o: &'a Options, connection: &str) -> Result<(&'static str, &'a str)> {
    let email = optional_str(o, "email", "email option is required")?.filter(|e| !e.is_empty());
    let phone =
        optional_str(o, "phoneNumber", "phoneNumber option is required")?.filter(|p| !p.is_empty());
    match (connection, email, phone) {
        ("email", Some(e), _) => Ok(("email", e)),
        ("email", None, _) => Err(Error::invalid_argument("email option is required")),
        (_, _, Some(p)) => Ok(("phone_number", p)),
        ("sms", _, None) | (_, None, None) => {
            Err(Error::invalid_argument("phoneNumber option is required"))
        }
        (_, Some(e), None) => Ok(("email", e)),
    }
}

impl WebAuth {
    /// `webAuth.passwordlessStart(options)`: `POST /passwordless/start` —
    /// `connection` (`email` or `sms`), `send` (`code` or `link`), `email`
    /// or `phoneNumber`, and `authParams` for the link's `/authorize`
    /// parameters. A transaction (state, nonce) is recorded for the link,
    /// as v8. Returns who the code or link went to (auth0.js's camelCased
    /// answer, `{"Id", "email", "emailVerified"}`, read into a
    /// [`PasswordlessStartResult`]).
    ///
    /// Options: [`PasswordlessStartOptions`](crate::PasswordlessStartOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer of another
    /// shape (the code may have been sent all the same).
    pub fn passwordless_start(
        &self,
        options: &impl IntoOptions<ops::PasswordlessStart>,
    ) -> Result<PasswordlessStartResult> {
        PasswordlessStartResult::try_from(&self.passwordless_start_json(&options.to_options())?)
    }

    /// [`WebAuth::passwordless_start`]'s answer as auth0.js gives it (the
    /// JSON face).
    pub(crate) fn passwordless_start_json(&self, options: &Value) -> Result<Value> {
        let o = as_object(options, "options parameter is not valid")?;
        let empty = Options::new();
        let auth_params_in =
            optional_object(o, "authParams", "authParams option is required")?.unwrap_or(&empty);
        let mut auth_params = merge(
            self.base_options(),
            base_keys::PASSWORDLESS_AUTH_PARAMS,
            auth_params_in,
        );
        strip_undefined(&mut auth_params);
        require_str(&auth_params, "responseType", "responseType is required")?;
        let connection = require_str(o, "connection", "connection option is required")?;
        let send = require_str(o, "send", "send option is required")?;
        if send != "link" && send != "code" {
            return Err(Error::invalid_argument("send is not valid ([link, code])"));
        }
        // v8 sent a start without a recipient; the tenant can only refuse it.
        recipient(o, connection)?;
        let pending = self.process(&mut auth_params, auth_params_in)?;

        let mut body = merge(
            self.base_options(),
            &["clientID", "responseType", "redirectUri", "scope"],
            o,
        );
        strip_undefined(&mut body);
        // v8: `authParams.x = authParams.x || body.x`, then the body loses x.
        for key in ["scope", "redirectUri", "responseType"] {
            if let Some(v) = body.shift_remove(key) {
                auth_params.entry(key).or_insert(v);
            }
        }
        body.shift_remove("authParams");
        let mut body = to_snake_case(&body, &[]);
        body.insert(
            "authParams".into(),
            Value::Object(to_snake_case(&auth_params, &[])),
        );
        pending.record(self)?;
        let answer = self.http().api(
            Method::POST,
            &self.domain().url("/passwordless/start"),
            None,
            Some(&Value::Object(body)),
        )?;
        Ok(match answer {
            Value::Object(m) => Value::Object(to_camel_case(&m)),
            other => other,
        })
    }

    /// `webAuth.passwordlessVerify(options)`: `POST /passwordless/verify`
    /// with `{connection, verification_code, email|phone_number}`, then
    /// v8's `/passwordless/verify_redirect` — followed headlessly up to the
    /// `redirectUri` and parsed into an authResult as `parseHash` does.
    ///
    /// Options: [`PasswordlessVerifyOptions`](crate::PasswordlessVerifyOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with the
    /// tenant's code for a wrong or expired code;
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the walk does not
    /// finish in time; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn passwordless_verify(
        &self,
        options: &impl IntoOptions<ops::PasswordlessVerify>,
    ) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let mut params = merge(self.base_options(), base_keys::AUTHORIZE, o);
        strip_undefined(&mut params);
        require_str(&params, "responseType", "responseType option is required")?;
        let redirect_uri =
            require_str(&params, "redirectUri", "redirectUri option is required")?.to_owned();
        let connection = require_str(o, "connection", "connection option is required")?;
        let code = require_str(o, "verificationCode", "verificationCode option is required")?;
        let (key, who) = recipient(o, connection)?;
        let mut verify = json!({"connection": connection, "verification_code": code});
        verify[key] = json!(who);
        let pending = self.process(&mut params, o)?;
        let mut redirect_params = to_snake_case(&params, &["auth0Client"]);
        if let Some(t) = self.telemetry() {
            redirect_params.insert("auth0Client".into(), Value::String(t.to_owned()));
        }
        pending.record(self)?;

        let walk = Walk {
            redirect_uri: &redirect_uri,
            deadline: Instant::now() + self.http().timeout() * 4,
            timeout_error: || Error::new(ErrorKind::Timeout, "the login did not complete in time"),
        };
        walk.within(|| {
            let verify_url = self.domain().url("/passwordless/verify");
            let resp = self.flow_send(
                &walk,
                &Method::POST,
                &verify_url,
                Body::Json(&verify),
                false,
            )?;
            if !resp.is_success() {
                return Err(error_from_response(&resp));
            }
            let url = format!(
                "{}?{}",
                self.domain().url("/passwordless/verify_redirect"),
                query::stringify(&redirect_params)
            );
            let resp = self.flow_send(&walk, &Method::GET, &url, Body::Empty, false)?;
            let callback = self.walk_to_callback(resp, url, &walk)?;
            self.parse_callback_result(&callback)
        })
    }
}

impl crate::webauth::Client<'_> {
    /// The passwordless OTP grant at `/oauth/token` — the direct, headless
    /// path: `connection` (`email` or `sms`, sent as `realm`), `email` or
    /// `phoneNumber` (sent as `username`), `verificationCode` (sent as
    /// `otp`), optional `scope` and `audience`. Returns the authResult.
    ///
    /// Options: [`PasswordlessLoginOptions`](crate::PasswordlessLoginOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) `invalid_grant` for a
    /// wrong or expired code; [`ErrorKind::Network`](crate::ErrorKind::Network)
    /// or [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant
    /// cannot be reached in time;
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) with the server's
    /// `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn passwordless_login(
        &self,
        options: &impl IntoOptions<ops::PasswordlessLogin>,
    ) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let web = self.web();
        let o = as_object(options, "options parameter is not valid")?;
        let connection = require_str(o, "connection", "connection option is required")?;
        let code = require_str(o, "verificationCode", "verificationCode option is required")?;
        let (_, username) = recipient(o, connection)?;
        let scope = optional_str(o, "scope", "scope option is required")?
            .or_else(|| web.base_options().get("scope").and_then(Value::as_str));
        let audience = optional_str(o, "audience", "audience option is required")?
            .or_else(|| web.base_options().get("audience").and_then(Value::as_str));
        let mut body = json!({
            "grant_type": grant_types::PASSWORDLESS_OTP,
            "client_id": web.client_id(),
            "realm": connection,
            "username": username,
            "otp": code,
        });
        if let Some(s) = scope {
            body["scope"] = json!(s);
        }
        if let Some(a) = audience {
            body["audience"] = json!(a);
        }
        web.token_request(&body, None, None)
    }
}
