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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::store::Store;
use crate::token::{authenticate_client, token_response, Grant};
use crate::util::{
    ct_eq, field, json_response, now_ms, now_s, oauth_error, parse_body, parse_query, random_bytes,
    random_hex, random_token,
};
use crate::App;

pub const GRANT_MFA_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_MFA_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_MFA_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

const TOTP_STEP: u64 = 30;
const OOB_LIFETIME_MS: u64 = 5 * 60 * 1000;

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

// ---- TOTP and encodings ----

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// RFC 4648 base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| *c != '=' && !c.is_whitespace()) {
        let v = B32
            .iter()
            .position(|x| *x as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The 6-digit TOTP code of `secret` for time step `step` (RFC 6238, SHA-1).
pub fn totp(secret: &[u8], step: u64) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = aws_lc_rs::hmac::sign(&key, &step.to_be_bytes());
    let h = tag.as_ref();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    format!("{:06}", bin % 1_000_000)
}

fn totp_ok(secret: &[u8], code: &str) -> bool {
    let step = now_s() / TOTP_STEP;
    let code = code.trim();
    [step.saturating_sub(1), step, step + 1]
        .iter()
        .any(|s| ct_eq(&totp(secret, *s), code))
}

fn new_recovery_code() -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes(24)
        .iter()
        .map(|b| A[*b as usize % A.len()] as char)
        .collect()
}

fn new_authenticator(
    kind: &str,
    secret: Option<&str>,
    channel: Option<&str>,
    phone_number: Option<String>,
    active: bool,
) -> Result<Authenticator, String> {
    match kind {
        "otp" => {
            let secret = match secret {
                Some(s) => base32_decode(s)
                    .filter(|b| !b.is_empty())
                    .ok_or("secret must be base32")?,
                None => random_bytes(20),
            };
            Ok(Authenticator {
                id: format!("totp|dev_{}", random_hex(8)),
                kind: "otp".into(),
                secret,
                oob_channel: None,
                phone_number: None,
                active,
            })
        }
        "oob" => {
            let channel = channel.unwrap_or("auth0");
            let prefix = match channel {
                "auth0" => "push",
                "sms" | "voice" => channel,
                _ => return Err("oob_channel must be auth0, sms or voice".into()),
            };
            if channel != "auth0" && phone_number.is_none() {
                return Err("phone_number is required for sms and voice".into());
            }
            Ok(Authenticator {
                id: format!("{prefix}|dev_{}", random_hex(8)),
                kind: "oob".into(),
                secret: Vec::new(),
                oob_channel: Some(channel.to_string()),
                phone_number,
                active,
            })
        }
        _ => Err("type must be otp or oob".into()),
    }
}

fn barcode_uri(secret: &[u8], label: &str) -> String {
    format!(
        "otpauth://totp/devtenant:{}?secret={}&issuer=devtenant&algorithm=SHA1&digits=6&period=30",
        crate::util::enc(label),
        base32_encode(secret)
    )
}

