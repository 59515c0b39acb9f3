//! The C functions of the interactive logins, called through the C ABI
//! from Rust: statuses, the opener callback and its user data, the cancel
//! token. (The C test suite under tests/c/ covers them from C.)

mod common;
// The C layer is a cdylib/staticlib crate with no rlib (see
// bindings/c/src/lib.rs), so Rust code that calls it compiles its sources in.
#[allow(dead_code, unused_imports)]
#[path = "../bindings/c/src/lib.rs"]
mod c_api;

use c_api::*;
use common::Tenant;
use serde_json::{json, Value};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

fn handle(t: &Tenant) -> *mut auth0_webauth {
    let o =
        CString::new(json!({"domain": t.domain(), "clientID": t.client_id()}).to_string()).unwrap();
    let mut wa = ptr::null_mut();
    let status = unsafe { auth0_webauth_new(o.as_ptr(), &mut wa, ptr::null_mut()) };
    assert_eq!(status, auth0_status::AUTH0_OK);
    wa
}

fn take(s: *mut c_char) -> Value {
    let v = serde_json::from_str(unsafe { CStr::from_ptr(s) }.to_str().unwrap()).unwrap();
    unsafe { auth0_string_free(s) };
    v
}

unsafe extern "C" fn refuse(url: *const c_char, user_data: *mut c_void) -> c_int {
    let seen = unsafe { &mut *(user_data as *mut String) };
    *seen = unsafe { CStr::from_ptr(url) }.to_str().unwrap().to_owned();
    1
}

#[test]
fn an_opener_callback_that_fails_is_browser_open_failed_and_got_the_url() {
    let t = Tenant::start();
    let wa = handle(&t);
    let mut seen = String::new();
    let o = CString::new(r#"{"redirectUri":"http://127.0.0.1/callback"}"#).unwrap();
    let mut out = ptr::null_mut();
    let status = unsafe {
        auth0_webauth_popup_authorize(
            wa,
            o.as_ptr(),
            Some(refuse),
            &mut seen as *mut String as *mut c_void,
            ptr::null(),
            &mut out,
        )
    };
    assert_eq!(status, auth0_status::AUTH0_ERROR_INVALID_ARGUMENT);
    assert_eq!(take(out)["code"], "browser_open_failed");
    assert!(
        seen.contains("/authorize?") && seen.contains("code_challenge="),
        "{seen}"
    );
    unsafe { auth0_webauth_free(wa) };
}

#[test]
fn a_cancelled_token_is_auth0_error_cancelled() {
    let t = Tenant::start();
    let wa = handle(&t);
    let cancel = auth0_cancel_new();
    assert_eq!(unsafe { auth0_cancel_is_cancelled(cancel) }, 0);
    unsafe { auth0_cancel_cancel(cancel) };
    assert_eq!(unsafe { auth0_cancel_is_cancelled(cancel) }, 1);
    let mut out = ptr::null_mut();
    let status = unsafe {
        auth0_webauth_popup_authorize(wa, ptr::null(), None, ptr::null_mut(), cancel, &mut out)
    };
    assert_eq!(status, auth0_status::AUTH0_ERROR_CANCELLED);
    assert_eq!(take(out)["code"], "cancelled");
    let start = CString::new(json!({"device_code": "x", "interval": 1}).to_string()).unwrap();
    let status = unsafe { auth0_webauth_device_poll(wa, start.as_ptr(), cancel, &mut out) };
    assert_eq!(status, auth0_status::AUTH0_ERROR_CANCELLED);
    unsafe { auth0_string_free(out) };
    unsafe { auth0_cancel_free(cancel) };
    unsafe { auth0_cancel_free(ptr::null_mut()) };
    unsafe { auth0_cancel_cancel(ptr::null()) };
    unsafe { auth0_webauth_free(wa) };
}

#[test]
fn device_start_answers_the_code_json_and_a_failed_poll_maps_to_its_status() {
    let t = Tenant::start();
    let wa = handle(&t);
    let mut out = ptr::null_mut();
    let status = unsafe { auth0_webauth_device_start(wa, ptr::null(), &mut out) };
    assert_eq!(status, auth0_status::AUTH0_OK);
    let started = take(out);
    assert!(started["qr"]["svg"].is_string() && started["user_code"].is_string());
    // An unknown device code: the tenant's final refusal maps to a status.
    let poll = CString::new(json!({"device_code": "unknown", "interval": 1}).to_string()).unwrap();
    let status = unsafe { auth0_webauth_device_poll(wa, poll.as_ptr(), ptr::null(), &mut out) };
    assert_eq!(status, auth0_status::AUTH0_ERROR_SERVER);
    assert_eq!(take(out)["code"], "invalid_grant");
    unsafe { auth0_webauth_free(wa) };
}

#[test]
fn null_arguments_are_invalid_arguments() {
    let mut out = ptr::null_mut();
    let status = unsafe {
        auth0_webauth_popup_authorize(
            ptr::null(),
            ptr::null(),
            None,
            ptr::null_mut(),
            ptr::null(),
            &mut out,
        )
    };
    assert_eq!(status, auth0_status::AUTH0_ERROR_INVALID_ARGUMENT);
    assert_eq!(take(out)["code"], "null_parameter");
    let status = unsafe { auth0_webauth_device_start(ptr::null(), ptr::null(), ptr::null_mut()) };
    assert_eq!(status, auth0_status::AUTH0_ERROR_INVALID_ARGUMENT);
}
