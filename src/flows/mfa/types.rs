//! The options and results of the MFA calls, with the JSON faces'
//! deserialisation (auth0.js's camelCase names, times in milliseconds).

use super::{
    as_object, optional_f64, typed_str, AuthResult, Deserialize, Duration, Error, MfaToken,
    OobCode, Options, Otp, OtpSecret, RecoveryCode, Result, Serialize, Value,
};

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
    /// [`Client::mfa_authenticators`](crate::Client::mfa_authenticators)).
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

/// The answer of [`Client::mfa_verify`](crate::Client::mfa_verify): the authResult, and the user's
/// new recovery code after a recovery-code grant (the one used is spent;
/// show the new one to the user to keep).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaVerifyResult {
    /// The authResult, `id_token` verified, as [`Client::login`](crate::Client::login)'s.
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
/// [`Client::mfa_verify`](crate::Client::mfa_verify) (its first OTP, or the `oob_code`) and the same
/// `mfa_token`.
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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
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