fn authenticator_json(a: &Authenticator) -> Value {
    let mut v = json!({"id": a.id, "authenticator_type": a.kind, "active": a.active});
    if let Some(c) = &a.oob_channel {
        v["oob_channel"] = json!(c);
        v["name"] = json!(a
            .phone_number
            .clone()
            .unwrap_or_else(|| "Dev push device".into()));
    } else {
        v["name"] = json!("Authenticator App");
    }
    v
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

// ---- mfa_required ----

/// The `mfa_required` answer when `g.user` must pass MFA before `g`'s tokens
/// are issued (enrolled, or policy "all"); `None` to issue them now.
/// `refresh` is the (token, family) of a refresh grant, rotated on success.
pub fn gate(app: &App, g: &Grant, refresh: Option<(String, String)>) -> Option<Response> {
    let enrolled = app
        .mfa
        .lock()
        .users
        .get(&g.user.user_id)
        .is_some_and(Enrolment::has_active);
    if !enrolled && !app.settings.mfa_require_all() {
        return None;
    }
    let token = random_token(32);
    let now = now_ms();
    let mut m = app.mfa.lock();
    m.tokens.retain(|_, p| p.expires_ms > now);
    m.oobs.retain(|_, o| o.expires_ms > now);
    m.tokens.insert(
        token.clone(),
        Pending {
            client_id: g.client_id.to_string(),
            user_id: g.user.user_id.clone(),
            scope: g.scope.to_string(),
            audience: g.audience.map(str::to_string),
            org: g.org.map(str::to_string),
            refresh,
            expires_ms: now + app.cfg.mfa_token_lifetime_secs * 1000,
        },
    );
    Some(json_response(
        403,
        &json!({
            "error": "mfa_required",
            "error_description": "Multifactor authentication required",
            "mfa_token": token,
        }),
    ))
}

/// A live mfa_token's pending login, or the error answer.
fn pending(app: &App, token: &str, client_id: Option<&str>) -> Result<Pending, Response> {
    let m = app.mfa.lock();
    let Some(p) = m.tokens.get(token) else {
        return Err(oauth_error(403, "invalid_grant", "Malformed mfa_token"));
    };
    if p.expires_ms <= now_ms() {
        return Err(oauth_error(403, "expired_token", "mfa_token is expired"));
    }
    if client_id.is_some_and(|c| c != p.client_id) {
        return Err(oauth_error(403, "invalid_grant", "Malformed mfa_token"));
    }
    Ok(p.clone())
}

// ---- the MFA grants ----

/// `/oauth/token` with one of the three MFA grants.
pub fn grant(app: &App, cid: &str, grant_type: &str, body: &Map<String, Value>) -> Response {
    let Some(token) = field(body, "mfa_token") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: mfa_token",
        );
    };
    let p = match pending(app, &token, Some(cid)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mut extra = None;
    let outcome = match grant_type {
        GRANT_MFA_OTP => check_otp(app, &p, body),
        GRANT_MFA_OOB => check_oob(app, &token, &p, body),
        GRANT_MFA_RECOVERY => match check_recovery(app, &p, body) {
            Ok(code) => {
                extra = Some(code);
                Ok(())
            }
            Err(r) => Err(r),
        },
        _ => Err(oauth_error(
            403,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {grant_type}"),
        )),
    };
    if let Err(r) = outcome {
        return r;
    }
    // Single use: a second exchange of this mfa_token is refused.
    if app.mfa.lock().tokens.remove(&token).is_none() {
        return oauth_error(403, "invalid_grant", "Malformed mfa_token");
    }
    let user = app.store.lock().users.get(&p.user_id).cloned();
    let Some(user) = user else {
        return oauth_error(403, "invalid_grant", "Malformed mfa_token");
    };
    let family = match &p.refresh {
        Some((rt, family)) => {
            crate::token::mark_rotated(app, rt);
            Some(family.clone())
        }
        None => None,
    };
    app.store.touch_login(&user.user_id);
    let g = Grant {
        client_id: cid,
        user: &user,
        scope: &p.scope,
        audience: p.audience.as_deref(),
        nonce: None,
        auth_time: now_s(),
        org: p.org.as_deref(),
    };
    let mut body = token_response(app, &g, family);
    if let Some(code) = extra {
        body["recovery_code"] = json!(code);
    }
    json_response(200, &body)
}

fn check_otp(app: &App, p: &Pending, body: &Map<String, Value>) -> Result<(), Response> {
    let Some(code) = field(body, "otp") else {
        return Err(oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: otp",
        ));
    };
    let mut m = app.mfa.lock();
    let hit = m.users.get_mut(&p.user_id).and_then(|e| {
        e.authenticators
            .iter_mut()
            .find(|a| a.kind == "otp" && totp_ok(&a.secret, &code))
    });
    let Some(a) = hit else {
        return Err(oauth_error(403, "invalid_grant", "Invalid otp_code."));
    };
    if !a.active {
        a.active = true;
        save(app, &m, &p.user_id);
    }
    Ok(())
}

