//! DPoP key export and import for an `auth0_webauth` (RFC 9449): the key
//! tokens are bound to must be stored with them and given back later.

use super::boundary::auth0_status;
use super::webauth::{auth0_webauth, with_webauth};
use auth0_native::options::as_object;
use auth0_native::secret::DpopPrivateKey;
use auth0_native::{DpopKey, Error};
use serde_json::{json, Value};
use std::ffi::c_char;

fn key_json(key: &DpopKey, with_private: bool) -> Result<Value, Error> {
    let mut v = json!({"thumbprint": key.thumbprint(), "jwk": key.public_jwk()});
    if with_private {
        v["dpopKey"] = json!(key.to_pkcs8()?.secret());
    }
    Ok(v)
}

/// Exports the DPoP key of a handle made with `"dpop":true` (or a
/// `"dpopKey"`), to store next to the tokens bound to it.
///
/// `options_json` may be NULL (no options). On `AUTH0_OK` `*out_json` is
/// `{"thumbprint":"…","jwk":{…},"dpopKey":"…"}`: `dpopKey` is the private
/// key (PKCS#8, base64url) — a secret, to keep as carefully as a refresh
/// token; `thumbprint` is what bound access tokens carry as `cnf.jkt`. A
/// handle without DPoP is `AUTH0_ERROR_INVALID_ARGUMENT` (`code`
/// `dpop_off`). Release `*out_json` with `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_dpop_key_export(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, _| {
            let key = web.dpop_key().ok_or_else(|| {
                Error::invalid_argument("DPoP is off for this handle (dpop option)")
                    .with_code("dpop_off")
            })?;
            key_json(&key, true)
        })
    }
}

/// Binds the handle's next requests to an exported DPoP key (turning DPoP
/// on), or turns DPoP off.
///
/// `options_json`: `{"dpopKey":"…"}` as `auth0_webauth_dpop_key_export`
/// gave it, or `{"dpopKey":null}` to turn DPoP off. On `AUTH0_OK`
/// `*out_json` is `{"thumbprint":"…","jwk":{…}}` (`null` when turned off).
/// A key that is not a P-256 PKCS#8 key is `AUTH0_ERROR_INVALID_ARGUMENT`
/// ("dpopKey option is not valid …"; the key never appears in the error).
/// Calls in flight keep the key they started with. Release `*out_json` with
/// `auth0_string_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_dpop_key_import(
    webauth: *const auth0_webauth,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        with_webauth(webauth, options_json, out_json, |web, options| {
            let o = as_object(options, "options parameter is not valid")?;
            let k = match o.get("dpopKey") {
                None => return Err(Error::invalid_argument("dpopKey option is required")),
                Some(Value::Null) => {
                    web.set_dpop_key(None);
                    return Ok(Value::Null);
                }
                Some(Value::String(k)) => k,
                Some(_) => return Err(Error::invalid_argument("dpopKey option is not valid")),
            };
            let key = DpopKey::from_pkcs8(&DpopPrivateKey::from(k.as_str()))?;
            let answer = key_json(&key, false)?;
            web.set_dpop_key(Some(key));
            Ok(answer)
        })
    }
}
