//! Account linking end to end (Management API): log in the primary and the
//! secondary identity, link them, show the merged identities, unlink.
//!
//! ```sh
//! cargo run --example link_accounts
//! ```
//!
//! Runs against the embedded dev tenant (its two seeded users). Tokens are
//! never printed.

use auth0_devtenant::{
    DevTenant, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, TEST_USER_EMAIL, TEST_USER_PASSWORD,
};
use auth0_native::{
    Identity, LoginOptions, Management, ManagementOptions, WebAuth, WebAuthOptions,
};

const CONNECTION: &str = "Username-Password-Authentication";

fn identities(linked: &[Identity]) -> Vec<String> {
    linked
        .iter()
        .map(|i| format!("{}|{}", i.provider, i.user_id))
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dev = DevTenant::start()?;
    let domain = dev.domain();
    let web = WebAuth::new(&WebAuthOptions {
        domain: domain.clone(),
        client_id: dev.client_id().into(),
        ..Default::default()
    })?;

    // The primary user asks for a Management API token for itself.
    let primary = web.client().login(&LoginOptions {
        username: TEST_USER_EMAIL.into(),
        password: TEST_USER_PASSWORD.into(),
        realm: CONNECTION.into(),
        audience: Some(format!("{domain}/api/v2/")),
        scope: Some("openid read:current_user update:current_user_identities".into()),
    })?;
    let primary_id = primary.claims().ok_or("no id_token")?.subject().to_owned();
    // The secondary identity proves itself with its id_token.
    let secondary = web.client().login(&LoginOptions {
        username: SECOND_USER_EMAIL.into(),
        password: SECOND_USER_PASSWORD.into(),
        realm: CONNECTION.into(),
        scope: Some("openid".into()),
        ..Default::default()
    })?;
    let secondary_id = secondary
        .claims()
        .ok_or("no id_token")?
        .subject()
        .to_owned();
    println!("primary:   {primary_id}");
    println!("secondary: {secondary_id}");

    let mgmt = Management::new(&ManagementOptions {
        domain,
        token: primary.access_token.clone().ok_or("no access token")?,
        ..Default::default()
    })?;
    let linked = mgmt.link_user(
        &primary_id,
        secondary.id_token.as_ref().map_or("", |t| t.secret()),
    )?;
    println!("linked, identities now: {:?}", identities(&linked));

    let (provider, user_id) = secondary_id.split_once('|').ok_or("unexpected user id")?;
    let left = mgmt.unlink_user(&primary_id, provider, user_id)?;
    println!("unlinked, identities now: {:?}", identities(&left));
    Ok(())
}
