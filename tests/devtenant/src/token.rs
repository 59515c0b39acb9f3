//! `/oauth/token` (every grant), token minting, `/userinfo`, `/oauth/revoke`,
//! the OpenID configuration and the JWKS.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::config::ClientConfig;
use crate::store::{is_db_connection, RefreshToken, User};
use crate::util::{
    b64url, ct_eq, field, half_hash, json_response, now_ms, now_s, oauth_error, parse_body,
    random_token, sha256, text_response, words,
};
use crate::{device, App};

pub const GRANT_PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
pub const GRANT_OTP: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
pub const GRANT_DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What a set of tokens is issued for.
pub struct Grant<'a> {
    pub client_id: &'a str,
    pub user: &'a User,
    pub scope: &'a str,
    pub audience: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub auth_time: u64,
    /// The organization id the user logged in to.
    pub org: Option<&'a str>,
}

pub fn access_token(app: &App, g: &Grant) -> String {
    let now = now_s();
    let openid = words(g.scope).contains(&"openid");
    let aud = match (g.audience, openid) {
        (Some(a), true) => json!([a, app.userinfo_url()]),
        (Some(a), false) => json!(a),
        (None, _) => json!(app.userinfo_url()),
    };
    let mut c = json!({
        "iss": app.issuer,
        "sub": g.user.user_id,
        "aud": aud,
        "iat": now,
        "exp": now + app.settings.access_token_lifetime(),
        "azp": g.client_id,
        "scope": g.scope,
        "jti": random_token(12),
    });
    crate::organizations::add_claims(app, g.org, &mut c);
    crate::dpop::add_cnf(&mut c);
    app.keys.sign(&c)
}

pub fn id_token(app: &App, g: &Grant, at_hash: Option<&str>, c_hash: Option<&str>) -> String {
    let now = now_s();
    let mut c = g.user.claims(g.scope);
    c.insert("iss".into(), json!(app.issuer));
    c.insert("sub".into(), json!(g.user.user_id));
    c.insert("aud".into(), json!(g.client_id));
    c.insert("azp".into(), json!(g.client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + app.cfg.id_token_lifetime_secs));
    c.insert("auth_time".into(), json!(g.auth_time));
    if let Some(n) = g.nonce {
        c.insert("nonce".into(), json!(n));
    }
    if let Some(h) = at_hash {
        c.insert("at_hash".into(), json!(h));
    }
    if let Some(h) = c_hash {
        c.insert("c_hash".into(), json!(h));
    }
    let mut c = Value::Object(c);
    crate::organizations::add_claims(app, g.org, &mut c);
    app.keys.sign(&c)
}

/// Store a new refresh token (in `family`, or a new family).
pub fn new_refresh(app: &App, g: &Grant, family: Option<String>) -> String {
    let id = format!("v1.{}", random_token(32));
    let r = RefreshToken {
        family: family.unwrap_or_else(|| random_token(12)),
        client_id: g.client_id.to_string(),
        user_id: g.user.user_id.clone(),
        scope: g.scope.to_string(),
        audience: g.audience.map(str::to_string),
        rotated: false,
        expires_ms: now_ms() + app.cfg.refresh_token_lifetime_secs * 1000,
        rotated_ms: None,
        organization: g.org.map(str::to_string),
        jkt: crate::dpop::current_jkt(),
    };
    app.store.lock().refresh.insert(id.clone(), r.clone());
    app.store.persist_refresh(&id, Some(&r));
    id
}

/// The `/oauth/token` success body.
pub fn token_response(app: &App, g: &Grant, refresh_family: Option<String>) -> Value {
    let at = access_token(app, g);
    let w = words(g.scope);
    let mut body = json!({
        "access_token": at,
        "scope": g.scope,
        "expires_in": app.settings.access_token_lifetime(),
        "token_type": if crate::dpop::current_jkt().is_some() { "DPoP" } else { "Bearer" },
    });
    if w.contains(&"openid") {
        body["id_token"] = json!(id_token(app, g, Some(&half_hash(&at)), None));
    }
    if w.contains(&"offline_access") || refresh_family.is_some() {
        body["refresh_token"] = json!(new_refresh(app, g, refresh_family));
    }
    body
}

fn grant_allowed(c: &ClientConfig, grant: &str) -> bool {
    c.grant_types.iter().any(|g| g == grant)
}

