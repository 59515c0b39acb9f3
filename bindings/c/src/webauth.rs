//! `auth0_webauth`: the C face of [`auth0_native::WebAuth`].

use super::boundary::{arg_handle, arg_json, auth0_status, free_handle, new_handle, run_json};
use super::handles::Handle;
use super::json_out::WriteJson;
use super::operations::{self as ops, Ctx};
use auth0_native::{Binding, Error, WebAuth};
use std::ffi::c_char;
use std::sync::Arc;

/// An Auth0 Authentication API client for one tenant and application
/// (auth0.js's `new auth0.WebAuth(options)`).
///
/// Opaque. Created by `auth0_webauth_new`, released by `auth0_webauth_free`.
/// Thread safety: every `auth0_webauth_*` operation may be called on the
/// same handle from several threads at once. `auth0_webauth_free` may be
/// called while calls are in flight: they finish normally and the handle's
/// resources are released as the last one returns. A freed handle is
/// rejected with `AUTH0_ERROR_INVALID_ARGUMENT` (`code` `invalid_handle`).
#[allow(non_camel_case_types)]
pub struct auth0_webauth {
    // Shared with the credentials managers made over this handle.
    pub(super) inner: Arc<WebAuth>,
}

impl auth0_webauth {
    /// The client, for a credentials manager that outlives this handle.
    pub(super) fn shared(&self) -> Arc<WebAuth> {
        Arc::clone(&self.inner)
    }
}

impl Handle for auth0_webauth {
    const KIND: usize = 1;
    const C_NAME: &'static str = "auth0_webauth";
    const FREE: &'static str = "auth0_webauth_free";
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<auth0_webauth>();
};

/// Creates a WebAuth handle from auth0.js options given as a JSON object.
///
/// `options_json`: e.g. `{"domain":"me.auth0.com","clientID":"abc",
/// "redirectUri":"com.example.app://callback","scope":"openid profile"}`.
/// Required: `domain`, `clientID`. Defaults as auth0.js v8: `responseType`
/// is `"code"` when `redirectUri` is given, else `"token"`. Also accepted:
/// `responseMode`, `audience`, `leeway` (0..300), `_sendTelemetry`,
/// `_telemetryInfo`, `overrides`, `transaction` (`{"store":"memory"|"file",
/// "path":..., "ttl":seconds}`), `pkce`, `par` (pushed authorization
/// requests for `auth0_webauth_authorize` and the popup), `dpop` (bind
/// tokens to a new key pair) and `dpopKey` (an exported key, see
/// `auth0_webauth_dpop_key_export`).
///
/// On `AUTH0_OK`, `*out` is the new handle (release it with
/// `auth0_webauth_free`) and `*error_json` is NULL. On failure `*out` is
/// NULL and `*error_json` (when `error_json` is not NULL) is an error JSON
/// string to release with `auth0_string_free`; for a bad option the status
/// is `AUTH0_ERROR_INVALID_ARGUMENT` and `description` names the option
/// (`"clientID option is required"`). `out` must not be NULL; `error_json`
/// may be. The library keeps no pointer to `options_json`.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_new(
    options_json: *const c_char,
    out: *mut *mut auth0_webauth,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    let status = unsafe {
        new_handle(options_json, out, error_json, |options| {
            Ok(auth0_webauth {
                inner: Arc::new(WebAuth::with_binding(options, Binding::C)?),
            })
        })
    };
    if status == auth0_status::AUTH0_OK {
        // SAFETY: `out` was written by `new_handle` on success.
        super::tasks::warm_up_handle(unsafe { *out }, |w: &auth0_webauth| w.inner.warm_up());
    }
    status
}

/// Releases a WebAuth handle. NULL is ignored, and so is a handle freed
/// already (a second free is harmless). Calls still in flight on the
/// handle finish normally; its resources are released as the last one
/// returns. Any later call with the handle fails with
/// `AUTH0_ERROR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_free(webauth: *mut auth0_webauth) {
    free_handle(webauth)
}

