//! Every C entry point with arbitrary bytes: the C layer's sources are
//! compiled in (it has no rlib; see bindings/c/src/lib.rs), and each
//! input is handed over as a NUL-terminated C string, so invalid UTF-8,
//! non-JSON and an early NUL all reach the boundary. The first byte picks
//! the function, the second which pointers are NULL. Operations run on
//! handles whose every request is refused at connect (127.0.0.1, a
//! closed port).
#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../bindings/c/src/lib.rs"]
mod c_api;

use auth0_native_fuzz::{closed_domain, handle_options, sanitize};
use c_api::*;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

/// Handles made once (raw pointers, shared read-only by the calls).
struct Handles {
    web: usize,
    management: usize,
}

fn handles() -> &'static Handles {
    static H: OnceLock<Handles> = OnceLock::new();
    H.get_or_init(|| {
        let o = CString::new(handle_options(closed_domain()).to_string()).unwrap();
        let mut web = ptr::null_mut();
        assert_eq!(
            unsafe { auth0_webauth_new(o.as_ptr(), &mut web, ptr::null_mut()) },
            auth0_status::AUTH0_OK
        );
        let o = CString::new(
            json!({"domain": closed_domain(), "token": "fuzz-token", "retry": false}).to_string(),
        )
        .unwrap();
        let mut management = ptr::null_mut();
        assert_eq!(
            unsafe { auth0_management_new(o.as_ptr(), &mut management, ptr::null_mut()) },
            auth0_status::AUTH0_OK
        );
        Handles {
            web: web as usize,
            management: management as usize,
        }
    })
}

unsafe extern "C" fn refuse(_url: *const c_char, _user_data: *mut c_void) -> c_int {
    1
}

unsafe extern "C" fn on_code(code_json: *const c_char, _user_data: *mut c_void) {
    assert!(!unsafe { CStr::from_ptr(code_json) }.to_bytes().is_empty());
}

/// Checks a string the library handed out (valid UTF-8 JSON) and frees it.
fn take(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let text = unsafe { CStr::from_ptr(s) }
        .to_str()
        .expect("UTF-8 out of the C API");
    serde_json::from_str::<serde_json::Value>(text).expect("JSON out of the C API");
    unsafe { auth0_string_free(s) };
}

type Op =
    unsafe extern "C" fn(*const auth0_webauth, *const c_char, *mut *mut c_char) -> auth0_status;

const WEB_OPS: [Op; 17] = [
    auth0_webauth_build_authorize_url,
    auth0_webauth_authorize,
    auth0_webauth_logout,
    auth0_webauth_login,
    auth0_webauth_user_info,
    auth0_webauth_parse_hash,
    auth0_webauth_validate_id_token,
    auth0_webauth_signup,
    auth0_webauth_change_password,
    auth0_webauth_passwordless_start,
    auth0_webauth_passwordless_verify,
    auth0_webauth_passwordless_login,
    auth0_webauth_login_with_credentials,
    auth0_webauth_cross_origin_login,
    auth0_webauth_renew_auth,
    auth0_webauth_device_start,
    auth0_webauth_build_authorize_url,
];

type MOp =
    unsafe extern "C" fn(*const auth0_management, *const c_char, *mut *mut c_char) -> auth0_status;

const MANAGEMENT_OPS: [MOp; 4] = [
    auth0_management_get_user,
    auth0_management_patch_user_metadata,
    auth0_management_link_user,
    auth0_management_unlink_user,
];

fuzz_target!(init: auth0_native_fuzz::prepare(), |data: &[u8]| {
    let [op, flags, rest @ ..] = data else { return };
    let h = handles();
    // The input up to its first NUL, as a C caller would pass it.
    let mut bytes = rest.to_vec();
    bytes.push(0);
    let input: *const c_char = if flags & 1 != 0 {
        ptr::null()
    } else {
        bytes.as_ptr().cast()
    };
    let mut out: *mut c_char = ptr::null_mut();
    let out_ptr: *mut *mut c_char = if flags & 2 != 0 {
        ptr::null_mut()
    } else {
        &mut out
    };
    let web: *const auth0_webauth = if flags & 4 != 0 {
        ptr::null()
    } else {
        h.web as *const auth0_webauth
    };
    let management: *const auth0_management = if flags & 4 != 0 {
        ptr::null()
    } else {
        h.management as *const auth0_management
    };
    let n_web = WEB_OPS.len() as u8;
    let n_mgmt = MANAGEMENT_OPS.len() as u8;
    match op % (n_web + n_mgmt + 6) {
        i if i < n_web => unsafe {
            WEB_OPS[i as usize](web, input, out_ptr);
        },
        i if i < n_web + n_mgmt => unsafe {
            MANAGEMENT_OPS[(i - n_web) as usize](management, input, out_ptr);
        },
        i => {
            let cancel = auth0_cancel_new();
            unsafe { auth0_cancel_cancel(cancel) };
            match i - n_web - n_mgmt {
                0 => unsafe {
                    auth0_webauth_device_poll(web, input, cancel, out_ptr);
                },
                1 => unsafe {
                    let opener = if flags & 8 != 0 {
                        None
                    } else {
                        Some(refuse as _)
                    };
                    auth0_webauth_popup_authorize(
                        web,
                        input,
                        opener,
                        ptr::null_mut(),
                        cancel,
                        out_ptr,
                    );
                },
                2 => unsafe {
                    auth0_webauth_device_login(
                        web,
                        input,
                        Some(on_code),
                        ptr::null_mut(),
                        cancel,
                        out_ptr,
                    );
                },
                // The constructors, on input that is kept off the file
                // system when it is JSON; the handle made is used once and
                // freed.
                k => {
                    let owned = match serde_json::from_slice::<serde_json::Value>(rest) {
                        Ok(mut v) => {
                            sanitize(&mut v);
                            let mut b = v.to_string().into_bytes();
                            b.push(0);
                            b
                        }
                        Err(_) => bytes.clone(),
                    };
                    let input: *const c_char = if flags & 1 != 0 {
                        ptr::null()
                    } else {
                        owned.as_ptr().cast()
                    };
                    if k == 3 {
                        let mut w = ptr::null_mut();
                        let wp = if flags & 2 != 0 {
                            ptr::null_mut()
                        } else {
                            &mut w
                        };
                        unsafe { auth0_webauth_new(input, wp, &mut out) };
                        if !w.is_null() {
                            let mut url = ptr::null_mut();
                            let o = c"{}";
                            unsafe { auth0_webauth_build_authorize_url(w, o.as_ptr(), &mut url) };
                            take(url);
                            unsafe { auth0_webauth_free(w) };
                        }
                    } else if k == 4 {
                        let mut m = ptr::null_mut();
                        let mp = if flags & 2 != 0 {
                            ptr::null_mut()
                        } else {
                            &mut m
                        };
                        unsafe { auth0_management_new(input, mp, &mut out) };
                        unsafe { auth0_management_free(m) };
                    } else {
                        unsafe { auth0_string_free(ptr::null_mut()) };
                        let v = unsafe { CStr::from_ptr(auth0_version()) };
                        assert!(!v.to_bytes().is_empty());
                    }
                }
            }
            unsafe { auth0_cancel_free(cancel) };
        }
    }
    take(out);
});