/// Client authentication for the token endpoint; the client or an error answer.
pub fn authenticate_client<'a>(
    app: &'a App,
    body: &Map<String, Value>,
) -> Result<&'a ClientConfig, Response> {
    let Some(id) = field(body, "client_id") else {
        return Err(oauth_error(401, "access_denied", "Unauthorized"));
    };
    let Some(c) = app.client(&id) else {
        return Err(oauth_error(401, "access_denied", "Unauthorized"));
    };
    if let Some(secret) = &c.client_secret {
        if !field(body, "client_secret").is_some_and(|s| ct_eq(&s, secret)) {
            return Err(oauth_error(401, "access_denied", "Unauthorized"));
        }
    }
    Ok(c)
}

fn default_scope(body: &Map<String, Value>) -> String {
    field(body, "scope").unwrap_or_else(|| "openid".to_string())
}

fn missing(p: &str) -> Response {
    oauth_error(
        400,
        "invalid_request",
        &format!("Missing required parameter: {p}"),
    )
}

pub async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(body) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body. All and only of client_id, credential_type, username, otp, realm are required.");
    };
    let Some(grant) = field(&body, "grant_type") else {
        return missing("grant_type");
    };
    let client = match authenticate_client(&app, &body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let known = [
        "authorization_code",
        "refresh_token",
        GRANT_PASSWORD_REALM,
        GRANT_OTP,
        GRANT_DEVICE,
        crate::mfa::GRANT_MFA_OTP,
        crate::mfa::GRANT_MFA_OOB,
        crate::mfa::GRANT_MFA_RECOVERY,
    ];
    if !known.contains(&grant.as_str()) {
        return oauth_error(
            403,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {grant}"),
        );
    }
    if !grant_allowed(client, &grant) {
        return oauth_error(
            403,
            "unauthorized_client",
            &format!("Grant type '{grant}' not allowed for the client."),
        );
    }
    let cid = client.client_id.clone();
    // Every token this request issues is bound to its DPoP proof's key, if any.
    let jkt = match crate::dpop::token_proof(&app, &headers, "/oauth/token") {
        Ok(j) => j,
        Err(r) => return r,
    };
    let bound = jkt.is_some();
    let r = crate::dpop::scoped(jkt, || match grant.as_str() {
        GRANT_PASSWORD_REALM => password_realm(&app, &cid, &body),
        GRANT_OTP => otp(&app, &cid, &body),
        GRANT_DEVICE => device::poll(&app, &cid, &body),
        "authorization_code" => authorization_code(&app, &cid, &body),
        g if g.starts_with("http://auth0.com/oauth/grant-type/mfa-") => {
            crate::mfa::grant(&app, &cid, g, &body)
        }
        _ => refresh(&app, &cid, &body),
    });
    crate::dpop::with_nonce(&app, r, bound)
}

fn password_realm(app: &App, cid: &str, body: &Map<String, Value>) -> Response {
    let Some(realm) = field(body, "realm") else {
        return missing("realm");
    };
    let Some(username) = field(body, "username") else {
        return missing("username");
    };
    let Some(password) = field(body, "password") else {
        return missing("password");
    };
    if !is_db_connection(&realm) {
        return oauth_error(400, "invalid_request", &format!("Unknown realm {realm}."));
    }
    let Some(user) = app.store.check_credentials(&realm, &username, &password) else {
        return oauth_error(403, "invalid_grant", "Wrong email or password.");
    };
    app.store.touch_login(&user.user_id);
    let scope = default_scope(body);
    let audience = field(body, "audience");
    let g = Grant {
        client_id: cid,
        user: &user,
        scope: &scope,
        audience: audience.as_deref(),
        nonce: None,
        auth_time: now_s(),
        org: None,
    };
    if let Some(r) = crate::mfa::gate(app, &g, None) {
        return r;
    }
    json_response(200, &token_response(app, &g, None))
}

fn otp(app: &App, cid: &str, body: &Map<String, Value>) -> Response {
    let Some(realm) = field(body, "realm") else {
        return missing("realm");
    };
    let Some(username) = field(body, "username") else {
        return missing("username");
    };
    let Some(code) = field(body, "otp") else {
        return missing("otp");
    };
    if realm != "email" && realm != "sms" {
        return oauth_error(400, "invalid_request", &format!("Unknown realm {realm}."));
    }
    if !crate::passwordless::consume_code(app, &realm, &username, &code) {
        return oauth_error(
            403,
            "invalid_grant",
            crate::passwordless::wrong_code_message(&realm),
        );
    }
    let user = app.store.passwordless_user(&realm, &username);
    app.store.touch_login(&user.user_id);
    let scope = default_scope(body);
    let audience = field(body, "audience");
    let g = Grant {
        client_id: cid,
        user: &user,
        scope: &scope,
        audience: audience.as_deref(),
        nonce: None,
        auth_time: now_s(),
        org: None,
    };
    if let Some(r) = crate::mfa::gate(app, &g, None) {
        return r;
    }
    json_response(200, &token_response(app, &g, None))
}

