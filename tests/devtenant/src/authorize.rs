//! `/authorize`, the hosted login form's `/usernamepassword/login`,
//! `/login/callback`, cross-origin `/co/authenticate`, and `/v2/logout`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use serde_json::{json, Map};

use crate::config::DB_CONNECTION;
use crate::store::{AuthTx, LoginTicket, User};
use crate::token::{self, Grant};
use crate::util::{
    cookie, encode_params, field, half_hash, html_response, json_response, now_ms, now_s,
    oauth_error, parse_body, parse_query, random_token, redirect, words,
};
use crate::{dbconn, pages, App};

pub const SESSION_COOKIE: &str = "auth0";
const TICKET_LIFETIME_MS: u64 = 5 * 60 * 1000;

/// A transaction from request parameters (query string or body).
pub fn tx_from(get: impl Fn(&str) -> Option<String>) -> AuthTx {
    AuthTx {
        client_id: get("client_id").unwrap_or_default(),
        redirect_uri: get("redirect_uri").unwrap_or_default(),
        response_type: get("response_type").unwrap_or_default(),
        response_mode: get("response_mode"),
        scope: get("scope").unwrap_or_else(|| "openid".into()),
        audience: get("audience"),
        state: get("state"),
        nonce: get("nonce"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
        connection: get("connection"),
        organization: get("organization"),
        invitation: get("invitation"),
    }
}

pub fn tx_from_query(q: &HashMap<String, String>) -> AuthTx {
    tx_from(|k| q.get(k).filter(|v| !v.is_empty()).cloned())
}

/// Checks that end in an error page (never a redirect): client and redirect_uri.
pub fn check_client_and_redirect(app: &App, tx: &AuthTx) -> Result<(), Response> {
    if tx.client_id.is_empty() {
        return Err(html_response(
            400,
            pages::error_page("invalid_request", "Missing required parameter: client_id"),
        ));
    }
    let Some(client) = app.client(&tx.client_id) else {
        return Err(html_response(
            400,
            pages::error_page(
                "invalid_request",
                &format!("Unknown client: {}", tx.client_id),
            ),
        ));
    };
    if tx.redirect_uri.is_empty() {
        return Err(html_response(
            400,
            pages::error_page(
                "invalid_request",
                "Missing required parameter: redirect_uri",
            ),
        ));
    }
    if !app.callback_allowed(client, &tx.redirect_uri) {
        return Err(html_response(
            400,
            pages::error_page(
                "invalid_request",
                &format!(
                    "Callback URL mismatch. {} is not in the list of allowed callback URLs",
                    tx.redirect_uri
                ),
            ),
        ));
    }
    Ok(())
}

/// Checks that end in an error redirect to the (valid) redirect_uri.
pub fn check_tx(tx: &AuthTx) -> Result<(), Response> {
    if tx.response_type.is_empty() {
        return Err(redirect_error(
            tx,
            "invalid_request",
            "Missing required parameter: response_type",
        ));
    }
    let rt = words(&tx.response_type);
    if rt.is_empty()
        || rt
            .iter()
            .any(|w| !matches!(*w, "code" | "token" | "id_token"))
    {
        return Err(redirect_error(
            tx,
            "unsupported_response_type",
            &format!("Unsupported response type: {}", tx.response_type),
        ));
    }
    if let Some(m) = &tx.response_mode {
        if !matches!(m.as_str(), "query" | "fragment" | "form_post") {
            return Err(redirect_error(
                tx,
                "invalid_request",
                &format!("Unsupported response_mode: {m}"),
            ));
        }
    }
    if let Some(m) = &tx.code_challenge_method {
        if tx.code_challenge.is_none() || !matches!(m.as_str(), "S256" | "plain") {
            return Err(redirect_error(
                tx,
                "invalid_request",
                "Invalid code_challenge_method",
            ));
        }
    }
    if rt.contains(&"id_token") && !rt.contains(&"code") && tx.nonce.is_none() {
        return Err(redirect_error(
            tx,
            "invalid_request",
            "Nonce is required for implicit flow with id_token",
        ));
    }
    Ok(())
}

/// Send `params` back to the redirect_uri per response_mode.
fn respond(tx: &AuthTx, mut params: Vec<(String, String)>) -> Response {
    if let Some(s) = &tx.state {
        params.push(("state".into(), s.clone()));
    }
    let rt = words(&tx.response_type);
    let default_mode = if rt == ["code"] { "query" } else { "fragment" };
    match tx.response_mode.as_deref().unwrap_or(default_mode) {
        "form_post" => html_response(200, pages::autopost_page(&tx.redirect_uri, &params)),
        "query" => {
            let sep = if tx.redirect_uri.contains('?') {
                '&'
            } else {
                '?'
            };
            redirect(&format!(
                "{}{sep}{}",
                tx.redirect_uri,
                encode_params(&params)
            ))
        }
        _ => redirect(&format!("{}#{}", tx.redirect_uri, encode_params(&params))),
    }
}

pub fn redirect_error(tx: &AuthTx, error: &str, description: &str) -> Response {
    respond(
        tx,
        vec![
            ("error".into(), error.into()),
            ("error_description".into(), description.into()),
        ],
    )
}

/// Finish an authorization for `user`: code and/or tokens to the redirect_uri.
pub fn complete(app: &App, tx: &AuthTx, user: &User, auth_time: u64) -> Response {
    if let Err(e) = crate::organizations::admit(app, tx, user) {
        return redirect_error(tx, "access_denied", &e);
    }
    let rt = words(&tx.response_type);
    let g = Grant {
        client_id: &tx.client_id,
        user,
        scope: &tx.scope,
        audience: tx.audience.as_deref(),
        nonce: tx.nonce.as_deref(),
        auth_time,
        org: tx.organization.as_deref(),
    };
    let mut params = Vec::new();
    let mut code = None;
    if rt.contains(&"code") {
        let c = random_token(24);
        app.store.lock().codes.insert(
            c.clone(),
            crate::store::AuthCode {
                tx: tx.clone(),
                user_id: user.user_id.clone(),
                auth_time,
                expires_ms: now_ms() + app.cfg.code_lifetime_secs * 1000,
            },
        );
        params.push(("code".into(), c.clone()));
        code = Some(c);
    }
    let mut at = None;
    if rt.contains(&"token") {
        let t = token::access_token(app, &g);
        params.push(("access_token".into(), t.clone()));
        params.push(("scope".into(), tx.scope.clone()));
        params.push((
            "expires_in".into(),
            app.settings.access_token_lifetime().to_string(),
        ));
        params.push(("token_type".into(), "Bearer".into()));
        at = Some(t);
    }
    if rt.contains(&"id_token") {
        let ah = at.as_deref().map(half_hash);
        let ch = code.as_deref().map(half_hash);
        params.push((
            "id_token".into(),
            token::id_token(app, &g, ah.as_deref(), ch.as_deref()),
        ));
    }
    respond(tx, params)
}

pub fn session_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("auth0=; Path=/"))
}

