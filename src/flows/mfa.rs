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
//! enrol authenticators with the mfa_token as a bearer token.
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

use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::id_token::Expectations;
use crate::interactive::cancel::{cancelled, CancelToken};
use crate::options::{as_object, optional_f64, Options};
use crate::secret::{MfaToken, OobCode, Otp, OtpSecret, RecoveryCode};
use crate::webauth::{typed_str, Client};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

/// The grant type of an OTP answer.
pub const MFA_OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
/// The grant type of an out-of-band answer.
pub const MFA_OOB_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
/// The grant type of a recovery-code answer.
pub const MFA_RECOVERY_CODE_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// How often an out-of-band challenge is polled unless the caller says:
/// Auth0 asks for no more than one poll every five seconds.
pub const DEFAULT_OOB_INTERVAL: Duration = Duration::from_secs(5);
/// `slow_down` adds this to the interval (as the device flow, RFC 8628).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The shortest interval honoured, whatever the caller says.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// `mfa.challenge(options)`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaChallengeOptions {
    /// The `mfa_token` of the `mfa_required` error. Required.
    pub mfa_token: MfaToken,
    /// `otp`, `oob`, or both space-separated; the tenant's choice when
    /// `None`.
    #[serde(default)]
    pub challenge_type: Option<String>,
    /// The authenticator to challenge (an id from
    /// [`Client::mfa_authenticators`]).
    #[serde(default)]
    pub authenticator_id: Option<String>,
    /// The out-of-band channel (`sms`, `voice`, `auth0`).
    #[serde(default)]
    pub oob_channel: Option<String>,
}

/// What `/mfa/challenge` answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaChallenge {
    /// `otp` (ask the user for the code of their app) or `oob`.
    pub challenge_type: String,
    /// The out-of-band code to verify (an `oob` challenge).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_code: Option<OobCode>,
    /// `prompt` when the user must type the code they were sent (the
    /// `bindingCode` of [`MfaVerifyOptions`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_method: Option<String>,
}

/// `mfa.verify(options)`: the `mfa_token` and exactly one of `otp`,
/// `oob_code` (with `binding_code` when the challenge's binding method is
/// `prompt`) or `recovery_code`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaVerifyOptions {
    /// The `mfa_token` of the `mfa_required` error. Required.
    pub mfa_token: MfaToken,
    /// The code of the user's authenticator app.
    #[serde(default)]
    pub otp: Option<Otp>,
    /// The `oob_code` of an `oob` challenge (or of `mfa.associate`).
    #[serde(default)]
    pub oob_code: Option<OobCode>,
    /// The code the user was sent (sms, voice).
    #[serde(default)]
    pub binding_code: Option<Otp>,
    /// One of the user's recovery codes.
    #[serde(default)]
    pub recovery_code: Option<RecoveryCode>,
    /// Time between polls of an out-of-band challenge (default 5 s, at
    /// least 1 s; five seconds more after each `slow_down`). Milliseconds
    /// in JSON (`interval`).
    #[serde(default, with = "millis")]
    pub interval: Option<Duration>,
    /// Bound on the whole out-of-band wait (none by default: the challenge
    /// expires on the tenant's side). Milliseconds in JSON (`timeout`).
    #[serde(default, with = "millis")]
    pub timeout: Option<Duration>,
}

/// The answer of [`Client::mfa_verify`]: the authResult, and the user's
/// new recovery code after a recovery-code grant (the one used is spent;
/// show the new one to the user to keep).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaVerifyResult {
    /// The authResult, id_token verified, as [`Client::login`]'s.
    #[serde(flatten)]
    pub auth_result: AuthResult,
    /// The next recovery code (recovery-code grant only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<RecoveryCode>,
}

/// `mfa.authenticators(options)`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaAuthenticatorsOptions {
    /// The `mfa_token` (or an MFA API access token with
    /// `read:authenticators`). Required.
    pub mfa_token: MfaToken,
}

/// One authenticator of the user, as `GET /mfa/authenticators` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authenticator {
    /// Its id (`authenticatorId` of [`MfaChallengeOptions`]).
    pub id: String,
    /// `otp`, `oob` or `recovery-code`.
    #[serde(alias = "authenticator_type")]
    pub authenticator_type: String,
    /// Whether it has been confirmed.
    #[serde(default)]
    pub active: bool,
    /// Its display name (a phone number for sms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The out-of-band channel (`sms`, `voice`, `auth0`).
    #[serde(
        default,
        alias = "oob_channel",
        skip_serializing_if = "Option::is_none"
    )]
    pub oob_channel: Option<String>,
}

