//! The panic boundary and argument conversion shared by every entry point,
//! and the one place where a core [`ErrorKind`] becomes a C status.

use super::handles::{self, Handle};
use super::json_out::WriteJson;
use auth0_native::{Error, ErrorKind};
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The result category of every fallible function.
///
/// The numbers are part of the ABI: they never change and a retired number
/// is never reused. On any status but `AUTH0_OK` the function's JSON
/// out-parameter holds an error object with `code`, `description`, `error`,
/// `errorDescription`, and `statusCode` / `original` when a server answered.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum auth0_status {
    /// Success; the out-parameter holds the result.
    AUTH0_OK = 0,
    /// A caller mistake, nothing was sent: a NULL pointer, a string that is
    /// not UTF-8, text that is not JSON, a missing or ill-typed option. The
    /// error's `code` says which (`null_parameter`, `invalid_utf8`,
    /// `invalid_json`, `invalid_argument`, or `invalid_handle` for a handle
    /// that was freed already or is not a handle) and its `description`
    /// names the parameter or option.
    AUTH0_ERROR_INVALID_ARGUMENT = 1,
    /// The server could not be reached or the connection broke.
    AUTH0_ERROR_NETWORK = 2,
    /// The operation did not finish in time.
    AUTH0_ERROR_TIMEOUT = 3,
    /// The server answered with an HTTP error (`statusCode`, `original`).
    AUTH0_ERROR_SERVER = 4,
    /// A token, state or nonce did not validate (`code` is `invalid_token`).
    AUTH0_ERROR_INVALID_TOKEN = 5,
    /// The authorization server refused (`login_required`, `access_denied`…).
    AUTH0_ERROR_AUTHORIZATION = 6,
    /// The operation was cancelled.
    AUTH0_ERROR_CANCELLED = 7,
    /// Local state (the transaction file) could not be read or written.
    AUTH0_ERROR_STORAGE = 8,
    /// A bug in the library, including a caught panic (`code` is `panic`).
    AUTH0_ERROR_INTERNAL = 9,
    /// The credentials manager could not give credentials (`code`
    /// `no_credentials`, `no_refresh_token`, `renew_failed`,
    /// `revoke_failed`).
    AUTH0_ERROR_CREDENTIALS = 10,
    /// Not a result: the task is still running (`auth0_task_poll`,
    /// `auth0_task_wait`); its JSON out-parameter is NULL. Numbered apart
    /// from the final statuses.
    AUTH0_PENDING = 100,
}

/// The single mapping from the core's error kinds to C statuses.
pub(crate) fn status_of(kind: ErrorKind) -> auth0_status {
    match kind {
        ErrorKind::InvalidArgument => auth0_status::AUTH0_ERROR_INVALID_ARGUMENT,
        ErrorKind::Network => auth0_status::AUTH0_ERROR_NETWORK,
        ErrorKind::Timeout => auth0_status::AUTH0_ERROR_TIMEOUT,
        ErrorKind::Server => auth0_status::AUTH0_ERROR_SERVER,
        ErrorKind::InvalidToken => auth0_status::AUTH0_ERROR_INVALID_TOKEN,
        ErrorKind::Authorization => auth0_status::AUTH0_ERROR_AUTHORIZATION,
        ErrorKind::Cancelled => auth0_status::AUTH0_ERROR_CANCELLED,
        ErrorKind::Storage => auth0_status::AUTH0_ERROR_STORAGE,
        ErrorKind::Credentials => auth0_status::AUTH0_ERROR_CREDENTIALS,
        // No `_` arm: a new kind must be given its status here.
        ErrorKind::Internal => auth0_status::AUTH0_ERROR_INTERNAL,
    }
}

