//! The JSON face of the operations whose Rust API answers typed results:
//! each answers the server's JSON exactly as auth0.js does (the keys, their
//! case and their order, which the fixtures of the C and Python layers
//! pin), where the typed method reads that JSON into its result type.
//!
//! It exists for the bindings (`bindings/c` writes these answers as JSON
//! strings, `bindings/python` turns them into dicts); a Rust program calls
//! the typed methods ([`Client::user_info`](crate::Client::user_info), [`WebAuth::signup`],
//! [`Management::get_user`], …). Both send the same requests, byte for
//! byte: the typed methods are these functions plus a conversion.

use crate::error::Result;
use crate::flows::authentication::AuthResult;
use crate::interactive::cancel::CancelToken;
use crate::management::Management;
use crate::webauth::WebAuth;
use serde_json::Value;

/// [`Client::user_info_with`](crate::Client::user_info_with): the profile
/// as `/userinfo` sent it.
///
/// # Errors
///
/// As [`Client::user_info_with`](crate::Client::user_info_with).
pub fn user_info(web: &WebAuth, access_token: &str, options: &Value) -> Result<Value> {
    web.client().user_info_json(access_token, options)
}

/// [`WebAuth::signup`]: the answer camelCased as v8 does (`{"Id", "email",
/// "emailVerified"}`).
///
/// # Errors
///
/// As [`WebAuth::signup`].
pub fn signup(web: &WebAuth, options: &Value) -> Result<Value> {
    web.signup_json(options)
}

/// [`WebAuth::change_password`]: the tenant's text answer as a JSON
/// string.
///
/// # Errors
///
/// As [`WebAuth::change_password`].
pub fn change_password(web: &WebAuth, options: &Value) -> Result<Value> {
    web.change_password_json(options)
}

/// [`WebAuth::passwordless_start`]: the answer camelCased as v8 does.
///
/// # Errors
///
/// As [`WebAuth::passwordless_start`].
pub fn passwordless_start(web: &WebAuth, options: &Value) -> Result<Value> {
    web.passwordless_start_json(options)
}

/// [`WebAuth::device_start`]: the server's object (`device_code`,
/// `user_code`, `verification_uri`, …) plus `qr: {text, svg}`, which
/// [`WebAuth::device_poll`] takes as its options.
///
/// # Errors
///
/// As [`WebAuth::device_start`].
pub fn device_start(web: &WebAuth, options: &Value) -> Result<Value> {
    web.device_start_json(options)
}

/// [`WebAuth::device_login`], `on_code` called with the object
/// [`device_start`] answers.
///
/// # Errors
///
/// As [`WebAuth::device_login`].
pub fn device_login(
    web: &WebAuth,
    options: &Value,
    cancel: &CancelToken,
    on_code: impl FnOnce(&Value),
) -> Result<AuthResult> {
    web.device_login_json(options, cancel, |started| {
        on_code(started);
        Ok(())
    })
}

/// [`Management::get_user`]: the user as the API sent it.
///
/// # Errors
///
/// As [`Management::get_user`].
pub fn get_user(m: &Management, user_id: &str) -> Result<Value> {
    m.get_user_json(user_id)
}

/// [`Management::patch_user_metadata`] of a JSON object: the updated user
/// as the API sent it.
///
/// # Errors
///
/// As [`Management::patch_user_metadata`].
pub fn patch_user_metadata(m: &Management, user_id: &str, user_metadata: &Value) -> Result<Value> {
    m.patch_user_metadata_json(user_id, user_metadata)
}

/// [`Management::link_user`]: the identities array as the API sent it.
///
/// # Errors
///
/// As [`Management::link_user`].
pub fn link_user(m: &Management, user_id: &str, secondary_user_token: &str) -> Result<Value> {
    m.link_user_json(user_id, secondary_user_token)
}

/// [`Management::unlink_user`]: the remaining identities as the API sent
/// them.
///
/// # Errors
///
/// As [`Management::unlink_user`].
pub fn unlink_user(
    m: &Management,
    user_id: &str,
    provider: &str,
    identity_user_id: &str,
) -> Result<Value> {
    m.unlink_user_json(user_id, provider, identity_user_id)
}