/// PKCE check: `method` S256 (default when a challenge was sent with no method? no: plain) or plain.
fn pkce_ok(challenge: &str, method: Option<&str>, verifier: &str) -> bool {
    match method.unwrap_or("plain") {
        "S256" => ct_eq(&b64url(&sha256(verifier.as_bytes())), challenge),
        "plain" => ct_eq(verifier, challenge),
        _ => false,
    }
}

fn authorization_code(app: &App, cid: &str, body: &Map<String, Value>) -> Response {
    let Some(code) = field(body, "code") else {
        return missing("code");
    };
    let entry = app.store.lock().codes.remove(&code);
    let Some(entry) = entry.filter(|c| c.expires_ms > now_ms() && c.tx.client_id == cid) else {
        return oauth_error(403, "invalid_grant", "Invalid authorization code");
    };
    if field(body, "redirect_uri").as_deref() != Some(entry.tx.redirect_uri.as_str()) {
        return oauth_error(403, "invalid_grant", "Invalid redirect_uri");
    }
    let verifier = field(body, "code_verifier");
    match (&entry.tx.code_challenge, verifier) {
        (Some(ch), Some(v)) if pkce_ok(ch, entry.tx.code_challenge_method.as_deref(), &v) => {}
        (None, None) => {}
        _ => return oauth_error(403, "invalid_grant", "Failed to verify code verifier"),
    }
    let user = app.store.lock().users.get(&entry.user_id).cloned();
    let Some(user) = user else {
        return oauth_error(403, "invalid_grant", "Invalid authorization code");
    };
    let g = Grant {
        client_id: cid,
        user: &user,
        scope: &entry.tx.scope,
        audience: entry.tx.audience.as_deref(),
        nonce: entry.tx.nonce.as_deref(),
        auth_time: entry.auth_time,
        org: entry.tx.organization.as_deref(),
    };
    json_response(200, &token_response(app, &g, None))
}

fn refresh(app: &App, cid: &str, body: &Map<String, Value>) -> Response {
    let Some(rt) = field(body, "refresh_token") else {
        return missing("refresh_token");
    };
    let invalid = || oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.");
    let mut g = app.store.lock();
    let Some(entry) = g.refresh.get(&rt).cloned() else {
        return invalid();
    };
    let now = now_ms();
    if entry.client_id != cid || entry.expires_ms <= now {
        return invalid();
    }
    if let Err(r) = crate::dpop::check_refresh_binding(entry.jkt.as_deref()) {
        return r;
    }
    if entry.rotated {
        let interval = app.settings.refresh_reuse_interval_ms();
        let within = entry.rotated_ms.is_some_and(|t| now < t + interval);
        if !within {
            // Reuse of a rotated token after the interval: revoke the whole family.
            let family: Vec<String> = g
                .refresh
                .iter()
                .filter(|(_, r)| r.family == entry.family)
                .map(|(k, _)| k.clone())
                .collect();
            for k in &family {
                g.refresh.remove(k);
            }
            drop(g);
            for k in &family {
                app.store.persist_refresh(k, None);
            }
            app.settings.count(crate::settings::Counter::ReuseDetected);
            return invalid();
        }
        app.settings
            .count(crate::settings::Counter::ReuseWithinInterval);
    }
    let user = g.users.get(&entry.user_id).cloned();
    drop(g);
    let Some(user) = user else { return invalid() };
    let grant = Grant {
        client_id: cid,
        user: &user,
        scope: &entry.scope,
        audience: entry.audience.as_deref(),
        nonce: None,
        auth_time: now_s(),
        org: entry.organization.as_deref(),
    };
    if app.settings.mfa_on_refresh() {
        if let Some(r) = crate::mfa::gate(app, &grant, Some((rt.clone(), entry.family.clone()))) {
            return r;
        }
    }
    if !mark_rotated(app, &rt) && !entry.rotated {
        // A concurrent request rotated it first: judge this one as a reuse.
        return refresh(app, cid, body);
    }
    json_response(200, &token_response(app, &grant, Some(entry.family)))
}