/// The name of a status as a static string, e.g. `"AUTH0_ERROR_TIMEOUT"`
/// for `AUTH0_ERROR_TIMEOUT`, for logs and messages.
///
/// Never NULL. Do not free the string. Safe to call from any thread.
#[no_mangle]
pub extern "C" fn auth0_status_name(status: auth0_status) -> *const c_char {
    use auth0_status::*;
    let name: &'static CStr = match status {
        AUTH0_OK => c"AUTH0_OK",
        AUTH0_ERROR_INVALID_ARGUMENT => c"AUTH0_ERROR_INVALID_ARGUMENT",
        AUTH0_ERROR_NETWORK => c"AUTH0_ERROR_NETWORK",
        AUTH0_ERROR_TIMEOUT => c"AUTH0_ERROR_TIMEOUT",
        AUTH0_ERROR_SERVER => c"AUTH0_ERROR_SERVER",
        AUTH0_ERROR_INVALID_TOKEN => c"AUTH0_ERROR_INVALID_TOKEN",
        AUTH0_ERROR_AUTHORIZATION => c"AUTH0_ERROR_AUTHORIZATION",
        AUTH0_ERROR_CANCELLED => c"AUTH0_ERROR_CANCELLED",
        AUTH0_ERROR_STORAGE => c"AUTH0_ERROR_STORAGE",
        AUTH0_ERROR_INTERNAL => c"AUTH0_ERROR_INTERNAL",
        AUTH0_ERROR_CREDENTIALS => c"AUTH0_ERROR_CREDENTIALS",
        AUTH0_PENDING => c"AUTH0_PENDING",
    };
    name.as_ptr()
}

fn panic_error() -> Error {
    Error::internal("a panic was caught at the C boundary; this is a bug in auth0-native")
        .with_code("panic")
}

/// Runs `body` with panics contained and writes its JSON result, or the
/// error JSON, to `*out` (which is set to NULL first). A NULL `out` is
/// reported by status alone, since there is nowhere to write.
pub(crate) fn run_json<T: WriteJson>(
    out: *mut *mut c_char,
    body: impl FnOnce() -> Result<T, Error>,
) -> auth0_status {
    if out.is_null() {
        return auth0_status::AUTH0_ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: `out` is non-NULL and the caller promises it is writable.
    unsafe { *out = std::ptr::null_mut() };
    // The result is serialised straight into the C string's buffer (no
    // intermediate `Value` tree, no second copy: issue 7's C API overhead),
    // inside the panic boundary like the operation itself.
    let (status, text) = c_outcome(body);
    // SAFETY: as above.
    unsafe { *out = text.into_raw() };
    status
}

/// Runs `body` with panics contained: the status and the result JSON, or
/// the error JSON, as the C API hands them out.
pub(crate) fn c_outcome<T: WriteJson>(
    body: impl FnOnce() -> Result<T, Error>,
) -> (auth0_status, CString) {
    let outcome = catch_unwind(AssertUnwindSafe(|| body().and_then(|v| json_c_string(&v))))
        .unwrap_or_else(|_| Err(panic_error()));
    match outcome {
        Ok(text) => (auth0_status::AUTH0_OK, text),
        Err(e) => (status_of(e.kind()), error_c_string(&e)),
    }
}

/// `value` as JSON text in a `CString`, written once into its final buffer.
fn json_c_string<T: WriteJson + ?Sized>(value: &T) -> Result<CString, Error> {
    let mut buf = Vec::with_capacity(256);
    value
        .write_json(&mut buf)
        .map_err(|e| Error::internal(format!("the result could not be serialised: {e}")))?;
    // JSON text escapes NUL, so this never fails; stay total anyway.
    CString::new(buf).map_err(|_| Error::internal("the result JSON held a NUL byte"))
}

pub(crate) fn error_c_string(e: &Error) -> CString {
    catch_unwind(AssertUnwindSafe(|| json_c_string(&e.to_json())))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_else(|| CString::from(c"{\"code\":\"internal_error\"}"))
}

/// Runs `body` with panics contained; on error writes the error JSON to
/// `*error_out` when that is non-NULL. For constructors.
pub(crate) fn run_with_error(
    error_out: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Error>,
) -> auth0_status {
    if !error_out.is_null() {
        // SAFETY: non-NULL, and the caller promises it is writable.
        unsafe { *error_out = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(panic_error()));
    match outcome {
        Ok(()) => auth0_status::AUTH0_OK,
        Err(e) => {
            if !error_out.is_null() {
                // SAFETY: as above.
                unsafe { *error_out = error_c_string(&e).into_raw() };
            }
            status_of(e.kind())
        }
    }
}

/// Borrows a C string argument as UTF-8, naming `name` when it is NULL or
/// not UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(
            Error::invalid_argument(format!("{name} must not be NULL")).with_code("null_parameter")
        );
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|e| {
        Error::invalid_argument(format!(
            "{name} is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
        .with_code("invalid_utf8")
    })
}

/// Parses a JSON options argument. NULL means `{}` when `null_is_empty`.
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn arg_json(
    p: *const c_char,
    name: &str,
    null_is_empty: bool,
) -> Result<Value, Error> {
    if p.is_null() && null_is_empty {
        return Ok(Value::Object(Default::default()));
    }
    // SAFETY: forwarded.
    let text = unsafe { arg_str(p, name) }?;
    // serde_json's messages give a position, never the text itself, so a
    // password inside a malformed document is not echoed back.
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid_argument(format!("{name} is not valid JSON: {e}")).with_code("invalid_json")
    })?;
    if !value.is_object() {
        return Err(Error::invalid_argument(format!(
            "{name} must be a JSON object"
        )));
    }
    Ok(value)
}