pub fn with_cookie(mut r: Response, v: HeaderValue) -> Response {
    r.headers_mut().append(header::SET_COOKIE, v);
    r
}

/// Log `user` in: a new SSO session, then complete the transaction.
pub fn login_and_complete(app: &App, tx: &AuthTx, user: &User) -> Response {
    app.store.touch_login(&user.user_id);
    let (sid, s) = app
        .store
        .new_session(&user.user_id, app.cfg.session_lifetime_secs);
    with_cookie(complete(app, tx, user, s.auth_time), session_cookie(&sid))
}

fn current_session(app: &App, headers: &HeaderMap) -> Option<(User, u64)> {
    let sid = cookie(headers, SESSION_COOKIE)?;
    let s = app.store.session(&sid)?;
    let u = app.store.lock().users.get(&s.user_id).cloned()?;
    Some((u, s.auth_time))
}

pub async fn authorize(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = match crate::par::expand(&app, parse_query(q.as_deref())) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let mut tx = tx_from_query(&q);
    if let Err(r) = check_client_and_redirect(&app, &tx) {
        return r;
    }
    if let Err(r) = check_tx(&tx) {
        return r;
    }
    if let Err(r) = crate::organizations::check_param(&app, &mut tx) {
        return r;
    }
    if let Some(ticket) = q.get("login_ticket") {
        let t = app.store.lock().login_tickets.remove(ticket);
        let user = t
            .filter(|t| t.expires_ms > now_ms() && t.client_id == tx.client_id)
            .and_then(|t| app.store.lock().users.get(&t.user_id).cloned());
        return match user {
            Some(u) => login_and_complete(&app, &tx, &u),
            None => redirect_error(&tx, "access_denied", "Invalid login ticket"),
        };
    }
    let prompt = q.get("prompt").map(String::as_str).unwrap_or("");
    let session = current_session(&app, &headers);
    if prompt == "none" {
        return match session {
            Some((u, at)) => complete(&app, &tx, &u, at),
            None => redirect_error(&tx, "login_required", "Login required"),
        };
    }
    match tx.connection.as_deref() {
        Some("twitter") => return crate::social::start(&app, &tx),
        Some(c) if c != DB_CONNECTION && !matches!(c, "email" | "sms") => {
            return redirect_error(
                &tx,
                "invalid_request",
                &format!("the connection was not found for tenant devtenant: {c}"),
            );
        }
        _ => {}
    }
    if prompt != "login" {
        if let Some((u, at)) = session {
            return complete(&app, &tx, &u, at);
        }
    }
    let signup = q.get("screen_hint").map(String::as_str) == Some("signup");
    let name = app
        .client(&tx.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let login_hint = q.get("login_hint").cloned().unwrap_or_default();
    html_response(
        200,
        pages::login_page(&name, &tx, None, &login_hint, signup),
    )
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
}

fn wrong_credentials_json() -> Response {
    json_response(
        401,
        &json!({
            "name": "ValidationError",
            "code": "invalid_user_password",
            "description": "Wrong email or password.",
            "statusCode": 401,
            "error": "invalid_user_password",
            "error_description": "Wrong email or password.",
        }),
    )
}

/// The hosted form's POST, and auth0.js v8's `loginWithCredentials` JSON body.
pub async fn usernamepassword_login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = is_json(&headers);
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let tx = tx_from(|k| field(&b, k));
    if let Err(r) = check_client_and_redirect(&app, &tx) {
        return if json {
            oauth_error(400, "invalid_request", "Invalid client_id or redirect_uri")
        } else {
            r
        };
    }
    let connection = field(&b, "connection").unwrap_or_else(|| DB_CONNECTION.to_string());
    let username = field(&b, "username")
        .or_else(|| field(&b, "email"))
        .unwrap_or_default();
    let password = field(&b, "password").unwrap_or_default();
    if !crate::store::is_db_connection(&connection) {
        return oauth_error(
            400,
            "invalid_request",
            &format!("connection {connection} is not a database connection"),
        );
    }
    let client_name = app
        .client(&tx.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let signup = field(&b, "signup").as_deref() == Some("true");
    if signup {
        if let Err(msg) =
            dbconn::create_user(&app, &connection, &username, &password, None, Map::new())
        {
            return if json {
                oauth_error(400, "invalid_signup", &msg)
            } else {
                html_response(
                    400,
                    pages::login_page(&client_name, &tx, Some(&msg), &username, true),
                )
            };
        }
    }
    let Some(user) = app
        .store
        .check_credentials(&connection, &username, &password)
    else {
        return if json {
            wrong_credentials_json()
        } else {
            html_response(
                401,
                pages::login_page(
                    &client_name,
                    &tx,
                    Some("Wrong email or password."),
                    &username,
                    false,
                ),
            )
        };
    };
    // The signed, short-lived, single-use ticket carried by `wresult`.
    let now = now_s();
    let ticket = app.keys.sign(&json!({
        "iss": app.issuer,
        "aud": format!("{}/login/callback", app.domain),
        "sub": user.user_id,
        "iat": now,
        "exp": now + TICKET_LIFETIME_MS / 1000,
        "jti": random_token(16),
        "tx": tx,
    }));
    let wctx = serde_json::to_string(&tx).unwrap_or_default();
    let fields = vec![
        ("wa".to_string(), "wsignin1.0".to_string()),
        ("wresult".to_string(), ticket),
        ("wctx".to_string(), wctx),
    ];
    html_response(
        200,
        pages::autopost(&format!("{}/login/callback", app.domain), &fields),
    )
}

/// Verify and spend a `wresult` ticket; its transaction and user id.
fn spend_ticket(app: &App, wresult: &str) -> Option<(AuthTx, String)> {
    let c = token::verify_token(app, wresult)?;
    if !token::aud_contains(&c, &format!("{}/login/callback", app.domain)) {
        return None;
    }
    let jti = c.get("jti")?.as_str()?.to_string();
    let exp = c.get("exp")?.as_u64()?;
    {
        let mut g = app.store.lock();
        if g.spent.contains_key(&jti) {
            return None;
        }
        g.spent.insert(jti, exp * 1000);
        g.sweep(now_ms());
    }
    let tx: AuthTx = serde_json::from_value(c.get("tx")?.clone()).ok()?;
    Some((tx, c.get("sub")?.as_str()?.to_string()))
}

pub async fn login_callback(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let b = parse_body(&headers, &body).unwrap_or_default();
    let Some((tx, sub)) = field(&b, "wresult").and_then(|w| spend_ticket(&app, &w)) else {
        return html_response(
            400,
            pages::error_page(
                "invalid_request",
                "Invalid, expired or already used login transaction (wresult).",
            ),
        );
    };
    let user = app.store.lock().users.get(&sub).cloned();
    let Some(user) = user else {
        return html_response(
            400,
            pages::error_page("invalid_request", "The user does not exist."),
        );
    };
    if let Err(r) = check_client_and_redirect(&app, &tx) {
        return r;
    }
    login_and_complete(&app, &tx, &user)
}

/// Cross-origin authentication (auth0.js v8 `webAuth.login`).
pub async fn co_authenticate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let Some(client_id) = field(&b, "client_id").filter(|c| app.client(c).is_some()) else {
        return oauth_error(401, "unauthorized_client", "Unauthorized");
    };
    let Some(username) = field(&b, "username") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: username",
        );
    };
    let credential_type = field(&b, "credential_type").unwrap_or_else(|| "password".into());
    let realm = field(&b, "realm").unwrap_or_else(|| DB_CONNECTION.to_string());
    let user = if credential_type == token::GRANT_OTP {
        let otp = field(&b, "otp").unwrap_or_default();
        if !crate::passwordless::consume_code(&app, &realm, &username, &otp) {
            return oauth_error(
                403,
                "access_denied",
                crate::passwordless::wrong_code_message(&realm),
            );
        }
        Some(app.store.passwordless_user(&realm, &username))
    } else {
        let password = field(&b, "password").unwrap_or_default();
        app.store.check_credentials(&realm, &username, &password)
    };
    let Some(user) = user else {
        return oauth_error(403, "access_denied", "Wrong email or password.");
    };
    let ticket = random_token(24);
    app.store.lock().login_tickets.insert(
        ticket.clone(),
        LoginTicket {
            client_id,
            user_id: user.user_id,
            expires_ms: now_ms() + TICKET_LIFETIME_MS,
        },
    );
    json_response(
        200,
        &json!({"login_ticket": ticket, "co_verifier": random_token(24), "co_id": random_token(9)}),
    )
}

pub async fn logout(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = parse_query(q.as_deref());
    let client = match q.get("client_id") {
        Some(id) => match app.client(id) {
            Some(c) => Some(c),
            None => {
                return html_response(
                    400,
                    pages::error_page("invalid_request", &format!("Unknown client: {id}")),
                )
            }
        },
        None => None,
    };
    let return_to = q
        .get("returnTo")
        .or_else(|| q.get("returnto"))
        .filter(|s| !s.is_empty());
    if let Some(rt) = return_to {
        if !app.logout_allowed(client, rt) {
            return html_response(400, pages::error_page(
                "invalid_request",
                &format!("The \"returnTo\" querystring parameter \"{rt}\" is not defined as a valid URL in \"Allowed Logout URLs\"."),
            ));
        }
    }
    if let Some(sid) = cookie(&headers, SESSION_COOKIE) {
        app.store.end_session(&sid);
    }
    let r = match return_to {
        Some(rt) => redirect(rt),
        None => html_response(
            200,
            pages::message_page("Logged out", "You have been logged out."),
        ),
    };
    with_cookie(
        r,
        HeaderValue::from_static(
            "auth0=; Path=/; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ),
    )
}
