//! `libauth0_native.so` / `libauth0_native.a`: the C ABI of auth0-native
//! (header `include/auth0.h`, generated from this crate by cbindgen), a thin
//! translation between C strings, JSON and the core crate, which itself
//! exports no `extern "C"` symbol.
//!
//! Every entry point has the same shape — return an [`auth0_status`], take
//! the handle first, inputs next, and write the result (or the error JSON)
//! through the last out-parameter — and runs its whole body, argument
//! conversion included, inside [`boundary`], which contains panics.
//! No business logic lives here.
//!
//! This crate's only outputs are a cdylib and a staticlib: an rlib among
//! them makes rustc keep every Rust-level public symbol, of the core and of
//! all its dependencies, alive through LTO, which left the `.so` ~330 KB
//! larger. Rust tests and benches of the C ABI therefore compile these
//! sources into themselves (`#[path = ".../bindings/c/src/lib.rs"] mod`),
//! so every path in here is relative (`super::`), never `crate::`.

// The pointer rules of each function are in its doc comment, written for the
// C reader of the generated header rather than under a Rust `# Safety` heading.
#![allow(clippy::missing_safety_doc)]

mod boundary;
mod credentials;
mod dpop;
mod handles;
mod interactive;
mod json_out;
mod logging;
mod management;
mod mfa;
mod operations;
mod tasks;
mod webauth;

pub use boundary::{auth0_status, auth0_status_name};
pub use credentials::*;
pub use dpop::*;
pub use interactive::*;
pub use logging::*;
pub use management::*;
pub use mfa::*;
pub use tasks::*;
pub use webauth::*;

use std::ffi::{c_char, CString};

/// Releases a string returned by this library (result or error JSON).
///
/// `s` may be NULL (nothing happens). Every string this library hands out
/// must be released with this function exactly once — never with `free()`,
/// since the library and the program may use different allocators. Safe to
/// call from any thread.
#[no_mangle]
pub unsafe extern "C" fn auth0_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: the caller promises `s` came from this library (made by
        // `CString::into_raw`) and is released once.
        drop(unsafe { CString::from_raw(s) });
    });
}

/// The library's version, e.g. `"0.1.0"`.
///
/// The string is static: do not free it. Safe to call from any thread.
#[no_mangle]
pub extern "C" fn auth0_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