fn check_oob(
    app: &App,
    token: &str,
    p: &Pending,
    body: &Map<String, Value>,
) -> Result<(), Response> {
    let Some(code) = field(body, "oob_code") else {
        return Err(oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: oob_code",
        ));
    };
    let now = now_ms();
    let interval = app.cfg.mfa_oob_interval_secs * 1000;
    let mut m = app.mfa.lock();
    let Some(o) = m
        .oobs
        .get_mut(&code)
        .filter(|o| o.mfa_token == token && o.user_id == p.user_id)
    else {
        return Err(oauth_error(403, "invalid_grant", "Invalid oob_code."));
    };
    if o.expires_ms <= now {
        return Err(oauth_error(403, "expired_token", "oob_code is expired."));
    }
    if let Some(expected) = o.binding_code.clone() {
        match field(body, "binding_code") {
            Some(b) if ct_eq(&b, &expected) => {}
            Some(_) => return Err(oauth_error(403, "invalid_grant", "Invalid binding_code.")),
            None => {
                return Err(oauth_error(
                    400,
                    "invalid_request",
                    "Missing required parameter: binding_code",
                ))
            }
        }
    } else {
        match o.status {
            OobStatus::Approved => {}
            OobStatus::Denied => {
                return Err(oauth_error(
                    403,
                    "invalid_grant",
                    "MFA Authorization rejected.",
                ))
            }
            OobStatus::Pending => {
                let too_fast = o.last_poll_ms.is_some_and(|l| now < l + interval);
                o.last_poll_ms = Some(now);
                return Err(if too_fast {
                    oauth_error(
                        400,
                        "slow_down",
                        &format!(
                            "You are polling faster than allowed. Try again in {} seconds.",
                            app.cfg.mfa_oob_interval_secs
                        ),
                    )
                } else {
                    oauth_error(
                        400,
                        "authorization_pending",
                        "Authorization pending: please repeat the request in a few seconds.",
                    )
                });
            }
        }
    }
    let (uid, aid) = (o.user_id.clone(), o.authenticator_id.clone());
    m.oobs.remove(&code);
    if let Some(a) = m
        .users
        .get_mut(&uid)
        .and_then(|e| e.authenticators.iter_mut().find(|a| a.id == aid))
    {
        a.active = true;
    }
    save(app, &m, &uid);
    Ok(())
}

/// On success, the user's new recovery code (the used one is spent).
fn check_recovery(app: &App, p: &Pending, body: &Map<String, Value>) -> Result<String, Response> {
    let Some(code) = field(body, "recovery_code") else {
        return Err(oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: recovery_code",
        ));
    };
    let given: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    let mut m = app.mfa.lock();
    let Some(e) = m.users.get_mut(&p.user_id) else {
        return Err(oauth_error(403, "invalid_grant", "Invalid recovery_code."));
    };
    if !e
        .recovery_code
        .as_deref()
        .is_some_and(|rc| ct_eq(rc, &given))
    {
        return Err(oauth_error(403, "invalid_grant", "Invalid recovery_code."));
    }
    let fresh = new_recovery_code();
    e.recovery_code = Some(fresh.clone());
    save(app, &m, &p.user_id);
    Ok(fresh)
}

// ---- /mfa/* ----

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

async fn challenge(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let client = match authenticate_client(&app, &b) {
        Ok(c) => c.client_id.clone(),
        Err(r) => return r,
    };
    let Some(token) = field(&b, "mfa_token") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: mfa_token",
        );
    };
    let p = match pending(&app, &token, Some(&client)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let types: Vec<String> = field(&b, "challenge_type")
        .unwrap_or_else(|| "otp oob".into())
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if types.iter().any(|t| t != "otp" && t != "oob") {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "challenge_type must be otp, oob or both",
        );
    }
    let wanted_id = field(&b, "authenticator_id");
    let channel = field(&b, "oob_channel");
    let mut m = app.mfa.lock();
    let list = m
        .users
        .get(&p.user_id)
        .map(|e| e.authenticators.clone())
        .unwrap_or_default();
    if list.is_empty() {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "User is not enrolled. You can use /mfa/associate endpoint to enroll the first authenticator.",
        );
    }
    let pick = list.iter().find(|a| {
        types.contains(&a.kind)
            && wanted_id.as_deref().is_none_or(|w| w == a.id)
            && channel
                .as_deref()
                .is_none_or(|c| a.oob_channel.as_deref() == Some(c))
            && (a.active || wanted_id.is_some())
    });
    let Some(a) = pick else {
        return oauth_error(
            400,
            "unsupported_challenge_type",
            "The user has no authenticator matching the requested challenge_type / authenticator_id.",
        );
    };
    if a.kind == "otp" {
        return json_response(200, &json!({"challenge_type": "otp"}));
    }
    let (code, body) = start_oob(&mut m, &token, &p.user_id, a);
    drop(m);
    if let Some(msg) = code {
        app.dev.push_outbox(msg);
    }
    json_response(200, &body)
}

