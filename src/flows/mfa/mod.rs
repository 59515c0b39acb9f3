//! Auth0's MFA API: what follows an `mfa_required` answer.
//!
//! Any grant (`client.login`, passwordless, refresh, a code exchange) of a
//! user who must pass a second factor fails with the error code
//! `mfa_required` ([`Error::mfa_required`]), which carries the
//! `mfa_token`. With it, [`Client::mfa_challenge`] asks for a challenge
//! (`POST /mfa/challenge`), [`Client::mfa_verify`] answers it at
//! `/oauth/token` (an OTP, an out-of-band code polled until approved, or a
//! recovery code) and returns the validated authResult;
//! [`Client::mfa_authenticators`] and [`Client::mfa_associate`] list and
//! enrol authenticators with the `mfa_token` as a bearer token.
//!
//! The wire follows Auth0's Authentication API (OpenAPI document
//! `authentication-api-oas.json`), with these choices where it is silent
//! or differs from Auth0's behaviour: `mfa_required` is taken as the 403
//! Auth0 sends (the document lists it under 401; any status works, the
//! code decides); `challenge_type` may be left out of `/mfa/challenge`
//! (the document marks it required; Auth0 then offers every type the user
//! has), and `oob_channel` is sent only when given; the recovery-code
//! grant's answer carries the user's next `recovery_code`, which the
//! document's `TokenResponse` does not list.

#[cfg(test)]
mod tests;
mod types;

pub use types::{
    Authenticator, MfaAssociateOptions, MfaAssociation, MfaAuthenticatorsOptions, MfaChallenge,
    MfaChallengeOptions, MfaVerifyOptions, MfaVerifyResult,
};

use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::interactive::cancel::{cancelled, CancelToken};
use crate::options::{as_object, optional_f64, Options};
use crate::secret::{MfaToken, OobCode, Otp, OtpSecret, RecoveryCode};
use crate::tokens::id_token::Expectations;
use crate::webauth::{typed_str, Client};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

pub use crate::flows::grant_types::{MFA_OOB_GRANT, MFA_OTP_GRANT, MFA_RECOVERY_CODE_GRANT};

/// How often an out-of-band challenge is polled unless the caller says:
/// Auth0 asks for no more than one poll every five seconds.
pub const DEFAULT_OOB_INTERVAL: Duration = Duration::from_secs(5);
/// `slow_down` adds this to the interval (as the device flow, RFC 8628).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The shortest interval honoured, whatever the caller says.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// The `mfa_token`, checked before it goes into a body or a header.
fn checked_token(token: &MfaToken) -> Result<&str> {
    let t = token.secret();
    if t.is_empty() {
        return Err(Error::invalid_argument("mfaToken option is required"));
    }
    if !crate::management::is_header_safe(t) {
        return Err(Error::invalid_argument("mfaToken option is not valid"));
    }
    Ok(t)
}

fn invalid_answer(what: &str) -> Error {
    Error::new(
        ErrorKind::Server,
        format!("the MFA answer has no valid {what}"),
    )
    .with_code("invalid_response")
}

