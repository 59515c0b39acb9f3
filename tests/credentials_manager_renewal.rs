//! The credentials manager's renewal against the dev tenant: when it
//! renews (expiry, min TTL, scope/audience), its errors, refresh token
//! rotation (also across 16 threads and on a file store), its log lines,
//! DPoP-bound credentials across a restart, and the plain refresh/revoke
//! operations. The store's own cases are in
//! tests/credentials_manager_store.rs.
//!
//! The credentials manager against the dev tenant: every method and error
//! code, scope/audience renewal, rotation safety across 16 threads, and the
//! plain refresh/revoke operations. The cross-process cases are in
//! tests/credentials_processes.rs.

mod common;
#[path = "common/manager.rs"]
mod manager;

use auth0_devtenant::TEST_USER_EMAIL;
use auth0_native::credentials::{EncryptedFileStore, MemoryStore};
use auth0_native::{
    CredentialsManager, CredentialsOptions, ErrorKind, RefreshTokenOptions, RevokeTokenOptions,
};
use common::Tenant;
use manager::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// A tenant, and a manager over a memory store holding a login whose access
/// token has expired (the tenant now gives an hour).
fn an_expired_login_saved() -> (
    Tenant,
    Arc<auth0_native::WebAuth>,
    Arc<MemoryStore>,
    CredentialsManager,
    auth0_native::AuthResult,
) {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let web = offline(&t);
    let store = Arc::new(MemoryStore::new());
    let m = CredentialsManager::new(web.clone(), store.clone());
    let r = login(&web);
    m.save(&r).unwrap();
    settings(&t, json!({"access_token_lifetime_secs": 3600}));
    (t, web, store, m, r)
}

#[test]
fn an_expired_access_token_is_renewed_and_the_rotated_token_persisted() {
    let (t, web, store, m, r) = an_expired_login_saved();
    let c = m.credentials(&any()).unwrap();
    assert_ne!(Some(&c.access_token), r.access_token.as_ref());
    assert_ne!(c.refresh_token, r.refresh_token, "rotated");
    assert!(c.expires_in(auth0_native_now()) > 3000);
    assert_eq!(
        c.id_token_payload.as_ref().unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
    assert_eq!(stat(&t, "refresh_rotations"), 1);
    // Persisted: another manager on the same store sees the new tokens and
    // does not renew again.
    let other = CredentialsManager::new(web, store);
    assert_eq!(other.credentials(&any()).unwrap(), c);
    assert_eq!(stat(&t, "refresh_rotations"), 1);
    let body = last_token_body(&t);
    assert_eq!(body["grant_type"], "refresh_token");
    assert_eq!(body["refresh_token"], r.refresh_token.unwrap().secret());
}

#[test]
fn min_ttl_decides_when_to_renew() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 100}));
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    let kept = m
        .credentials(&CredentialsOptions {
            min_ttl: 10,
            ..any()
        })
        .unwrap();
    assert_eq!(Some(&kept.access_token), r.access_token.as_ref());
    assert!(m.has_valid_credentials(10).unwrap());
    assert_eq!(stat(&t, "refresh_rotations"), 0);
    let renewed = m
        .credentials(&CredentialsOptions {
            min_ttl: 200,
            ..any()
        })
        .unwrap();
    assert_ne!(renewed.access_token, kept.access_token);
    assert_eq!(stat(&t, "refresh_rotations"), 1);
}

