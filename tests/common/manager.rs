//! Helpers of the credentials manager tests (tests/credentials_manager_*.rs):
//! a logged-in test user, a manager on a memory store, the dev tenant's
//! settings, stats and last token request, and the clock in seconds.
// (Each tests/credentials_manager_*.rs uses a part of them.)
#![allow(dead_code)]

use crate::common::{Tenant, CONNECTION};
use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::credentials::MemoryStore;
use auth0_native::{AuthResult, CredentialsManager, CredentialsOptions, WebAuth};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn login(web: &WebAuth) -> AuthResult {
    web.client()
        .login(&json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION}))
        .unwrap()
}

pub fn offline(t: &Tenant) -> Arc<WebAuth> {
    Arc::new(t.web(json!({"scope": "openid profile email offline_access"})))
}

pub fn manager(t: &Tenant) -> (Arc<WebAuth>, CredentialsManager) {
    let web = offline(t);
    let m = CredentialsManager::new(web.clone(), Arc::new(MemoryStore::new()));
    (web, m)
}

pub fn settings(t: &Tenant, s: Value) {
    t.dev_post("settings", s);
}

pub fn stat(t: &Tenant, key: &str) -> u64 {
    t.dev_get("stats")[key].as_u64().unwrap()
}

pub fn any() -> CredentialsOptions {
    CredentialsOptions::default()
}

/// The last `/oauth/token` request body the tenant received.
pub fn last_token_body(t: &Tenant) -> Value {
    let reqs = t.dev_get("requests?path=/oauth/token");
    let last = reqs.as_array().unwrap().last().unwrap().clone();
    match &last["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    }
}

pub fn auth0_native_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
