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
use auth0_native::{Management, WebAuth};
use serde_json::{json, Value};

const CONNECTION: &str = "Username-Password-Authentication";

fn identities(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    format!(
                        "{}|{}",
                        i["provider"].as_str().unwrap_or("?"),
                        i["user_id"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dev = DevTenant::start()?;
    let domain = dev.domain();
    let web = WebAuth::new(&json!({"domain": domain, "clientID": dev.client_id()}))?;

    // The primary user asks for a Management API token for itself.
    let primary = web.client().login(&json!({
        "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION,
        "audience": format!("{domain}/api/v2/"),
        "scope": "openid read:current_user update:current_user_identities",
    }))?;
    let primary_id = primary
        .id_token_payload
        .as_ref()
        .and_then(|p| p["sub"].as_str())
        .unwrap_or_default()
        .to_owned();
    // The secondary identity proves itself with its id_token.
    let secondary = web.client().login(&json!({
        "username": SECOND_USER_EMAIL, "password": SECOND_USER_PASSWORD, "realm": CONNECTION, "scope": "openid",
    }))?;
    let secondary_id = secondary
        .id_token_payload
        .as_ref()
        .and_then(|p| p["sub"].as_str())
        .unwrap_or_default()
        .to_owned();
    println!("primary:   {primary_id}");
    println!("secondary: {secondary_id}");

    let mgmt = Management::new(
        &json!({"domain": domain, "token": primary.access_token.as_ref().map(|t| t.secret())}),
    )?;
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