/// `mfa.associate(options)`: enrols a new authenticator.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaAssociateOptions {
    /// The `mfa_token` (or an MFA API access token with `enroll`).
    /// Required.
    pub mfa_token: MfaToken,
    /// `["otp"]` or `["oob"]`. Required.
    pub authenticator_types: Vec<String>,
    /// The out-of-band channels (`["sms"]`, `["voice"]`, `["auth0"]`).
    #[serde(default)]
    pub oob_channels: Option<Vec<String>>,
    /// The phone number for sms and voice (E.164).
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// What `/mfa/associate` answered. Confirm the new authenticator with
/// [`Client::mfa_verify`] (its first OTP, or the `oob_code`) and the same
/// mfa_token.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaAssociation {
    /// `otp` or `oob`.
    pub authenticator_type: String,
    /// The OTP key (base32), for an authenticator app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<OtpSecret>,
    /// The `otpauth://` URI of a QR code; it holds the key, so it is a
    /// secret too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barcode_uri: Option<OtpSecret>,
    /// The out-of-band channel enrolled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_channel: Option<String>,
    /// The out-of-band code to verify the enrolment with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oob_code: Option<OobCode>,
    /// `prompt` when the user must type the code they were sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_method: Option<String>,
    /// The user's recovery codes (with the first authenticator only).
    pub recovery_codes: Vec<RecoveryCode>,
}

fn mfa_token_option(o: &Options) -> Result<MfaToken> {
    match typed_str(o, "mfaToken", "mfaToken option is not valid")? {
        Some(t) => Ok(MfaToken::new(t.to_owned())),
        None => Err(Error::invalid_argument("mfaToken option is required")),
    }
}

fn string_option(o: &Options, key: &str) -> Result<Option<String>> {
    Ok(typed_str(o, key, &format!("{key} option is not valid"))?.map(str::to_owned))
}

fn strings_option(o: &Options, key: &str) -> Result<Option<Vec<String>>> {
    let message = || Error::invalid_argument(format!("{key} option is not valid"));
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(message))
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(message()),
    }
}

fn millis_option(o: &Options, key: &str) -> Result<Option<Duration>> {
    let message = format!("{key} option is not valid (milliseconds)");
    match optional_f64(o, key, &message)? {
        Some(ms) if ms.is_finite() && ms >= 0.0 => {
            Ok(Some(Duration::from_secs_f64((ms / 1000.0).min(86_400.0))))
        }
        Some(_) => Err(Error::invalid_argument(message)),
        None if o.get(key).is_some_and(|v| !v.is_null()) => Err(Error::invalid_argument(message)),
        None => Ok(None),
    }
}

impl MfaChallengeOptions {
    /// From the JSON face's `{mfaToken, challengeType, authenticatorId,
    /// oobChannel}`; a missing or ill-typed option is an invalid-argument
    /// error naming it.
    pub fn from_json(options: &Value) -> Result<Self> {
        let o = as_object(options, "options parameter is not valid")?;
        Ok(MfaChallengeOptions {
            mfa_token: mfa_token_option(o)?,
            challenge_type: string_option(o, "challengeType")?,
            authenticator_id: string_option(o, "authenticatorId")?,
            oob_channel: string_option(o, "oobChannel")?,
        })
    }
}

impl MfaVerifyOptions {
    /// From the JSON face's `{mfaToken, otp}`, `{mfaToken, oobCode,
    /// bindingCode, interval, timeout}` or `{mfaToken, recoveryCode}`
    /// (times in milliseconds).
    pub fn from_json(options: &Value) -> Result<Self> {
        let o = as_object(options, "options parameter is not valid")?;
        Ok(MfaVerifyOptions {
            mfa_token: mfa_token_option(o)?,
            otp: string_option(o, "otp")?.map(Otp::new),
            oob_code: string_option(o, "oobCode")?.map(OobCode::new),
            binding_code: string_option(o, "bindingCode")?.map(Otp::new),
            recovery_code: string_option(o, "recoveryCode")?.map(RecoveryCode::new),
            interval: millis_option(o, "interval")?,
            timeout: millis_option(o, "timeout")?,
        })
    }
}

impl MfaAuthenticatorsOptions {
    /// From the JSON face's `{mfaToken}`.
    pub fn from_json(options: &Value) -> Result<Self> {
        let o = as_object(options, "options parameter is not valid")?;
        Ok(MfaAuthenticatorsOptions {
            mfa_token: mfa_token_option(o)?,
        })
    }
}

