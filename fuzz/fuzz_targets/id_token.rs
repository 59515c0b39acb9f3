//! `validateIdToken` on arbitrary strings: the handle's JWKS is the
//! fuzzer's own key, which no arbitrary string is signed with.
#![no_main]

use auth0_native_fuzz::{check_error, jwks_web};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(init: auth0_native_fuzz::prepare(), |input: &str| {
    match jwks_web().validate_id_token(input, &json!({})) {
        Ok(_) => panic!("an unsigned string validated as an ID token"),
        Err(e) => check_error(&e),
    }
});