/// Start an out-of-band challenge: (outbox message, answer body).
fn start_oob(
    m: &mut Inner,
    token: &str,
    user_id: &str,
    a: &Authenticator,
) -> (Option<Value>, Value) {
    let channel = a.oob_channel.clone().unwrap_or_else(|| "auth0".into());
    let binding = (channel != "auth0").then(|| format!("{:06}", random_code()));
    let oob_code = random_token(24);
    m.oobs.insert(
        oob_code.clone(),
        Oob {
            mfa_token: token.to_string(),
            user_id: user_id.to_string(),
            authenticator_id: a.id.clone(),
            channel: channel.clone(),
            binding_code: binding.clone(),
            status: OobStatus::Pending,
            expires_ms: now_ms() + OOB_LIFETIME_MS,
            last_poll_ms: None,
        },
    );
    let mut body = json!({"challenge_type": "oob", "oob_code": oob_code});
    let msg = binding.map(|code| {
        body["binding_method"] = json!("prompt");
        json!({"kind": "mfa_code", "connection": channel, "to": a.phone_number, "code": code})
    });
    (msg, body)
}

fn random_code() -> u32 {
    let b = random_bytes(4);
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000
}

/// Who a `/mfa/*` request acts for: a live mfa_token, or an access token
/// for the MFA API (`aud` `{domain}/mfa/`) with `scope` (when given).
/// The user id and whether it was an mfa_token.
fn mfa_caller(app: &App, headers: &HeaderMap, scope: &str) -> Result<(String, bool), Response> {
    let unauthorized = || oauth_error(401, "invalid_token", "Invalid or missing token");
    let Some(tok) = crate::util::bearer(headers) else {
        return Err(unauthorized());
    };
    if let Ok(p) = pending(app, &tok, None) {
        return Ok((p.user_id, true));
    }
    let Some(c) = crate::token::verify_token(app, &tok) else {
        return Err(unauthorized());
    };
    if !crate::token::aud_contains(&c, &format!("{}/mfa/", app.domain)) {
        return Err(unauthorized());
    }
    let scopes = c.get("scope").and_then(Value::as_str).unwrap_or_default();
    if !scopes.split_whitespace().any(|s| s == scope) {
        return Err(oauth_error(
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected: {scope}"),
        ));
    }
    let sub = c.get("sub").and_then(Value::as_str).unwrap_or_default();
    Ok((sub.to_string(), false))
}

async fn associate(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let (uid, by_mfa_token) = match mfa_caller(&app, &headers, "enroll") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let list = |k: &str| -> Vec<String> {
        match b.get(k) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    };
    let types = list("authenticator_types");
    let channels = list("oob_channels");
    let kind = match types.as_slice() {
        [t] if t == "otp" || t == "oob" => t.clone(),
        _ => {
            return oauth_error(
                400,
                "invalid_request",
                "authenticator_types must be [\"otp\"] or [\"oob\"]",
            )
        }
    };
    let mut m = app.mfa.lock();
    let en = m.users.entry(uid.clone()).or_default();
    if by_mfa_token && en.has_active() {
        return oauth_error(
            400,
            "access_denied",
            "User is already enrolled. Use an access token with the enroll scope for the MFA API.",
        );
    }
    let a = match new_authenticator(
        &kind,
        None,
        channels.first().map(String::as_str),
        field(&b, "phone_number"),
        false,
    ) {
        Ok(a) => a,
        Err(e) => return oauth_error(400, "invalid_request", &e),
    };
    let mut body = json!({"authenticator_type": a.kind});
    let first = en.recovery_code.is_none();
    if first {
        en.recovery_code = Some(new_recovery_code());
    }
    let recovery = en.recovery_code.clone();
    en.authenticators.push(a.clone());
    save(&app, &m, &uid);
    if a.kind == "otp" {
        let label = app
            .store
            .lock()
            .users
            .get(&uid)
            .and_then(|u| u.email.clone())
            .unwrap_or_else(|| uid.clone());
        body["secret"] = json!(base32_encode(&a.secret));
        body["barcode_uri"] = json!(barcode_uri(&a.secret, &label));
    } else {
        // Confirmation goes through the mfa-oob grant with this mfa_token.
        let token = crate::util::bearer(&headers).unwrap_or_default();
        let (msg, ob) = start_oob(&mut m, &token, &uid, &a);
        body["oob_channel"] = json!(a.oob_channel);
        body["oob_code"] = ob["oob_code"].clone();
        if let Some(bm) = ob.get("binding_method") {
            body["binding_method"] = bm.clone();
        }
        drop(m);
        if let Some(msg) = msg {
            app.dev.push_outbox(msg);
        }
        if first {
            body["recovery_codes"] = json!([recovery]);
        }
        return json_response(200, &body);
    }
    if first {
        body["recovery_codes"] = json!([recovery]);
    }
    json_response(200, &body)
}

