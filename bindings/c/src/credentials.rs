//! `auth0_credentials`: the C face of [`auth0_native::CredentialsManager`],
//! and `auth0_host_store`, the callbacks through which an app keeps the
//! stored credentials in its own save system.

use super::boundary::{arg_handle, arg_json, auth0_status, free_handle, run_json, run_with_error};
use super::handles::{self, Handle};
use super::webauth::auth0_webauth;
use auth0_native::credentials::{HostBackend, HostError, HostStore, LockScope, SecretBytes};
use auth0_native::{ClearOptions, CredentialsManager, CredentialsOptions, Error, StorageOptions};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::PathBuf;
use std::sync::Arc;

/// A credentials manager: keeps one user's credentials in a storage and
/// hands back valid ones, renewing them with the refresh token (Auth0.swift's
/// and Auth0.Android's `CredentialsManager`).
///
/// Opaque. Created by `auth0_credentials_new` or
/// `auth0_credentials_new_with_host_store`, released by
/// `auth0_credentials_free`. It keeps the WebAuth handle's client alive
/// for its own lifetime (freeing the `auth0_webauth` first is fine).
/// Thread safety: every `auth0_credentials_*` operation may be called on the
/// same handle from several threads at once; at most one renewal of the
/// stored credentials runs at a time (across processes too, for a file
/// store) and the threads that waited for it get its result.
/// `auth0_credentials_free` may be called while calls are in flight: they
/// finish normally and the handle's resources are released as the last one
/// returns. A freed handle is rejected with `AUTH0_ERROR_INVALID_ARGUMENT`
/// (`code` `invalid_handle`).
#[allow(non_camel_case_types)]
pub struct auth0_credentials {
    pub(super) inner: CredentialsManager,
}

impl Handle for auth0_credentials {
    const KIND: usize = 4;
    const C_NAME: &'static str = "auth0_credentials";
    const FREE: &'static str = "auth0_credentials_free";
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<auth0_credentials>();
};

/// What a host store callback is handed to answer through: the blob it
/// loaded (`auth0_host_store_set`) or the reason it failed
/// (`auth0_host_store_set_error`).
///
/// Opaque; owned by the library. Valid only during the callback it was
/// passed to: do not keep the pointer, do not use it from another thread.
#[allow(non_camel_case_types)]
pub struct auth0_host_store_reply {
    // Zeroed on drop: it may hold tokens.
    blob: Option<SecretBytes>,
    error: Option<String>,
}

/// The longest host message kept in an error, in bytes.
const MAX_HOST_MESSAGE: usize = 1024;

/// An app's own storage for the credentials blob (a game's save system):
/// three callbacks and the pointer they are given.
///
/// The blob is opaque bytes (serialized credentials, tokens included: keep
/// it where only this user can read it). No memory is handed across the
/// boundary for the app to free, nor for the library to free:
///
/// - `load(user_data, reply)`: gives the stored blob by calling
///   `auth0_host_store_set(reply, bytes, len)` (the library copies the
///   bytes before that call returns, so they may be on the app's stack),
///   or does not call it when nothing is stored. Returns 0.
/// - `save(user_data, blob, blob_len, reply)`: stores the `blob_len` bytes
///   at `blob` in place of the previous blob, as atomically as the app's
///   storage allows (a crash must leave the old blob or the new one). The
///   bytes belong to the library and are valid only during the call: copy
///   them. Returns 0.
/// - `remove(user_data, reply)`: removes the blob; removing nothing is
///   success. Returns 0. (Not `delete`: the header is also C++.)
/// - `release(user_data)`, optional (NULL): called once, when the library
///   no longer uses `user_data` (after `auth0_credentials_free` and the
///   last call in flight, or when `auth0_credentials_new_with_host_store`
///   fails), so the app can free what it points to.
///
/// A callback that fails returns nonzero and may first call
/// `auth0_host_store_set_error(reply, "message")`; the operation then fails
/// with `AUTH0_ERROR_STORAGE`, `code` `storage_error`, whose `description`
/// carries the message (so it must not contain a secret).
///
/// Threads: the callbacks are called on the thread of the
/// `auth0_credentials_*` call that needs them, which may be any thread the
/// app (or the library's own worker threads) calls from, and several may
/// run at once on different threads: they must be thread-safe. A renewal
/// holds the store's lock around its `load` and `save`, so two renewals
/// never interleave. A callback must not call `auth0_credentials_*` on the
/// same handle (the lock is not re-entrant), must return (not `longjmp`),
/// and must not throw a C++ exception.
///
/// `name` (may be NULL: `"default"`) names the stored credential for the
/// lock: handles with the same name exclude each other's renewals.
/// `lock_directory` (may be NULL) is a directory for the lock file shared
/// by every process that names it; NULL locks within this process only.
/// The library copies the struct and both strings during
/// `auth0_credentials_new_with_host_store`; `user_data` is kept until
/// `release`.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct auth0_host_store {
    /// Passed to every callback as it is; never dereferenced by the library.
    pub user_data: *mut c_void,
    /// Gives the stored blob through `auth0_host_store_set`; required.
    pub load: Option<
        unsafe extern "C" fn(user_data: *mut c_void, reply: *mut auth0_host_store_reply) -> c_int,
    >,
    /// Stores `blob` (`blob_len` bytes, valid during the call); required.
    pub save: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            blob: *const u8,
            blob_len: usize,
            reply: *mut auth0_host_store_reply,
        ) -> c_int,
    >,
    /// Removes the blob; required.
    pub remove: Option<
        unsafe extern "C" fn(user_data: *mut c_void, reply: *mut auth0_host_store_reply) -> c_int,
    >,
    /// Called once when `user_data` is no longer used; may be NULL.
    pub release: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// The stored credential's name for the lock; may be NULL.
    pub name: *const c_char,
    /// A directory for a lock file shared between processes; may be NULL.
    pub lock_directory: *const c_char,
}

