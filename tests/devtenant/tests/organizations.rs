//! Organizations: the `organization` parameter of `/authorize` (id or
//! name), membership, `org_id` / `org_name` claims, invitations, and the
//! `/__dev/organizations` endpoints.
mod common;
use common::*;
use serde_json::{json, Value};

/// Hosted login with `extra` params; the redirect's parameters.
fn login(
    t: &DevTenant,
    extra: &[(&str, &str)],
    user: &str,
    password: &str,
) -> std::collections::HashMap<String, String> {
    let mut p = vec![
        ("response_type", "code"),
        ("scope", "openid offline_access"),
    ];
    p.extend_from_slice(extra);
    params_of(&hosted_login(t, &client(), &p, user, password))
}

/// Code -> token answer (no PKCE).
fn exchange_code(t: &DevTenant, code: &str) -> Value {
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({"grant_type": "authorization_code", "client_id": t.client_id(),
                "code": code, "redirect_uri": CALLBACK}),
    );
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn dev_post(t: &DevTenant, path: &str, body: &Value) -> reqwest::blocking::Response {
    post_json(&client(), &format!("{}/__dev{path}", t.domain()), body)
}

#[test]
fn member_login_carries_org_claims_in_both_tokens_and_after_refresh() {
    let t = DevTenant::start().unwrap();
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID)],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let v = exchange_code(&t, &p["code"]);
    let (_, id) = decode(v["id_token"].as_str().unwrap());
    assert_eq!(id["org_id"], DEFAULT_ORG_ID);
    assert_eq!(id["org_name"], DEFAULT_ORG_NAME);
    let (_, at) = decode(v["access_token"].as_str().unwrap());
    assert_eq!(at["org_id"], DEFAULT_ORG_ID);
    let r: Value = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({"grant_type": "refresh_token", "client_id": t.client_id(),
                "refresh_token": v["refresh_token"]}),
    )
    .json()
    .unwrap();
    assert_eq!(
        decode(r["id_token"].as_str().unwrap()).1["org_id"],
        DEFAULT_ORG_ID
    );
}