#[test]
fn a_scope_or_audience_not_covered_is_renewed_for() {
    let t = Tenant::start();
    let (web, m) = manager(&t);
    m.save(&login(&web)).unwrap();
    // Covered: no renewal.
    m.credentials(&CredentialsOptions {
        scope: Some("openid email".into()),
        ..any()
    })
    .unwrap();
    assert_eq!(stat(&t, "refresh_rotations"), 0);
    // Not covered: renewed, asking for it.
    m.credentials(&CredentialsOptions {
        scope: Some("openid read:items".into()),
        ..any()
    })
    .unwrap();
    assert_eq!(stat(&t, "refresh_rotations"), 1);
    assert_eq!(last_token_body(&t)["scope"], "openid read:items");
    // Another audience: renewed for it, then served from the store.
    let api = CredentialsOptions {
        audience: Some("https://api.example.com".into()),
        ..any()
    };
    m.credentials(&api).unwrap();
    assert_eq!(stat(&t, "refresh_rotations"), 2);
    assert_eq!(last_token_body(&t)["audience"], "https://api.example.com");
    m.credentials(&api).unwrap();
    assert_eq!(stat(&t, "refresh_rotations"), 2);
}

#[test]
fn without_a_refresh_token_an_expired_login_cannot_be_renewed() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let web = Arc::new(t.web(json!({"scope": "openid"})));
    let m = CredentialsManager::new(web.clone(), Arc::new(MemoryStore::new()));
    let r = login(&web);
    assert!(r.refresh_token.is_none());
    m.save(&r).unwrap();
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Credentials, "no_refresh_token")
    );
    assert!(!e.retryable());
    assert!(!m.has_valid_credentials(0).unwrap());
    // The user's claims stay readable.
    assert!(m.user().unwrap().is_some());
}

#[test]
fn a_refused_renewal_is_renew_failed_with_the_servers_answer() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    web.client()
        .revoke_token(&RevokeTokenOptions {
            refresh_token: r.refresh_token.clone().unwrap(),
        })
        .unwrap();
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Credentials, "renew_failed")
    );
    assert_eq!(e.cause(), Some("invalid_grant"));
    assert_eq!(e.status_code(), Some(403));
    assert_eq!(e.original().unwrap()["error"], "invalid_grant");
    assert!(!e.retryable());
    let j = e.to_json();
    assert_eq!(
        (j["cause"].clone(), j["retryable"].clone()),
        (json!("invalid_grant"), json!(false))
    );
    // The store keeps what it had.
    assert_eq!(
        m.user().unwrap().unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
}

#[test]
fn a_renewal_that_could_not_get_through_is_retryable() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    t.fault(json!({"path": "/oauth/token", "status": 503}));
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(
        (e.code(), e.cause()),
        ("renew_failed", Some("server_error"))
    );
    assert_eq!(e.status_code(), Some(503));
    assert!(e.retryable());
    t.fault(json!({"path": "/oauth/token", "drop": true}));
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(e.code(), "renew_failed");
    assert!(e.retryable(), "{e}");
    // The refresh token was never spent: the next try works.
    assert!(m.credentials(&any()).is_ok());
    assert_eq!(stat(&t, "refresh_reuse_detections"), 0);
}

#[test]
fn a_refresh_answer_without_a_refresh_token_keeps_the_old_one() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    // Auth0 without rotation: only an access token comes back.
    t.fault(json!({"path": "/oauth/token", "status": 200, "content_type": "application/json",
                   "body": json!({"access_token": "at-no-rotation", "expires_in": 3600, "token_type": "Bearer"}).to_string()}));
    let c = m.credentials(&any()).unwrap();
    assert_eq!(c.access_token.secret(), "at-no-rotation");
    assert_eq!(c.refresh_token, r.refresh_token);
    assert_eq!(c.id_token, r.id_token, "the old id_token is kept");
    assert_eq!(
        m.user().unwrap().unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
}

