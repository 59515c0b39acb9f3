//! The MFA API's enrolment side: `/mfa/associate`, `/mfa/authenticators`,
//! the `/__dev/mfa/` enrol and clear endpoints, the tenant's MFA
//! configuration and policy, and enrolments kept across restarts.
mod common;
use common::mfa::*;
use common::*;
use serde_json::{json, Value};

#[test]
fn policy_all_lets_a_new_user_enrol_through_associate() {
    let t = DevTenant::start_with(Config {
        mfa_policy: "all".into(),
        ..Config::default()
    })
    .unwrap();
    let mt = mfa_token(login(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, "openid"));
    let (s, v) = err(challenge(
        &t,
        json!({"mfa_token": mt, "challenge_type": "otp"}),
    ));
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (400, "unsupported_challenge_type")
    );
    let a = client()
        .post(format!("{}/mfa/associate", t.domain()))
        .bearer_auth(&mt)
        .json(&json!({"authenticator_types": ["otp"]}))
        .send()
        .unwrap();
    assert_eq!(a.status(), 200);
    let a: Value = a.json().unwrap();
    assert_eq!(a["authenticator_type"], "otp");
    let secret = a["secret"].as_str().unwrap().to_string();
    assert!(a["barcode_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    assert_eq!(a["recovery_codes"].as_array().unwrap().len(), 1);
    let list = |tok: &str| -> Value {
        client()
            .get(format!("{}/mfa/authenticators", t.domain()))
            .bearer_auth(tok)
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    let l = list(&mt);
    assert_eq!(l[0]["authenticator_type"], "otp");
    assert_eq!(l[0]["active"], false);
    assert_eq!(l[1]["authenticator_type"], "recovery-code");
    // Confirming with a first code activates it and logs in.
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(&secret)}),
    );
    assert_eq!(r.status(), 200);
    let mt2 = mfa_token(login(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, "openid"));
    assert_eq!(list(&mt2)[0]["active"], true);
    // Enrolled now: a further association needs an MFA API access token.
    let a = client()
        .post(format!("{}/mfa/associate", t.domain()))
        .bearer_auth(&mt2)
        .json(&json!({"authenticator_types": ["otp"]}))
        .send()
        .unwrap();
    assert_eq!(a.status(), 400);
}

#[test]
fn mfa_api_access_token_lists_and_removes_authenticators() {
    let t = DevTenant::start().unwrap();
    let e = enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(),
            "scope": "enroll read:authenticators remove:authenticators",
            "audience": format!("{}/mfa/", t.domain()),
            "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
        }),
    );
    let mt = mfa_token(r);
    let at: Value = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    )
    .json()
    .unwrap();
    let at = at["access_token"].as_str().unwrap().to_string();
    let l: Value = client()
        .get(format!("{}/mfa/authenticators", t.domain()))
        .bearer_auth(&at)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(l[0]["id"], e["id"]);
    let unauth = client()
        .get(format!("{}/mfa/authenticators", t.domain()))
        .send()
        .unwrap();
    assert_eq!(unauth.status(), 401);
    let id = e["id"].as_str().unwrap().replace('|', "%7C");
    let d = client()
        .delete(format!("{}/mfa/authenticators/{id}", t.domain()))
        .bearer_auth(&at)
        .send()
        .unwrap();
    assert_eq!(d.status(), 204);
    assert_eq!(
        login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid").status(),
        200,
        "no authenticator left: no MFA"
    );
}