/// auth0.js's `client.buildAuthorizeUrl(options)`: builds the `/authorize`
/// URL for `options` merged over the handle's options. Records no
/// transaction and generates no state or nonce (pass `state` yourself).
///
/// `options_json` may be NULL (no options). On `AUTH0_OK` `*out_json` is
/// `{"url":"https://…/authorize?…"}`; otherwise the error JSON. Either way
/// release `*out_json` with `auth0_string_free`. `webauth` and `out_json`
/// must not be NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_build_authorize_url(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::build_authorize_url(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.authorize(options)` in redirect mode: records a
/// transaction (state; the response type and redirect URI; nonce when
/// `responseType` has `id_token` or is a code flow with `openid` in its
/// scope; a PKCE S256 verifier for every code flow unless `"pkce": false`,
/// which is unsafe; `appState`; the `organization` asked for, whose
/// `org_id` (an `org_…` id) or `org_name` (a name, any case) the id_token
/// must then carry) and returns the URL for the app to open. Organization
/// options: `organization` (also a handle option) and `invitation` (of an
/// invitation link).
///
/// `options_json` may be NULL. On `AUTH0_OK` `*out_json` is
/// `{"url":…,"state":…,"nonce":…}` (`nonce` only when one was recorded);
/// otherwise the error JSON. Release `*out_json` with `auth0_string_free`.
/// `AUTH0_ERROR_STORAGE` when a file-backed transaction store cannot be
/// written. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_authorize(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::authorize(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.logout(options)`: the `/v2/logout` URL with
/// `returnTo`, `client_id` (from the handle unless `"clientID": null`) and
/// `federated` (`true` adds a bare `federated`).
///
/// `options_json` may be NULL. On `AUTH0_OK` `*out_json` is
/// `{"url":"https://…/v2/logout?…"}`; otherwise the error JSON. Release
/// `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_logout(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::logout(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `client.login(options)`: the password-realm grant at
/// `/oauth/token`. Blocks until the tenant answers (bounded by the
/// handle's `timeout`).
///
/// `options_json`: `{"username":…,"password":…,"realm":…}` plus optional
/// `scope` and `audience`. On `AUTH0_OK` `*out_json` is the authResult:
/// `{"accessToken","idToken","idTokenPayload","appState","refreshToken",
/// "state","expiresIn","tokenType","scope"}` (absent values are null; the
/// id_token is verified). A wrong password is `AUTH0_ERROR_SERVER` with
/// `statusCode` 403 and `code` `invalid_grant`; an unreachable tenant
/// `AUTH0_ERROR_NETWORK`; a slow one `AUTH0_ERROR_TIMEOUT`. A user who
/// must pass MFA is `AUTH0_ERROR_AUTHORIZATION` with `code`
/// `mfa_required` and `mfaToken` (see `auth0_webauth_mfa_verify`). The
/// password never appears in the error. Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_login(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::login(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `client.userInfo(accessToken)`: `GET /userinfo`.
///
/// `options_json`: `{"accessToken":"…"}`, optionally with `"sub"` (the
/// id_token's): a profile of another user is then
/// `AUTH0_ERROR_INVALID_TOKEN`. On `AUTH0_OK` `*out_json` is the
/// profile JSON exactly as the server sent it. A rejected token is
/// `AUTH0_ERROR_SERVER` with `statusCode` 401. Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_user_info(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::user_info(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `parseHash(options)`: reads the answer the app was sent back
/// to — `"hash"` may be the whole callback URL, its fragment or its query —
/// checks `state` against the transaction `auth0_webauth_authorize`
/// recorded (consuming it), validates the id_token, and for a `code`
/// answer exchanges the code (with the PKCE verifier) for tokens.
///
/// `options_json`: `{"hash":"…"}` plus optional `state` and `nonce` (they
/// override the recorded ones). On `AUTH0_OK` `*out_json` is the authResult
/// (see `auth0_webauth_login`), or `null` when the answer carries neither
/// token nor code. An `error=` answer is `AUTH0_ERROR_AUTHORIZATION` with
/// `error`, `errorDescription` and `state`; a state or token that does not
/// validate is `AUTH0_ERROR_INVALID_TOKEN`. Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_parse_hash(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::parse_hash(web, options, &Ctx::none())
        })
    }
}

/// Validates an id_token obtained elsewhere (a game server checking the
/// token a player's client sent) with the checks `parseHash` makes: RS256
/// signature against the tenant's JWKS, issuer, audience/azp, exp, iat,
/// nbf, nonce, max_age, at_hash.
///
/// `options_json`: `{"idToken":"…"}` plus optional `nonce`, `maxAge`
/// (seconds) and `accessToken` (checked against `at_hash`). On `AUTH0_OK`
/// `*out_json` is the token's payload; a token that does not validate is
/// `AUTH0_ERROR_INVALID_TOKEN` with the reason in `description` (e.g.
/// `"Expired token."`). Release `*out_json` with `auth0_string_free`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_validate_id_token(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::validate_id_token(web, options, &Ctx::none())
        })
    }
}

/// The body every WebAuth operation shares: check the handle, parse the
/// options (NULL is `{}`), run `f`, write the result or the error.
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string; `out_json` is NULL or
/// writable. `webauth` may be anything: it is looked up, never dereferenced.
pub(super) unsafe fn with_webauth<T: WriteJson>(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    f: impl FnOnce(&WebAuth, &serde_json::Value) -> Result<T, Error>,
) -> auth0_status {
    run_json(out_json, || {
        let web = arg_handle(webauth, "webauth")?;
        // SAFETY: forwarded from the caller.
        let options = unsafe { arg_json(options_json, "options_json", true) }?;
        f(&web.inner, &options)
    })
}

