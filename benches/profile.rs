//! A fixed-count driver for instruction counting under callgrind, where the
//! shared machine's noise does not reach:
//!
//! ```sh
//! cargo bench --no-run -p auth0-native --bench profile
//! valgrind --tool=callgrind target/release/deps/profile-* OP 0
//! valgrind --tool=callgrind target/release/deps/profile-* OP 2000
//! ```
//! (Ir of the second minus the first) / 2000 = instructions per call. OP is
//! `verify` (aws-lc RSA-2048 alone), `validate`, `parse_hash`,
//! `parse_hash_c`, `url` or `url_c`. `bench/profile.sh` runs them all.

mod common;

use auth0_devtenant::DevTenant;
// The C layer is a cdylib/staticlib crate with no rlib (see
// bindings/c/src/lib.rs), so Rust code that calls it compiles its sources in.
#[allow(dead_code, unused_imports)]
#[path = "../bindings/c/src/lib.rs"]
mod c_api;
use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use c_api::{
    auth0_status, auth0_string_free, auth0_webauth, auth0_webauth_build_authorize_url,
    auth0_webauth_new, auth0_webauth_parse_hash,
};
use serde_json::json;
use std::ffi::{c_char, CString};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 || args.iter().any(|a| a == "--bench") {
        return; // `cargo bench` runs every bench target: nothing to do here
    }
    let (op, n): (&str, usize) = (&args[1], args[2].parse().unwrap());
    // Started on another thread: its RSA key generation (a random prime
    // search) must not land in the counted thread.
    let tenant = std::thread::spawn(DevTenant::start)
        .join()
        .unwrap()
        .unwrap();
    let token = common::mint_id_token(&tenant);
    let web = common::web(&tenant);
    let validate = json!({"nonce": common::NONCE, "accessToken": common::ACCESS_TOKEN});
    web.validate_id_token(&token, &validate).unwrap();
    let parse =
        json!({"hash": common::callback(&token, "s"), "state": "s", "nonce": common::NONCE});
    let parse_c = CString::new(parse.to_string()).unwrap();
    let url = json!({"state": "xyz", "nonce": "n", "connection": "twitter", "audience": "https://api.example.com/"});
    let url_c = CString::new(url.to_string()).unwrap();
    let mut h = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    let o = CString::new(common::web_options(&tenant).to_string()).unwrap();
    // SAFETY: valid strings and out-pointers.
    assert_eq!(
        unsafe { auth0_webauth_new(o.as_ptr(), &mut h, &mut err) },
        auth0_status::AUTH0_OK
    );
    type CFn =
        unsafe extern "C" fn(*const auth0_webauth, *const c_char, *mut *mut c_char) -> auth0_status;
    let c_call = |f: CFn, opts: &CString| {
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: live handle, NUL-terminated options, writable out.
        assert_eq!(
            unsafe { f(h, opts.as_ptr(), &mut out) },
            auth0_status::AUTH0_OK
        );
        // SAFETY: released once.
        unsafe { auth0_string_free(out) };
    };
    c_call(auth0_webauth_parse_hash, &parse_c); // warm the C handle's JWKS
    let jwks = common::jwks(&tenant);
    let b64 = |k: &str| {
        URL_SAFE_NO_PAD
            .decode(jwks["keys"][0][k].as_str().unwrap())
            .unwrap()
    };
    let (nn, e) = (b64("n"), b64("e"));
    let key = RsaPublicKeyComponents { n: &nn, e: &e }
        .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
        .unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    for _ in 0..n {
        match op {
            "verify" => key.verify_sig(signed.as_bytes(), &sig).unwrap(),
            "validate" => drop(black_box(web.validate_id_token(&token, &validate).unwrap())),
            "parse_hash" => drop(black_box(web.parse_hash(&parse).unwrap())),
            "parse_hash_c" => c_call(auth0_webauth_parse_hash, &parse_c),
            "url" => drop(black_box(web.client().build_authorize_url(&url).unwrap())),
            "url_c" => c_call(auth0_webauth_build_authorize_url, &url_c),
            other => panic!("unknown op {other}"),
        }
    }
}