async fn list_authenticators(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let (uid, _) = match mfa_caller(&app, &headers, "read:authenticators") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let m = app.mfa.lock();
    let mut out = Vec::new();
    if let Some(e) = m.users.get(&uid) {
        out.extend(e.authenticators.iter().map(authenticator_json));
        if e.recovery_code.is_some() {
            out.push(json!({"id": format!("recovery-code|dev_{}", &uid.replace('|', "_")), "authenticator_type": "recovery-code", "active": true}));
        }
    }
    json_response(200, &Value::Array(out))
}

async fn delete_authenticator(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (uid, _) = match mfa_caller(&app, &headers, "remove:authenticators") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut m = app.mfa.lock();
    let Some(e) = m.users.get_mut(&uid) else {
        return oauth_error(404, "not_found", "Authenticator not found");
    };
    let before = e.authenticators.len();
    e.authenticators.retain(|a| a.id != id);
    if e.authenticators.len() == before {
        return oauth_error(404, "not_found", "Authenticator not found");
    }
    save(&app, &m, &uid);
    StatusCode::NO_CONTENT.into_response()
}

// ---- /__dev/mfa/* ----

fn dev_body(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(oauth_error(
            400,
            "invalid_request",
            "Body must be a JSON object",
        )),
    }
}

fn dev_user(app: &App, who: Option<String>) -> Result<String, Response> {
    let Some(who) = who else {
        return Err(oauth_error(
            400,
            "invalid_request",
            "Missing field: user (e-mail or user id)",
        ));
    };
    find_user(&app.store, &who)
        .ok_or_else(|| oauth_error(404, "not_found", &format!("No user {who}")))
}

fn enrolment_json(uid: &str, e: &Enrolment) -> Value {
    let list: Vec<Value> = e
        .authenticators
        .iter()
        .map(|a| {
            let mut v = authenticator_json(a);
            if a.kind == "otp" {
                v["secret"] = json!(base32_encode(&a.secret));
            }
            if let Some(p) = &a.phone_number {
                v["phone_number"] = json!(p);
            }
            v
        })
        .collect();
    json!({"user_id": uid, "authenticators": list, "recovery_code": e.recovery_code})
}

/// Enrol a user: `{user, type: "otp"|"oob", secret?, oob_channel?, phone_number?}`.
async fn dev_enroll(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b = match dev_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let uid = match dev_user(&app, field(&b, "user").or_else(|| field(&b, "email"))) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let kind = field(&b, "type").unwrap_or_default();
    let a = match new_authenticator(
        &kind,
        field(&b, "secret").as_deref(),
        field(&b, "oob_channel").as_deref(),
        field(&b, "phone_number"),
        true,
    ) {
        Ok(a) => a,
        Err(e) => return oauth_error(400, "invalid_request", &e),
    };
    let mut m = app.mfa.lock();
    let e = m.users.entry(uid.clone()).or_default();
    if e.recovery_code.is_none() {
        e.recovery_code = Some(new_recovery_code());
    }
    e.authenticators.push(a.clone());
    let recovery = e.recovery_code.clone();
    save(&app, &m, &uid);
    let mut v = authenticator_json(&a);
    if a.kind == "otp" {
        v["secret"] = json!(base32_encode(&a.secret));
    }
    v["user_id"] = json!(uid);
    v["recovery_code"] = json!(recovery);
    json_response(200, &v)
}

