//! The MFA API's login side: `mfa_required`, `/mfa/challenge`, the mfa-otp /
//! mfa-oob / mfa-recovery-code grants, MFA on the passwordless and refresh
//! grants, and the `/__dev/mfa/` TOTP. Enrolment: mfa_enrolment.rs.
mod common;
use common::mfa::*;
use common::*;
use serde_json::{json, Value};

#[test]
fn otp_enrolled_user_gets_mfa_required_then_tokens_with_the_code() {
    let t = DevTenant::start().unwrap();
    let e = enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    assert_eq!(e["authenticator_type"], "otp");
    assert_eq!(e["secret"], SECRET);
    assert!(e["id"].as_str().unwrap().starts_with("totp|"));
    // Users without an authenticator log in as before.
    assert_eq!(
        login(&t, SECOND_USER_EMAIL, SECOND_USER_PASSWORD, "openid").status(),
        200
    );
    let mt = mfa_token(login(
        &t,
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
        "openid offline_access",
    ));
    let c = challenge(&t, json!({"mfa_token": mt, "challenge_type": "otp"}));
    assert_eq!(c.status(), 200);
    assert_eq!(c.json::<Value>().unwrap(), json!({"challenge_type": "otp"}));
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": "000000x"}),
    ));
    assert_eq!(
        (s, v),
        (
            403,
            json!({"error": "invalid_grant", "error_description": "Invalid otp_code."})
        )
    );
    // A wrong code does not spend the mfa_token.
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    );
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert!(v["access_token"].is_string() && v["id_token"].is_string());
    assert!(v["refresh_token"].is_string());
    let (_, c) = decode(v["id_token"].as_str().unwrap());
    assert_eq!(c["sub"], TEST_USER_ID);
    // Single use.
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    ));
    assert_eq!((s, v["error"].as_str().unwrap()), (403, "invalid_grant"));
    assert_eq!(v["error_description"], "Malformed mfa_token");
}

#[test]
fn dev_totp_endpoint_agrees_with_rfc_6238() {
    let t = DevTenant::start().unwrap();
    let v: Value = client()
        .get(format!("{}/__dev/mfa/totp?secret={SECRET}", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let mine = totp(SECRET);
    // The step may tick between the two computations; then retry once.
    let theirs = v["code"].as_str().unwrap();
    if theirs != mine {
        let v: Value = client()
            .get(format!("{}/__dev/mfa/totp?secret={SECRET}", t.domain()))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(v["code"].as_str().unwrap(), totp(SECRET));
    }
    // RFC 6238 appendix B, T = 59: 94287082 -> the last 6 digits.
    let v: Value = client()
        .get(format!(
            "{}/__dev/mfa/totp?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&time=59",
            t.domain()
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(v["code"], "287082");
}

#[test]
fn mfa_token_expires_and_unknown_tokens_are_refused() {
    let t = DevTenant::start_with(Config {
        mfa_token_lifetime_secs: 0,
        ..Config::default()
    })
    .unwrap();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    ));
    assert_eq!(
        (s, v),
        (
            403,
            json!({"error": "expired_token", "error_description": "mfa_token is expired"})
        )
    );
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": "nope", "otp": "123456"}),
    ));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (403, "Malformed mfa_token")
    );
    let (s, v) = err(token(&t, json!({"grant_type": GRANT_OTP, "otp": "123456"})));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (400, "Missing required parameter: mfa_token")
    );
}

#[test]
fn oob_push_is_pending_until_approved_through_the_dev_endpoint() {
    let t = DevTenant::start_with(Config {
        mfa_oob_interval_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let e = enroll(&t, json!({"user": TEST_USER_EMAIL, "type": "oob"}));
    assert_eq!(e["oob_channel"], "auth0");
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let c: Value = challenge(&t, json!({"mfa_token": mt, "challenge_type": "oob"}))
        .json()
        .unwrap();
    assert_eq!(c["challenge_type"], "oob");
    assert!(c.get("binding_method").is_none());
    let oob = c["oob_code"].as_str().unwrap().to_string();
    let poll = || {
        token(
            &t,
            json!({"grant_type": GRANT_OOB, "mfa_token": mt, "oob_code": oob}),
        )
    };
    let (s, v) = err(poll());
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (400, "authorization_pending")
    );
    let pending: Value = client()
        .get(format!("{}/__dev/mfa/pending", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(pending[0]["oob_code"], oob.as_str());
    assert_eq!(pending[0]["status"], "pending");
    let a = dev_post(&t, "/mfa/approve", &json!({"oob_code": oob}));
    assert_eq!(a.status(), 200);
    let r = poll();
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().unwrap()["id_token"].is_string());
    // Nothing left to approve.
    assert_eq!(dev_post(&t, "/mfa/approve", &json!({})).status(), 404);
}

#[test]
fn oob_polling_too_fast_is_slow_down_and_rejection_is_invalid_grant() {
    let t = DevTenant::start().unwrap();
    enroll(&t, json!({"user": TEST_USER_EMAIL, "type": "oob"}));
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let c: Value = challenge(&t, json!({"mfa_token": mt, "challenge_type": "oob"}))
        .json()
        .unwrap();
    let oob = c["oob_code"].as_str().unwrap().to_string();
    let poll = || {
        token(
            &t,
            json!({"grant_type": GRANT_OOB, "mfa_token": mt, "oob_code": oob}),
        )
    };
    assert_eq!(err(poll()).1["error"], "authorization_pending");
    let (s, v) = err(poll());
    assert_eq!((s, v["error"].as_str().unwrap()), (400, "slow_down"));
    let a = dev_post(
        &t,
        "/mfa/approve",
        &json!({"user": TEST_USER_EMAIL, "approve": false}),
    );
    assert_eq!(a.json::<Value>().unwrap()[0]["status"], "denied");
    let (s, v) = err(poll());
    assert_eq!(
        (s, v),
        (
            403,
            json!({"error": "invalid_grant", "error_description": "MFA Authorization rejected."})
        )
    );
}

#[test]
fn oob_sms_sends_a_binding_code_to_the_outbox() {
    let t = DevTenant::start().unwrap();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "oob", "oob_channel": "sms", "phone_number": "+15550001"}),
    );
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let c: Value = challenge(
        &t,
        json!({"mfa_token": mt, "challenge_type": "oob", "oob_channel": "sms"}),
    )
    .json()
    .unwrap();
    assert_eq!(c["binding_method"], "prompt");
    let oob = c["oob_code"].as_str().unwrap();
    let out: Value = client()
        .get(format!("{}/__dev/outbox?to=%2B15550001", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(out[0]["kind"], "mfa_code");
    let code = out[0]["code"].as_str().unwrap();
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_OOB, "mfa_token": mt, "oob_code": oob, "binding_code": "999999x"}),
    ));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (403, "Invalid binding_code.")
    );
    let r = token(
        &t,
        json!({"grant_type": GRANT_OOB, "mfa_token": mt, "oob_code": oob, "binding_code": code}),
    );
    assert_eq!(r.status(), 200);
}

