//! Settings a test may change while the tenant runs (access-token lifetime,
//! refresh-token reuse interval, DPoP nonce, MFA policy) and refresh-token
//! counters, with their dev endpoints `/__dev/settings` and `/__dev/stats`.
//!
//! They start from the `Config`; a client test shortens a lifetime or turns
//! a check on without restarting the tenant, and asserts "no reuse was
//! detected" from the counters.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::config::Config;
use crate::util::{json_response, oauth_error};
use crate::App;

/// Refresh-token events counted for `/__dev/stats`.
#[derive(Clone, Copy)]
pub enum Counter {
    /// A rotated token presented after the reuse interval (its family revoked).
    ReuseDetected,
    /// A rotated token presented within the reuse interval (accepted).
    ReuseWithinInterval,
    /// A refresh token exchanged for the first time.
    Rotation,
    /// A family revoked through `/oauth/revoke`.
    Revocation,
}

pub struct Settings {
    access_token_lifetime_secs: AtomicU64,
    refresh_reuse_interval_secs: AtomicU64,
    dpop_require_nonce: AtomicBool,
    mfa_require_all: AtomicBool,
    mfa_on_refresh: AtomicBool,
    counters: [AtomicU64; 4],
}

impl Settings {
    pub fn new(cfg: &Config) -> Settings {
        Settings {
            access_token_lifetime_secs: AtomicU64::new(cfg.access_token_lifetime_secs),
            refresh_reuse_interval_secs: AtomicU64::new(cfg.refresh_reuse_interval_secs),
            dpop_require_nonce: AtomicBool::new(cfg.dpop_require_nonce),
            mfa_require_all: AtomicBool::new(cfg.mfa_policy == "all"),
            mfa_on_refresh: AtomicBool::new(cfg.mfa_on_refresh),
            counters: Default::default(),
        }
    }

    pub fn access_token_lifetime(&self) -> u64 {
        self.access_token_lifetime_secs.load(Ordering::Relaxed)
    }

    pub fn refresh_reuse_interval_ms(&self) -> u64 {
        self.refresh_reuse_interval_secs
            .load(Ordering::Relaxed)
            .saturating_mul(1000)
    }

    pub fn dpop_require_nonce(&self) -> bool {
        self.dpop_require_nonce.load(Ordering::Relaxed)
    }

    /// MFA policy "all": users without an authenticator must enrol.
    pub fn mfa_require_all(&self) -> bool {
        self.mfa_require_all.load(Ordering::Relaxed)
    }

    pub fn mfa_on_refresh(&self) -> bool {
        self.mfa_on_refresh.load(Ordering::Relaxed)
    }

    pub fn count(&self, c: Counter) {
        self.counters[c as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn counter(&self, c: Counter) -> u64 {
        self.counters[c as usize].load(Ordering::Relaxed)
    }

    fn to_json(&self) -> Value {
        json!({
            "access_token_lifetime_secs": self.access_token_lifetime(),
            "refresh_reuse_interval_secs": self.refresh_reuse_interval_secs.load(Ordering::Relaxed),
            "dpop_require_nonce": self.dpop_require_nonce(),
            "mfa_policy": if self.mfa_require_all() { "all" } else { "enrolled" },
            "mfa_on_refresh": self.mfa_on_refresh(),
        })
    }

    fn stats(&self) -> Value {
        json!({
            "refresh_reuse_detections": self.counter(Counter::ReuseDetected),
            "refresh_reuse_within_interval": self.counter(Counter::ReuseWithinInterval),
            "refresh_rotations": self.counter(Counter::Rotation),
            "refresh_revocations": self.counter(Counter::Revocation),
        })
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/__dev/settings", get(get_settings).post(set_settings))
        .route("/__dev/stats", get(get_stats).delete(reset_stats))
}

async fn get_settings(State(app): State<Arc<App>>) -> Response {
    json_response(200, &app.settings.to_json())
}

/// One validated `/__dev/settings` change.
enum Change {
    Number(AtomicU64Ref, u64),
    Flag(AtomicBoolRef, bool),
}

type AtomicU64Ref = fn(&Settings) -> &AtomicU64;
type AtomicBoolRef = fn(&Settings) -> &AtomicBool;

fn parse_change(k: &str, v: &Value) -> Result<Change, String> {
    let bad = || format!("Invalid value for {k}");
    let num = |f: AtomicU64Ref| v.as_u64().map(|n| Change::Number(f, n)).ok_or_else(bad);
    let flag = |f: AtomicBoolRef| v.as_bool().map(|b| Change::Flag(f, b)).ok_or_else(bad);
    match k {
        "access_token_lifetime_secs" => num(|s| &s.access_token_lifetime_secs),
        "refresh_reuse_interval_secs" => num(|s| &s.refresh_reuse_interval_secs),
        "dpop_require_nonce" => flag(|s| &s.dpop_require_nonce),
        "mfa_on_refresh" => flag(|s| &s.mfa_on_refresh),
        "mfa_policy" => match v.as_str() {
            Some("all") => Ok(Change::Flag(|s| &s.mfa_require_all, true)),
            Some("enrolled") => Ok(Change::Flag(|s| &s.mfa_require_all, false)),
            _ => Err(bad()),
        },
        _ => Err(format!("Unknown setting {k}")),
    }
}

/// Apply every key of the JSON body; an unknown key or a wrong type is a
/// 400 naming it, and then nothing is applied.
async fn set_settings(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Ok(Value::Object(b)) = serde_json::from_slice::<Value>(&body) else {
        return oauth_error(400, "invalid_request", "Body must be a JSON object");
    };
    let mut changes = Vec::new();
    for (k, v) in &b {
        match parse_change(k, v) {
            Ok(c) => changes.push(c),
            Err(e) => return oauth_error(400, "invalid_request", &e),
        }
    }
    let s = &app.settings;
    for c in changes {
        match c {
            Change::Number(f, n) => f(s).store(n, Ordering::Relaxed),
            Change::Flag(f, b) => f(s).store(b, Ordering::Relaxed),
        }
    }
    json_response(200, &s.to_json())
}

async fn get_stats(State(app): State<Arc<App>>) -> Response {
    json_response(200, &app.settings.stats())
}

async fn reset_stats(State(app): State<Arc<App>>) -> Response {
    for c in &app.settings.counters {
        c.store(0, Ordering::Relaxed);
    }
    StatusCode::NO_CONTENT.into_response()
}
