//! Auth0's MFA API: `mfa_required` on the password-realm, passwordless OTP
//! and (optionally) refresh grants for enrolled users; `/mfa/challenge`,
//! `/mfa/associate`, `/mfa/authenticators`; the grants `mfa-otp`, `mfa-oob`
//! and `mfa-recovery-code`; and dev endpoints under `/__dev/mfa/` to enrol
//! users, approve out-of-band challenges and compute TOTP codes.
//!
//! OTP authenticators are TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30 s, one
//! step of clock skew accepted). Out-of-band authenticators use the channel
//! `auth0` (a push: pending until `/__dev/mfa/approve`) or `sms` (a binding
//! code sent to the outbox, which the client sends as `binding_code`).
//!
//! The modules: [`grants`] (`mfa_required` and the three MFA grants),
//! [`api`] (`/mfa/*`), [`dev`] (`/__dev/mfa/*`), [`authenticators`] (making
//! and showing an authenticator) and [`totp`] (TOTP, base32, recovery codes).

mod api;
mod authenticators;
mod dev;
mod grants;
mod totp;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::routing::{delete, get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::store::Store;
use crate::App;

pub use grants::{gate, grant};

use api::{associate, challenge, delete_authenticator, list_authenticators};
use authenticators::new_authenticator;
use dev::{dev_approve, dev_enroll, dev_enrollments, dev_pending, dev_totp, dev_unenroll};
use totp::new_recovery_code;

pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// An enrolment of the `mfa_enrollments` config key.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EnrollmentConfig {
    /// E-mail or user id of an existing user.
    pub user: String,
    /// `otp` or `oob`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Base32 TOTP secret (otp); generated when absent.
    pub secret: Option<String>,
    /// `auth0` (push, default) or `sms` (oob).
    pub oob_channel: Option<String>,
    pub phone_number: Option<String>,
    /// The user's recovery code; generated when absent.
    pub recovery_code: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Authenticator {
    id: String,
    /// `otp` or `oob`
    kind: String,
    secret: Vec<u8>,
    oob_channel: Option<String>,
    phone_number: Option<String>,
    /// False until confirmed by a first successful MFA grant (associate).
    active: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Enrolment {
    authenticators: Vec<Authenticator>,
    recovery_code: Option<String>,
}

impl Enrolment {
    fn has_active(&self) -> bool {
        self.authenticators.iter().any(|a| a.active)
    }
}

/// A login waiting for its second factor, named by the `mfa_token`.
#[derive(Clone, Debug)]
struct Pending {
    client_id: String,
    user_id: String,
    scope: String,
    audience: Option<String>,
    org: Option<String>,
    /// (refresh token, family) when the refresh grant asked for MFA.
    refresh: Option<(String, String)>,
    expires_ms: u64,
}

#[derive(Clone, Debug, PartialEq)]
enum OobStatus {
    Pending,
    Approved,
    Denied,
}

#[derive(Clone, Debug)]
struct Oob {
    mfa_token: String,
    user_id: String,
    authenticator_id: String,
    channel: String,
    binding_code: Option<String>,
    status: OobStatus,
    expires_ms: u64,
    last_poll_ms: Option<u64>,
}

#[derive(Default)]
struct Inner {
    users: HashMap<String, Enrolment>,
    tokens: HashMap<String, Pending>,
    oobs: HashMap<String, Oob>,
}

pub struct MfaState {
    inner: Mutex<Inner>,
}

impl MfaState {
    /// Seed from `cfg.mfa_enrollments` (users looked up in `store`).
    pub fn new(cfg: &crate::config::Config, store: &Store) -> Result<MfaState, String> {
        if !matches!(cfg.mfa_policy.as_str(), "enrolled" | "all") {
            return Err("mfa_policy must be \"enrolled\" or \"all\"".into());
        }
        let mut inner = Inner::default();
        for e in &cfg.mfa_enrollments {
            let uid = find_user(store, &e.user)
                .ok_or_else(|| format!("mfa_enrollments: unknown user {}", e.user))?;
            let a = new_authenticator(
                &e.kind,
                e.secret.as_deref(),
                e.oob_channel.as_deref(),
                e.phone_number.clone(),
                true,
            )
            .map_err(|m| format!("mfa_enrollments: {m}"))?;
            let en = inner.users.entry(uid).or_default();
            en.authenticators.push(a);
            if let Some(rc) = &e.recovery_code {
                en.recovery_code = Some(rc.to_uppercase());
            } else if en.recovery_code.is_none() {
                en.recovery_code = Some(new_recovery_code());
            }
        }
        if let Some(db) = &store.db {
            // Persisted enrolments win over the seed for their users.
            for (uid, e) in db.load_keyed::<Enrolment>("mfa")? {
                inner.users.insert(uid, e);
            }
            for (uid, e) in &inner.users {
                db.put("mfa", uid, e);
            }
        }
        Ok(MfaState {
            inner: Mutex::new(inner),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Write `uid`'s enrolment through to the database (`--db`), or delete it.
fn save(app: &App, m: &Inner, uid: &str) {
    if let Some(db) = &app.store.db {
        match m.users.get(uid) {
            Some(e) => db.put("mfa", uid, e),
            None => db.delete("mfa", uid),
        }
    }
}

fn find_user(store: &Store, who: &str) -> Option<String> {
    let g = store.lock();
    if g.users.contains_key(who) {
        return Some(who.to_string());
    }
    g.users
        .values()
        .find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(who))
        })
        .map(|u| u.user_id.clone())
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/mfa/challenge", post(challenge))
        .route("/mfa/associate", post(associate))
        .route("/mfa/authenticators", get(list_authenticators))
        .route("/mfa/authenticators/{id}", delete(delete_authenticator))
        .route("/__dev/mfa/enroll", post(dev_enroll))
        .route(
            "/__dev/mfa/enrollments",
            get(dev_enrollments).delete(dev_unenroll),
        )
        .route("/__dev/mfa/pending", get(dev_pending))
        .route("/__dev/mfa/approve", post(dev_approve))
        .route("/__dev/mfa/totp", get(dev_totp))
}
