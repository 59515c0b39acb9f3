//! Callback parsing: the parameter parser itself, and `parseHash` on
//! the handle (whose JWKS and token endpoint are the fuzzer's own local
//! server) with the input as its `hash`.
#![no_main]

use auth0_native_fuzz::{check_error, jwks_web};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(init: auth0_native_fuzz::prepare(), |input: &str| {
    auth0_native::fuzzing::callback(input);
    auth0_native::fuzzing::domain(input);
    match jwks_web().parse_hash(&json!({"hash": input})) {
        // Without a transaction of this handle nothing can be accepted
        // but an answer that carries no artifact at all.
        Ok(Some(r)) => panic!(
            "a callback was accepted without a transaction: {:?}",
            r.state
        ),
        Ok(None) => {}
        Err(e) => check_error(&e),
    }
    // With the state the app expects given: the answer's artifacts are
    // then checked (an id_token against the local JWKS, a code exchanged
    // at the local server, which answers no token).
    let state = input
        .split(['#', '?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .unwrap_or("");
    if let Err(e) = jwks_web().parse_hash(&json!({"hash": input, "state": state})) {
        check_error(&e);
    }
});
