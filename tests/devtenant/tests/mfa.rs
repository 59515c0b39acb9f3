//! The MFA API: `mfa_required`, `/mfa/challenge`, the mfa-otp / mfa-oob /
//! mfa-recovery-code grants, `/mfa/associate`, `/mfa/authenticators`, and
//! the `/__dev/mfa/` endpoints.
mod common;
use common::*;
use reqwest::blocking::Response;
use serde_json::{json, Value};

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const GRANT_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
const GRANT_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
const GRANT_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// RFC 4648 base32, computed here independently of the tenant.
fn base32(s: &str) -> Vec<u8> {
    let a = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buf, mut bits, mut out) = (0u64, 0, Vec::new());
    for c in s.bytes() {
        buf = (buf << 5) | a.iter().position(|x| *x == c).unwrap() as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) now.
fn totp(secret_b32: &str) -> String {
    let key = aws_lc_rs::hmac::Key::new(
        aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        &base32(secret_b32),
    );
    let step = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30;
    let h = aws_lc_rs::hmac::sign(&key, &step.to_be_bytes());
    let h = h.as_ref();
    let o = (h[19] & 15) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

fn dev_post(t: &DevTenant, path: &str, body: &Value) -> Response {
    post_json(&client(), &format!("{}/__dev{path}", t.domain()), body)
}

fn enroll(t: &DevTenant, body: Value) -> Value {
    let r = dev_post(t, "/mfa/enroll", &body);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn login(t: &DevTenant, user: &str, password: &str, scope: &str) -> Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "scope": scope,
            "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": user, "password": password,
        }),
    )
}

/// The mfa_token of an `mfa_required` answer (asserting its exact shape).
fn mfa_token(r: Response) -> String {
    assert_eq!(r.status(), 403);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error"], "mfa_required");
    assert_eq!(
        v["error_description"],
        "Multifactor authentication required"
    );
    assert_eq!(v.as_object().unwrap().len(), 3);
    v["mfa_token"].as_str().unwrap().to_string()
}

fn token(t: &DevTenant, body: Value) -> Response {
    let mut b = body;
    b["client_id"] = json!(t.client_id());
    post_json(&client(), &format!("{}/oauth/token", t.domain()), &b)
}

fn challenge(t: &DevTenant, body: Value) -> Response {
    let mut b = body;
    b["client_id"] = json!(t.client_id());
    post_json(&client(), &format!("{}/mfa/challenge", t.domain()), &b)
}

fn err(r: Response) -> (u16, Value) {
    (r.status().as_u16(), r.json().unwrap())
}

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