#[test]
fn organization_by_name_resolves_to_its_id() {
    let t = DevTenant::start().unwrap();
    let p = login(
        &t,
        &[("organization", "ACME")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let v = exchange_code(&t, &p["code"]);
    assert_eq!(
        decode(v["id_token"].as_str().unwrap()).1["org_id"],
        DEFAULT_ORG_ID
    );
}

#[test]
fn without_organization_there_are_no_org_claims() {
    let t = DevTenant::start().unwrap();
    let p = login(&t, &[], TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let v = exchange_code(&t, &p["code"]);
    assert!(decode(v["id_token"].as_str().unwrap())
        .1
        .get("org_id")
        .is_none());
}

#[test]
fn non_member_is_refused_with_access_denied() {
    let t = DevTenant::start().unwrap();
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID), ("state", "s1")],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(p["error"], "access_denied");
    assert_eq!(
        p["error_description"],
        "user is not a member of the organization"
    );
    assert_eq!(p["state"], "s1");
    assert!(!p.contains_key("code"));
}

#[test]
fn sso_session_is_checked_against_the_organization_too() {
    let t = DevTenant::start().unwrap();
    let c = client();
    hosted_login(
        &t,
        &c,
        &[("response_type", "code")],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    let r = c
        .get(authorize_url(
            &t,
            &[
                ("response_type", "code"),
                ("prompt", "none"),
                ("organization", DEFAULT_ORG_ID),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(params_of(&location(&r))["error"], "access_denied");
}

#[test]
fn unknown_organization_is_invalid_request() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(authorize_url(
            &t,
            &[
                ("response_type", "code"),
                ("organization", "org_doesnotexist"),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(params_of(&location(&r))["error"], "invalid_request");
}

#[test]
fn dev_endpoint_creates_organizations_and_members() {
    let t = DevTenant::start().unwrap();
    let r = dev_post(
        &t,
        "/organizations",
        &json!({"name": "Globex", "display_name": "Globex Inc", "members": [SECOND_USER_EMAIL]}),
    );
    assert_eq!(r.status(), 201);
    let o: Value = r.json().unwrap();
    assert_eq!(o["name"], "globex");
    let id = o["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("org_"));
    let p = login(
        &t,
        &[("organization", &id)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    let v = exchange_code(&t, &p["code"]);
    let (_, c) = decode(v["id_token"].as_str().unwrap());
    assert_eq!(
        (c["org_id"].as_str(), c["org_name"].as_str()),
        (Some(id.as_str()), Some("globex"))
    );
    assert_eq!(
        dev_post(&t, "/organizations", &json!({"name": "globex"})).status(),
        409
    );
    // Members added and removed at run time.
    let m = dev_post(
        &t,
        "/organizations/globex/members",
        &json!({"members": [TEST_USER_ID]}),
    );
    assert_eq!(
        m.json::<Value>().unwrap()["members"],
        json!([SECOND_USER_EMAIL, TEST_USER_ID])
    );
    let d = client()
        .delete(format!(
            "{}/__dev/organizations/{id}/members/{}",
            t.domain(),
            SECOND_USER_ID.replace('|', "%7C")
        ))
        .send()
        .unwrap();
    assert_eq!(d.status(), 204);
    let p = login(
        &t,
        &[("organization", &id)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(
        p["error"], "access_denied",
        "removed by user id although added by e-mail"
    );
    let list: Value = client()
        .get(format!("{}/__dev/organizations", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[test]
fn organizations_can_be_seeded_by_config() {
    let t = DevTenant::start_with(Config {
        organizations: vec![OrgConfig {
            id: "org_seeded0000000001".into(),
            name: "seeded".into(),
            members: vec![SECOND_USER_EMAIL.into()],
            ..OrgConfig::default()
        }],
        ..Config::default()
    })
    .unwrap();
    let p = login(
        &t,
        &[("organization", "seeded")],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert!(p.contains_key("code"));
    let r = client()
        .get(authorize_url(
            &t,
            &[("response_type", "code"), ("organization", DEFAULT_ORG_ID)],
        ))
        .send()
        .unwrap();
    assert_eq!(
        params_of(&location(&r))["error"],
        "invalid_request",
        "the list replaces the default org"
    );
}

#[test]
fn invitation_is_accepted_once_and_makes_the_invitee_a_member() {
    let t = DevTenant::start().unwrap();
    let r = dev_post(
        &t,
        &format!("/organizations/{DEFAULT_ORG_ID}/invitations"),
        &json!({"email": SECOND_USER_EMAIL}),
    );
    assert_eq!(r.status(), 201);
    let inv: Value = r.json().unwrap();
    let ticket = inv["ticket_id"].as_str().unwrap().to_string();
    assert_eq!(inv["organization_id"], DEFAULT_ORG_ID);
    assert_eq!(inv["organization_name"], DEFAULT_ORG_NAME);
    let url = inv["invitation_url"].as_str().unwrap();
    let q = params_of(url);
    assert_eq!(q["invitation"], ticket);
    assert_eq!(q["organization"], DEFAULT_ORG_ID);
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID), ("invitation", &ticket)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    let v = exchange_code(&t, &p["code"]);
    assert_eq!(
        decode(v["id_token"].as_str().unwrap()).1["org_id"],
        DEFAULT_ORG_ID
    );
    // Accepted: a second use is refused; membership stays.
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID), ("invitation", &ticket)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(p["error"], "access_denied");
    assert_eq!(
        p["error_description"],
        "invitation not found or already used"
    );
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert!(p.contains_key("code"));
    let list: Value = client()
        .get(format!(
            "{}/__dev/organizations/{DEFAULT_ORG_ID}/invitations",
            t.domain()
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(list[0]["accepted"], true);
    assert_eq!(list[0]["accepted_by"], SECOND_USER_ID);
}

#[test]
fn invitation_for_another_email_or_expired_is_refused() {
    let t = DevTenant::start().unwrap();
    let inv = |body: Value| -> String {
        let v: Value = dev_post(
            &t,
            &format!("/organizations/{DEFAULT_ORG_NAME}/invitations"),
            &body,
        )
        .json()
        .unwrap();
        v["ticket_id"].as_str().unwrap().to_string()
    };
    let someone_else = inv(json!({"email": "third@example.com"}));
    let p = login(
        &t,
        &[
            ("organization", DEFAULT_ORG_ID),
            ("invitation", &someone_else),
        ],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(
        p["error_description"],
        "the invitation was sent to another e-mail address"
    );
    let expired = inv(json!({"email": SECOND_USER_EMAIL, "ttl_secs": 0}));
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID), ("invitation", &expired)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(p["error_description"], "invitation expired");
    // An invitation needs its organization.
    let r = client()
        .get(authorize_url(
            &t,
            &[("response_type", "code"), ("invitation", &expired)],
        ))
        .send()
        .unwrap();
    assert_eq!(params_of(&location(&r))["error"], "invalid_request");
}

#[test]
fn db_file_keeps_organizations_and_accepted_invitations() {
    let path = std::env::temp_dir().join(format!("devtenant-orgs-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let cfg = || Config {
        db: Some(path.clone()),
        ..Config::default()
    };
    let ticket = {
        let t = DevTenant::start_with(cfg()).unwrap();
        let r = dev_post(
            &t,
            "/organizations",
            &json!({"name": "kept", "members": [SECOND_USER_EMAIL]}),
        );
        assert_eq!(r.status(), 201);
        let inv: Value = dev_post(
            &t,
            &format!("/organizations/{DEFAULT_ORG_ID}/invitations"),
            &json!({"email": SECOND_USER_EMAIL}),
        )
        .json()
        .unwrap();
        let ticket = inv["ticket_id"].as_str().unwrap().to_string();
        let p = login(
            &t,
            &[("organization", DEFAULT_ORG_ID), ("invitation", &ticket)],
            SECOND_USER_EMAIL,
            SECOND_USER_PASSWORD,
        );
        assert!(p.contains_key("code"));
        ticket
    };
    let t = DevTenant::start_with(cfg()).unwrap();
    let p = login(
        &t,
        &[("organization", "kept")],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert!(p.contains_key("code"), "the created org survived");
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert!(
        p.contains_key("code"),
        "the membership from the invitation survived"
    );
    let p = login(
        &t,
        &[("organization", DEFAULT_ORG_ID), ("invitation", &ticket)],
        SECOND_USER_EMAIL,
        SECOND_USER_PASSWORD,
    );
    assert_eq!(
        p["error_description"],
        "invitation not found or already used"
    );
    drop(t);
    let _ = std::fs::remove_file(&path);
}