#[test]
fn enrolments_can_be_seeded_by_config_and_cleared() {
    let t = DevTenant::start_with(Config {
        mfa_enrollments: vec![EnrollmentConfig {
            user: TEST_USER_EMAIL.into(),
            kind: "otp".into(),
            secret: Some(SECRET.into()),
            recovery_code: Some("SEEDEDRECOVERYCODE000001".into()),
            ..EnrollmentConfig::default()
        }],
        ..Config::default()
    })
    .unwrap();
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let r = token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": "SEEDEDRECOVERYCODE000001"}),
    );
    assert_eq!(r.status(), 200);
    let e: Value = client()
        .get(format!(
            "{}/__dev/mfa/enrollments?user={TEST_USER_EMAIL}",
            t.domain()
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(e["authenticators"][0]["secret"], SECRET);
    let d = client()
        .delete(format!(
            "{}/__dev/mfa/enrollments?user={TEST_USER_EMAIL}",
            t.domain()
        ))
        .send()
        .unwrap();
    assert_eq!(d.status(), 204);
    assert_eq!(
        login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid").status(),
        200
    );
}

#[test]
fn dev_enroll_rejects_bad_input_by_name() {
    let t = DevTenant::start().unwrap();
    let r = dev_post(
        &t,
        "/mfa/enroll",
        &json!({"user": TEST_USER_EMAIL, "type": "sms"}),
    );
    assert_eq!(
        err(r),
        (
            400,
            json!({"error": "invalid_request", "error_description": "type must be otp or oob"})
        )
    );
    let r = dev_post(
        &t,
        "/mfa/enroll",
        &json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": "not base32!"}),
    );
    assert_eq!(err(r).1["error_description"], "secret must be base32");
    let r = dev_post(
        &t,
        "/mfa/enroll",
        &json!({"user": "nobody@example.com", "type": "otp"}),
    );
    assert_eq!(r.status(), 404);
    let r = dev_post(
        &t,
        "/mfa/enroll",
        &json!({"user": TEST_USER_EMAIL, "type": "oob", "oob_channel": "sms"}),
    );
    assert_eq!(
        err(r).1["error_description"],
        "phone_number is required for sms and voice"
    );
}

#[test]
fn mfa_token_belongs_to_the_client_it_was_issued_to() {
    let other = ClientConfig {
        client_id: "devtenantOtherClient000000000002".into(),
        ..ClientConfig::default()
    };
    let t = DevTenant::start_with(Config {
        clients: vec![ClientConfig::default(), other],
        ..Config::default()
    })
    .unwrap();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let body = json!({"grant_type": GRANT_OTP, "client_id": "devtenantOtherClient000000000002",
                      "mfa_token": mt, "otp": totp(SECRET)});
    let (s, v) = err(post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &body,
    ));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (403, "Malformed mfa_token")
    );
    let c = post_json(
        &client(),
        &format!("{}/mfa/challenge", t.domain()),
        &json!({"client_id": "devtenantOtherClient000000000002", "mfa_token": mt, "challenge_type": "otp"}),
    );
    assert_eq!(c.status(), 403);
    // Still good for its own client.
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    );
    assert_eq!(r.status(), 200);
}

#[test]
fn bad_mfa_config_fails_the_start_with_a_named_error() {
    let e = DevTenant::start_with(Config {
        mfa_policy: "always".into(),
        ..Config::default()
    })
    .err()
    .unwrap();
    assert_eq!(e.to_string(), "mfa_policy must be \"enrolled\" or \"all\"");
    let e = DevTenant::start_with(Config {
        mfa_enrollments: vec![EnrollmentConfig {
            user: "nobody@example.com".into(),
            kind: "otp".into(),
            ..EnrollmentConfig::default()
        }],
        ..Config::default()
    })
    .err()
    .unwrap();
    assert_eq!(
        e.to_string(),
        "mfa_enrollments: unknown user nobody@example.com"
    );
}

#[test]
fn db_file_keeps_enrolments_and_recovery_codes_across_restarts() {
    let path = std::env::temp_dir().join(format!("devtenant-mfa-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let cfg = || Config {
        db: Some(path.clone()),
        ..Config::default()
    };
    let fresh = {
        let t = DevTenant::start_with(cfg()).unwrap();
        let e = enroll(
            &t,
            json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
        );
        let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
        let r = token(
            &t,
            json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": e["recovery_code"]}),
        );
        r.json::<Value>().unwrap()["recovery_code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let t = DevTenant::start_with(cfg()).unwrap();
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let r = token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": fresh}),
    );
    assert_eq!(r.status(), 200, "the rotated recovery code was persisted");
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    );
    assert_eq!(r.status(), 200);
    drop(t);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn mfa_policy_is_settable_at_run_time() {
    let t = DevTenant::start().unwrap();
    let set = |p: &str| {
        let r = post_json(
            &client(),
            &format!("{}/__dev/settings", t.domain()),
            &json!({"mfa_policy": p}),
        );
        assert_eq!(r.json::<Value>().unwrap()["mfa_policy"], p);
    };
    set("all");
    mfa_token(login(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, "openid"));
    set("enrolled");
    assert_eq!(
        login(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, "openid").status(),
        200
    );
}
