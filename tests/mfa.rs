//! MFA against the dev tenant: `mfa_required` from a password login, then
//! the MFA API (challenge, verify with an OTP, an out-of-band code or a
//! recovery code, authenticators, associate).

mod common;

use auth0_devtenant::{Config, TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::mfa::{
    MfaAssociateOptions, MfaAuthenticatorsOptions, MfaChallengeOptions, MfaVerifyOptions,
};
use auth0_native::secret::{MfaToken, OobCode, Otp, RecoveryCode};
use auth0_native::{CancelToken, Error, ErrorKind, WebAuth};
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};
use std::time::Duration;

const SECRET: &str = "JBSWY3DPEHPK3PXP";

fn login(web: &WebAuth) -> Result<auth0_native::AuthResult, Error> {
    web.client().login(
        &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                               "realm": CONNECTION, "scope": "openid profile email"}),
    )
}

/// The `mfa_required` error of a password login, and its token.
fn mfa_token(web: &WebAuth) -> MfaToken {
    let e = login(web).expect_err("an enrolled user must pass MFA");
    assert_eq!(e.code(), "mfa_required", "{e}");
    e.mfa_token()
        .expect("mfa_required carries the mfa_token")
        .clone()
}

fn totp(t: &Tenant, secret: &str) -> Otp {
    Otp::new(
        t.dev_get(&format!("mfa/totp?secret={secret}"))["code"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

fn enroll(t: &Tenant, body: Value) -> Value {
    t.dev_post("mfa/enroll", body)
}

fn verify(web: &WebAuth, o: MfaVerifyOptions) -> Result<auth0_native::mfa::MfaVerifyResult, Error> {
    web.client().mfa_verify(&o, &CancelToken::new())
}

#[test]
fn an_enrolled_user_gets_mfa_required_with_its_token_kept_secret() {
    let t = Tenant::start();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let e = login(&t.web(json!({}))).unwrap_err();
    assert_eq!(e.code(), "mfa_required");
    assert_eq!(e.kind(), ErrorKind::Authorization);
    assert_eq!(e.status_code(), Some(403));
    let token = e.mfa_token().unwrap().secret().to_owned();
    assert!(!token.is_empty());
    assert!(!format!("{e:?}").contains(&token));
    assert!(!e.to_string().contains(&token));
    assert!(!e.original().unwrap().to_string().contains(&token));
    assert_eq!(e.to_json()["mfaToken"], token.as_str());
}

#[test]
fn an_otp_completes_the_login_with_a_verified_id_token() {
    let t = Tenant::start();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let challenge = web
        .client()
        .mfa_challenge(&MfaChallengeOptions {
            mfa_token: token.clone(),
            challenge_type: Some("otp".into()),
            ..MfaChallengeOptions::default()
        })
        .unwrap();
    assert_eq!(challenge.challenge_type, "otp");
    assert!(challenge.oob_code.is_none());
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token,
            otp: Some(totp(&t, SECRET)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap();
    assert!(r.auth_result.access_token.is_some());
    assert_eq!(
        r.auth_result.id_token_payload.unwrap().subject(),
        TEST_USER_ID
    );
    assert!(r.recovery_code.is_none());
}

#[test]
fn a_wrong_otp_is_refused_and_leaves_the_mfa_token_usable() {
    let t = Tenant::start();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let good = totp(&t, SECRET);
    let wrong = format!(
        "{:06}",
        (good.secret().parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let e = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token.clone(),
            otp: Some(Otp::new(wrong)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!((e.code(), e.status_code()), ("invalid_grant", Some(403)));
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token,
            otp: Some(good),
            ..MfaVerifyOptions::default()
        },
    );
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn a_recovery_code_logs_in_and_the_next_one_is_handed_back() {
    let t = Tenant::start();
    let enrolled = enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let code = enrolled["recovery_code"].as_str().unwrap().to_owned();
    let web = t.web(json!({}));
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: mfa_token(&web),
            recovery_code: Some(RecoveryCode::new(code.clone())),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap();
    let next = r.recovery_code.expect("the next recovery code");
    assert!(!next.secret().is_empty() && next.secret() != code);
    assert!(r.auth_result.id_token_payload.is_some());
    // The used code is spent.
    let e = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: mfa_token(&web),
            recovery_code: Some(RecoveryCode::new(code)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_grant");
}

#[test]
fn exactly_one_proof_is_required() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for o in [
        MfaVerifyOptions {
            mfa_token: "t".into(),
            ..MfaVerifyOptions::default()
        },
        MfaVerifyOptions {
            mfa_token: "t".into(),
            otp: Some("1".into()),
            recovery_code: Some("2".into()),
            ..MfaVerifyOptions::default()
        },
    ] {
        let e = verify(&web, o).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(
            e.description(),
            "one of otp, oobCode or recoveryCode option is required"
        );
    }
    let e = verify(&web, MfaVerifyOptions::default()).unwrap_err();
    assert_eq!(e.description(), "mfaToken option is required");
}

fn push_tenant() -> Tenant {
    let t = Tenant::start_with(Config {
        mfa_oob_interval_secs: 1,
        ..Config::default()
    });
    enroll(&t, json!({"user": TEST_USER_EMAIL, "type": "oob"}));
    t
}

fn push_challenge(web: &WebAuth, token: &MfaToken) -> OobCode {
    let c = web
        .client()
        .mfa_challenge(&MfaChallengeOptions {
            mfa_token: token.clone(),
            challenge_type: Some("oob".into()),
            ..MfaChallengeOptions::default()
        })
        .unwrap();
    assert_eq!(c.challenge_type, "oob");
    c.oob_code.expect("an oob challenge answers its oob_code")
}

#[test]
fn a_push_is_polled_while_pending_and_logs_in_once_approved() {
    let t = push_tenant();
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let oob = push_challenge(&web, &token);
    let options = MfaVerifyOptions {
        mfa_token: token,
        oob_code: Some(oob.clone()),
        interval: Some(Duration::from_secs(1)),
        timeout: Some(Duration::from_millis(2500)),
        ..MfaVerifyOptions::default()
    };
    // Not approved: pending on every poll until the bound.
    let e = verify(&web, options.clone()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    t.dev_post("mfa/approve", json!({"oob_code": oob.secret()}));
    let r = verify(&web, options).unwrap();
    assert_eq!(
        r.auth_result.id_token_payload.unwrap().subject(),
        TEST_USER_ID
    );
}

#[test]
fn a_rejected_push_is_refused() {
    let t = push_tenant();
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let oob = push_challenge(&web, &token);
    t.dev_post(
        "mfa/approve",
        json!({"user": TEST_USER_EMAIL, "approve": false}),
    );
    let e = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token,
            oob_code: Some(oob),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_grant");
    assert_eq!(e.description(), "MFA Authorization rejected.");
}

#[test]
fn a_cancelled_poll_ends_at_once() {
    let t = push_tenant();
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let oob = push_challenge(&web, &token);
    let cancel = CancelToken::new();
    let c = cancel.clone();
    let waiter = std::thread::spawn(move || {
        // Cancelled from another thread while the poll sleeps (a 60 s
        // interval: without the cancel the test would hang).
        std::thread::sleep(Duration::from_millis(200));
        c.cancel();
    });
    let e = web
        .client()
        .mfa_verify(
            &MfaVerifyOptions {
                mfa_token: token,
                oob_code: Some(oob),
                interval: Some(Duration::from_secs(60)),
                ..MfaVerifyOptions::default()
            },
            &cancel,
        )
        .unwrap_err();
    waiter.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
}

#[test]
fn an_sms_code_is_verified_with_its_binding_code() {
    let t = Tenant::start();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "oob", "oob_channel": "sms",
                      "phone_number": "+15550001"}),
    );
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let c = web
        .client()
        .mfa_challenge(&MfaChallengeOptions {
            mfa_token: token.clone(),
            challenge_type: Some("oob".into()),
            ..MfaChallengeOptions::default()
        })
        .unwrap();
    assert_eq!(c.binding_method.as_deref(), Some("prompt"));
    let oob = c.oob_code.unwrap();
    let pending = t.dev_get("mfa/pending");
    let binding = pending
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["oob_code"] == oob.secret())
        .expect("the challenge is pending")["binding_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token,
            oob_code: Some(oob),
            binding_code: Some(Otp::new(binding)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap();
    assert!(r.auth_result.access_token.is_some());
}

#[test]
fn authenticators_are_listed_with_the_mfa_token() {
    let t = Tenant::start();
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    let web = t.web(json!({}));
    let list = web
        .client()
        .mfa_authenticators(&MfaAuthenticatorsOptions {
            mfa_token: mfa_token(&web),
        })
        .unwrap();
    let types: Vec<&str> = list.iter().map(|a| a.authenticator_type.as_str()).collect();
    assert!(
        types.contains(&"otp") && types.contains(&"recovery-code"),
        "{types:?}"
    );
    assert!(list.iter().all(|a| a.active));
    let e = web
        .client()
        .mfa_authenticators(&MfaAuthenticatorsOptions {
            mfa_token: "not-a-token".into(),
        })
        .unwrap_err();
    assert_eq!(e.status_code(), Some(401));
}

#[test]
fn a_user_without_authenticators_enrols_one_and_confirms_it() {
    let t = Tenant::start();
    t.dev_post("settings", json!({"mfa_policy": "all"}));
    let web = t.web(json!({}));
    let token = mfa_token(&web);
    let a = web
        .client()
        .mfa_associate(&MfaAssociateOptions {
            mfa_token: token.clone(),
            authenticator_types: vec!["otp".into()],
            ..MfaAssociateOptions::default()
        })
        .unwrap();
    assert_eq!(a.authenticator_type, "otp");
    let secret = a.secret.as_ref().expect("the otp key").secret().to_owned();
    assert!(a
        .barcode_uri
        .as_ref()
        .unwrap()
        .secret()
        .starts_with("otpauth://totp/"));
    assert_eq!(a.recovery_codes.len(), 1);
    assert!(!format!("{a:?}").contains(&secret));
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: token,
            otp: Some(totp(&t, &secret)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap();
    assert!(r.auth_result.id_token_payload.is_some());
    let enrolled = t.dev_get(&format!("mfa/enrollments?user={TEST_USER_EMAIL}"));
    assert_eq!(enrolled["authenticators"][0]["active"], true);
}

#[test]
fn the_json_faces_build_the_same_options() {
    let o = MfaAssociateOptions::from_json(&json!({"mfaToken": "t",
        "authenticatorTypes": ["oob"], "oobChannels": ["sms"], "phoneNumber": "+1555"}))
    .unwrap();
    assert_eq!(o.oob_channels.as_deref(), Some(&["sms".to_owned()][..]));
    assert_eq!(o.phone_number.as_deref(), Some("+1555"));
    let e = MfaAssociateOptions::from_json(&json!({"mfaToken": 7})).unwrap_err();
    assert_eq!(e.description(), "mfaToken option is not valid");
}

#[test]
fn a_refresh_of_an_enrolled_user_is_mfa_required_when_the_tenant_asks() {
    let t = Tenant::start_with(Config {
        mfa_on_refresh: true,
        ..Config::default()
    });
    let web = t.web(json!({}));
    // Logged in (and holding a refresh token) before enrolling.
    let first = web
        .client()
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION, "scope": "openid offline_access"}),
        )
        .unwrap();
    assert!(first.refresh_token.is_some());
    enroll(
        &t,
        json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": SECRET}),
    );
    // renewAuth: no SSO session, so it falls back to the refresh token.
    let e = web.renew_auth(&json!({})).unwrap_err();
    assert_eq!(e.code(), "mfa_required", "{e}");
    let r = verify(
        &web,
        MfaVerifyOptions {
            mfa_token: e.mfa_token().unwrap().clone(),
            otp: Some(totp(&t, SECRET)),
            ..MfaVerifyOptions::default()
        },
    )
    .unwrap();
    assert!(r.auth_result.access_token.is_some());
}