fn answer_str(answer: &Value, key: &str) -> Option<String> {
    answer.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl Client<'_> {
    /// `mfa.challenge(options)`: `POST /mfa/challenge` with the
    /// `mfa_token`. An `otp` challenge needs nothing more (ask the user for
    /// the code of their app); an `oob` one has sent a push or a code and
    /// answers the `oob_code` to verify, with `binding_method` `prompt`
    /// when the user must type the code they received.
    ///
    /// A login that needs a second factor, finished with the code of the
    /// user's authenticator app:
    ///
    /// ```no_run
    /// use auth0_native::mfa::{MfaChallengeOptions, MfaVerifyOptions};
    /// use auth0_native::{CancelToken, LoginOptions, WebAuth, WebAuthOptions};
    /// # fn ask_the_user_for_the_code() -> String { unimplemented!() }
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain: "me.auth0.com".into(),
    ///     client_id: "abc".into(),
    ///     ..Default::default()
    /// })?;
    /// let client = web.client();
    /// let login = LoginOptions {
    ///     realm: "Username-Password-Authentication".into(),
    ///     username: "ann@example.com".into(),
    ///     password: "her password".into(),
    ///     ..Default::default()
    /// };
    /// let result = match client.login(&login) {
    ///     Ok(result) => result,
    ///     Err(e) if e.code() == "mfa_required" => {
    ///         let mfa_token = e.mfa_token().expect("mfa_required carries one").clone();
    ///         client.mfa_challenge(&MfaChallengeOptions {
    ///             mfa_token: mfa_token.clone(),
    ///             challenge_type: Some("otp".into()),
    ///             ..Default::default()
    ///         })?;
    ///         let verified = client.mfa_verify(
    ///             &MfaVerifyOptions {
    ///                 mfa_token,
    ///                 otp: Some(ask_the_user_for_the_code().into()),
    ///                 ..Default::default()
    ///             },
    ///             &CancelToken::new(),
    ///         )?;
    ///         verified.auth_result
    ///     }
    ///     Err(e) => return Err(e),
    /// };
    /// assert!(result.access_token.is_some());
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `mfaToken` is missing or not header-safe;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn mfa_challenge(&self, options: &MfaChallengeOptions) -> Result<MfaChallenge> {
        let web = self.web();
        let mut body = Map::new();
        body.insert("client_id".into(), json!(web.client_id()));
        body.insert(
            "mfa_token".into(),
            json!(checked_token(&options.mfa_token)?),
        );
        for (key, value) in [
            ("challenge_type", &options.challenge_type),
            ("authenticator_id", &options.authenticator_id),
            ("oob_channel", &options.oob_channel),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                body.insert(key.into(), json!(v));
            }
        }
        let answer = web.http().api(
            Method::POST,
            &web.domain().url("/mfa/challenge"),
            None,
            Some(&Value::Object(body)),
        )?;
        Ok(MfaChallenge {
            challenge_type: answer_str(&answer, "challenge_type")
                .ok_or_else(|| invalid_answer("challenge_type"))?,
            oob_code: answer_str(&answer, "oob_code").map(OobCode::new),
            binding_method: answer_str(&answer, "binding_method"),
        })
    }

    /// `mfa.verify(options)`: the MFA grant at `/oauth/token` —
    /// `mfa-otp` with `otp`, `mfa-recovery-code` with `recovery_code`, or
    /// `mfa-oob` with `oob_code` (and `binding_code`), which is polled
    /// while the tenant answers `authorization_pending` (every `interval`,
    /// five seconds more after each `slow_down`, sleeping in between and
    /// waking at once when `cancel` fires). Returns the authResult with a
    /// verified `id_token`, and after a recovery code the user's new one.
    ///
    /// Errors: exactly one of `otp`, `oobCode`, `recoveryCode` must be
    /// given (invalid argument); a wrong code is the tenant's 403
    /// `invalid_grant`, which leaves the `mfa_token` usable; a rejected push
    /// `invalid_grant` too; [`ErrorKind::Timeout`] after `timeout`;
    /// [`ErrorKind::Cancelled`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `mfaToken` or the factor is missing;
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) `invalid_grant` for a
    /// wrong code (the `mfa_token` stays usable);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) when an
    /// out-of-band approval is refused;
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) or
    /// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) while polling;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn mfa_verify(
        &self,
        options: &MfaVerifyOptions,
        cancel: &CancelToken,
    ) -> Result<MfaVerifyResult> {
        let web = self.web();
        let token = checked_token(&options.mfa_token)?;
        let given = [
            options.otp.is_some(),
            options.oob_code.is_some(),
            options.recovery_code.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(Error::invalid_argument(
                "one of otp, oobCode or recoveryCode option is required",
            ));
        }
        if options.binding_code.is_some() && options.oob_code.is_none() {
            return Err(Error::invalid_argument(
                "bindingCode option needs the oobCode option",
            ));
        }
        let mut body = Map::new();
        let grant = if options.otp.is_some() {
            MFA_OTP_GRANT
        } else if options.oob_code.is_some() {
            MFA_OOB_GRANT
        } else {
            MFA_RECOVERY_CODE_GRANT
        };
        body.insert("grant_type".into(), json!(grant));
        body.insert("client_id".into(), json!(web.client_id()));
        body.insert("mfa_token".into(), json!(token));
        if let Some(otp) = &options.otp {
            body.insert("otp".into(), json!(otp.secret()));
        }
        if let Some(oob) = &options.oob_code {
            body.insert("oob_code".into(), json!(oob.secret()));
        }
        if let Some(binding) = &options.binding_code {
            body.insert("binding_code".into(), json!(binding.secret()));
        }
        if let Some(code) = &options.recovery_code {
            body.insert("recovery_code".into(), json!(code.secret()));
        }
        let body = Value::Object(body);
        let answer = if grant == MFA_OOB_GRANT {
            self.poll_oob(&body, options, cancel)?
        } else {
            web.token_answer(&body)?
        };
        Ok(MfaVerifyResult {
            auth_result: web.auth_result_from(&answer, &Expectations::default())?,
            recovery_code: answer_str(&answer, "recovery_code").map(RecoveryCode::new),
        })
    }

    /// The mfa-oob grant, asked again while the user has not yet
    /// approved. The first request goes at once (the user may have
    /// approved already); nothing that issued tokens is asked twice.
    fn poll_oob(
        &self,
        body: &Value,
        options: &MfaVerifyOptions,
        cancel: &CancelToken,
    ) -> Result<Value> {
        let web = self.web();
        let timed_out = || {
            Error::new(
                ErrorKind::Timeout,
                "the MFA challenge was not approved within the timeout",
            )
        };
        let mut interval = options
            .interval
            .unwrap_or(DEFAULT_OOB_INTERVAL)
            .max(MIN_INTERVAL);
        let timeout_at = options.timeout.map(|t| Instant::now() + t);
        loop {
            if cancel.is_cancelled() {
                return Err(cancelled());
            }
            let attempt = || web.token_answer(body);
            let answer = match timeout_at {
                Some(t) => crate::transport::http::within_deadline(t, attempt).map_err(|e| {
                    if e.kind() == ErrorKind::Timeout {
                        timed_out()
                    } else {
                        e
                    }
                }),
                None => attempt(),
            };
            match answer {
                Ok(answer) => return Ok(answer),
                Err(e) if e.code() == "authorization_pending" => {}
                Err(e) if e.code() == "slow_down" => interval += SLOW_DOWN_STEP,
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            let wake = match timeout_at {
                Some(t) => (now + interval).min(t),
                None => now + interval,
            };
            if cancel.wait_timeout(wake.saturating_duration_since(now)) {
                return Err(cancelled());
            }
            if timeout_at.is_some_and(|t| Instant::now() >= t) {
                return Err(timed_out());
            }
        }
    }

    /// `mfa.authenticators(options)`: `GET /mfa/authenticators` with the
    /// `mfa_token` as bearer token; the user's authenticators.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `mfaToken` is missing or not header-safe;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn mfa_authenticators(
        &self,
        options: &MfaAuthenticatorsOptions,
    ) -> Result<Vec<Authenticator>> {
        let web = self.web();
        let token = checked_token(&options.mfa_token)?;
        let answer = web.http().api(
            Method::GET,
            &web.domain().url("/mfa/authenticators"),
            Some(token),
            None,
        )?;
        serde_json::from_value(answer).map_err(|_| invalid_answer("authenticator list"))
    }

    /// `mfa.associate(options)`: `POST /mfa/associate` with the `mfa_token`
    /// as bearer token — enrols an authenticator app (`["otp"]`: the
    /// answer has its key and QR code URI) or an out-of-band channel
    /// (`["oob"]` with `oobChannels` and, for sms and voice,
    /// `phoneNumber`). Confirm it with [`Client::mfa_verify`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `mfaToken` or `authenticatorTypes` is missing;
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn mfa_associate(&self, options: &MfaAssociateOptions) -> Result<MfaAssociation> {
        let web = self.web();
        let token = checked_token(&options.mfa_token)?;
        if options.authenticator_types.is_empty() {
            return Err(Error::invalid_argument(
                "authenticatorTypes option is required",
            ));
        }
        let mut body = Map::new();
        body.insert(
            "authenticator_types".into(),
            json!(options.authenticator_types),
        );
        if let Some(channels) = &options.oob_channels {
            body.insert("oob_channels".into(), json!(channels));
        }
        if let Some(phone) = options.phone_number.as_deref().filter(|p| !p.is_empty()) {
            body.insert("phone_number".into(), json!(phone));
        }
        let answer = web.http().api(
            Method::POST,
            &web.domain().url("/mfa/associate"),
            Some(token),
            Some(&Value::Object(body)),
        )?;
        let recovery_codes = match answer.get("recovery_codes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(codes)) => codes
                .iter()
                .map(|c| {
                    c.as_str()
                        .map(|s| RecoveryCode::new(s.to_owned()))
                        .ok_or_else(|| invalid_answer("recovery_codes"))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(invalid_answer("recovery_codes")),
        };
        Ok(MfaAssociation {
            authenticator_type: answer_str(&answer, "authenticator_type")
                .ok_or_else(|| invalid_answer("authenticator_type"))?,
            secret: answer_str(&answer, "secret").map(OtpSecret::new),
            barcode_uri: answer_str(&answer, "barcode_uri").map(OtpSecret::new),
            oob_channel: answer_str(&answer, "oob_channel"),
            oob_code: answer_str(&answer, "oob_code").map(OobCode::new),
            binding_method: answer_str(&answer, "binding_method"),
            recovery_codes,
        })
    }
}
