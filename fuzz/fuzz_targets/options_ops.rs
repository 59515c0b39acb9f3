//! The options JSON of every operation, on handles whose every request
//! is refused at connect (a port on 127.0.0.1 that nothing listens on):
//! what the validation lets through meets a network error, never the
//! network. The first byte picks the operation.
#![no_main]

use auth0_native::{CancelToken, Interaction};
use auth0_native_fuzz::{check_error, offline_management, offline_web, sanitize_call};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn refuse(_url: &str) -> Result<(), String> {
    Err("the fuzzer opens no browser".into())
}

fuzz_target!(|data: &[u8]| {
    let Some((&op, json)) = data.split_first() else {
        return;
    };
    let Ok(mut o) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    sanitize_call(&mut o);
    let web = offline_web();
    let client = web.client();
    let m = offline_management();
    let text = o.as_str().unwrap_or("");
    let cancelled = CancelToken::new();
    cancelled.cancel();
    let r: Result<(), auth0_native::Error> = match op % 22 {
        0 => client.build_authorize_url(&o).map(drop),
        1 => web.authorize(&o).map(drop),
        2 => web.logout(&o).map(drop),
        3 => client.login(&o).map(drop),
        4 => client.user_info(text).map(drop),
        5 => client.user_info_with(text, &o).map(drop),
        6 => web.parse_hash(&o).map(drop),
        7 => web.validate_id_token(text, &o).map(drop),
        8 => web.signup(&o).map(drop),
        9 => web.change_password(&o).map(drop),
        10 => web.passwordless_start(&o).map(drop),
        11 => web.passwordless_verify(&o).map(drop),
        12 => client.passwordless_login(&o).map(drop),
        13 => web.login_with_credentials(&o).map(drop),
        14 => web.login(&o).map(drop),
        15 => web.renew_auth(&o).map(drop),
        16 => web.device_start(&o).map(drop),
        // Cancelled: the options are checked, then no poll is waited for.
        17 => web.device_poll(&o, &cancelled).map(drop),
        18 => web
            .popup_authorize(
                &o,
                &Interaction::new()
                    .with_open_url(refuse)
                    .with_cancel(cancelled.clone()),
            )
            .map(drop),
        19 => m.get_user(text).map(drop),
        20 => m.patch_user_metadata(text, &o).map(drop),
        _ => {
            let id = o.get("userId").and_then(Value::as_str).unwrap_or("");
            let provider = o.get("provider").and_then(Value::as_str).unwrap_or("");
            let secondary = o
                .get("identityUserId")
                .and_then(Value::as_str)
                .unwrap_or("");
            m.unlink_user(id, provider, secondary)
                .and_then(|_| m.link_user(id, text))
                .map(drop)
        }
    };
    if let Err(e) = r {
        check_error(&e);
    }
});