impl MfaAssociateOptions {
    /// From the JSON face's `{mfaToken, authenticatorTypes, oobChannels,
    /// phoneNumber}`.
    pub fn from_json(options: &Value) -> Result<Self> {
        let o = as_object(options, "options parameter is not valid")?;
        Ok(MfaAssociateOptions {
            mfa_token: mfa_token_option(o)?,
            authenticator_types: strings_option(o, "authenticatorTypes")?.unwrap_or_default(),
            oob_channels: strings_option(o, "oobChannels")?,
            phone_number: string_option(o, "phoneNumber")?,
        })
    }
}

/// The mfa_token, checked before it goes into a body or a header.
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
    /// mfa_token. An `otp` challenge needs nothing more (ask the user for
    /// the code of their app); an `oob` one has sent a push or a code and
    /// answers the `oob_code` to verify, with `binding_method` `prompt`
    /// when the user must type the code they received.
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
    /// verified id_token, and after a recovery code the user's new one.
    ///
    /// Errors: exactly one of `otp`, `oobCode`, `recoveryCode` must be
    /// given (invalid argument); a wrong code is the tenant's 403
    /// `invalid_grant`, which leaves the mfa_token usable; a rejected push
    /// `invalid_grant` too; [`ErrorKind::Timeout`] after `timeout`;
    /// [`ErrorKind::Cancelled`].
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
    /// mfa_token as bearer token; the user's authenticators.
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

    /// `mfa.associate(options)`: `POST /mfa/associate` with the mfa_token
    /// as bearer token — enrols an authenticator app (`["otp"]`: the
    /// answer has its key and QR code URI) or an out-of-band channel
    /// (`["oob"]` with `oobChannels` and, for sms and voice,
    /// `phoneNumber`). Confirm it with [`Client::mfa_verify`].
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

/// `Option<Duration>` as milliseconds, the JSON faces' unit.
mod millis {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        match Option::<f64>::deserialize(d)? {
            None => Ok(None),
            Some(ms) if ms.is_finite() && ms >= 0.0 => {
                Ok(Some(Duration::from_secs_f64((ms / 1000.0).min(86_400.0))))
            }
            Some(_) => Err(serde::de::Error::custom(
                "a time in milliseconds must be a non-negative number",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_json_name_the_option() {
        let e = MfaVerifyOptions::from_json(&json!({"otp": "123456"})).unwrap_err();
        assert_eq!(e.description(), "mfaToken option is required");
        let e = MfaChallengeOptions::from_json(&json!({"mfaToken": "t", "challengeType": 1}))
            .unwrap_err();
        assert_eq!(e.description(), "challengeType option is not valid");
        let e = MfaAssociateOptions::from_json(&json!({"mfaToken": "t", "oobChannels": "sms"}))
            .unwrap_err();
        assert_eq!(e.description(), "oobChannels option is not valid");
        let e = MfaVerifyOptions::from_json(&json!({"mfaToken": "t", "interval": -1})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.description().starts_with("interval option is not valid"));
        let o = MfaVerifyOptions::from_json(&json!({"mfaToken": "t", "oobCode": "o",
            "bindingCode": "b", "interval": 1500}))
        .unwrap();
        assert_eq!(o.interval, Some(Duration::from_millis(1500)));
        assert_eq!(o.binding_code.as_ref().map(Otp::secret), Some("b"));
    }

    #[test]
    fn the_serde_shape_is_the_json_face() {
        let o: MfaVerifyOptions =
            serde_json::from_value(json!({"mfaToken": "t", "recoveryCode": "R", "timeout": 2000}))
                .unwrap();
        assert_eq!(
            o.recovery_code.as_ref().map(RecoveryCode::secret),
            Some("R")
        );
        assert_eq!(o.timeout, Some(Duration::from_secs(2)));
    }

    #[test]
    fn debug_of_options_and_results_hides_secrets() {
        let o = MfaVerifyOptions {
            mfa_token: "secret-mfa".into(),
            otp: Some("secret-otp".into()),
            ..MfaVerifyOptions::default()
        };
        let r = MfaAssociation {
            authenticator_type: "otp".into(),
            secret: Some("secret-key".into()),
            barcode_uri: Some("otpauth://totp/x?secret=secret-key".into()),
            oob_channel: None,
            oob_code: None,
            binding_method: None,
            recovery_codes: vec!["secret-recovery".into()],
        };
        let d = format!("{o:?} {r:?}");
        assert!(!d.contains("secret-"), "{d}");
    }
}