/// Rotate `rt` out, the first time only (the reuse interval counts from
/// then); whether this call rotated it.
pub fn mark_rotated(app: &App, rt: &str) -> bool {
    let mut g = app.store.lock();
    let Some(r) = g.refresh.get_mut(rt) else {
        return false;
    };
    if r.rotated {
        return false;
    }
    r.rotated = true;
    r.rotated_ms = Some(now_ms());
    let r = r.clone();
    drop(g);
    app.store.persist_refresh(rt, Some(&r));
    app.settings.count(crate::settings::Counter::Rotation);
    true
}

pub async fn revoke(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(body) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let client = match authenticate_client(&app, &body) {
        Ok(c) => c.client_id.clone(),
        Err(r) => return r,
    };
    let Some(tok) = field(&body, "token") else {
        return missing("token");
    };
    let mut g = app.store.lock();
    let family = g
        .refresh
        .get(&tok)
        .filter(|r| r.client_id == client)
        .map(|r| r.family.clone());
    let mut gone = Vec::new();
    if let Some(f) = family {
        g.refresh.retain(|k, r| {
            let keep = r.family != f;
            if !keep {
                gone.push(k.clone());
            }
            keep
        });
    }
    drop(g);
    if !gone.is_empty() {
        app.settings.count(crate::settings::Counter::Revocation);
    }
    for k in gone {
        app.store.persist_refresh(&k, None);
    }
    (axum::http::StatusCode::OK, "").into_response()
}

/// Verify a bearer token we issued: signature, issuer and expiry.
pub fn verify_token(app: &App, token: &str) -> Option<Map<String, Value>> {
    let c = app.keys.verify(token)?;
    if c.get("iss")?.as_str()? != app.issuer {
        return None;
    }
    if c.get("exp")?.as_u64()? <= now_s() {
        return None;
    }
    Some(c)
}

pub fn aud_contains(c: &Map<String, Value>, aud: &str) -> bool {
    match c.get("aud") {
        Some(Value::String(s)) => s == aud,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(aud)),
        _ => false,
    }
}

fn unauthorized() -> Response {
    let mut r = text_response(401, "Unauthorized");
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(
            "Bearer error=\"invalid_token\", error_description=\"Invalid token\"",
        ),
    );
    r
}

pub async fn userinfo(
    State(app): State<Arc<App>>,
    method: axum::http::Method,
    headers: HeaderMap,
) -> Response {
    let c = match crate::dpop::resource_auth(&app, method.as_str(), &headers, "/userinfo") {
        Ok(Some(c)) => c,
        Ok(None) => return unauthorized(),
        Err(r) => return r,
    };
    if !aud_contains(&c, &app.userinfo_url()) {
        return unauthorized();
    }
    let sub = c.get("sub").and_then(Value::as_str).unwrap_or_default();
    let scope = c.get("scope").and_then(Value::as_str).unwrap_or_default();
    let user = app.store.lock().users.get(sub).cloned();
    let Some(user) = user else {
        return unauthorized();
    };
    let mut m = user.claims(scope);
    m.insert("sub".into(), json!(user.user_id));
    json_response(200, &Value::Object(m))
}

pub async fn jwks(State(app): State<Arc<App>>) -> Response {
    json_response(200, &app.keys.jwks())
}

pub async fn openid_configuration(State(app): State<Arc<App>>) -> Response {
    let d = &app.domain;
    json_response(
        200,
        &json!({
            "issuer": app.issuer,
            "authorization_endpoint": format!("{d}/authorize"),
            "token_endpoint": format!("{d}/oauth/token"),
            "device_authorization_endpoint": format!("{d}/oauth/device/code"),
            "userinfo_endpoint": format!("{d}/userinfo"),
            "jwks_uri": format!("{d}/.well-known/jwks.json"),
            "revocation_endpoint": format!("{d}/oauth/revoke"),
            "end_session_endpoint": format!("{d}/v2/logout"),
            "scopes_supported": ["openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"],
            "response_types_supported": ["code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "claims_supported": ["aud", "auth_time", "created_at", "email", "email_verified", "exp", "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number", "picture", "sub"],
            "request_uri_parameter_supported": false,
            "pushed_authorization_request_endpoint": format!("{d}/oauth/par"),
            "dpop_signing_alg_values_supported": ["ES256"],
            "grant_types_supported": ["authorization_code", "implicit", "refresh_token", GRANT_PASSWORD_REALM, GRANT_OTP, GRANT_DEVICE, crate::mfa::GRANT_MFA_OTP, crate::mfa::GRANT_MFA_OOB, crate::mfa::GRANT_MFA_RECOVERY],
        }),
    )
}