type LoadFn = unsafe extern "C" fn(*mut c_void, *mut auth0_host_store_reply) -> c_int;
type SaveFn =
    unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut auth0_host_store_reply) -> c_int;
type ReleaseFn = unsafe extern "C" fn(*mut c_void);

/// The app's callbacks as the core's [`HostBackend`].
struct CallbackBackend {
    user_data: *mut c_void,
    load: LoadFn,
    save: SaveFn,
    remove: LoadFn,
    release: Option<ReleaseFn>,
}

// SAFETY: the contract of `auth0_host_store` makes the callbacks and
// `user_data` usable from any thread, concurrently.
unsafe impl Send for CallbackBackend {}
// SAFETY: as above.
unsafe impl Sync for CallbackBackend {}

impl Drop for CallbackBackend {
    fn drop(&mut self) {
        if let Some(release) = self.release {
            // SAFETY: the app gave this callback for this pointer; it runs once.
            unsafe { release(self.user_data) };
        }
    }
}

impl CallbackBackend {
    /// Runs one callback with a fresh reply; nonzero is the host's failure.
    fn call(
        &self,
        what: &str,
        f: impl FnOnce(*mut auth0_host_store_reply) -> c_int,
    ) -> Result<auth0_host_store_reply, HostError> {
        let mut reply = auth0_host_store_reply {
            blob: None,
            error: None,
        };
        let rc = f(&mut reply);
        if rc == 0 {
            return Ok(reply);
        }
        Err(HostError::new(match reply.error.take() {
            Some(message) => message,
            None => format!("its {what} callback returned {rc}"),
        }))
    }
}

impl HostBackend for CallbackBackend {
    fn load(&self) -> Result<Option<Vec<u8>>, HostError> {
        let mut reply = self.call("load", |reply| {
            // SAFETY: the app's callback, with its pointer and our reply.
            unsafe { (self.load)(self.user_data, reply) }
        })?;
        Ok(reply.blob.take().map(|b| b.expose().to_vec()))
    }

    fn save(&self, blob: &[u8]) -> Result<(), HostError> {
        self.call("save", |reply| {
            // SAFETY: `blob` is valid for its length during the call.
            unsafe { (self.save)(self.user_data, blob.as_ptr(), blob.len(), reply) }
        })
        .map(drop)
    }

    fn delete(&self) -> Result<(), HostError> {
        self.call("remove", |reply| {
            // SAFETY: the app's callback, with its pointer and our reply.
            unsafe { (self.remove)(self.user_data, reply) }
        })
        .map(drop)
    }
}

