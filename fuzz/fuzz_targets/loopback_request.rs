//! The loopback listener of `popup.authorize` (its request reader, host,
//! path, method and state checks) on one connection sending the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: auth0_native_fuzz::environment(), |request: &[u8]| {
    let answer = auth0_native::fuzzing::loopback_request(request);
    // Either no answer (not a request) or a whole HTTP/1.1 status line.
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
        "{:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(64)])
    );
});
