//! The HTML form reader of the headless flows (`/usernamepassword/login`
//! and `form_post` answers).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    auth0_native::fuzzing::html_form(html);
});