/// Gives the blob a `load` callback read. Call it at most once per load
/// (a second call replaces the first blob).
///
/// `reply` is the pointer the callback was given; `data` points to `len`
/// bytes, which the library copies before returning (`data` may be NULL
/// only when `len` is 0: an empty blob). Returns `AUTH0_OK`, or
/// `AUTH0_ERROR_INVALID_ARGUMENT` for a NULL `reply` or a NULL `data` with
/// a nonzero `len`. Only valid inside the `load` callback, on its thread.
#[no_mangle]
pub unsafe extern "C" fn auth0_host_store_set(
    reply: *mut auth0_host_store_reply,
    data: *const u8,
    len: usize,
) -> auth0_status {
    run_with_error(std::ptr::null_mut(), || {
        if reply.is_null() || (data.is_null() && len != 0) {
            return Err(Error::invalid_argument("reply and data must not be NULL"));
        }
        let bytes = if len == 0 {
            SecretBytes::default()
        } else {
            // SAFETY: the caller promises `len` readable bytes at `data`.
            SecretBytes::from(unsafe { std::slice::from_raw_parts(data, len) })
        };
        // SAFETY: the caller passes the reply of the callback it is in.
        unsafe { (*reply).blob = Some(bytes) };
        Ok(())
    })
}

/// Says why a host store callback failed: `message` (UTF-8; invalid bytes
/// are replaced, and more than 1024 bytes are cut) becomes part of the
/// `storage_error`'s `description`, so it must not contain a secret. The
/// library copies it. The callback then returns nonzero. Returns `AUTH0_OK`,
/// or `AUTH0_ERROR_INVALID_ARGUMENT` when `reply` or `message` is NULL.
/// Only valid inside a callback, on its thread.
#[no_mangle]
pub unsafe extern "C" fn auth0_host_store_set_error(
    reply: *mut auth0_host_store_reply,
    message: *const c_char,
) -> auth0_status {
    run_with_error(std::ptr::null_mut(), || {
        if reply.is_null() || message.is_null() {
            return Err(Error::invalid_argument(
                "reply and message must not be NULL",
            ));
        }
        // SAFETY: the caller promises a NUL-terminated string.
        let bytes = unsafe { CStr::from_ptr(message) }.to_bytes();
        let mut text =
            String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_HOST_MESSAGE)]).into_owned();
        if bytes.len() > MAX_HOST_MESSAGE {
            text.push('…');
        }
        // SAFETY: the caller passes the reply of the callback it is in.
        unsafe { (*reply).error = Some(text) };
        Ok(())
    })
}

/// Creates a credentials manager over `web`'s client and the storage
/// `storage_json` describes:
///
/// - `{"type":"memory"}` (also NULL): in this process, gone at exit;
/// - `{"type":"file","path":"/var/lib/app/creds.bin","key":"<base64url of
///   32 bytes>"}`: an AES-256-GCM encrypted file, created 0600, its key
///   given by the app; `"keyring":{"service":…,"account":…}` in place of
///   `"key"` keeps a generated key in the OS keyring;
/// - `{"type":"keyring","service":"com.example.app","account":"default"}`:
///   the OS keyring (Secret Service, Keychain, Credential Manager).
///
/// On `AUTH0_OK` `*out` is the new handle (release it with
/// `auth0_credentials_free`) and `*error_json` is NULL. On failure `*out`
/// is NULL and `*error_json` (when `error_json` is not NULL) is the error
/// JSON to release with `auth0_string_free`: `AUTH0_ERROR_INVALID_ARGUMENT`
/// naming the parameter or option for a bad argument, `AUTH0_ERROR_STORAGE`
/// for a store that cannot be opened (`storage_permissions`,
/// `storage_unavailable`, …). `web` and `out` must not be NULL; the library
/// keeps no pointer to `storage_json`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_new(
    web: *const auth0_webauth,
    storage_json: *const c_char,
    out: *mut *mut auth0_credentials,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        new_credentials(out, error_json, || {
            let web = arg_handle(web, "web")?;
            let storage = match storage_json.is_null() {
                true => serde_json::json!({"type": "memory"}),
                false => arg_json(storage_json, "storage_json", false)?,
            };
            let storage = StorageOptions::from_json(&storage)?;
            CredentialsManager::with_storage(web.shared(), &storage)
        })
    }
}

