//! Helpers of the logging tests (tests/logging_*.rs): a `log::Log` that
//! captures every record at `trace`, the events they expect, and the scan
//! of everything captured for every secret an operation used (its answer's
//! tokens and every secret-bearing value in the dev tenant's request log).

use crate::common::CONNECTION;
use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{AuthResult, WebAuth};
use serde_json::{json, Value};
use std::sync::{Mutex, Once};

/// One captured record.
#[derive(Clone, Debug)]
pub struct Rec {
    pub thread: String,
    pub level: log::Level,
    pub target: String,
    pub message: String,
}

/// Captures every record of every crate, at every level.
pub struct Capture;

pub static RECORDS: Mutex<Vec<Rec>> = Mutex::new(Vec::new());

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, r: &log::Record<'_>) {
        let rec = Rec {
            thread: std::thread::current().name().unwrap_or("").to_owned(),
            level: r.level(),
            target: r.target().to_owned(),
            message: r.args().to_string(),
        };
        RECORDS.lock().unwrap_or_else(|p| p.into_inner()).push(rec);
    }
    fn flush(&self) {}
}

pub static CAPTURE: Capture = Capture;

/// Installs the capture once per test binary.
pub fn capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in this binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

pub fn all_records() -> Vec<Rec> {
    RECORDS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// The library's records made on this test's thread.
pub fn mine() -> Vec<Rec> {
    let me = std::thread::current().name().unwrap_or("").to_owned();
    all_records()
        .into_iter()
        .filter(|r| r.thread == me && r.target.starts_with("auth0_native"))
        .collect()
}

pub fn has(records: &[Rec], level: log::Level, target: &str, parts: &[&str]) -> bool {
    records.iter().any(|r| {
        r.level == level && r.target == target && parts.iter().all(|p| r.message.contains(p))
    })
}

#[track_caller]
pub fn expect_event(records: &[Rec], level: log::Level, target: &str, parts: &[&str]) {
    assert!(
        has(records, level, target, parts),
        "no {level} record of {target} with {parts:?} among:\n{}",
        records
            .iter()
            .map(|r| format!("{} {} {}", r.level, r.target, r.message))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Keys whose values are secrets wherever they travel (query, form, JSON).
pub const SECRET_KEYS: &[&str] = &[
    "password",
    "code",
    "code_verifier",
    "access_token",
    "id_token",
    "refresh_token",
    "state",
    "nonce",
    "otp",
    "verification_code",
    "device_code",
    "user_code",
    "mfa_token",
    "client_secret",
    "login_ticket",
    "ticket",
    "wresult",
    "token",
    "binding_code",
    "recovery_code",
    "oob_code",
];

pub fn collect_json(v: &Value, key: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::String(s) if key.is_some_and(|k| SECRET_KEYS.contains(&k)) => out.push(s.clone()),
        Value::Object(m) => m.iter().for_each(|(k, v)| collect_json(v, Some(k), out)),
        Value::Array(a) => a.iter().for_each(|v| collect_json(v, key, out)),
        _ => {}
    }
}

pub fn collect_form(text: &str, out: &mut Vec<String>) {
    for (k, v) in url::form_urlencoded::parse(text.trim_start_matches(['?', '#']).as_bytes()) {
        if SECRET_KEYS.contains(&k.as_ref()) {
            out.push(v.into_owned());
        }
    }
}

/// Every secret-bearing value the tenant received (its request log).
pub fn wire_secrets(domain: &str) -> Vec<String> {
    let r = reqwest::blocking::get(format!("{domain}/__dev/requests")).unwrap();
    let log: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    let mut out = Vec::new();
    for r in log.as_array().unwrap() {
        if let Some(q) = r["query"].as_str() {
            collect_form(q, &mut out);
        }
        let body = r["body"].as_str().unwrap_or("");
        match serde_json::from_str::<Value>(body) {
            Ok(v) => collect_json(&v, None, &mut out),
            Err(_) => collect_form(body, &mut out),
        }
        for (name, value) in r["headers"].as_object().into_iter().flatten() {
            let value = value.as_str().unwrap_or("");
            match name.to_ascii_lowercase().as_str() {
                "cookie" => out.extend(
                    value
                        .split(';')
                        .filter_map(|c| c.split_once('=').map(|(_, v)| v.trim().to_owned())),
                ),
                "authorization" => out.push(value.trim_start_matches("Bearer ").to_owned()),
                _ => {}
            }
        }
    }
    out
}

// (Not every tests/logging_*.rs has an `AuthResult` to scan for.)
#[allow(dead_code)]
pub fn result_secrets(r: &AuthResult) -> Vec<String> {
    let tokens = [
        r.access_token.as_ref().map(|t| t.secret()),
        r.id_token.as_ref().map(|t| t.secret()),
        r.refresh_token.as_ref().map(|t| t.secret()),
        r.state.as_deref(),
    ];
    tokens.into_iter().flatten().map(str::to_owned).collect()
}

/// No captured record (of any crate, at any level) holds any of
/// `secrets`, nor any part of a JWT among them.
#[track_caller]
pub fn assert_no_secret_logged(secrets: &[String]) {
    let mut needles: Vec<&str> = Vec::new();
    for s in secrets {
        needles.push(s);
        if s.matches('.').count() == 2 {
            needles.extend(s.split('.'));
        }
    }
    // Short values (a one-letter state) could match by chance; every real
    // secret here is longer.
    needles.retain(|n| n.len() >= 6);
    assert!(!needles.is_empty(), "the test found no secret to look for");
    // cookie_store (under reqwest's cookie jar) logs whole Set-Cookie
    // headers at `debug`: the SSO cookie's value. It is not the library's
    // record, and the C and Python forwarders never pass it on (they take
    // `auth0_native::*` only); a Rust program's own logger gets it unless
    // it filters that target, as the crate documentation says.
    for r in all_records()
        .into_iter()
        .filter(|r| !r.target.starts_with("cookie_store"))
    {
        for n in &needles {
            assert!(
                !r.message.contains(n) && !r.target.contains(n),
                "a secret ({}…) reached a log record: {} {}: {}",
                &n[..3],
                r.level,
                r.target,
                r.message
            );
        }
    }
}

/// The access token of a password login of the test user, with `extra`
/// (audience, scope) merged into the options.
// (Not every tests/logging_*.rs logs in for a bare access token.)
#[allow(dead_code)]
pub fn access_token(web: &WebAuth, extra: Value) -> String {
    let mut o = json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
                       "realm": CONNECTION});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    web.client()
        .login(&o)
        .unwrap()
        .access_token
        .unwrap()
        .into_secret()
}
