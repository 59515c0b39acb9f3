//! `Management`: getUser, patchUserMetadata, linkUser, unlinkUser against
//! the dev tenant's Management API, with rate limits and awkward user ids.

mod common;

use auth0_devtenant::{
    Config, DevTenant, UserConfig, SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD,
    TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD,
};
use auth0_native::{ErrorKind, Management, WebAuth};
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};

const SCOPES: &str =
    "openid read:current_user update:current_user_metadata update:current_user_identities";

fn web(domain: &str, client_id: &str) -> WebAuth {
    WebAuth::new(&json!({"domain": domain, "clientID": client_id})).unwrap()
}

/// A Management API access token for a user (password-realm + audience).
fn mgmt_token(domain: &str, client_id: &str, user: &str, password: &str, scope: &str) -> String {
    web(domain, client_id)
        .client()
        .login(
            &json!({"username": user, "password": password, "realm": CONNECTION,
                       "audience": format!("{domain}/api/v2/"), "scope": scope}),
        )
        .unwrap()
        .access_token
        .unwrap()
        .into_secret()
}

fn mgmt(t: &Tenant, extra: Value) -> Management {
    let token = mgmt_token(
        &t.domain(),
        &t.client_id(),
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
        SCOPES,
    );
    let mut o = json!({"domain": t.domain(), "token": token});
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    Management::new(&o).unwrap()
}

#[test]
fn get_user_returns_the_users_own_profile() {
    let t = Tenant::start();
    let user = mgmt(&t, json!({})).get_user(TEST_USER_ID).unwrap();
    assert_eq!(user.user_id, TEST_USER_ID);
    assert_eq!(user.email.as_deref(), Some(TEST_USER_EMAIL));
    assert_eq!(user.identities[0].provider, "auth0");
    assert!(user.created_at.is_some(), "{user:?}");
}

#[test]
fn the_user_id_reaches_the_server_percent_encoded_as_one_segment() {
    let t = Tenant::start();
    mgmt(&t, json!({})).get_user(TEST_USER_ID).unwrap();
    let reqs = t.dev_get("requests?path=/api/v2/users");
    assert_eq!(
        reqs[0]["path"],
        "/api/v2/users/auth0%7C6f0000000000000000000001"
    );
}

#[test]
fn patch_user_metadata_merges_top_level_keys() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    m.patch_user_metadata(TEST_USER_ID, &json!({"theme": "dark", "lang": "en"}))
        .unwrap();
    let user = m
        .patch_user_metadata(TEST_USER_ID, &json!({"lang": "fr", "theme": null}))
        .unwrap();
    assert_eq!(
        Value::Object(user.user_metadata.unwrap()),
        json!({"lang": "fr"})
    );
    let body = t.dev_get("requests?path=/api/v2/users");
    let last = body.as_array().unwrap().last().unwrap();
    let sent: Value = serde_json::from_str(last["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        sent,
        json!({"user_metadata": {"lang": "fr", "theme": null}})
    );
}

#[test]
fn bad_arguments_are_refused_with_v8s_messages() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    assert_eq!(
        m.get_user("").unwrap_err().description(),
        "userId parameter is not valid"
    );
    assert_eq!(
        m.patch_user_metadata(TEST_USER_ID, &json!("x"))
            .unwrap_err()
            .description(),
        "userMetadata parameter is not valid"
    );
    assert_eq!(
        m.link_user(TEST_USER_ID, "").unwrap_err().description(),
        "secondaryUserToken parameter is not valid"
    );
    assert_eq!(
        m.unlink_user(TEST_USER_ID, "", "1")
            .unwrap_err()
            .description(),
        "provider parameter is not valid"
    );
}

#[test]
fn a_bad_token_is_a_401() {
    let t = Tenant::start();
    let m = Management::new(&json!({"domain": t.domain(), "token": "garbage"})).unwrap();
    let e = m.get_user(TEST_USER_ID).unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(401)));
}

#[test]
fn another_users_profile_is_a_403() {
    let t = Tenant::start();
    let e = mgmt(&t, json!({})).get_user(SECOND_USER_ID).unwrap_err();
    assert_eq!(e.status_code(), Some(403));
}

