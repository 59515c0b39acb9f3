//! Every network operation against every fault the dev tenant injects
//! (`/__dev/faults`): one table of operations, one of faults, and one
//! test per fault that runs every operation through it.
//!
//! Each case checks the typed error (kind, status, code; for the
//! credentials manager `renew_failed` with the request's code as `cause`),
//! that it came within the operation's deadline (a bound with a margin for
//! a loaded machine, not a speed test, and below the late answer's
//! latency), how many requests reached the faulted endpoint (the dev
//! tenant's request log: the retry policy of src/retry.rs — reads retried
//! on 502/503/504 and on a broken connection, a 429 retried for any call,
//! nothing else: a single-use grant such as an MFA answer or a rotating
//! refresh token is never sent twice), and what is left behind: a failed
//! renewal leaves the store's blob as it was, the same operation run
//! again once the fault is gone succeeds (unless the server spent its
//! single-use code, user, mfa_token or identity), or, for a callback, the
//! transaction is kept exactly when the server cannot have acted on it.

mod common;
#[path = "common/interactive.rs"]
mod interactive;

use auth0_devtenant::{Config, DevTenant, TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::credentials::{CredentialStore, MemoryStore};
use auth0_native::mfa::{
    MfaAssociateOptions, MfaAuthenticatorsOptions, MfaChallengeOptions, MfaVerifyOptions,
};
use auth0_native::secret::{MfaToken, Otp, RecoveryCode};
use auth0_native::{
    AuthResult, CancelToken, CredentialsManager, CredentialsOptions, Error, ErrorKind, Management,
    WebAuth,
};
use common::CONNECTION;
use interactive::PlainBrowser;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The request timeout of the faults that make the client wait (latency,
/// no answer, a drip): what they test is this deadline.
const TIMEOUT_MS: u64 = 300;
/// The request timeout of the faults answered at once: every retry must
/// fit in the call's one deadline, also on a loaded machine, so that the
/// count of attempts is the policy's and not the machine's. It costs no
/// time (nothing waits for it).
const ANSWERED_MS: u64 = 1000;
/// Added to every bound: a loaded machine, never a speed target. Less
/// than `LATENCY_MS`: a call that waited for the late answer is over its
/// bound.
const MARGIN: Duration = Duration::from_millis(2000);
/// The fault "latency past the deadline": the answer comes this long
/// after the request timeout (the client gives up first, so it costs no
/// time).
const LATENCY_MS: u64 = 2500;
/// Attempts of the handles' retry policy.
const ATTEMPTS: usize = 3;

thread_local! {
    /// The request timeout of the handles made on this thread's case.
    static TIMEOUT: std::cell::Cell<u64> = const { std::cell::Cell::new(TIMEOUT_MS) };
}

fn handle_options(t: &DevTenant, extra: Value) -> Value {
    let timeout = TIMEOUT.with(|c| c.get());
    let mut o = json!({"domain": t.domain(), "clientID": t.client_id(),
        "redirectUri": "http://127.0.0.1:7777/callback",
        "timeout": timeout, "connectTimeout": timeout,
        "retry": {"maxAttempts": ATTEMPTS, "baseDelayMs": 1, "maxDelayMs": 2000}});
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    o
}

fn web(t: &DevTenant, extra: Value) -> WebAuth {
    WebAuth::new(&handle_options(t, extra)).unwrap()
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn dev(t: &DevTenant, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let mut r = http().request(method, format!("{}/__dev/{path}", t.domain()));
    if let Some(b) = body {
        r = r
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    let r = r.send().unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    serde_json::from_slice(&r.bytes().unwrap()).unwrap_or(Value::Null)
}

/// Requests the tenant received whose path is exactly `path`.
fn hits(t: &DevTenant, path: &str) -> usize {
    let query: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    dev(
        t,
        reqwest::Method::GET,
        &format!("requests?path={query}"),
        None,
    )
    .as_array()
    .unwrap()
    .iter()
    .filter(|r| r["path"] == path)
    .count()
}

fn clear(t: &DevTenant) {
    dev(t, reqwest::Method::DELETE, "faults", None);
    dev(t, reqwest::Method::DELETE, "requests", None);
}

/// Logs the test user in headlessly (cross-origin ticket) and follows
/// `authorize_url`; returns the `Location` the tenant redirects to.
fn callback_for(t: &DevTenant, authorize_url: &str) -> String {
    let r = http()
        .post(format!("{}/co/authenticate", t.domain()))
        .header("Content-Type", "application/json")
        .body(
            json!({"client_id": t.client_id(), "username": TEST_USER_EMAIL,
                "password": TEST_USER_PASSWORD, "realm": CONNECTION,
                "credential_type": "http://auth0.com/oauth/grant-type/password-realm"})
            .to_string(),
        )
        .send()
        .unwrap();
    let ticket: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    let ticket = ticket["login_ticket"].as_str().expect("login_ticket");
    let r = http()
        .get(format!("{authorize_url}&login_ticket={ticket}"))
        .send()
        .unwrap();
    assert!(r.status().is_redirection(), "authorize: {}", r.status());
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}-{}@example.com",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn outbox_code(t: &DevTenant, to: &str) -> String {
    let to: String = url::form_urlencoded::byte_serialize(to.as_bytes()).collect();
    let out = dev(t, reqwest::Method::GET, &format!("outbox?to={to}"), None);
    out.as_array().unwrap().last().expect("a message")["code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

// ------------------------------------------------------------- operations

type Call = Box<dyn FnMut() -> Result<(), Error>>;

/// What an operation's setup leaves to run and to check.
struct Prepared {
    call: Call,
    /// The faulted endpoint when only the setup knows it (an id in the
    /// path); else the operation's `path`.
    path: Option<String>,
    /// What a failed call must leave as it was (the credentials store's
    /// blob), read before and after it.
    state: Option<Box<dyn Fn() -> Vec<u8>>>,
}

/// A call with nothing more to check.
fn plain(call: impl FnMut() -> Result<(), Error> + 'static) -> Prepared {
    Prepared {
        call: Box::new(call),
        path: None,
        state: None,
    }
}

/// What running an operation again after its fault leaves to check.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Again {
    /// It succeeds: nothing of the failed call is left in the way.
    Succeeds,
    /// It succeeds when the fault kept the server from acting (the single
    /// use code, user or OTP is still unused).
    SucceedsIfUnhandled,
    /// A callback: the transaction is kept exactly when the server cannot
    /// have acted (no answer, a timeout, a 502/503/504): the same callback
    /// then meets no `state` mismatch.
    TransactionKeptIfServerDidNotAct,
}

struct Op {
    name: &'static str,
    /// The faulted endpoint (exact path, also the request log's filter).
    path: &'static str,
    /// A read the policy may repeat (GET).
    read: bool,
    /// The operation's own bound, in request timeouts (a flow of several
    /// requests has a longer one).
    bound_timeouts: u32,
    again: Again,
    /// A redirect walk (headless login, passwordless verify, renewAuth):
    /// an answer that is a page rather than the next step is
    /// `interaction_required`. Its steps go through the retry policy like
    /// any call (429 always; 502/503/reset only for renewAuth's first GET,
    /// the one step that is a read).
    walk: bool,
    /// The error code the operation wraps every failure in (the
    /// credentials manager's `renew_failed`, kind `Credentials`), the
    /// request's own code then its `cause`.
    wrapped: Option<&'static str>,
    /// Makes the call (all set-up done before the fault is injected).
    setup: fn(&DevTenant) -> Prepared,
}

fn login_opts() -> Value {
    json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION})
}

fn op_login(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    plain(move || w.client().login(&login_opts()).map(drop))
}

fn op_user_info(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let token = w
        .client()
        .login(&login_opts())
        .unwrap()
        .access_token
        .unwrap()
        .into_secret();
    plain(move || w.client().user_info(&token).map(drop))
}

/// The callback of an authorize request of `w` (its transaction recorded).
fn callback(t: &DevTenant, w: &WebAuth, response_type: &str) -> String {
    let url = w
        .authorize(&json!({"responseType": response_type, "scope": "openid"}))
        .unwrap()
        .url;
    callback_for(t, &url)
}

fn op_parse_hash_jwks(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let cb = callback(t, &w, "id_token");
    plain(move || w.parse_hash(&json!({"hash": cb})).map(drop))
}

fn op_parse_hash_code(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let cb = callback(t, &w, "code");
    // The JWKS is fetched first, so only the exchange meets the fault.
    w.validate_id_token(&dev_sign(t), &json!({})).unwrap();
    plain(move || w.parse_hash(&json!({"hash": cb})).map(drop))
}

fn dev_sign(t: &DevTenant) -> String {
    dev(
        t,
        reqwest::Method::POST,
        "sign",
        Some(json!({"claims": {}, "header": {}})),
    )["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn op_signup(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let email = unique("signup-");
    plain(move || {
        w.signup(&json!({"connection": CONNECTION, "email": email, "password": "Fault-Passw0rd-1"}))
            .map(drop)
    })
}

fn op_change_password(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    plain(move || {
        w.change_password(&json!({"connection": CONNECTION, "email": TEST_USER_EMAIL}))
            .map(drop)
    })
}

fn op_passwordless_start(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let email = unique("start-");
    plain(move || {
        w.passwordless_start(&json!({"connection": "email", "send": "code", "email": email}))
            .map(drop)
    })
}

fn op_passwordless_verify(t: &DevTenant) -> Prepared {
    let w = web(t, json!({"responseType": "token"}));
    let email = unique("verify-");
    w.passwordless_start(&json!({"connection": "email", "send": "code", "email": email}))
        .unwrap();
    let code = outbox_code(t, &email);
    plain(move || {
        w.passwordless_verify(
            &json!({"connection": "email", "email": email, "verificationCode": code}),
        )
        .map(drop)
    })
}

fn op_headless_login(t: &DevTenant) -> Prepared {
    let w = web(t, json!({"responseType": "token"}));
    plain(move || {
        w.login_with_credentials(&json!({"connection": CONNECTION,
            "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}))
            .map(drop)
    })
}

fn op_renew_auth(t: &DevTenant) -> Prepared {
    let w = web(t, json!({"responseType": "token"}));
    w.login_with_credentials(&json!({"connection": CONNECTION,
        "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}))
        .unwrap();
    plain(move || w.renew_auth(&json!({})).map(drop))
}

fn op_device_poll(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let d = w.device_start(&json!({"scope": "openid"})).unwrap();
    let code = d.user_code.clone();
    PlainBrowser::new().activate(
        &t.domain(),
        &code,
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
        true,
    );
    plain(move || w.device_poll(&d, &CancelToken::new()).map(drop))
}

fn management(t: &DevTenant) -> Management {
    let token = web(t, json!({}))
        .client()
        .login(
            &json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
            "realm": CONNECTION, "audience": format!("{}/api/v2/", t.domain()),
            "scope": "openid read:current_user update:current_user_metadata update:current_user_identities"}),
        )
        .unwrap()
        .access_token
        .unwrap();
    let mut o = handle_options(t, json!({"token": token}));
    o.as_object_mut().unwrap().shift_remove("clientID");
    Management::new(&o).unwrap()
}

fn op_get_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    plain(move || m.get_user(TEST_USER_ID).map(drop))
}

fn op_patch_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    plain(move || {
        m.patch_user_metadata(TEST_USER_ID, &json!({"fault": "test"}))
            .map(drop)
    })
}

/// A new database user (its e-mail) with `MFA_PASSWORD`.
fn new_user(t: &DevTenant, tag: &str) -> String {
    let email = unique(tag);
    web(t, json!({}))
        .signup(&json!({"connection": CONNECTION, "email": email, "password": MFA_PASSWORD}))
        .unwrap();
    email
}

fn login_as(t: &DevTenant, email: &str, extra: Value) -> Result<AuthResult, Error> {
    let mut o = json!({"username": email, "password": MFA_PASSWORD, "realm": CONNECTION});
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    web(t, json!({})).client().login(&o)
}

/// A secondary user to link: its id_token and user id.
fn secondary(t: &DevTenant) -> (String, String) {
    let r = login_as(t, &new_user(t, "linked-"), json!({"scope": "openid"})).unwrap();
    let sub = r.id_token_payload.as_ref().unwrap().subject().to_owned();
    (r.id_token.unwrap().into_secret(), sub)
}

fn op_link_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    let (token, _) = secondary(t);
    plain(move || m.link_user(TEST_USER_ID, &token).map(drop))
}

fn op_unlink_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    let (token, sub) = secondary(t);
    m.link_user(TEST_USER_ID, &token).unwrap();
    let (provider, id) = sub.split_once('|').unwrap();
    let (provider, id) = (provider.to_owned(), id.to_owned());
    let path = format!("{USER_PATH}/identities/{provider}/{id}");
    Prepared {
        path: Some(path),
        ..plain(move || m.unlink_user(TEST_USER_ID, &provider, &id).map(drop))
    }
}

// MFA: every case signs up a user of its own and enrols it, so the seeded
// user (which the other operations log in as) never meets MFA.

const MFA_PASSWORD: &str = "Fault-Mfa-Passw0rd";
const MFA_SECRET: &str = "JBSWY3DPEHPK3PXP";

/// A new user enrolled with `enrolment` (`/__dev/mfa/enroll`): the
/// tenant's answer and the `mfa_token` of its password login.
fn mfa_user(t: &DevTenant, enrolment: Value) -> (Value, MfaToken) {
    let email = new_user(t, "mfa-");
    let mut body = enrolment;
    body["user"] = json!(email);
    let enrolled = dev(t, reqwest::Method::POST, "mfa/enroll", Some(body));
    let e = login_as(t, &email, json!({})).unwrap_err();
    assert_eq!(e.code(), "mfa_required", "{e}");
    (enrolled, e.mfa_token().unwrap().clone())
}

fn otp_user(t: &DevTenant) -> (Value, MfaToken) {
    mfa_user(t, json!({"type": "otp", "secret": MFA_SECRET}))
}

fn mfa_verify(t: &DevTenant, o: MfaVerifyOptions) -> Prepared {
    let w = web(t, json!({}));
    plain(move || w.client().mfa_verify(&o, &CancelToken::new()).map(drop))
}

fn op_mfa_challenge(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let (_, token) = otp_user(t);
    let o = MfaChallengeOptions {
        mfa_token: token,
        challenge_type: Some("otp".into()),
        ..MfaChallengeOptions::default()
    };
    plain(move || w.client().mfa_challenge(&o).map(drop))
}

fn op_mfa_otp(t: &DevTenant) -> Prepared {
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

fn op_mfa_recovery_code(t: &DevTenant) -> Prepared {
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
fn op_mfa_oob(t: &DevTenant) -> Prepared {
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

fn op_mfa_authenticators(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let (_, token) = otp_user(t);
    let o = MfaAuthenticatorsOptions { mfa_token: token };
    plain(move || w.client().mfa_authenticators(&o).map(drop))
}

/// Enrols with an MFA API access token (`enroll` scope) of a user without
/// MFA: each call adds an authenticator, none is single use.
fn op_mfa_associate(t: &DevTenant) -> Prepared {
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
fn op_renewal(t: &DevTenant) -> Prepared {
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

const USER_PATH: &str = "/api/v2/users/auth0%7C6f0000000000000000000001";
const IDENTITIES_PATH: &str = "/api/v2/users/auth0%7C6f0000000000000000000001/identities";

const OPS: &[Op] = &[
    Op {
        name: "login",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_login,
    },
    Op {
        name: "userInfo",
        path: "/userinfo",
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_user_info,
    },
    Op {
        name: "parseHash (JWKS)",
        path: "/.well-known/jwks.json",
        read: true,
        bound_timeouts: 1,
        again: Again::TransactionKeptIfServerDidNotAct,
        walk: false,
        wrapped: None,
        setup: op_parse_hash_jwks,
    },
    Op {
        name: "parseHash (code exchange)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::TransactionKeptIfServerDidNotAct,
        walk: false,
        wrapped: None,
        setup: op_parse_hash_code,
    },
    Op {
        name: "signup",
        path: "/dbconnections/signup",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_signup,
    },
    Op {
        name: "changePassword",
        path: "/dbconnections/change_password",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_change_password,
    },
    Op {
        name: "passwordlessStart",
        path: "/passwordless/start",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_passwordless_start,
    },
    Op {
        name: "passwordlessVerify",
        path: "/passwordless/verify",
        read: false,
        bound_timeouts: 4,
        again: Again::SucceedsIfUnhandled,
        walk: true,
        wrapped: None,
        setup: op_passwordless_verify,
    },
    Op {
        name: "headless login",
        path: "/usernamepassword/login",
        read: false,
        bound_timeouts: 4,
        again: Again::Succeeds,
        walk: true,
        wrapped: None,
        setup: op_headless_login,
    },
    Op {
        name: "renewAuth",
        path: "/authorize",
        read: true,
        bound_timeouts: 4,
        again: Again::Succeeds,
        walk: true,
        wrapped: None,
        setup: op_renew_auth,
    },
    Op {
        name: "device poll",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 3,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_device_poll,
    },
    Op {
        name: "Management getUser",
        path: USER_PATH,
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_get_user,
    },
    Op {
        name: "Management patchUserMetadata",
        path: USER_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_patch_user,
    },
    Op {
        name: "Management linkUser",
        path: IDENTITIES_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_link_user,
    },
    Op {
        name: "Management unlinkUser",
        // (the identity's own path, known once it is linked)
        path: IDENTITIES_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_unlink_user,
    },
    Op {
        name: "MFA challenge",
        path: "/mfa/challenge",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_challenge,
    },
    Op {
        name: "MFA verify (OTP)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_otp,
    },
    Op {
        name: "MFA verify (recovery code)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_recovery_code,
    },
    Op {
        name: "MFA verify (out-of-band)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_oob,
    },
    Op {
        name: "MFA authenticators",
        path: "/mfa/authenticators",
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_authenticators,
    },
    Op {
        name: "MFA associate",
        path: "/mfa/associate",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_associate,
    },
    // A rotating refresh token is single use: never retried but for a 429.
    // With the tenant's reuse interval, a renewal the tenant acted on but
    // whose answer was lost can be made again with the kept token.
    Op {
        name: "credentials renewal",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: Some("renew_failed"),
        setup: op_renewal,
    },
];

// ----------------------------------------------------------------- faults

/// What a fault must come back as.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// This kind, status and code.
    Error(ErrorKind, Option<u16>, &'static str),
    /// Success: the fault met a body the operation never reads.
    Ok,
    /// Success after the policy's retry (a 429 with a short Retry-After).
    RetriedThenOk,
}

struct Fault {
    name: &'static str,
    /// The fault's fields besides `path` (`count` is set per case).
    spec: fn() -> Value,
    /// Whether the tenant's handler runs (so a single-use thing is spent).
    handler_runs: bool,
    /// Whether the policy repeats it: `Some(true)` for reads only (502,
    /// 503, a broken connection), `Some(false)` never, `None` for every
    /// call (a 429).
    retried_for_reads_only: Option<bool>,
    expect: Expect,
    /// The handles' request timeout for this fault.
    timeout_ms: u64,
}

/// One fault and the operation it is run with.
fn run_case(t: &DevTenant, op: &Op, fault: &Fault) {
    clear(t);
    let Prepared {
        mut call,
        path,
        state,
    } = (op.setup)(t);
    let path = path.unwrap_or_else(|| op.path.to_owned());
    clear(t);
    let before = state.as_ref().map(|read| read());
    let mut spec = (fault.spec)();
    spec["path"] = json!(path);
    // Enough for every attempt to meet it (a 429 meets one only).
    if spec.get("count").is_none() {
        spec["count"] = json!(10);
    }
    dev(t, reqwest::Method::POST, "faults", Some(spec));
    let started = Instant::now();
    let r = call();
    let elapsed = started.elapsed();
    let case = format!("{} / {}", op.name, fault.name);

    let (expect, attempts) = expectation(op, fault);
    let bound = Duration::from_millis(fault.timeout_ms * op.bound_timeouts as u64);
    // A retry after Retry-After: 1 adds its second, and each attempt has
    // the request timeout.
    let bound = match expect {
        Expect::RetriedThenOk => bound + Duration::from_secs(1),
        Expect::Error(..) | Expect::Ok => bound,
    };
    assert!(
        elapsed < bound + MARGIN + device_wait(op),
        "{case}: took {elapsed:?}, bound {bound:?}"
    );

    let first_error = match (expect, &r) {
        (Expect::Error(kind, status, code), Err(e)) => {
            let (kind, outer) = match op.wrapped {
                Some(outer) => (ErrorKind::Credentials, outer),
                None => (kind, code),
            };
            assert_eq!(
                (e.kind(), e.status_code(), e.code()),
                (kind, status, outer),
                "{case}: {e}"
            );
            if op.wrapped.is_some() {
                assert_eq!(e.cause(), Some(code), "{case}: cause of {e}");
            }
            if code == "rate_limited" {
                let asked = (fault.spec)()["retry_after"].as_u64();
                assert_eq!(e.retry_after(), asked, "{case}: retryAfter");
            }
            Some(e.clone())
        }
        (Expect::RetriedThenOk, Ok(())) => {
            assert!(
                elapsed >= Duration::from_millis(900),
                "{case}: Retry-After was not waited for ({elapsed:?})"
            );
            None
        }
        (Expect::Ok, Ok(())) => None,
        (want, got) => panic!("{case}: wanted {want:?}, got {got:?}"),
    };
    let reached = hits(t, &path);
    assert_eq!(reached, attempts, "{case}: requests that reached {path}");

    // What is left behind, with the fault gone.
    let Some(first_error) = first_error else {
        return;
    };
    if let (Some(read), Some(before)) = (&state, &before) {
        // (Compared, never printed: the blob holds the tokens.)
        assert!(
            read() == *before,
            "{case}: the failed call changed what is stored"
        );
    }
    clear(t);
    let again = call();
    match op.again {
        Again::Succeeds => {
            assert!(again.is_ok(), "{case}: run again: {:?}", again.err())
        }
        Again::SucceedsIfUnhandled => {
            if !fault.handler_runs {
                assert!(again.is_ok(), "{case}: run again: {:?}", again.err());
            }
        }
        Again::TransactionKeptIfServerDidNotAct => {
            let kept = match first_error.kind() {
                ErrorKind::Network | ErrorKind::Timeout => true,
                ErrorKind::Server => matches!(first_error.status_code(), Some(502..=504)),
                _ => false,
            } || op.read;
            let mismatch = again
                .as_ref()
                .err()
                .is_some_and(|e| e.description().contains("`state` does not match"));
            assert_eq!(
                !mismatch,
                kept,
                "{case}: transaction kept: {}, run again: {:?}",
                !mismatch,
                again.err()
            );
            // (A JWKS that could not be fetched is remembered for a few
            // seconds, so only the exchange is run to its end.)
            if kept && !fault.handler_runs && !op.read {
                assert!(again.is_ok(), "{case}: run again: {:?}", again.err());
            }
        }
    }
}

/// What `fault` must come back as for `op`, and how many requests reach
/// the faulted endpoint (the retry policy).
fn expectation(op: &Op, fault: &Fault) -> (Expect, usize) {
    let mut expect = fault.expect;
    let attempts = match fault.retried_for_reads_only {
        Some(true) if op.read => ATTEMPTS,
        Some(_) => 1,
        None => 2,
    };
    if op.walk {
        expect = match expect {
            Expect::Error(Server, Some(200), "invalid_response") => {
                Expect::Error(Server, Some(200), "interaction_required")
            }
            other => other,
        };
    }
    if op.path == "/authorize" {
        // A redirect: its status and Location are the answer; a body that
        // drips is never waited for, one that is too large still counts.
        expect = match (fault.name, expect) {
            ("one byte a second", _) => Expect::Ok,
            (_, Expect::Error(kind, Some(200), "response_too_large")) => {
                Expect::Error(kind, Some(302), "response_too_large")
            }
            (_, other) => other,
        };
    }
    if op.name == "Management linkUser" {
        // Its real answer, padded, is a 201 Created.
        if let Expect::Error(kind, Some(200), "response_too_large") = expect {
            expect = Expect::Error(kind, Some(201), "response_too_large");
        }
    }
    (expect, attempts)
}

/// The device poll waits its interval (a second) before it polls.
fn device_wait(op: &Op) -> Duration {
    if op.name == "device poll" {
        Duration::from_secs(2)
    } else {
        Duration::ZERO
    }
}

/// Every operation through `fault`; the failures of all cases are
/// reported together.
fn run_fault(fault: &Fault) {
    let t = DevTenant::start_with(Config {
        device_interval_secs: 1,
        // Auth0's reuse interval: a refresh token rotated by a renewal
        // whose answer was lost is accepted again for a while.
        refresh_reuse_interval_secs: 60,
        ..Config::default()
    })
    .expect("dev tenant starts");
    TIMEOUT.with(|c| c.set(fault.timeout_ms));
    let failed: Vec<String> = OPS
        .iter()
        .filter_map(|op| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&t, op, fault)))
                .err()
                .map(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| format!("{}: panicked", op.name))
                })
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        OPS.len(),
        failed.join("\n")
    );
}

macro_rules! fault_tests {
    ($($test:ident: $fault:expr;)*) => {$(
        #[test]
        fn $test() {
            run_fault(&$fault);
        }
    )*};
}

use ErrorKind::{Network, Server, Timeout};

fault_tests! {
    latency_past_the_deadline: Fault {
        name: "latency past the deadline",
        spec: || json!({"latency_ms": TIMEOUT_MS + LATENCY_MS}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    never_answering: Fault {
        name: "never answering",
        spec: || json!({"latency_ms": 600_000}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    dripping_one_byte_a_second: Fault {
        name: "one byte a second",
        spec: || json!({"drip_ms": 1000}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    reset_mid_body: Fault {
        name: "reset mid-body",
        spec: || json!({"truncate": true}),
        handler_runs: true,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Network, None, "network_error"),
        timeout_ms: ANSWERED_MS,
    };
    reset_before_answering: Fault {
        name: "reset before answering",
        spec: || json!({"drop": true}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Network, None, "network_error"),
        timeout_ms: ANSWERED_MS,
    };
    oversize: Fault {
        name: "oversize",
        spec: || json!({"oversize_bytes": 2 * 1024 * 1024}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "response_too_large"),
        timeout_ms: ANSWERED_MS,
    };
    status_500: Fault {
        name: "500",
        spec: || json!({"status": 500}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(500), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    status_502: Fault {
        name: "502",
        spec: || json!({"status": 502}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Server, Some(502), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    status_503: Fault {
        name: "503",
        spec: || json!({"status": 503}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Server, Some(503), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    // The wait may not pass the call's own deadline: a timeout that
    // leaves room for it.
    rate_limited_then_answered: Fault {
        name: "429 with Retry-After: 1, once",
        timeout_ms: 4000,
        spec: || json!({"status": 429, "retry_after": 1, "count": 1}),
        handler_runs: false,
        retried_for_reads_only: None,
        expect: Expect::RetriedThenOk,
    };
    rate_limited_past_the_policy: Fault {
        name: "429 with Retry-After: 60",
        spec: || json!({"status": 429, "retry_after": 60}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(429), "rate_limited"),
        timeout_ms: ANSWERED_MS,
    };
    html_200: Fault {
        name: "an HTML 200",
        spec: || json!({"body": "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "invalid_response"),
        timeout_ms: ANSWERED_MS,
    };
    empty_200: Fault {
        name: "an empty 200",
        spec: || json!({"body": "", "content_type": "application/json"}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "invalid_response"),
        timeout_ms: ANSWERED_MS,
    };
}
