//! The operations of the fault tests (tests/faults_*.rs): the handles
//! each fault case makes, the dev tenant's `/__dev/` helpers, and one setup
//! per network operation but MFA's (tests/common/fault_ops_mfa.rs).

use crate::common::CONNECTION;
use crate::fault_ops_mfa::MFA_PASSWORD;
use crate::interactive::PlainBrowser;
use auth0_devtenant::{DevTenant, TEST_USER_EMAIL, TEST_USER_ID, TEST_USER_PASSWORD};
use auth0_native::{AuthResult, CancelToken, Error, Management, WebAuth};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The request timeout of the faults that make the client wait (latency,
/// no answer, a drip): what they test is this deadline.
pub const TIMEOUT_MS: u64 = 300;
/// The request timeout of the faults answered at once: every retry must
/// fit in the call's one deadline, also on a loaded machine, so that the
/// count of attempts is the policy's and not the machine's. It costs no
/// time (nothing waits for it).
pub const ANSWERED_MS: u64 = 1000;
/// Added to every bound: a loaded machine, never a speed target. Less
/// than `LATENCY_MS`: a call that waited for the late answer is over its
/// bound.
pub const MARGIN: Duration = Duration::from_millis(2000);
/// Attempts of the handles' retry policy.
pub const ATTEMPTS: usize = 3;

thread_local! {
    /// The request timeout of the handles made on this thread's case.
    pub static TIMEOUT: std::cell::Cell<u64> = const { std::cell::Cell::new(TIMEOUT_MS) };
}

pub fn handle_options(t: &DevTenant, extra: Value) -> Value {
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

pub fn web(t: &DevTenant, extra: Value) -> WebAuth {
    WebAuth::new(&handle_options(t, extra)).unwrap()
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn dev(t: &DevTenant, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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
pub fn hits(t: &DevTenant, path: &str) -> usize {
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

pub fn clear(t: &DevTenant) {
    dev(t, reqwest::Method::DELETE, "faults", None);
    dev(t, reqwest::Method::DELETE, "requests", None);
}

/// Logs the test user in headlessly (cross-origin ticket) and follows
/// `authorize_url`; returns the `Location` the tenant redirects to.
pub fn callback_for(t: &DevTenant, authorize_url: &str) -> String {
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

pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}-{}@example.com",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

pub fn outbox_code(t: &DevTenant, to: &str) -> String {
    let to: String = url::form_urlencoded::byte_serialize(to.as_bytes()).collect();
    let out = dev(t, reqwest::Method::GET, &format!("outbox?to={to}"), None);
    out.as_array().unwrap().last().expect("a message")["code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

// ------------------------------------------------------------- operations

pub type Call = Box<dyn FnMut() -> Result<(), Error>>;

/// What an operation's setup leaves to run and to check.
pub struct Prepared {
    pub call: Call,
    /// The faulted endpoint when only the setup knows it (an id in the
    /// path); else the operation's `path`.
    pub path: Option<String>,
    /// What a failed call must leave as it was (the credentials store's
    /// blob), read before and after it.
    pub state: Option<Box<dyn Fn() -> Vec<u8>>>,
}

/// A call with nothing more to check.
pub fn plain(call: impl FnMut() -> Result<(), Error> + 'static) -> Prepared {
    Prepared {
        call: Box::new(call),
        path: None,
        state: None,
    }
}

/// What running an operation again after its fault leaves to check.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Again {
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

pub struct Op {
    pub name: &'static str,
    /// The faulted endpoint (exact path, also the request log's filter).
    pub path: &'static str,
    /// A read the policy may repeat (GET).
    pub read: bool,
    /// The operation's own bound, in request timeouts (a flow of several
    /// requests has a longer one).
    pub bound_timeouts: u32,
    pub again: Again,
    /// A redirect walk (headless login, passwordless verify, renewAuth):
    /// an answer that is a page rather than the next step is
    /// `interaction_required`. Its steps go through the retry policy like
    /// any call (429 always; 502/503/reset only for renewAuth's first GET,
    /// the one step that is a read).
    pub walk: bool,
    /// The error code the operation wraps every failure in (the
    /// credentials manager's `renew_failed`, kind `Credentials`), the
    /// request's own code then its `cause`.
    pub wrapped: Option<&'static str>,
    /// Makes the call (all set-up done before the fault is injected).
    pub setup: fn(&DevTenant) -> Prepared,
}

pub fn login_opts() -> Value {
    json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION})
}

pub fn op_login(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    plain(move || w.client().login(&login_opts()).map(drop))
}

pub fn op_user_info(t: &DevTenant) -> Prepared {
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
pub fn callback(t: &DevTenant, w: &WebAuth, response_type: &str) -> String {
    let url = w
        .authorize(&json!({"responseType": response_type, "scope": "openid"}))
        .unwrap()
        .url;
    callback_for(t, &url)
}

pub fn op_parse_hash_jwks(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let cb = callback(t, &w, "id_token");
    plain(move || w.parse_hash(&json!({"hash": cb})).map(drop))
}

pub fn op_parse_hash_code(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let cb = callback(t, &w, "code");
    // The JWKS is fetched first, so only the exchange meets the fault.
    w.validate_id_token(&dev_sign(t), &json!({})).unwrap();
    plain(move || w.parse_hash(&json!({"hash": cb})).map(drop))
}

pub fn dev_sign(t: &DevTenant) -> String {
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

pub fn op_signup(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let email = unique("signup-");
    plain(move || {
        w.signup(&json!({"connection": CONNECTION, "email": email, "password": "Fault-Passw0rd-1"}))
            .map(drop)
    })
}

pub fn op_change_password(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    plain(move || {
        w.change_password(&json!({"connection": CONNECTION, "email": TEST_USER_EMAIL}))
            .map(drop)
    })
}

pub fn op_passwordless_start(t: &DevTenant) -> Prepared {
    let w = web(t, json!({}));
    let email = unique("start-");
    plain(move || {
        w.passwordless_start(&json!({"connection": "email", "send": "code", "email": email}))
            .map(drop)
    })
}

pub fn op_passwordless_verify(t: &DevTenant) -> Prepared {
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

pub fn op_headless_login(t: &DevTenant) -> Prepared {
    let w = web(t, json!({"responseType": "token"}));
    plain(move || {
        w.login_with_credentials(&json!({"connection": CONNECTION,
            "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}))
            .map(drop)
    })
}

pub fn op_renew_auth(t: &DevTenant) -> Prepared {
    let w = web(t, json!({"responseType": "token"}));
    w.login_with_credentials(&json!({"connection": CONNECTION,
        "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD}))
        .unwrap();
    plain(move || w.renew_auth(&json!({})).map(drop))
}

pub fn op_device_poll(t: &DevTenant) -> Prepared {
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

pub fn management(t: &DevTenant) -> Management {
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

pub fn op_get_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    plain(move || m.get_user(TEST_USER_ID).map(drop))
}

pub fn op_patch_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    plain(move || {
        m.patch_user_metadata(TEST_USER_ID, &json!({"fault": "test"}))
            .map(drop)
    })
}

/// A new database user (its e-mail) with `MFA_PASSWORD`.
pub fn new_user(t: &DevTenant, tag: &str) -> String {
    let email = unique(tag);
    web(t, json!({}))
        .signup(&json!({"connection": CONNECTION, "email": email, "password": MFA_PASSWORD}))
        .unwrap();
    email
}

pub fn login_as(t: &DevTenant, email: &str, extra: Value) -> Result<AuthResult, Error> {
    let mut o = json!({"username": email, "password": MFA_PASSWORD, "realm": CONNECTION});
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    web(t, json!({})).client().login(&o)
}

/// A secondary user to link: its id_token and user id.
pub fn secondary(t: &DevTenant) -> (String, String) {
    let r = login_as(t, &new_user(t, "linked-"), json!({"scope": "openid"})).unwrap();
    let sub = r.id_token_payload.as_ref().unwrap().subject().to_owned();
    (r.id_token.unwrap().into_secret(), sub)
}

pub fn op_link_user(t: &DevTenant) -> Prepared {
    let m = management(t);
    let (token, _) = secondary(t);
    plain(move || m.link_user(TEST_USER_ID, &token).map(drop))
}

pub fn op_unlink_user(t: &DevTenant) -> Prepared {
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

pub const USER_PATH: &str = "/api/v2/users/auth0%7C6f0000000000000000000001";
pub const IDENTITIES_PATH: &str = "/api/v2/users/auth0%7C6f0000000000000000000001/identities";