#[test]
fn a_token_without_the_scope_is_a_403() {
    let t = Tenant::start();
    let token = mgmt_token(
        &t.domain(),
        &t.client_id(),
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
        "openid read:current_user",
    );
    let m = Management::new(&json!({"domain": t.domain(), "token": token})).unwrap();
    let e = m
        .patch_user_metadata(TEST_USER_ID, &json!({"a": 1}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(403));
}

#[test]
fn an_unknown_user_is_a_404_with_the_apis_message() {
    let t = Tenant::start();
    // A valid token for a user the tenant does not have.
    let token = t.sign(
        json!({"sub": "auth0|ghost", "aud": format!("{}/api/v2/", t.domain()), "scope": SCOPES}),
        json!({}),
    );
    let m = Management::new(&json!({"domain": t.domain(), "token": token})).unwrap();
    let e = m.get_user("auth0|ghost").unwrap_err();
    assert_eq!(e.status_code(), Some(404));
    let message = e.original().unwrap()["message"]
        .as_str()
        .expect("a Management message");
    assert_eq!(
        e.description(),
        message,
        "Part A keeps the Management message"
    );
}

#[test]
fn a_429_is_waited_out_by_default() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    t.fault(json!({"path": "/api/v2/users", "status": 429, "retry_after": 1, "count": 1}));
    let started = std::time::Instant::now();
    assert_eq!(m.get_user(TEST_USER_ID).unwrap().user_id, TEST_USER_ID);
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
}

#[test]
fn with_retry_false_a_429_reports_retry_after_at_once() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({"retry": false}));
    t.fault(json!({"path": "/api/v2/users", "status": 429, "retry_after": 1, "count": 1}));
    let e = m.get_user(TEST_USER_ID).unwrap_err();
    assert_eq!(
        (e.code(), e.status_code(), e.retry_after()),
        ("rate_limited", Some(429), Some(1))
    );
    assert_eq!(e.to_json()["retryAfter"], 1);
    assert!(
        m.get_user(TEST_USER_ID).is_ok(),
        "the fault was for one request only"
    );
}

#[test]
fn a_get_user_answer_that_is_an_html_page_is_an_invalid_response() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    t.fault(json!({"path": "/api/v2/users", "body": "<html><body>Sign in to the hotel Wi-Fi</body></html>"}));
    let e = m.get_user(TEST_USER_ID).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status_code()),
        (ErrorKind::Server, "invalid_response", Some(200))
    );
}

#[test]
fn overlong_ids_are_refused_before_anything_is_sent() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    let before = t
        .dev_get("requests?path=/api/v2/users")
        .as_array()
        .unwrap()
        .len();
    let huge = "a".repeat(10 * 1024 * 1024);
    let checks: [(&str, auth0_native::Error); 5] = [
        ("userId", m.get_user(&huge).unwrap_err()),
        (
            "userId",
            m.patch_user_metadata(&huge, &json!({})).unwrap_err(),
        ),
        (
            "secondaryUserToken",
            m.link_user(TEST_USER_ID, &huge).unwrap_err(),
        ),
        (
            "provider",
            m.unlink_user(TEST_USER_ID, &huge, "1").unwrap_err(),
        ),
        (
            "identityUserId",
            m.unlink_user(TEST_USER_ID, "auth0", &huge).unwrap_err(),
        ),
    ];
    for (name, e) in checks {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(
            e.description()
                .starts_with(&format!("{name} parameter is not valid")),
            "{e}"
        );
    }
    let after = t
        .dev_get("requests?path=/api/v2/users")
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing was sent");
}

#[test]
fn with_retry_a_429_is_retried_after_the_servers_delay() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({"retry": {"maxAttempts": 3, "maxDelayMs": 2000}}));
    t.fault(json!({"path": "/api/v2/users", "status": 429, "retry_after": 1, "count": 1}));
    let started = std::time::Instant::now();
    let user = m
        .patch_user_metadata(TEST_USER_ID, &json!({"k": 1}))
        .unwrap();
    assert_eq!(user.user_metadata.unwrap()["k"], 1);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "waited for Retry-After"
    );
}