#[test]
fn recovery_code_logs_in_once_and_a_new_one_is_answered() {
    let t = DevTenant::start().unwrap();
    let e = enroll(&t, json!({"user": TEST_USER_EMAIL, "type": "otp"}));
    let rc = e["recovery_code"].as_str().unwrap().to_string();
    assert_eq!(rc.len(), 24);
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let (s, v) = err(token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": "WRONGWRONGWRONGWRONGWRON"}),
    ));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (403, "Invalid recovery_code.")
    );
    let r = token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": rc}),
    );
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    let fresh = v["recovery_code"].as_str().unwrap();
    assert_ne!(fresh, rc);
    assert!(v["access_token"].is_string());
    let mt = mfa_token(login(&t, TEST_USER_EMAIL, TEST_USER_PASSWORD, "openid"));
    let used = token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": rc}),
    );
    assert_eq!(used.status(), 403);
    let ok = token(
        &t,
        json!({"grant_type": GRANT_RECOVERY, "mfa_token": mt, "recovery_code": fresh}),
    );
    assert_eq!(ok.status(), 200);
}

#[test]
fn passwordless_otp_grant_asks_enrolled_users_for_mfa() {
    let t = DevTenant::start().unwrap();
    let email = "pwless@example.com";
    let start = || {
        let r = post_json(
            &client(),
            &format!("{}/passwordless/start", t.domain()),
            &json!({"client_id": t.client_id(), "connection": "email", "email": email, "send": "code"}),
        );
        assert_eq!(r.status(), 200);
        let out: Value = client()
            .get(format!("{}/__dev/outbox?to={email}", t.domain()))
            .send()
            .unwrap()
            .json()
            .unwrap();
        out.as_array().unwrap().last().unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let grant = |code: String| {
        token(
            &t,
            json!({"grant_type": "http://auth0.com/oauth/grant-type/passwordless/otp",
                   "realm": "email", "username": email, "otp": code, "scope": "openid"}),
        )
    };
    assert_eq!(grant(start()).status(), 200, "the user exists now");
    enroll(&t, json!({"user": email, "type": "otp", "secret": SECRET}));
    let mt = mfa_token(grant(start()));
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    );
    assert_eq!(r.status(), 200);
    let (_, c) = decode(r.json::<Value>().unwrap()["id_token"].as_str().unwrap());
    assert!(c["sub"].as_str().unwrap().starts_with("email|"));
}

#[test]
fn refresh_grant_asks_for_mfa_when_mfa_on_refresh_is_set() {
    let t = DevTenant::start().unwrap();
    let rt = tokens(&t, "openid offline_access", None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let refresh = |rt: &str| {
        token(
            &t,
            json!({"grant_type": "refresh_token", "refresh_token": rt}),
        )
    };
    // Off (the default, as Auth0): refresh tokens do not trigger MFA.
    let r = refresh(&rt);
    assert_eq!(r.status(), 200);
    let rt = r.json::<Value>().unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let s = post_json(
        &client(),
        &format!("{}/__dev/settings", t.domain()),
        &json!({"mfa_on_refresh": true}),
    );
    assert_eq!(s.status(), 200);
    let mt = mfa_token(refresh(&rt));
    let r = token(
        &t,
        json!({"grant_type": GRANT_OTP, "mfa_token": mt, "otp": totp(SECRET)}),
    );
    assert_eq!(r.status(), 200);
    let rt2 = r.json::<Value>().unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(rt2, rt);
    // The MFA answer rotated the presented token: it is in the same family.
    assert_eq!(refresh(&rt).status(), 403);
    assert_eq!(refresh(&rt2).status(), 403, "reuse revoked the family");
}