#[test]
fn refresh_token_and_revoke_token_are_plain_operations() {
    let t = Tenant::start();
    let web = offline(&t);
    let r = login(&web);
    let renewed = web
        .client()
        .refresh_token(
            &RefreshTokenOptions::from_json(
                &json!({"refreshToken": r.refresh_token.as_ref().unwrap().secret()}),
            )
            .unwrap(),
        )
        .unwrap();
    assert!(renewed.access_token.is_some());
    assert_eq!(
        renewed.id_token_payload.unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
    let rotated = renewed.refresh_token.unwrap();
    let body = last_token_body(&t);
    assert_eq!(body["client_id"], t.client_id());
    web.client()
        .revoke_token(
            &RevokeTokenOptions::from_json(&json!({"refreshToken": rotated.secret()})).unwrap(),
        )
        .unwrap();
    let reqs = t.dev_get("requests?path=/oauth/revoke");
    let last = &reqs.as_array().unwrap().last().unwrap()["body"];
    let sent: Value = match last {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    assert_eq!(
        sent,
        json!({"client_id": t.client_id(), "token": rotated.secret()})
    );
    let e = web
        .client()
        .refresh_token(&RefreshTokenOptions {
            refresh_token: rotated,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Server, "invalid_grant"));
}

/// 16 threads calling for 2.5 s while the access token expires every
/// second: one refresh per expiry, and the tenant never sees a rotated
/// token again.
#[test]
fn sixteen_threads_renew_once_per_expiry_without_reuse() {
    let t = Tenant::start();
    settings(
        &t,
        json!({"access_token_lifetime_secs": 1, "refresh_reuse_interval_secs": 0}),
    );
    let web = offline(&t);
    let m = Arc::new(CredentialsManager::new(
        web.clone(),
        Arc::new(MemoryStore::new()),
    ));
    let first = login(&web);
    m.save(&first).unwrap();
    let seen: Mutex<BTreeMap<String, (u64, u64)>> = Mutex::new(BTreeMap::new());
    // A time, not a number of calls: the token's dates are whole seconds,
    // so only a run of more than two seconds spans two expiries whatever
    // the fraction of the second the login fell on (200 calls of 8 ms
    // could end 1.6 s after a login at x.05 s, before the second one).
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                while start.elapsed() < std::time::Duration::from_millis(2500) {
                    let c = m.credentials(&any()).unwrap();
                    let at = c.access_token.secret().to_owned();
                    let times = common::token_times(&at);
                    seen.lock().unwrap().insert(at, times);
                    std::thread::sleep(std::time::Duration::from_millis(8));
                }
            });
        }
    });
    let seen = seen.into_inner().unwrap();
    let mut renewed: Vec<(u64, u64)> = seen
        .iter()
        .filter(|(at, _)| Some(at.as_str()) != first.access_token.as_ref().map(|t| t.secret()))
        .map(|(_, t)| *t)
        .collect();
    renewed.sort();
    assert!(
        renewed.len() >= 2,
        "the run spanned several expiries: {renewed:?}"
    );
    // Every renewal came after the token before it had expired: never two
    // for one expiry.
    for pair in renewed.windows(2) {
        assert!(
            pair[1].0 >= pair[0].1,
            "two renewals for one expiry: {renewed:?}"
        );
    }
    assert_eq!(stat(&t, "refresh_rotations"), renewed.len() as u64);
    assert_eq!(stat(&t, "refresh_reuse_detections"), 0);
    assert_eq!(stat(&t, "refresh_reuse_within_interval"), 0);
    assert!(m.credentials(&any()).is_ok(), "the session survives");
}

#[test]
fn threads_on_a_file_store_share_one_renewal() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let web = offline(&t);
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EncryptedFileStore::with_key(dir.path().join("c.bin"), &[1; 32]).unwrap());
    let m = CredentialsManager::new(web.clone(), store);
    m.save(&login(&web)).unwrap();
    settings(&t, json!({"access_token_lifetime_secs": 3600}));
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| m.credentials(&any()).unwrap());
        }
    });
    assert_eq!(stat(&t, "refresh_rotations"), 1);
    assert_eq!(stat(&t, "refresh_reuse_detections"), 0);
}

/// Every record logged, for the logging test (one logger per process).
static LOGGED: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LOGGED
            .lock()
            .unwrap()
            .push((record.target().to_owned(), record.args().to_string()));
    }
    fn flush(&self) {}
}

