//! `auth0_management`: the C face of [`auth0_native::Management`].

use super::boundary::{arg_handle, arg_json, auth0_status, free_handle, new_handle, run_json};
use super::handles::Handle;
use super::operations::{self as ops, Ctx};
use auth0_native::{Binding, Error, Management};
use serde_json::Value;
use std::ffi::c_char;

/// A Management API v2 client acting with one user's token (auth0.js's
/// `new auth0.Management({domain, token})`).
///
/// Opaque. Created by `auth0_management_new`, released by
/// `auth0_management_free`. Thread safety: operations may be called on the
/// same handle from several threads at once. `auth0_management_free` may
/// be called while calls are in flight: they finish normally and the
/// handle's resources are released as the last one returns. A freed handle
/// is rejected with `AUTH0_ERROR_INVALID_ARGUMENT` (`code` `invalid_handle`).
#[allow(non_camel_case_types)]
pub struct auth0_management {
    pub(super) inner: Management,
}

impl Handle for auth0_management {
    const KIND: usize = 2;
    const C_NAME: &'static str = "auth0_management";
    const FREE: &'static str = "auth0_management_free";
}

/// Creates a Management handle from `{"domain":…,"token":…}` (both
/// required: `"domain option is required"`, `"token option is required"`),
/// plus the transport options of `auth0_webauth_new` and `retry` (`true`
/// or `{"maxAttempts","baseDelayMs","maxDelayMs","totalMs"}`: a 429 is
/// retried for every call, a 5xx for `get_user`, with backoff).
///
/// On `AUTH0_OK` `*out` is the handle (release with
/// `auth0_management_free`) and `*error_json` is NULL; otherwise `*out` is
/// NULL and `*error_json` (when `error_json` is not NULL) is the error JSON
/// to release with `auth0_string_free`. `out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_new(
    options_json: *const c_char,
    out: *mut *mut auth0_management,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    let status = unsafe {
        new_handle(options_json, out, error_json, |options| {
            Ok(auth0_management {
                inner: Management::with_binding(options, Binding::C)?,
            })
        })
    };
    if status == auth0_status::AUTH0_OK {
        // SAFETY: `out` was written by `new_handle` on success.
        super::tasks::warm_up_handle(unsafe { *out }, |m: &auth0_management| m.inner.warm_up());
    }
    status
}

/// Releases a Management handle. NULL is ignored, and so is a handle freed
/// already. Calls still in flight on the handle finish normally; its
/// resources are released as the last one returns. Any later call with the
/// handle fails with `AUTH0_ERROR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_free(management: *mut auth0_management) {
    free_handle(management)
}

/// auth0.js's `getUser(userId)`: `GET /api/v2/users/{userId}` (the id is
/// percent-encoded as one path segment).
///
/// `options_json`: `{"userId":"auth0|123"}`. On `AUTH0_OK` `*out_json` is
/// the user JSON as the API sent it. HTTP errors are `AUTH0_ERROR_SERVER`
/// with `statusCode` (401 bad token, 403 another user or missing scope, 404
/// unknown user, 429 with `retryAfter`) and the API's `message` as
/// `description`. Release `*out_json` with `auth0_string_free`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_get_user(
    management: *const auth0_management,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_management(management, options_json, out_json, |m, o| {
            ops::get_user(m, o, &Ctx::none())
        })
    }
}

/// auth0.js's `patchUserMetadata(userId, userMetadata)`: `PATCH
/// /api/v2/users/{userId}` with `{"user_metadata": userMetadata}`.
///
/// `options_json`: `{"userId":…,"userMetadata":{…}}`. Auth0 merges the
/// top-level keys into the stored metadata; a `null` value removes a key.
/// On `AUTH0_OK` `*out_json` is the updated user. Never retried on 5xx.
/// Release `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_patch_user_metadata(
    management: *const auth0_management,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_management(management, options_json, out_json, |m, o| {
            ops::patch_user_metadata(m, o, &Ctx::none())
        })
    }
}

/// auth0.js's `linkUser(userId, secondaryUserToken)`: `POST
/// /api/v2/users/{userId}/identities` with `{"link_with": token}`.
///
/// `options_json`: `{"userId":…,"secondaryUserToken":…}`. On `AUTH0_OK`
/// `*out_json` is the identities array. Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_link_user(
    management: *const auth0_management,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_management(management, options_json, out_json, |m, o| {
            ops::link_user(m, o, &Ctx::none())
        })
    }
}

/// Unlinks an identity: `DELETE
/// /api/v2/users/{userId}/identities/{provider}/{identityUserId}`.
///
/// `options_json`: `{"userId":…,"provider":…,"identityUserId":…}`. On
/// `AUTH0_OK` `*out_json` is the remaining identities array. Release
/// `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_unlink_user(
    management: *const auth0_management,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_management(management, options_json, out_json, |m, o| {
            ops::unlink_user(m, o, &Ctx::none())
        })
    }
}

/// The body every Management operation shares (see `with_webauth`).
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string; `out_json` is NULL or
/// writable. `management` may be anything: it is looked up, never
/// dereferenced.
unsafe fn with_management(
    management: *const auth0_management,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    f: impl FnOnce(&Management, &Value) -> Result<Value, Error>,
) -> auth0_status {
    run_json(out_json, || {
        let m = arg_handle(management, "management")?;
        // SAFETY: forwarded from the caller.
        let options = unsafe { arg_json(options_json, "options_json", true) }?;
        f(&m.inner, &options)
    })
}
