//! The interactive logins in C: `auth0_cancel` (a cancel token),
//! `auth0_webauth_popup_authorize` (browser + loopback + PKCE) and the
//! device flow (`auth0_webauth_device_start` / `_poll` / `_login`).

use super::boundary::{
    arg_optional_handle, auth0_status, free_handle, new_plain_handle, with_plain_handle,
};
use super::handles::Handle;
use super::webauth::{auth0_webauth, with_webauth};
use auth0_native::{CancelToken, Error, Interaction, Opener};
use std::ffi::{c_char, c_int, c_void, CString};

/// A cancel token: lets another thread end a blocking interactive call
/// (`auth0_webauth_popup_authorize`, `auth0_webauth_device_poll`,
/// `auth0_webauth_device_login`) at once, with `AUTH0_ERROR_CANCELLED`.
///
/// Opaque. Created by `auth0_cancel_new`, released by `auth0_cancel_free`.
/// Once cancelled it stays cancelled (a call given a cancelled token fails
/// at once), so use a fresh token per operation. `auth0_cancel_cancel` may
/// be called from any thread, at any time, any number of times. A call
/// given a token that was freed already fails with
/// `AUTH0_ERROR_INVALID_ARGUMENT` (`code` `invalid_handle`).
#[allow(non_camel_case_types)]
pub struct auth0_cancel {
    inner: CancelToken,
}

impl Handle for auth0_cancel {
    const KIND: usize = 3;
    const C_NAME: &'static str = "auth0_cancel";
    const FREE: &'static str = "auth0_cancel_free";
}

/// An app-supplied opener of the login URL (a web view, a kiosk browser,
/// a URL shown as text...).
///
/// `url` is a NUL-terminated UTF-8 string valid only during the call (copy
/// it to keep it); `user_data` is the pointer given next to the callback.
/// Return 0 when the URL was opened, non-zero when it could not be: the
/// login then fails with `AUTH0_ERROR_INVALID_ARGUMENT` and `code`
/// `browser_open_failed`. Called once, on the thread that called the
/// library function, after the loopback listener is ready — so the
/// callback may block until the page is loaded, but must not wait for the
/// login itself to finish.
#[allow(non_camel_case_types)]
pub type auth0_open_url_fn =
    Option<unsafe extern "C" fn(url: *const c_char, user_data: *mut c_void) -> c_int>;

/// Receives the device code to show the user, as the JSON object
/// `auth0_webauth_device_start` answers (`user_code`, `verification_uri`,
/// `verification_uri_complete`, `qr.text`, `qr.svg`, ...). `code_json` is
/// valid only during the call. Called once, on the calling thread, before
/// polling starts.
#[allow(non_camel_case_types)]
pub type auth0_device_code_fn =
    Option<unsafe extern "C" fn(code_json: *const c_char, user_data: *mut c_void)>;

/// Creates a cancel token (not cancelled). Release it with
/// `auth0_cancel_free`. Returns NULL only if memory ran out.
#[no_mangle]
pub extern "C" fn auth0_cancel_new() -> *mut auth0_cancel {
    new_plain_handle(|| auth0_cancel {
        inner: CancelToken::new(),
    })
}

/// Cancels every call watching `cancel`: they return
/// `AUTH0_ERROR_CANCELLED` promptly. NULL, and a token freed already, are
/// ignored. Thread-safe: meant to be called from another thread (a UI's
/// Cancel button, a signal handler's helper thread) while the call blocks.
#[no_mangle]
pub unsafe extern "C" fn auth0_cancel_cancel(cancel: *const auth0_cancel) {
    with_plain_handle(cancel, (), |c| c.inner.cancel())
}

/// 1 when `cancel` has been cancelled, 0 when not, or when `cancel` is
/// NULL or was freed already. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_cancel_is_cancelled(cancel: *const auth0_cancel) -> c_int {
    with_plain_handle(cancel, 0, |c| c_int::from(c.inner.is_cancelled()))
}

/// Releases a cancel token. NULL is ignored, and so is a token freed
/// already. Calls still watching the token keep watching it (and can still
/// be cancelled through it by a thread that has not seen the free) until
/// they return; its memory is released as the last one does.
#[no_mangle]
pub unsafe extern "C" fn auth0_cancel_free(cancel: *mut auth0_cancel) {
    free_handle(cancel)
}

/// A C callback and its user data, called only on the thread that made
/// the library call and only during that call.
struct CCallback<F> {
    f: F,
    user_data: *mut c_void,
}

impl<F: Copy> CCallback<F> {
    /// The callback and its user data (a method, so that closures capture
    /// the whole `CCallback` and with it its `Send`/`Sync`).
    fn parts(&self) -> (F, *mut c_void) {
        (self.f, self.user_data)
    }
}

// SAFETY: the library calls the callback on the calling thread, within
// the call (documented on the callback types); the pointer never leaves
// that thread's call.
unsafe impl<F> Send for CCallback<F> {}
// SAFETY: as above; the callback is never called concurrently.
unsafe impl<F> Sync for CCallback<F> {}

/// The token of a nullable `auth0_cancel` argument (a fresh one for NULL).
pub(super) fn token_of(cancel: *const auth0_cancel) -> Result<CancelToken, Error> {
    Ok(arg_optional_handle(cancel, "cancel")?
        .map(|c| c.inner.clone())
        .unwrap_or_default())
}

