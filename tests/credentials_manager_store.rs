//! The credentials manager's store against the dev tenant: saved
//! credentials served without the network, what `save` needs and checks,
//! `clear` and a failed revocation, the encrypted file store and a blob
//! that is not stored credentials. Renewal is in
//! tests/credentials_manager_renewal.rs.
//!
//! The credentials manager against the dev tenant: every method and error
//! code, scope/audience renewal, rotation safety across 16 threads, and the
//! plain refresh/revoke operations. The cross-process cases are in
//! tests/credentials_processes.rs.

mod common;
#[path = "common/manager.rs"]
mod manager;

use auth0_devtenant::TEST_USER_EMAIL;
use auth0_native::credentials::MemoryStore;
use auth0_native::{
    AuthResult, ClearOptions, CredentialsManager, CredentialsOptions, ErrorKind,
    RefreshTokenOptions, StorageOptions,
};
use base64::Engine;
use common::Tenant;
use manager::*;
use serde_json::json;
use std::sync::Arc;

#[test]
fn saved_credentials_are_served_from_the_store_without_the_network() {
    let t = Tenant::start();
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    let before = t.dev_get("requests").as_array().unwrap().len();
    let c = m
        .credentials(&CredentialsOptions {
            min_ttl: 60,
            ..any()
        })
        .unwrap();
    assert_eq!(Some(&c.access_token), r.access_token.as_ref());
    assert_eq!(c.refresh_token, r.refresh_token);
    assert_eq!(c.token_type, "Bearer");
    assert!(c.expires_in(auth0_native_now()) > 60);
    assert!(m.has_valid_credentials(60).unwrap());
    let user = m.user().unwrap().expect("claims");
    assert_eq!(user.additional_claims()["email"], TEST_USER_EMAIL);
    assert_eq!(t.dev_get("requests").as_array().unwrap().len(), before);
    let j = c.to_json();
    assert_eq!(j["tokenType"], "Bearer");
    assert!(j["expiresIn"].as_i64().unwrap() > 60);
    assert_eq!(j["idTokenPayload"]["email"], TEST_USER_EMAIL);
    assert!(!format!("{c:?}").contains(c.access_token.secret()));
}

#[test]
fn an_empty_store_has_no_credentials() {
    let t = Tenant::start();
    let (_, m) = manager(&t);
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Credentials, "no_credentials")
    );
    assert!(!e.retryable());
    assert_eq!(e.to_json()["retryable"], false);
    assert!(!m.has_valid_credentials(0).unwrap());
    assert_eq!(m.user().unwrap(), None);
    m.clear(&ClearOptions::default()).unwrap();
}

#[test]
fn save_needs_an_access_token_and_its_lifetime() {
    let t = Tenant::start();
    let (_, m) = manager(&t);
    let e = m.save(&AuthResult::default()).unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (ErrorKind::InvalidArgument, "accessToken is required")
    );
    let e = m
        .save(&AuthResult {
            access_token: Some("at".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.description(), "expiresIn is required");
}

#[test]
fn save_verifies_an_id_token_that_comes_without_its_payload() {
    let t = Tenant::start();
    let (web, m) = manager(&t);
    let mut r = login(&web);
    r.id_token_payload = None;
    m.save(&r).unwrap();
    assert_eq!(
        m.user().unwrap().unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
    // A forged id_token (signed by another key) is refused, not stored.
    let forged = t.sign(json!({}), json!({"kid": "not-the-tenants"}));
    r.id_token = Some(forged.into());
    let before = m.user().unwrap();
    assert!(m.save(&r).is_err());
    assert_eq!(m.user().unwrap(), before);
}

#[test]
fn clear_revokes_the_refresh_token_and_empties_the_store() {
    let t = Tenant::start();
    let (web, m) = manager(&t);
    let r = login(&web);
    m.save(&r).unwrap();
    m.clear(&ClearOptions::default()).unwrap();
    assert_eq!(stat(&t, "refresh_revocations"), 1);
    assert_eq!(m.credentials(&any()).unwrap_err().code(), "no_credentials");
    let e = web
        .client()
        .refresh_token(&RefreshTokenOptions {
            refresh_token: r.refresh_token.unwrap(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code(), "invalid_grant");
}

#[test]
fn a_failed_revocation_keeps_the_store_until_cleared_without_revoking() {
    let t = Tenant::start();
    let (web, m) = manager(&t);
    m.save(&login(&web)).unwrap();
    t.fault(json!({"path": "/oauth/revoke", "status": 503}));
    let e = m.clear(&ClearOptions::default()).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Credentials, "revoke_failed")
    );
    assert!(e.retryable());
    assert!(m.has_valid_credentials(0).unwrap());
    m.clear(&ClearOptions { revoke: false }).unwrap();
    assert!(!m.has_valid_credentials(0).unwrap());
    assert_eq!(stat(&t, "refresh_revocations"), 0);
}

#[test]
fn a_file_store_from_storage_options_keeps_no_token_in_clear() {
    let t = Tenant::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.bin");
    let storage = StorageOptions::from_json(&json!({"type": "file", "path": path,
        "key": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([7u8; 32])}))
    .unwrap();
    let web = offline(&t);
    let m = CredentialsManager::with_storage(web.clone(), &storage).unwrap();
    let r = login(&web);
    m.save(&r).unwrap();
    let raw = std::fs::read(&path).unwrap();
    let rt = r.refresh_token.as_ref().unwrap().secret().as_bytes();
    assert!(!raw.windows(rt.len()).any(|w| w == rt));
    // A second manager (a restart) reads it back.
    let again = CredentialsManager::with_storage(web, &storage).unwrap();
    assert_eq!(
        again.credentials(&any()).unwrap().refresh_token,
        r.refresh_token
    );
    // A store the manager cannot read is a storage error, never tokens.
    let mut bad = raw.clone();
    let n = bad.len();
    bad[n - 1] ^= 1;
    std::fs::write(&path, &bad).unwrap();
    let e = again.credentials(&any()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage);
}

#[test]
fn a_blob_that_is_not_stored_credentials_is_a_storage_error() {
    let t = Tenant::start();
    let store = Arc::new(MemoryStore::new());
    use auth0_native::credentials::CredentialStore;
    let web = offline(&t);
    let m = CredentialsManager::new(web.clone(), store.clone());
    m.save(&login(&web)).unwrap();
    assert!(m.credentials(&any()).is_ok());
    // Changed behind the manager's back: seen at once.
    store.save(br#"{"version":99}"#).unwrap();
    let e = m.credentials(&any()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage);
    assert!(e.description().contains("version 99"), "{e}");
    store.save(b"not json").unwrap();
    assert_eq!(
        m.has_valid_credentials(0).unwrap_err().kind(),
        ErrorKind::Storage
    );
}
