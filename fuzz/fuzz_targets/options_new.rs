//! The options JSON of the constructors, `WebAuth::new` and
//! `Management::new` (neither touches the network; `caFile` and a file
//! transaction store are kept to this process's scratch directory).
#![no_main]

use auth0_native::{Management, WebAuth};
use auth0_native_fuzz::{check_error, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut options) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    sanitize(&mut options);
    match WebAuth::new(&options) {
        Ok(web) => {
            // A handle that was made has a client id and a parsed domain.
            assert!(!web.client_id().is_empty());
            assert!(web.domain().origin().starts_with("http"));
        }
        Err(e) => check_error(&e),
    }
    if let Err(e) = Management::new(&options) {
        check_error(&e);
    }
});