/// Creates a credentials manager over `web`'s client that keeps its blob
/// through the app's callbacks (`auth0_host_store`, whose comment says who
/// owns what and on which threads the callbacks run).
///
/// The library copies `*store` and its strings; `store->user_data` is
/// kept until `store->release` is called. On `AUTH0_OK` `*out` is the new
/// handle (release it with `auth0_credentials_free`) and `*error_json` is
/// NULL; otherwise `*out` is NULL, `*error_json` (when `error_json` is not
/// NULL) the error JSON — `AUTH0_ERROR_INVALID_ARGUMENT` naming the
/// parameter (`"store->load must not be NULL"`) — and `store->release`, if
/// any, has been called. `web`, `store` and `out` must not be NULL. No
/// callback is called during this function. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_new_with_host_store(
    web: *const auth0_webauth,
    store: *const auth0_host_store,
    out: *mut *mut auth0_credentials,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        new_credentials(out, error_json, || {
            if store.is_null() {
                return Err(null("store"));
            }
            // SAFETY: non-NULL; the caller promises a readable struct.
            let store = &*store;
            // Owned first, so that `release` runs on every failure below.
            let release = store.release;
            let guard = ReleaseOnDrop(release, store.user_data);
            let (Some(load), Some(save), Some(remove)) = (store.load, store.save, store.remove)
            else {
                let missing = [
                    ("load", store.load.is_none()),
                    ("save", store.save.is_none()),
                ]
                .into_iter()
                .find(|(_, m)| *m)
                .map_or("remove", |(n, _)| n);
                return Err(null(&format!("store->{missing}")));
            };
            let name = match store.name.is_null() {
                true => "default",
                false => super::boundary::arg_str(store.name, "store->name")?,
            };
            let scope = match store.lock_directory.is_null() {
                true => LockScope::Process,
                false => LockScope::Directory(PathBuf::from(super::boundary::arg_str(
                    store.lock_directory,
                    "store->lock_directory",
                )?)),
            };
            let web = arg_handle(web, "web")?;
            std::mem::forget(guard);
            let backend = CallbackBackend {
                user_data: store.user_data,
                load,
                save,
                remove,
                release,
            };
            let identity = format!("c:{}:{name}", web.shared().client_id());
            let host = HostStore::new(Box::new(backend), &identity, scope);
            Ok(CredentialsManager::new(web.shared(), Arc::new(host)))
        })
    }
}

/// Calls the app's `release` unless forgotten: for the failures of
/// `auth0_credentials_new_with_host_store` before the backend owns it.
struct ReleaseOnDrop(Option<ReleaseFn>, *mut c_void);

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        if let Some(release) = self.0 {
            // SAFETY: the app's callback for its own pointer, called once.
            unsafe { release(self.1) };
        }
    }
}

/// Releases a credentials handle. NULL is ignored, and so is a handle freed
/// already. Calls still in flight finish normally; the handle's resources
/// (and a host store's `user_data`, through its `release`) are released as
/// the last one returns. The stored credentials stay in the storage (use
/// `auth0_credentials_clear` to remove them).
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_free(credentials: *mut auth0_credentials) {
    free_handle(credentials)
}

/// Stores the credentials of an authResult (what `auth0_webauth_login`,
/// `auth0_webauth_parse_hash` and the other logins return), replacing the
/// stored ones. `expiresIn` is counted from now.
///
/// `authresult_json` must have `accessToken` (else
/// `AUTH0_ERROR_INVALID_ARGUMENT`, `"accessToken option is required"`);
/// without `refreshToken` the credentials cannot be renewed. On `AUTH0_OK`
/// `*error_json` is NULL; otherwise (when `error_json` is not NULL) the
/// error JSON, to release with `auth0_string_free`; `AUTH0_ERROR_STORAGE`
/// when the storage cannot be written. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_save(
    credentials: *const auth0_credentials,
    authresult_json: *const c_char,
    error_json: *mut *mut c_char,
) -> auth0_status {
    run_with_error(error_json, || {
        let c = arg_handle(credentials, "credentials")?;
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let json = unsafe { arg_json(authresult_json, "authresult_json", false) }?;
        c.inner.save(&super::operations::auth_result_of(&json)?)
    })
}

/// Valid credentials: the stored ones when the access token is valid for
/// at least `minTtl` more seconds and covers `scope`, else renewed with
/// the refresh token first (one renewal at a time; the rotated refresh
/// token is stored before this returns). Blocks during a renewal (bounded
/// by the web handle's `timeout`); never touches the network otherwise.
///
/// `options_json` may be NULL: `{"minTtl": seconds, "scope": "…",
/// "audience": "…"}`, each optional; an unknown key is
/// `AUTH0_ERROR_INVALID_ARGUMENT` naming it. On `AUTH0_OK` `*out_json` is
/// `{"accessToken","tokenType","idToken","refreshToken","expiresAt" (unix
/// seconds),"expiresIn" (seconds left now),"scope","idTokenPayload"}`.
/// Otherwise the error JSON: `AUTH0_ERROR_CREDENTIALS` with `code`
/// `no_credentials` (nothing stored), `no_refresh_token` (expired, no way
/// to renew) or `renew_failed` (the server's answer in `original` and
/// `statusCode`, its code in `cause`, e.g. `invalid_grant`: log in again);
/// `AUTH0_ERROR_STORAGE`; every error has `retryable`. Either way release
/// `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_get(
    credentials: *const auth0_credentials,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    run_json(out_json, || {
        let c = arg_handle(credentials, "credentials")?;
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let json = unsafe { arg_json(options_json, "options_json", true) }?;
        let options = CredentialsOptions::from_json(&json)?;
        c.inner.credentials(&options).map(|creds| creds.to_json())
    })
}

