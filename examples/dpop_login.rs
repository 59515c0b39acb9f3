//! DPoP (RFC 9449) end to end: a login whose tokens are bound to a key
//! pair of this program, `userInfo` with a proof, and the same access token
//! refused when someone without the key presents it.
//!
//! ```sh
//! cargo run --example dpop_login
//! ```
//!
//! Runs against the embedded dev tenant (its seeded user). Tokens and the
//! private key are never printed; the thumbprint is public.

use auth0_devtenant::{DevTenant, TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{DpopKey, LoginOptions, WebAuth, WebAuthOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dev = DevTenant::start()?;
    let options = WebAuthOptions {
        domain: dev.domain(),
        client_id: dev.client_id().into(),
        dpop: Some(true),
        ..Default::default()
    };
    // `dpop`: a new P-256 key pair; every token request and userInfo
    // now carry a DPoP proof signed with it.
    let web = WebAuth::new(&options)?;
    let key = web.dpop_key().ok_or("no DPoP key")?;
    println!("DPoP key thumbprint: {}", key.thumbprint());

    let result = web.client().login(&LoginOptions {
        username: TEST_USER_EMAIL.into(),
        password: TEST_USER_PASSWORD.into(),
        realm: "Username-Password-Authentication".into(),
        scope: Some("openid email".into()),
        ..Default::default()
    })?;
    println!(
        "token_type: {}",
        result.token_type.as_deref().unwrap_or("?")
    );
    let access_token = result.access_token.as_ref().ok_or("no access token")?;

    let profile = web.client().user_info(access_token.secret())?;
    println!(
        "userInfo with the proof: {}",
        profile.email.as_deref().unwrap_or("?")
    );

    // A thief with the token but not the key: a bare Bearer use is refused.
    let thief = WebAuth::new(&WebAuthOptions {
        domain: dev.domain(),
        client_id: dev.client_id().into(),
        ..Default::default()
    })?;
    match thief.client().user_info(access_token.secret()) {
        Ok(_) => return Err("a bound token was accepted without its key".into()),
        Err(e) => println!(
            "bare Bearer use refused: HTTP {}",
            e.status_code().unwrap_or(0)
        ),
    }

    // The key outlives the process by being stored next to the tokens
    // (PKCS#8, a secret type), then given back to a new handle.
    let stored = key.to_pkcs8()?;
    let later = WebAuth::new(&options)?;
    later.set_dpop_key(Some(DpopKey::from_pkcs8(&stored)?));
    later.client().user_info(access_token.secret())?;
    println!("userInfo from a new handle with the stored key: ok");
    Ok(())
}