async fn dev_enrollments(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let uid = match dev_user(&app, q.get("user").cloned()) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let m = app.mfa.lock();
    let e = m.users.get(&uid).cloned().unwrap_or_default();
    json_response(200, &enrolment_json(&uid, &e))
}

async fn dev_unenroll(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let uid = match dev_user(&app, q.get("user").cloned()) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut m = app.mfa.lock();
    m.users.remove(&uid);
    save(&app, &m, &uid);
    StatusCode::NO_CONTENT.into_response()
}

fn oob_json(code: &str, o: &Oob) -> Value {
    let status = match o.status {
        OobStatus::Pending => "pending",
        OobStatus::Approved => "approved",
        OobStatus::Denied => "denied",
    };
    json!({
        "oob_code": code, "user_id": o.user_id, "authenticator_id": o.authenticator_id,
        "oob_channel": o.channel, "binding_code": o.binding_code, "status": status,
    })
}

async fn dev_pending(State(app): State<Arc<App>>) -> Response {
    let now = now_ms();
    let m = app.mfa.lock();
    let list: Vec<Value> = m
        .oobs
        .iter()
        .filter(|(_, o)| o.expires_ms > now)
        .map(|(c, o)| oob_json(c, o))
        .collect();
    json_response(200, &Value::Array(list))
}

/// Approve (or with `"approve": false` reject) pending push challenges: the
/// one named by `oob_code`, else every pending one of `user`, else all.
async fn dev_approve(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match dev_body(&body) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
    let approve = b.get("approve").and_then(Value::as_bool).unwrap_or(true);
    let code = field(&b, "oob_code");
    let uid = match field(&b, "user") {
        Some(u) => match dev_user(&app, Some(u)) {
            Ok(u) => Some(u),
            Err(r) => return r,
        },
        None => None,
    };
    let mut m = app.mfa.lock();
    let mut done = Vec::new();
    for (c, o) in m.oobs.iter_mut() {
        let hit = match (&code, &uid) {
            (Some(want), _) => c == want,
            (None, Some(u)) => o.user_id == *u,
            (None, None) => true,
        };
        if hit && o.status == OobStatus::Pending {
            o.status = if approve {
                OobStatus::Approved
            } else {
                OobStatus::Denied
            };
            done.push(oob_json(c, o));
        }
    }
    if done.is_empty() {
        return oauth_error(404, "not_found", "No pending out-of-band challenge matched");
    }
    json_response(200, &Value::Array(done))
}

/// The current TOTP code of `secret` (or at unix `time`), for tests that
/// would rather not compute it.
async fn dev_totp(RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let Some(secret) = q.get("secret").and_then(|s| base32_decode(s)) else {
        return oauth_error(400, "invalid_request", "secret (base32) is required");
    };
    let time = match q.get("time") {
        Some(t) => match t.parse::<u64>() {
            Ok(t) => t,
            Err(_) => return oauth_error(400, "invalid_request", "time must be unix seconds"),
        },
        None => now_s(),
    };
    let step = time / TOTP_STEP;
    json_response(
        200,
        &json!({"code": totp(&secret, step), "step": step, "expires_at": (step + 1) * TOTP_STEP}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the
        // 8-digit values' last 6 digits.
        let s = b"12345678901234567890";
        assert_eq!(totp(s, 59 / 30), "287082");
        assert_eq!(totp(s, 1_111_111_109 / 30), "081804");
        assert_eq!(totp(s, 1_234_567_890 / 30), "005924");
        assert_eq!(totp(s, 20_000_000_000 / 30), "353130");
    }

    #[test]
    fn base32_round_trips() {
        let s = b"12345678901234567890";
        let e = base32_encode(s);
        assert_eq!(e, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&e).unwrap(), s);
        assert_eq!(
            base32_decode("gezdgnbv gy3tqojq====").unwrap(),
            b"1234567890"
        );
        assert!(base32_decode("not base32!").is_none());
    }
}
