//! Management API v2: users, user_metadata, identities.
mod common;
use common::*;
use serde_json::{json, Value};

fn user_url(t: &DevTenant, id: &str) -> String {
    format!(
        "{}/api/v2/users/{}",
        t.domain(),
        url::form_urlencoded::byte_serialize(id.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    )
}

#[test]
fn get_own_user_with_an_access_token() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let r = client()
        .get(user_url(&t, TEST_USER_ID))
        .bearer_auth(tok)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["user_id"], TEST_USER_ID);
    assert_eq!(v["identities"][0]["provider"], "auth0");
}

#[test]
fn get_own_user_with_the_id_token() {
    let t = DevTenant::start().unwrap();
    let id = tokens(&t, "openid", None)["id_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = client()
        .get(user_url(&t, TEST_USER_ID))
        .bearer_auth(id)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn token_of_another_user_is_403() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let r = client()
        .get(user_url(&t, SECOND_USER_ID))
        .bearer_auth(tok)
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    let v: Value = r.json().unwrap();
    assert_eq!(v["statusCode"], 403);
    assert_eq!(v["error"], "Forbidden");
}

#[test]
fn missing_token_is_401_in_management_shape() {
    let t = DevTenant::start().unwrap();
    let r = client().get(user_url(&t, TEST_USER_ID)).send().unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().unwrap();
    assert_eq!(v["statusCode"], 401);
    assert_eq!(v["error"], "Unauthorized");
    assert!(v["message"].is_string());
}

#[test]
fn missing_scope_is_403_insufficient_scope() {
    let t = DevTenant::start().unwrap();
    let v = tokens(&t, "openid", Some(&format!("{}/api/v2/", t.domain())));
    let r = client()
        .get(user_url(&t, TEST_USER_ID))
        .bearer_auth(v["access_token"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap()["errorCode"],
        "insufficient_scope"
    );
}

#[test]
fn patch_merges_user_metadata_and_null_deletes() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let c = client();
    let r = c
        .patch(user_url(&t, TEST_USER_ID))
        .bearer_auth(&tok)
        .json(&json!({"user_metadata": {"a": 1, "b": {"x": 1}}}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .patch(user_url(&t, TEST_USER_ID))
        .bearer_auth(&tok)
        .json(&json!({"user_metadata": {"a": null, "c": "3"}}))
        .send()
        .unwrap();
    assert_eq!(
        r.json::<Value>().unwrap()["user_metadata"],
        json!({"b": {"x": 1}, "c": "3"})
    );
}

#[test]
fn patch_with_a_non_object_body_is_400() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let r = client()
        .patch(user_url(&t, TEST_USER_ID))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .body("[1]")
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().unwrap()["statusCode"], 400);
}

#[test]
fn user_ids_with_reserved_and_non_ascii_characters_round_trip() {
    let odd = "auth0|a/b?c#d e-é";
    let cfg = Config {
        users: vec![UserConfig {
            user_id: odd.into(),
            email: "odd@example.com".into(),
            password: "Odd-Passw0rd".into(),
            ..UserConfig::default()
        }],
        ..Config::default()
    };
    let t = DevTenant::start_with(cfg).unwrap();
    let tok = mgmt_token(&t, "odd@example.com", "Odd-Passw0rd");
    let r = client()
        .get(user_url(&t, odd))
        .bearer_auth(tok)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap()["user_id"], odd);
}

#[test]
fn link_then_unlink_an_identity() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let secondary = tokens_for(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD);
    let c = client();
    let r = c
        .post(format!("{}/identities", user_url(&t, TEST_USER_ID)))
        .bearer_auth(&tok)
        .json(&json!({"link_with": secondary}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let ids: Value = r.json().unwrap();
    assert_eq!(ids.as_array().unwrap().len(), 2);
    let sec_part = SECOND_USER_ID.split_once('|').unwrap().1;
    assert_eq!(ids[1]["user_id"], sec_part);
    let r = c
        .delete(format!(
            "{}/identities/auth0/{sec_part}",
            user_url(&t, TEST_USER_ID)
        ))
        .bearer_auth(&tok)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap().as_array().unwrap().len(), 1);
}

#[test]
fn linked_away_user_is_404_inexistent_user() {
    let t = DevTenant::start().unwrap();
    let tok = mgmt_token(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD);
    let sec_tok = mgmt_token(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD);
    let r = client()
        .post(format!("{}/identities", user_url(&t, TEST_USER_ID)))
        .bearer_auth(&tok)
        .json(&json!({"link_with": sec_tok}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = client()
        .get(user_url(&t, SECOND_USER_ID))
        .bearer_auth(&sec_tok)
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().unwrap()["errorCode"], "inexistent_user");
}

fn tokens_for(t: &DevTenant, user: &str, pw: &str) -> String {
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": user, "password": pw, "scope": "openid",
        }),
    );
    r.json::<Value>().unwrap()["id_token"]
        .as_str()
        .unwrap()
        .to_string()
}