#[test]
fn with_retry_a_5xx_is_retried_for_get_but_never_for_patch() {
    let t = Tenant::start();
    let m = mgmt(
        &t,
        json!({"retry": {"maxAttempts": 3, "baseDelayMs": 10, "maxDelayMs": 50}}),
    );
    t.fault(json!({"path": "/api/v2/users", "status": 503, "count": 1}));
    assert!(m.get_user(TEST_USER_ID).is_ok());
    t.fault(json!({"path": "/api/v2/users", "status": 503, "count": 1}));
    let e = m
        .patch_user_metadata(TEST_USER_ID, &json!({"k": 2}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503));
}

#[test]
fn link_then_unlink_an_identity() {
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    let secondary = web(&t.domain(), &t.client_id())
        .client()
        .login(&json!({"username": SECOND_USER_EMAIL, "password": SECOND_USER_PASSWORD, "realm": CONNECTION, "scope": "openid"}))
        .unwrap();
    let identities = m
        .link_user(TEST_USER_ID, secondary.id_token.as_ref().unwrap().secret())
        .unwrap();
    let ids: Vec<&str> = identities.iter().map(|i| i.user_id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{identities:?}");
    let (provider, id) = SECOND_USER_ID.split_once('|').unwrap();
    assert!(ids.contains(&id));
    let linked = identities.iter().find(|i| i.user_id == id).unwrap();
    assert_eq!(linked.provider, provider);
    assert_eq!(linked.connection, CONNECTION);
    assert!(!linked.is_social);
    assert_eq!(
        linked.profile_data.as_ref().unwrap()["email"],
        SECOND_USER_EMAIL
    );
    let left = m.unlink_user(TEST_USER_ID, provider, id).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].user_id, identities[0].user_id);
}

#[test]
fn ids_with_reserved_and_non_ascii_characters_round_trip() {
    let odd = "google-oauth2|1/2?x#y z é";
    let mut config = Config::default();
    config.users.push(UserConfig {
        user_id: odd.into(),
        connection: CONNECTION.into(),
        email: "odd@example.com".into(),
        password: "Odd-Passw0rd-1".into(),
        ..UserConfig::default()
    });
    let dev = DevTenant::start_with(config).unwrap();
    let token = mgmt_token(
        &dev.domain(),
        dev.client_id(),
        "odd@example.com",
        "Odd-Passw0rd-1",
        SCOPES,
    );
    let m = Management::new(&json!({"domain": dev.domain(), "token": token})).unwrap();
    assert_eq!(m.get_user(odd).unwrap().user_id, odd);
    let user = m.patch_user_metadata(odd, &json!({"x": true})).unwrap();
    assert_eq!(user.user_metadata.unwrap()["x"], true);
}

#[test]
fn a_bad_request_is_a_400_with_the_apis_message() {
    let t = Tenant::start();
    // The API refuses a secondary token that is not a valid JWT.
    let e = mgmt(&t, json!({}))
        .link_user(TEST_USER_ID, "not-a-jwt")
        .unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(400)));
    let message = e.original().unwrap()["message"]
        .as_str()
        .expect("a Management message");
    assert_eq!(e.description(), message);
}

#[test]
fn an_identity_id_sent_as_a_number_reads_as_text() {
    // Auth0 sends the `user_id` of some social identities (GitHub, Twitter)
    // as a JSON number.
    let t = Tenant::start();
    let m = mgmt(&t, json!({}));
    t.fault(
        json!({"method": "POST", "path": "/api/v2/users/", "content_type": "application/json",
        "body": r#"[{"connection": "Username-Password-Authentication", "provider": "auth0",
                     "user_id": "6f0000000000000000000001", "isSocial": false},
                    {"connection": "github", "provider": "github", "user_id": 1234567,
                     "isSocial": true, "access_token": "gho_idp_secret",
                     "profileData": {"nickname": "ann"}}]"#}),
    );
    let identities = m.link_user(TEST_USER_ID, "any-token").unwrap();
    let github = &identities[1];
    assert_eq!(
        (
            github.provider.as_str(),
            github.user_id.as_str(),
            github.is_social
        ),
        ("github", "1234567", true)
    );
    assert_eq!(
        github.access_token.as_ref().map(|t| t.secret()),
        Some("gho_idp_secret")
    );
    assert!(!format!("{identities:?}").contains("gho_idp_secret"));
}