/// auth0.js's `webAuth.popup.authorize(options)` for native apps: the
/// interactive login in one blocking call (RFC 8252).
///
/// Binds a loopback listener (127.0.0.1, or [::1] when `redirectUri` says
/// so — never another address) on the port of `redirectUri` (from
/// `options_json` or the handle; default `http://127.0.0.1/callback`);
/// port 0 or none means an ephemeral port, or the first free port of
/// `"ports":[…]`. Records a transaction (state, nonce, PKCE S256 verifier)
/// and opens the `/authorize` URL with `open_url(url, user_data)`, or with
/// the system browser when `open_url` is NULL. Then waits — at most
/// `"timeout"` ms (default 300000) — for the browser to come back with
/// the transaction's state, ignoring stray requests; checks the answer as
/// `auth0_webauth_parse_hash` does, exchanges the code, and shows the
/// browser a success page (`"successHtml"`) or an error page
/// (`"errorHtml"`). `responseType` defaults to `"code"`; implicit
/// `"token id_token"` works too.
///
/// `options_json` may be NULL. `cancel` may be NULL; when given,
/// `auth0_cancel_cancel` from another thread ends the wait at once.
/// `user_data` is passed to `open_url` untouched and may be NULL.
///
/// On `AUTH0_OK` `*out_json` is the authResult (see
/// `auth0_webauth_login`). Otherwise the error JSON, and the status says
/// why: `AUTH0_ERROR_TIMEOUT` (`code` `timeout`: the user closed the
/// browser or never finished), `AUTH0_ERROR_CANCELLED` (`cancelled`),
/// `AUTH0_ERROR_AUTHORIZATION` (`access_denied`, …),
/// `AUTH0_ERROR_INVALID_ARGUMENT` (a bad option, or `code`
/// `browser_open_failed` when the URL could not be opened),
/// `AUTH0_ERROR_NETWORK` (`code` `listen_failed`: the port is taken).
/// Release `*out_json` with `auth0_string_free`. Blocks the calling
/// thread; `open_url` runs on it. Concurrent calls on one handle are
/// allowed (each has its own listener). No token, code or verifier ever
/// appears in an error.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_popup_authorize(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    open_url: auth0_open_url_fn,
    user_data: *mut c_void,
    cancel: *const auth0_cancel,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            let mut interaction = Interaction::new().with_cancel(token_of(cancel)?);
            if let Some(f) = open_url {
                let cb = CCallback { f, user_data };
                interaction = interaction.with_opener(Opener::Callback(Box::new(move |url| {
                    let url = CString::new(url).map_err(|_| "the URL holds a NUL byte")?;
                    let (f, user_data) = cb.parts();
                    // (Inside the `unsafe` block above.) SAFETY: a C function
                    // pointer the caller supplied for this call; `url`
                    // outlives the call.
                    match f(url.as_ptr(), user_data) {
                        0 => Ok(()),
                        n => Err(format!("the open_url callback returned {n}")),
                    }
                })));
            }
            web.popup_authorize(options, &interaction)
        })
    }
}

/// Starts the device authorization flow (RFC 8628): `POST
/// /oauth/device/code` with the handle's client id and `"scope"` /
/// `"audience"` from `options_json` (or the handle).
///
/// On `AUTH0_OK` `*out_json` is `{"device_code","user_code",
/// "verification_uri","verification_uri_complete","expires_in","interval",
/// "qr":{"text","svg"}}`: show the user `user_code` and
/// `verification_uri`, or the QR code of `verification_uri_complete` —
/// `qr.text` for a terminal (Unicode half blocks, light on dark), `qr.svg`
/// for a UI — then pass the whole object to `auth0_webauth_device_poll`.
/// `options_json` may be NULL. Otherwise the error JSON. Release
/// `*out_json` with `auth0_string_free`. Blocks until the tenant answers
/// (bounded by the handle's `timeout`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_device_start(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            web.device_start(options)
        })
    }
}

/// Polls the device flow until the user approves or refuses on the
/// activation page, or the code expires.
///
/// `options_json`: the object `auth0_webauth_device_start` answered (at
/// least `device_code`; `interval` and `expires_in` are honoured), plus an
/// optional `"timeout"` in ms. Polls every `interval` seconds (five more
/// after each `slow_down`), sleeping in between; `cancel` (may be NULL)
/// ends the wait at once from another thread.
///
/// On `AUTH0_OK` `*out_json` is the authResult (see
/// `auth0_webauth_login`; the id_token verified). Otherwise the error
/// JSON: `AUTH0_ERROR_AUTHORIZATION` with `code` `access_denied` (the user
/// refused) or `expired_token` (the code expired), `AUTH0_ERROR_TIMEOUT`,
/// `AUTH0_ERROR_CANCELLED`, or the token endpoint's error. Release
/// `*out_json` with `auth0_string_free`. Blocks the calling thread.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_device_poll(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    cancel: *const auth0_cancel,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            web.device_poll(options, &token_of(cancel)?)
        })
    }
}

/// The device flow in one call: `auth0_webauth_device_start` with
/// `options_json`, then `on_code(code_json, user_data)` with its answer
/// (show the code and the QR code), then `auth0_webauth_device_poll` with
/// `options_json`'s `"timeout"`.
///
/// `on_code` may be NULL (nothing is shown: only useful in tests);
/// `user_data` is passed to it untouched; `cancel` may be NULL. Results
/// and errors as `auth0_webauth_device_poll`. Release `*out_json` with
/// `auth0_string_free`. Blocks the calling thread; `on_code` runs on it.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_device_login(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    on_code: auth0_device_code_fn,
    user_data: *mut c_void,
    cancel: *const auth0_cancel,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            let token = token_of(cancel)?;
            web.device_login(options, &token, |code| {
                if let (Some(f), Ok(text)) = (on_code, CString::new(code.to_string())) {
                    // (Inside the `unsafe` block above.) SAFETY: a C function
                    // pointer the caller supplied for this call; `text`
                    // outlives the call.
                    f(text.as_ptr(), user_data);
                }
            })
        })
    }
}
