//! The MFA API on `auth0_webauth`: what follows an `mfa_required` error
//! (`auth0_webauth_mfa_challenge`, `_mfa_verify`, `_mfa_authenticators`,
//! `_mfa_associate`).

use super::boundary::auth0_status;
use super::interactive::{auth0_cancel, token_of};
use super::operations::{self as ops, Ctx};
use super::webauth::{auth0_webauth, with_webauth};
use std::ffi::c_char;

/// Asks for an MFA challenge (`POST /mfa/challenge`) after an
/// `mfa_required` error.
///
/// `options_json`: `{"mfaToken":…}` (the error's `mfaToken`, required)
/// plus optional `"challengeType"` (`"otp"`, `"oob"` or `"otp oob"`),
/// `"authenticatorId"` and `"oobChannel"`. On `AUTH0_OK` `*out_json` is
/// `{"challengeType":"otp"}` (ask the user for the code of their app) or
/// `{"challengeType":"oob","oobCode":…,"bindingMethod":"prompt"}`
/// (`bindingMethod` when the user must type the code they were sent).
/// Otherwise the error JSON (`AUTH0_ERROR_INVALID_ARGUMENT` naming the
/// option; the tenant's `invalid_grant` for a spent or unknown mfaToken).
/// Release `*out_json` with `auth0_string_free`. Blocks until the tenant
/// answers. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_mfa_challenge(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::mfa_challenge(web, options, &Ctx::none())
        })
    }
}

/// Completes an MFA login at `/oauth/token`.
///
/// `options_json`: `{"mfaToken":…}` and exactly one of `"otp"` (the code
/// of the user's app), `"oobCode"` (of an oob challenge, with
/// `"bindingCode"` when its `bindingMethod` is `prompt`) or
/// `"recoveryCode"`. An oob code is polled while the user has not
/// approved: every `"interval"` ms (default 5000, at least 1000; 5000
/// more after each `slow_down`), at most `"timeout"` ms in all (default:
/// until the challenge expires); `cancel` (may be NULL) ends the wait at
/// once from another thread.
///
/// On `AUTH0_OK` `*out_json` is the authResult (see
/// `auth0_webauth_login`; the id_token verified), plus `"recoveryCode"`
/// after a recovery code: the user's next one, to show them. Otherwise
/// the error JSON: a wrong code is `AUTH0_ERROR_SERVER` 403
/// `invalid_grant` (the mfaToken stays usable), `AUTH0_ERROR_TIMEOUT`,
/// `AUTH0_ERROR_CANCELLED`. Release `*out_json` with
/// `auth0_string_free`. Blocks the calling thread. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_mfa_verify(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    cancel: *const auth0_cancel,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::mfa_verify(web, options, &Ctx::new(token_of(cancel)?))
        })
    }
}

/// Lists the user's MFA authenticators (`GET /mfa/authenticators` with
/// the mfaToken as bearer token).
///
/// `options_json`: `{"mfaToken":…}`. On `AUTH0_OK` `*out_json` is an
/// array of `{"id","authenticatorType","active","name","oobChannel"}`
/// (`name` and `oobChannel` when known). Otherwise the error JSON (a
/// rejected token is `AUTH0_ERROR_SERVER` 401). Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_mfa_authenticators(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::mfa_authenticators(web, options, &Ctx::none())
        })
    }
}

/// Enrols a new MFA authenticator (`POST /mfa/associate` with the
/// mfaToken as bearer token).
///
/// `options_json`: `{"mfaToken":…,"authenticatorTypes":["otp"]}`, or
/// `["oob"]` with `"oobChannels":["sms"]` (or `voice`, `auth0`) and
/// `"phoneNumber"` for sms and voice. On `AUTH0_OK` `*out_json` is
/// `{"authenticatorType","secret","barcodeUri","oobChannel","oobCode",
/// "bindingMethod","recoveryCodes"}` (the members that apply): `secret`
/// and `barcodeUri` (an `otpauth://` URI for a QR code) are the new OTP
/// key, `recoveryCodes` the user's recovery codes — secrets to show the
/// user once, never to log. Confirm the enrolment with
/// `auth0_webauth_mfa_verify` (the first OTP, or the `oobCode`) and the
/// same mfaToken. Release `*out_json` with `auth0_string_free`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_mfa_associate(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::mfa_associate(web, options, &Ctx::none())
        })
    }
}
