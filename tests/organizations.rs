//! Organizations against the dev tenant: `organization` and `invitation`
//! on `/authorize`, recorded in the transaction, and the id_token's
//! `org_id` / `org_name` checked against the organization asked for.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{DEFAULT_ORG_ID, DEFAULT_ORG_NAME, TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{ErrorKind, Interaction};
use common::Tenant;
use interactive::PlainBrowser;
use serde_json::json;

/// A "browser" for `popup_authorize` that logs the test user in on its
/// own thread, after `rewrite` changed the URL it was given.
fn browser(rewrite: fn(&str) -> String) -> Interaction {
    Interaction::new().with_open_url(move |url| {
        let url = rewrite(url);
        std::thread::spawn(move || {
            PlainBrowser::new().log_in(&url, TEST_USER_EMAIL, TEST_USER_PASSWORD);
        });
        Ok(())
    })
}

#[test]
fn an_organization_id_goes_to_authorize_and_is_checked_after_the_code_exchange() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile"}));
    let r = web
        .authorize(&json!({"organization": DEFAULT_ORG_ID}))
        .unwrap();
    assert!(
        r.url.contains(&format!("&organization={DEFAULT_ORG_ID}")),
        "{}",
        r.url
    );
    let callback = t.callback_for(&r.url);
    let result = web.parse_hash(&json!({"hash": callback})).unwrap().unwrap();
    let payload = result.id_token_payload.unwrap();
    assert_eq!(payload.org_id(), Some(DEFAULT_ORG_ID));
    assert_eq!(payload.org_name(), Some(DEFAULT_ORG_NAME));
}

#[test]
fn the_transaction_records_the_organization() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.authorize(&json!({"organization": "acme"})).unwrap();
    let tx = web.take_transaction(&r.state).unwrap().unwrap();
    assert_eq!(tx.organization.as_deref(), Some("acme"));
}

#[test]
fn a_token_of_another_organization_is_refused() {
    let t = Tenant::start();
    t.dev_post(
        "organizations",
        json!({"name": "globex", "members": ["dev@example.com"]}),
    );
    let web = t.web(json!({"scope": "openid"}));
    // The app asked for globex; the answer comes from an acme login (as
    // when the URL was tampered with on its way to the browser).
    let r = web.authorize(&json!({"organization": "globex"})).unwrap();
    let tampered = r.url.replace("organization=globex", "organization=acme");
    let e = web
        .parse_hash(&json!({"hash": t.callback_for(&tampered)}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidToken);
    assert_eq!(
        e.description(),
        "Organization Name (org_name) claim mismatch in the ID token; expected \"globex\", found \"acme\""
    );
}

#[test]
fn an_organization_login_asked_by_id_refuses_a_token_without_org_id() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let r = web
        .authorize(&json!({"organization": DEFAULT_ORG_ID}))
        .unwrap();
    // The organization parameter dropped on the way: no org claims.
    let stripped = r
        .url
        .replace(&format!("&organization={DEFAULT_ORG_ID}"), "");
    let e = web
        .parse_hash(&json!({"hash": t.callback_for(&stripped)}))
        .unwrap_err();
    assert_eq!(
        e.description(),
        "Organization ID (org_id) claim must be a string present in the ID token"
    );
}

#[test]
fn a_name_compares_ignoring_case_and_the_handle_option_applies_to_every_authorize() {
    let t = Tenant::start();
    let web = t.web(json!({"organization": "ACME", "responseType": "id_token"}));
    let r = web.authorize(&json!({})).unwrap();
    assert!(r.url.contains("&organization=ACME"), "{}", r.url);
    // The implicit flow's front-channel id_token is checked too.
    let result = web
        .parse_hash(&json!({"hash": t.callback_for(&r.url)}))
        .unwrap()
        .unwrap();
    assert_eq!(result.id_token_payload.unwrap().org_name().unwrap(), "acme");
    let url = web
        .client()
        .build_authorize_url(&json!({"state": "s", "nonce": "n"}))
        .unwrap();
    assert!(url.contains("organization=ACME"), "{url}");
}

#[test]
fn an_invitation_link_is_parsed_and_accepted_through_authorize() {
    let t = Tenant::start();
    let inv = t.dev_post(
        "organizations/acme/invitations",
        json!({"email": "dev@example.com"}),
    );
    let web = t.web(json!({"scope": "openid"}));
    let link = inv["invitation_url"].as_str().unwrap();
    let parsed = web.client().parse_invitation_url(link).unwrap();
    assert_eq!(parsed.organization, DEFAULT_ORG_ID);
    assert_eq!(parsed.invitation, inv["ticket_id"].as_str().unwrap());
    assert_eq!(parsed.organization_name.as_deref(), Some("acme"));
    let r = web
        .authorize(&json!({"organization": parsed.organization,
                            "invitation": parsed.invitation}))
        .unwrap();
    assert!(r.url.contains("&invitation="), "{}", r.url);
    let result = web
        .parse_hash(&json!({"hash": t.callback_for(&r.url)}))
        .unwrap()
        .unwrap();
    assert_eq!(
        result.id_token_payload.unwrap().org_id().unwrap(),
        DEFAULT_ORG_ID
    );
    let invitations = t.dev_get("organizations/acme/invitations");
    assert_eq!(invitations[0]["accepted"], true);
}

#[test]
fn organization_and_invitation_must_be_strings() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let e = web.authorize(&json!({"organization": 7})).unwrap_err();
    assert_eq!(e.description(), "organization option is not valid");
    let e = web
        .client()
        .build_authorize_url(&json!({"invitation": ["x"]}))
        .unwrap_err();
    assert_eq!(e.description(), "invitation option is not valid");
}

#[test]
fn validate_id_token_checks_an_organization_when_asked() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let token = t.sign(json!({"org_id": DEFAULT_ORG_ID}), json!({}));
    assert!(web
        .validate_id_token(&token, &json!({"organization": DEFAULT_ORG_ID}))
        .is_ok());
    let e = web
        .validate_id_token(&token, &json!({"organization": "org_other"}))
        .unwrap_err();
    assert_eq!(
        e.description(),
        format!("Organization ID (org_id) claim mismatch in the ID token; expected \"org_other\", found \"{DEFAULT_ORG_ID}\"")
    );
}

#[test]
fn popup_authorize_sends_the_organization_and_checks_the_answer() {
    let t = Tenant::start();
    let web = t.web(json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid"}));
    let r = web
        .popup_authorize(
            &json!({"organization": DEFAULT_ORG_ID}),
            &browser(|u| u.to_owned()),
        )
        .unwrap();
    assert_eq!(
        r.id_token_payload.unwrap().org_id().unwrap(),
        DEFAULT_ORG_ID
    );
}

#[test]
fn popup_authorize_refuses_a_login_into_another_organization() {
    let t = Tenant::start();
    t.dev_post(
        "organizations",
        json!({"name": "globex", "members": ["dev@example.com"]}),
    );
    let web = t.web(json!({"redirectUri": "http://127.0.0.1/callback", "scope": "openid"}));
    let e = web
        .popup_authorize(
            &json!({"organization": "globex"}),
            &browser(|u| u.replace("organization=globex", "organization=acme")),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidToken);
    assert!(
        e.description()
            .starts_with("Organization Name (org_name) claim mismatch"),
        "{e}"
    );
}