#[test]
fn renewals_are_logged_without_a_token() {
    static LOGGER: Capture = Capture;
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(log::LevelFilter::Debug);
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    let c = m.credentials(&any()).unwrap();
    let logged = LOGGED.lock().unwrap().clone();
    let ours: Vec<&String> = logged
        .iter()
        .filter(|(target, _)| target == "auth0_native::credentials")
        .map(|(_, m)| m)
        .collect();
    assert!(
        ours.iter().any(|m| m.starts_with("renewal start")),
        "{ours:?}"
    );
    assert!(
        ours.iter().any(|m| m.starts_with("renewal done")),
        "{ours:?}"
    );
    let secrets = [
        r.access_token.unwrap().into_secret(),
        r.refresh_token.unwrap().into_secret(),
        c.access_token.secret().to_owned(),
        c.refresh_token.unwrap().into_secret(),
    ];
    for (_, message) in &logged {
        for s in &secrets {
            assert!(
                !message.contains(s.as_str()),
                "a token was logged: {message}"
            );
        }
    }
}

#[test]
fn dpop_bound_credentials_keep_their_key_across_a_restart() {
    let t = Tenant::start();
    settings(&t, json!({"access_token_lifetime_secs": 0}));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.bin");
    let web =
        Arc::new(t.web(json!({"scope": "openid profile email offline_access", "dpop": true})));
    let first = CredentialsManager::new(
        web.clone(),
        Arc::new(EncryptedFileStore::with_key(&path, &[3; 32]).unwrap()),
    );
    let r = login(&web);
    assert_eq!(r.token_type.as_deref(), Some("DPoP"));
    first.save(&r).unwrap();
    let thumbprint = web.dpop_key().unwrap().thumbprint().to_owned();
    settings(&t, json!({"access_token_lifetime_secs": 3600}));
    // The app restarts: a new handle, with a key of its own (or none), and
    // a new manager on the same file. The bound refresh token renews only
    // with the key it is bound to, which the store kept.
    let restarted =
        Arc::new(t.web(json!({"scope": "openid profile email offline_access", "dpop": true})));
    assert_ne!(restarted.dpop_key().unwrap().thumbprint(), thumbprint);
    let second = CredentialsManager::new(
        restarted.clone(),
        Arc::new(EncryptedFileStore::with_key(&path, &[3; 32]).unwrap()),
    );
    let c = second.credentials(&any()).unwrap();
    assert_eq!(c.token_type, "DPoP");
    assert_ne!(Some(&c.access_token), r.access_token.as_ref());
    assert_eq!(restarted.dpop_key().unwrap().thumbprint(), thumbprint);
    // And the renewed access token works with the handle's proofs.
    restarted
        .client()
        .user_info(c.access_token.secret())
        .unwrap();
    // The key is in the store, never in clear.
    let raw = std::fs::read(&path).unwrap();
    let pkcs8 = web.dpop_key().unwrap().to_pkcs8().unwrap();
    assert!(!String::from_utf8_lossy(&raw).contains(pkcs8.secret()));
}

#[test]
fn a_renewal_cancelled_while_its_answer_arrives_still_saves_the_rotated_token() {
    // The tenant has rotated the refresh token when its answer starts; an
    // answer dropped unread would leave the store with the spent one.
    let (t, web, store, m, r) = an_expired_login_saved();
    t.fault(json!({"path": "/oauth/token", "drip_ms": 1}));
    let token = auth0_native::CancelToken::new();
    let canceller = token.clone();
    std::thread::spawn(move || {
        // Once the answer has begun (the rotation is done), cancel.
        std::thread::sleep(std::time::Duration::from_millis(300));
        canceller.cancel();
    });
    let c = token.run_as_current(|| m.credentials(&any())).unwrap();
    assert!(
        token.is_cancelled(),
        "the answer took longer than the cancel"
    );
    assert_ne!(c.refresh_token, r.refresh_token, "rotated");
    assert_eq!(stat(&t, "refresh_rotations"), 1);
    let other = CredentialsManager::new(web, store);
    assert_eq!(other.credentials(&any()).unwrap(), c, "saved");
    assert_eq!(stat(&t, "refresh_rotations"), 1);
}
