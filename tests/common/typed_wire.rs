//! Helpers of the typed-API tests (tests/typed_api_*.rs): the dev
//! tenant's request log with the made-up values masked, the comparison of
//! a typed call's requests with its JSON call's, and the handles they use.
// (Each tests/typed_api_*.rs uses a part of them.)
#![allow(dead_code)]

use crate::common::Tenant;
use auth0_native::*;
use serde_json::{json, Value};
use std::time::Duration;

pub const REDIRECT: &str = "http://127.0.0.1:7777/callback";

/// Values a tenant or the library makes up afresh on every run.
pub const MADE_UP: &[&str] = &[
    "code",
    "code_verifier",
    "code_challenge",
    "login_ticket",
    "co_verifier",
    "co_id",
    "otp",
    "verification_code",
    "device_code",
    "wresult",
    "wctx",
    // An id_token, signed with each tenant's own key.
    "link_with",
];

pub fn mask_pairs(s: &str) -> String {
    url::form_urlencoded::parse(s.as_bytes())
        .map(|(k, v)| {
            let v = if MADE_UP.contains(&k.as_ref()) {
                "*".into()
            } else {
                v.into_owned()
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn mask_json(v: &mut Value) {
    if let Value::Object(m) = v {
        for (k, v) in m.iter_mut() {
            if MADE_UP.contains(&k.as_str()) {
                *v = json!("*");
            } else {
                mask_json(v);
            }
        }
    }
}

/// The tenant's request log: method, path, query and body of each
/// request, the tenant's own origin and made-up values masked.
pub fn wire(t: &Tenant) -> Vec<Value> {
    let domain = t.domain();
    let log = t.dev_get("requests");
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["path"].as_str().unwrap().starts_with("/__dev"))
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or("").replace(&domain, "DOMAIN");
            let body = text("body");
            let body = match serde_json::from_str::<Value>(&body) {
                Ok(mut v) => {
                    mask_json(&mut v);
                    v.to_string()
                }
                Err(_) if body.contains('=') => mask_pairs(&body),
                Err(_) => body,
            };
            json!({"method": r["method"], "path": r["path"],
                   "query": mask_pairs(&text("query")), "body": body})
        })
        .collect()
}

/// Runs `typed` and `json` on a fresh tenant each; their logs must match,
/// and the typed run's log must hold a request to each path `check` starts
/// (a case that sent nothing proves nothing).
pub fn same_wire(typed: impl FnOnce(&Tenant), json: impl FnOnce(&Tenant), check: &[&str]) {
    let a = Tenant::start();
    typed(&a);
    let b = Tenant::start();
    json(&b);
    let (wa, wb) = (wire(&a), wire(&b));
    for path in check {
        assert!(
            wa.iter()
                .any(|r| r["path"].as_str().unwrap().starts_with(path)),
            "no {path} in {wa:#?}"
        );
    }
    assert_eq!(wa, wb);
}

pub fn typed_web(t: &Tenant, response_type: &str) -> WebAuth {
    WebAuth::new(&WebAuthOptions {
        domain: t.domain(),
        client_id: t.client_id(),
        redirect_uri: Some(REDIRECT.into()),
        response_type: Some(response_type.into()),
        scope: Some("openid profile".into()),
        ..Default::default()
    })
    .unwrap()
}

pub fn offline() -> (WebAuth, WebAuth) {
    let typed = WebAuth::new(&WebAuthOptions {
        domain: "me.auth0.com".into(),
        client_id: "abc".into(),
        redirect_uri: Some("com.example.app://callback".into()),
        scope: Some("openid".into()),
        audience: Some("https://api.example".into()),
        response_mode: Some("query".into()),
        organization: Some("org_x".into()),
        leeway: Some(Duration::from_secs(30)),
        send_telemetry: Some(false),
        transport: TransportOptions {
            timeout: Some(Duration::from_millis(1500)),
            retry: Some(RetryPolicy::none()),
            ..Default::default()
        },
        extra: vec![("popupOrigin".into(), "x".into())],
        ..Default::default()
    })
    .unwrap();
    let json = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "abc",
        "redirectUri": "com.example.app://callback", "scope": "openid",
        "audience": "https://api.example", "responseMode": "query", "organization": "org_x", "leeway": 30,
        "_sendTelemetry": false, "timeout": 1500,
        "retry": {"maxAttempts": 1, "baseDelayMs": 250, "maxDelayMs": 10000, "totalMs": 30000},
        "popupOrigin": "x"}))
    .unwrap();
    (typed, json)
}
