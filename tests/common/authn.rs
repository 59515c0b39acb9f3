//! Helpers of the Authentication API tests (tests/authentication_*.rs):
//! the test user's password-realm login options and the clock in seconds.
// (Each tests/authentication_*.rs uses one or both.)
#![allow(dead_code)]

use crate::common::CONNECTION;
use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use serde_json::{json, Value};

pub fn login_options() -> Value {
    json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION,
           "scope": "openid profile email"})
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