/// Whether credentials are stored whose access token is valid for at least
/// `min_ttl_secs` more seconds, or that can be renewed (a refresh token is
/// stored). Never touches the network.
///
/// On `AUTH0_OK` `*out` is 1 or 0 and `*error_json` is NULL; otherwise
/// `*out` is 0 and `*error_json` (when `error_json` is not NULL) the error
/// JSON to release with `auth0_string_free` (`AUTH0_ERROR_STORAGE` when
/// the storage cannot be read). `out` must not be NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_has_valid(
    credentials: *const auth0_credentials,
    min_ttl_secs: u64,
    out: *mut c_int,
    error_json: *mut *mut c_char,
) -> auth0_status {
    run_with_error(error_json, || {
        if out.is_null() {
            return Err(null("out"));
        }
        // SAFETY: non-NULL; the caller promises it is writable.
        unsafe { *out = 0 };
        let c = arg_handle(credentials, "credentials")?;
        let valid = c.inner.has_valid_credentials(min_ttl_secs)?;
        // SAFETY: as above.
        unsafe { *out = c_int::from(valid) };
        Ok(())
    })
}

/// The user of the stored credentials: the verified claims of the stored
/// id_token (`sub`, `email`, `name`, …), read from the storage without the
/// network.
///
/// On `AUTH0_OK` `*out_json` is the claims object, or `null` when nothing
/// (or no id_token) is stored; otherwise the error JSON. Either way release
/// `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_user(
    credentials: *const auth0_credentials,
    out_json: *mut *mut c_char,
) -> auth0_status {
    run_json(out_json, || {
        let c = arg_handle(credentials, "credentials")?;
        c.inner.user()
    })
}

/// Logs the user out of this app: revokes the stored refresh token (`POST
/// /oauth/revoke`, the token's whole family) and removes the stored
/// credentials.
///
/// `options_json` may be NULL: `{"revoke": true}` (the default); with
/// `false` nothing is sent. When the revocation fails the credentials are
/// kept and the status is `AUTH0_ERROR_CREDENTIALS` with `code`
/// `revoke_failed` (`retryable` when the network failed): retry, or clear
/// with `{"revoke": false}`. Clearing an empty store succeeds. On
/// `AUTH0_OK` `*error_json` is NULL; otherwise (when `error_json` is not
/// NULL) the error JSON, to release with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_clear(
    credentials: *const auth0_credentials,
    options_json: *const c_char,
    error_json: *mut *mut c_char,
) -> auth0_status {
    run_with_error(error_json, || {
        let c = arg_handle(credentials, "credentials")?;
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let json = unsafe { arg_json(options_json, "options_json", true) }?;
        let options = ClearOptions::from_json(&json)?;
        c.inner.clear(&options)
    })
}

/// The body of both constructors: `build` the manager, write the handle to
/// `*out` (NULL on failure) and the error to `*error_json`.
///
/// # Safety
/// `out` and `error_json` are NULL or writable.
unsafe fn new_credentials(
    out: *mut *mut auth0_credentials,
    error_json: *mut *mut c_char,
    build: impl FnOnce() -> Result<CredentialsManager, Error>,
) -> auth0_status {
    run_with_error(error_json, || {
        if !out.is_null() {
            // SAFETY: non-NULL; the caller promises it is writable.
            unsafe { *out = std::ptr::null_mut() };
        }
        // Built first even when `out` is NULL, so that a host store's
        // `release` runs on that failure too (as the manager drops).
        let inner = build()?;
        if out.is_null() {
            return Err(null("out"));
        }
        let handle = handles::insert(auth0_credentials { inner }).ok_or_else(|| {
            Error::internal("too many live handles: free some before making more")
        })?;
        // SAFETY: as above.
        unsafe { *out = handle };
        Ok(())
    })
}

fn null(name: &str) -> Error {
    Error::invalid_argument(format!("{name} must not be NULL")).with_code("null_parameter")
}
