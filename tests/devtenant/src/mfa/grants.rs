//! `mfa_required` on the grants of an enrolled user, and the three MFA
//! grants at `/oauth/token` (`mfa-otp`, `mfa-oob`, `mfa-recovery-code`).

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::totp::{new_recovery_code, totp_ok};
use super::{
    save, Enrolment, OobStatus, Pending, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY,
};
use crate::token::{token_response, Grant};
use crate::util::{ct_eq, field, json_response, now_ms, now_s, oauth_error, random_token};
use crate::App;

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
pub(super) fn pending(
    app: &App,
    token: &str,
    client_id: Option<&str>,
) -> Result<Pending, Response> {
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
