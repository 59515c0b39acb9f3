//! Prints the `/authorize` URL auth0.js v8 would build for the given options,
//! the URL `authorize` returns (with a fresh state and PKCE), and the logout
//! URL. Needs no network.
//!
//! ```sh
//! cargo run --example authorize_url -- [domain] [client_id] [redirect_uri]
//! ```

use auth0_native::{AuthorizeOptions, LogoutOptions, WebAuth, WebAuthOptions};

fn main() -> Result<(), auth0_native::Error> {
    let mut args = std::env::args().skip(1);
    let domain = args.next().unwrap_or_else(|| "me.auth0.com".into());
    let client_id = args
        .next()
        .unwrap_or_else(|| "DevTenantNativeClient00000000001".into());
    let redirect_uri = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080/callback".into());

    let web = WebAuth::new(&WebAuthOptions {
        domain,
        client_id,
        redirect_uri: Some(redirect_uri),
        scope: Some("openid profile email".into()),
        ..Default::default()
    })?;

    // buildAuthorizeUrl records nothing: bring your own state.
    let url = web.client().build_authorize_url(&AuthorizeOptions {
        state: Some("my-state".into()),
        ..Default::default()
    })?;
    println!("buildAuthorizeUrl: {url}");

    // authorize records a transaction that parseHash will check later.
    let request = web.authorize(&AuthorizeOptions {
        pkce: Some(true),
        ..Default::default()
    })?;
    println!("authorize:         {}", request.url);
    println!("  state:           {}", request.state);

    let logout = web.logout(&LogoutOptions {
        return_to: Some("http://127.0.0.1:8080/".into()),
        ..Default::default()
    })?;
    println!("logout:            {logout}");
    Ok(())
}
