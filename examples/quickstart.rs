//! The main job, end to end: log a user in, read their profile, renew the
//! session silently, and log out.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no configuration it starts the embedded dev tenant (a local,
//! Auth0-compatible server on 127.0.0.1) and logs its test user in. To use
//! a real tenant, set `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_USERNAME`,
//! `AUTH0_PASSWORD` (and `AUTH0_CONNECTION`, default
//! `Username-Password-Authentication`); the application must allow the
//! password-realm grant.
//!
//! Tokens are never printed, only their length.

use auth0_native::{AuthResult, WebAuth};
use serde_json::json;

fn redacted(len: Option<usize>) -> String {
    match len {
        Some(n) => format!("<redacted, {n} chars>"),
        None => "none".into(),
    }
}

fn show(label: &str, r: &AuthResult) {
    println!("{label}");
    println!(
        "  access token:  {}",
        redacted(r.access_token.as_ref().map(|t| t.secret().len()))
    );
    println!(
        "  id token:      {}",
        redacted(r.id_token.as_ref().map(|t| t.secret().len()))
    );
    println!(
        "  refresh token: {}",
        redacted(r.refresh_token.as_ref().map(|t| t.secret().len()))
    );
    println!("  expires in:    {} s", r.expires_in.unwrap_or_default());
    if let Some(p) = &r.id_token_payload {
        println!("  verified id_token: sub={} email={}", p["sub"], p["email"]);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    // Keep the dev tenant alive for the whole run (it stops on drop).
    let mut _dev = None;
    let (domain, client_id, username, password) = match (
        env("AUTH0_DOMAIN"),
        env("AUTH0_CLIENT_ID"),
        env("AUTH0_USERNAME"),
        env("AUTH0_PASSWORD"),
    ) {
        (Some(d), Some(c), Some(u), Some(p)) => (d, c, u, p),
        _ => {
            let dev = auth0_devtenant::DevTenant::start()?;
            println!(
                "No AUTH0_DOMAIN configured: using the embedded dev tenant at {}",
                dev.domain()
            );
            let t = (
                dev.domain(),
                dev.client_id().to_owned(),
                auth0_devtenant::TEST_USER_EMAIL.to_owned(),
                auth0_devtenant::TEST_USER_PASSWORD.to_owned(),
            );
            _dev = Some(dev);
            t
        }
    };
    let connection =
        env("AUTH0_CONNECTION").unwrap_or_else(|| "Username-Password-Authentication".into());

    let web = WebAuth::new(&json!({
        "domain": domain,
        "clientID": client_id,
        "redirectUri": "http://127.0.0.1:8080/callback",
        "scope": "openid profile email offline_access",
    }))?;

    // 1. client.login: the password-realm grant, id_token verified.
    let result = web.client().login(&json!({
        "username": username, "password": password, "realm": connection,
    }))?;
    show("client.login:", &result);

    // 2. userInfo with the access token.
    let profile = web
        .client()
        .user_info(result.access_token.as_ref().map_or("", |t| t.secret()))?;
    println!(
        "userInfo: name={} email={}",
        profile["name"], profile["email"]
    );

    // 3. renewAuth: no browser session here, so the handle's refresh token
    //    (rotated by the tenant) renews the tokens.
    let renewed = web.renew_auth(&json!({}))?;
    show("renewAuth:", &renewed);

    // 4. logout: the URL to show in a browser; the handle forgets its session.
    let url = web.logout(&json!({"returnTo": "http://127.0.0.1:8080/"}))?;
    println!("logout URL: {url}");
    println!("login end to end: ok");
    Ok(())
}