/// auth0.js's `webAuth.signup(options)`: `POST /dbconnections/signup`.
///
/// `options_json`: `{"connection","email","password"}` (required) plus
/// `username`, `userMetadata`, .... On `AUTH0_OK` `*out_json` is the
/// tenant's answer camelCased as v8 (`{"Id","email","emailVerified"}`).
/// An existing user is `AUTH0_ERROR_SERVER` with `code` `user_exists`; a
/// weak password `invalid_password`.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_signup(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::signup(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.changePassword(options)`: `POST
/// /dbconnections/change_password` with `connection` and `email`.
///
/// On `AUTH0_OK` `*out_json` is the tenant's text answer as a JSON string.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_change_password(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::change_password(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.passwordlessStart(options)`: `POST /passwordless/start`.
///
/// `options_json`: `{"connection":"email"|"sms","send":"code"|"link",
/// "email"|"phoneNumber"}` plus `authParams`. Records a transaction for
/// the link. On `AUTH0_OK` `*out_json` is the tenant's answer camelCased.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_passwordless_start(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::passwordless_start(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.passwordlessVerify(options)`: `POST
/// /passwordless/verify`, then `/passwordless/verify_redirect` followed
/// headlessly to the `redirectUri` and parsed as `parseHash` does.
///
/// `options_json`: `{"connection","verificationCode","email"|"phoneNumber"}`.
/// On `AUTH0_OK` `*out_json` is the authResult. A wrong or used code is
/// `AUTH0_ERROR_SERVER` with `statusCode` 403.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_passwordless_verify(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::passwordless_verify(web, options, &Ctx::none())
        })
    }
}

/// The passwordless OTP grant at `/oauth/token`, without redirects.
///
/// `options_json`: `{"connection","verificationCode","email"|"phoneNumber"}`
/// plus `scope`, `audience`. On `AUTH0_OK` `*out_json` is the authResult.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_passwordless_login(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::passwordless_login(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `redirect.loginWithCredentials` / `popup.loginWithCredentials`:
/// headless, no browser. `POST /usernamepassword/login`, the tenant's form
/// submitted and its redirects followed (within the tenant) up to the
/// `redirectUri`, the answer parsed as `parseHash` does. Leaves the SSO
/// session in the handle's cookie jar for `auth0_webauth_renew_auth`.
///
/// `options_json`: `{"connection","username"|"email","password"}` plus
/// `scope`, `audience`, .... On `AUTH0_OK` `*out_json` is the authResult.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_login_with_credentials(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::login_with_credentials(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's cross-origin `webAuth.login(options)`: `POST /co/authenticate`,
/// then `/authorize` with the `login_ticket` in the handle's cookie jar,
/// followed to the `redirectUri` and parsed.
///
/// `options_json`: `{"username","password","realm"}` plus `/authorize`
/// options. On `AUTH0_OK` `*out_json` is the authResult.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_cross_origin_login(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::cross_origin_login(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `webAuth.renewAuth(options)`: silent authentication without
/// a browser — `/authorize` with `prompt=none` through the handle's cookie
/// jar, falling back to a refresh token the handle holds.
///
/// `options_json`: `/authorize` options plus `timeout` (ms, default
/// 60000). On `AUTH0_OK` `*out_json` is the authResult. No session is
/// `AUTH0_ERROR_AUTHORIZATION` with `error` `login_required`; running out
/// of time `AUTH0_ERROR_TIMEOUT` with `error` `timeout`.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_renew_auth(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::renew_auth(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `client.refreshToken(options)`: the refresh-token grant at
/// `/oauth/token`. With refresh-token rotation on, the answer carries a
/// new refresh token and the one sent stops working: store the new one
/// (`auth0_credentials_*` does this for you, one renewal at a time).
///
/// `options_json`: `{"refreshToken":"…"}` (required: `"refreshToken option
/// is required"`) plus optional `scope` and `audience`. On `AUTH0_OK`
/// `*out_json` is the authResult (see `auth0_webauth_login`; its id_token,
/// if any, is verified). A revoked, expired or reused token is
/// `AUTH0_ERROR_SERVER` with `statusCode` 403 and `code` `invalid_grant`.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_refresh_token(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::refresh_token(web, options, &Ctx::none())
        })
    }
}

/// auth0.js's `client.revokeToken(options)`: `POST /oauth/revoke`; the
/// refresh token and every token rotated from it stop working.
///
/// `options_json`: `{"refreshToken":"…"}` (required). On `AUTH0_OK`
/// `*out_json` is `{}`. Revoking a token that is unknown or revoked
/// already succeeds, as at Auth0.
///
/// Blocks until done (bounded by the handle's `timeout`). `options_json`
/// may be NULL. On any other status `*out_json` is the error JSON; either
/// way release it with `auth0_string_free`. Secrets never appear in
/// errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_revoke_token(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            ops::revoke_token(web, options, &Ctx::none())
        })
    }
}