/// The live object behind a handle argument, held for the caller's call;
/// `name` is the parameter, named when it is NULL (`null_parameter`) or not
/// a live handle of its type (`invalid_handle`: freed already, of another
/// type, or never made by this library).
pub(crate) fn arg_handle<T: Handle>(p: *const T, name: &str) -> Result<Arc<T>, Error> {
    if p.is_null() {
        return Err(
            Error::invalid_argument(format!("{name} must not be NULL")).with_code("null_parameter")
        );
    }
    handles::get(p).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{name} is not a live {} handle: it was freed already ({}), or is not a handle",
            T::C_NAME,
            T::FREE
        ))
        .with_code("invalid_handle")
    })
}

/// A nullable handle argument: `None` for NULL, an error as
/// [`arg_handle`] for anything else that is not a live handle.
pub(crate) fn arg_optional_handle<T: Handle>(
    p: *const T,
    name: &str,
) -> Result<Option<Arc<T>>, Error> {
    if p.is_null() {
        return Ok(None);
    }
    arg_handle(p, name).map(Some)
}

/// The body of every `_new`: parse `options_json` (required), `build` the
/// handle, write it to `*out` (NULL on failure) and the error to
/// `*error_json`.
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string; `out` and
/// `error_json` are NULL or writable.
pub(crate) unsafe fn new_handle<H: Handle>(
    options_json: *const c_char,
    out: *mut *mut H,
    error_json: *mut *mut c_char,
    build: impl FnOnce(&Value) -> Result<H, Error>,
) -> auth0_status {
    run_with_error(error_json, || {
        // The first handle is the library's first use: AUTH0_NATIVE_LOG is read.
        super::logging::init_from_env();
        if out.is_null() {
            return Err(Error::invalid_argument("out must not be NULL").with_code("null_parameter"));
        }
        // SAFETY: non-NULL; the caller promises it is writable.
        unsafe { *out = std::ptr::null_mut() };
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let options = unsafe { arg_json(options_json, "options_json", false) }?;
        let handle = build(&options)?;
        let handle = handles::insert(handle).ok_or_else(|| {
            Error::internal("too many live handles: free some before making more")
        })?;
        // SAFETY: as above.
        unsafe { *out = handle };
        Ok(())
    })
}

/// The body of a constructor that takes no options and reports failure by
/// a NULL handle alone (`auth0_cancel_new`): panics are contained.
pub(crate) fn new_plain_handle<H: Handle>(build: impl FnOnce() -> H) -> *mut H {
    catch_unwind(AssertUnwindSafe(|| handles::insert(build())))
        .ok()
        .flatten()
        .unwrap_or(std::ptr::null_mut())
}

/// The body of a function that reports no error (`auth0_cancel_cancel`,
/// `auth0_cancel_is_cancelled`): `f` on the live object behind `p`, with
/// panics contained; `otherwise` for NULL, a stale handle or a pointer that
/// is not a handle, or when `f` panicked.
pub(crate) fn with_plain_handle<H: Handle, R>(
    p: *const H,
    otherwise: R,
    f: impl FnOnce(&H) -> R,
) -> R {
    catch_unwind(AssertUnwindSafe(|| handles::get(p).map(|h| f(&h))))
        .ok()
        .flatten()
        .unwrap_or(otherwise)
}

/// The body of every `_free`: unregisters the handle, whose object is
/// dropped now or, when calls on it are still in flight, as the last of
/// them returns. NULL, a handle freed already and a pointer that was never
/// a handle are ignored; a panic in a destructor is contained.
pub(crate) fn free_handle<H: Handle>(handle: *const H) {
    if handle.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| handles::remove(handle)));
}
