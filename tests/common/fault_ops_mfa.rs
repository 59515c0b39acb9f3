//! The MFA operations and the credentials manager's renewal of the fault
//! tests (tests/faults_*.rs), next to the others in
//! tests/common/fault_ops.rs.

use crate::fault_ops::*;
use auth0_devtenant::DevTenant;
use auth0_native::credentials::{CredentialStore, MemoryStore};
use auth0_native::mfa::{
    MfaAssociateOptions, MfaAuthenticatorsOptions, MfaChallengeOptions, MfaVerifyOptions,
};
use auth0_native::secret::{MfaToken, Otp, RecoveryCode};
use auth0_native::{CancelToken, CredentialsManager, CredentialsOptions};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

// MFA: every case signs up a user of its own and enrols it, so the seeded
// user (which the other operations log in as) never meets MFA.

pub const MFA_PASSWORD: &str = "Fault-Mfa-Passw0rd";
pub const MFA_SECRET: &str = "JBSWY3DPEHPK3PXP";

/// A new user enrolled with `enrolment` (`/__dev/mfa/enroll`): the
/// tenant's answer and the `mfa_token` of its password login.
pub fn mfa_user(t: &DevTenant, enrolment: Value) -> (Value, MfaToken) {
    let email = new_user(t, "mfa-");
    let mut body = enrolment;
    body["user"] = json!(email);
    let enrolled = dev(t, reqwest::Method::POST, "mfa/enroll", Some(body));
    let e = login_as(t, &email, json!({})).unwrap_err();
    assert_eq!(e.code(), "mfa_required", "{e}");
    (enrolled, e.mfa_token().unwrap().clone())
}

pub fn otp_user(t: &DevTenant) -> (Value, MfaToken) {
    mfa_user(t, json!({"type": "otp", "secret": MFA_SECRET}))
}

pub fn mfa_verify(t: &DevTenant, o: MfaVerifyOptions) -> Prepared {
    let w = web(t, json!({}));
    plain(move || w.client().mfa_verify(&o, &CancelToken::new()).map(drop))
}

pub fn op_mfa_challenge(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let (_, token) = otp_user(t);
    let o = MfaChallengeOptions {
        mfa_token: token,
        challenge_type: Some("otp".into()),
        ..MfaChallengeOptions::default()
    };
    plain(move || w.client().mfa_challenge(&o).map(drop))
}

pub fn op_mfa_otp(t: &DevTenant) -> Prepared {
    let (_, token) = otp_user(t);
    let otp = dev(
        t,
        reqwest::Method::GET,
        &format!("mfa/totp?secret={MFA_SECRET}"),
        None,
    )["code"]
        .as_str()
        .unwrap()
        .to_owned();
    mfa_verify(
        t,
        MfaVerifyOptions {
            mfa_token: token,
            otp: Some(Otp::new(otp)),
            ..MfaVerifyOptions::default()
        },
    )
}

pub fn op_mfa_recovery_code(t: &DevTenant) -> Prepared {
    let (enrolled, token) = otp_user(t);
    let code = enrolled["recovery_code"].as_str().unwrap().to_owned();
    mfa_verify(
        t,
        MfaVerifyOptions {
            mfa_token: token,
            recovery_code: Some(RecoveryCode::new(code)),
            ..MfaVerifyOptions::default()
        },
    )
}

/// A push challenge the user has approved already: the first poll of the
/// mfa-oob grant answers the tokens.
pub fn op_mfa_oob(t: &DevTenant) -> Prepared {
    let (_, token) = mfa_user(t, json!({"type": "oob", "oob_channel": "auth0"}));
    let challenge = web(t, json!({}))
        .client()
        .mfa_challenge(&MfaChallengeOptions {
            mfa_token: token.clone(),
            challenge_type: Some("oob".into()),
            ..MfaChallengeOptions::default()
        })
        .unwrap();
    let oob_code = challenge.oob_code.unwrap();
    dev(
        t,
        reqwest::Method::POST,
        "mfa/approve",
        Some(json!({"oob_code": oob_code.secret()})),
    );
    mfa_verify(
        t,
        MfaVerifyOptions {
            mfa_token: token,
            oob_code: Some(oob_code),
            interval: Some(Duration::from_secs(1)),
            ..MfaVerifyOptions::default()
        },
    )
}

pub fn op_mfa_authenticators(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let (_, token) = otp_user(t);
    let o = MfaAuthenticatorsOptions { mfa_token: token };
    plain(move || w.client().mfa_authenticators(&o).map(drop))
}

/// Enrols with an MFA API access token (`enroll` scope) of a user without
/// MFA: each call adds an authenticator, none is single use.
pub fn op_mfa_associate(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let email = new_user(t, "associate-");
    let token = login_as(
        t,
        &email,
        json!({"audience": format!("{}/mfa/", t.domain()), "scope": "enroll"}),
    )
    .unwrap()
    .access_token
    .unwrap();
    let o = MfaAssociateOptions {
        mfa_token: MfaToken::new(token.into_secret()),
        authenticator_types: vec!["otp".into()],
        ..MfaAssociateOptions::default()
    };
    plain(move || w.client().mfa_associate(&o).map(drop))
}

/// The credentials manager over an expired login with a refresh token:
/// every call renews. The store's blob is the state a failed renewal must
/// leave alone (the old refresh token kept).
pub fn op_renewal(t: &DevTenant) -> Prepared {
    let w = Arc::new(web(
        t,
        json!({"scope": "openid profile email offline_access"}),
    ));
    let store = Arc::new(MemoryStore::new());
    let m = CredentialsManager::new(w.clone(), store.clone());
    let mut r = w.client().login(&login_opts()).unwrap();
    assert!(r.refresh_token.is_some());
    r.expires_in = Some(0);
    m.save(&r).unwrap();
    Prepared {
        state: Some(Box::new(move || {
            store
                .load()
                .unwrap()
                .map(|b| b.expose().to_vec())
                .unwrap_or_default()
        })),
        ..plain(move || m.credentials(&CredentialsOptions::default()).map(drop))
    }
}
