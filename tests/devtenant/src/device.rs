//! The device authorization flow (RFC 8628): `/oauth/device/code`, the
//! `/activate` pages, and the device_code grant's polling.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::authorize::{session_cookie, with_cookie, SESSION_COOKIE};
use crate::store::{is_db_connection, Device, DeviceStatus};
use crate::token::{token_response, Grant, GRANT_DEVICE};
use crate::util::{
    cookie, field, html_response, json_response, now_ms, now_s, oauth_error, parse_body,
    parse_query, random_bytes, random_token,
};
use crate::{config::DB_CONNECTION, pages, App};

const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

fn user_code() -> String {
    let b = random_bytes(8);
    let c: String = b
        .iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &c[..4], &c[4..])
}

fn normalise(code: &str) -> String {
    let c: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    if c.len() == 8 {
        format!("{}-{}", &c[..4], &c[4..])
    } else {
        c
    }
}

pub async fn code(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return oauth_error(400, "invalid_request", "Invalid request body");
    };
    let Some(client) = field(&b, "client_id").and_then(|c| app.client(&c)) else {
        return oauth_error(401, "unauthorized_client", "Unauthorized or unknown client");
    };
    if !client.grant_types.iter().any(|g| g == GRANT_DEVICE) {
        return oauth_error(
            403,
            "unauthorized_client",
            "Grant type 'urn:ietf:params:oauth:grant-type:device_code' not allowed for the client.",
        );
    }
    let device_code = random_token(24);
    let uc = user_code();
    let d = Device {
        user_code: uc.clone(),
        client_id: client.client_id.clone(),
        scope: field(&b, "scope").unwrap_or_else(|| "openid".into()),
        audience: field(&b, "audience"),
        expires_ms: now_ms() + app.cfg.device_code_lifetime_secs * 1000,
        interval_ms: app.cfg.device_interval_secs * 1000,
        last_poll_ms: None,
        status: DeviceStatus::Pending,
    };
    {
        let mut g = app.store.lock();
        g.sweep(now_ms());
        g.devices.insert(device_code.clone(), d);
    }
    let uri = format!("{}/activate", app.domain);
    json_response(
        200,
        &json!({
            "device_code": device_code,
            "user_code": uc,
            "verification_uri": uri,
            "verification_uri_complete": format!("{uri}?user_code={uc}"),
            "expires_in": app.cfg.device_code_lifetime_secs,
            "interval": app.cfg.device_interval_secs,
        }),
    )
}

/// The device_code grant.
pub fn poll(app: &App, cid: &str, body: &Map<String, Value>) -> Response {
    let Some(dc) = field(body, "device_code") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: device_code",
        );
    };
    let now = now_ms();
    let mut g = app.store.lock();
    let Some(d) = g.devices.get_mut(&dc).filter(|d| d.client_id == cid) else {
        return oauth_error(403, "invalid_grant", "Invalid or expired device code.");
    };
    if d.expires_ms <= now {
        g.devices.remove(&dc);
        return oauth_error(403, "expired_token", "Expired token.");
    }
    match d.status.clone() {
        DeviceStatus::Denied => {
            g.devices.remove(&dc);
            oauth_error(
                403,
                "access_denied",
                "User cancelled the confirmation prompt or consent page.",
            )
        }
        DeviceStatus::Approved { user_id, auth_time } => {
            let d = g.devices.remove(&dc);
            let user = g.users.get(&user_id).cloned();
            drop(g);
            let (Some(d), Some(user)) = (d, user) else {
                return oauth_error(403, "invalid_grant", "Invalid or expired device code.");
            };
            let grant = Grant {
                client_id: cid,
                user: &user,
                scope: &d.scope,
                audience: d.audience.as_deref(),
                nonce: None,
                auth_time,
                org: None,
            };
            json_response(200, &token_response(app, &grant, None))
        }
        DeviceStatus::Pending => {
            let too_fast = d.last_poll_ms.is_some_and(|l| now < l + d.interval_ms);
            d.last_poll_ms = Some(now);
            if too_fast {
                let secs = d.interval_ms / 1000;
                oauth_error(
                    429,
                    "slow_down",
                    &format!(
                        "You are polling faster than the specified interval of {secs} seconds."
                    ),
                )
            } else {
                oauth_error(
                    403,
                    "authorization_pending",
                    "User has yet to authorize device code.",
                )
            }
        }
    }
}

/// The pending device entry for a user code, with its client's name.
fn lookup(app: &App, code: &str) -> Option<(String, Device)> {
    let g = app.store.lock();
    let now = now_ms();
    g.devices
        .iter()
        .find(|(_, d)| {
            d.user_code == code && d.expires_ms > now && d.status == DeviceStatus::Pending
        })
        .map(|(k, d)| (k.clone(), d.clone()))
}

fn client_name(app: &App, d: &Device) -> String {
    app.client(&d.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

fn session_user(app: &App, headers: &HeaderMap) -> Option<String> {
    let sid = cookie(headers, SESSION_COOKIE)?;
    Some(app.store.session(&sid)?.user_id)
}

pub async fn page(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = parse_query(q.as_deref());
    let Some(code) = q
        .get("user_code")
        .map(|c| normalise(c))
        .filter(|c| !c.is_empty())
    else {
        return html_response(200, pages::activate_code_page(None, ""));
    };
    let Some((_, d)) = lookup(&app, &code) else {
        return html_response(
            400,
            pages::activate_code_page(Some("Invalid or expired code"), &code),
        );
    };
    if session_user(&app, &headers).is_some() {
        return html_response(
            200,
            pages::activate_confirm_page(&code, &client_name(&app, &d), &d.scope),
        );
    }
    html_response(200, pages::activate_login_page(&code, None))
}

pub async fn submit(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let b = parse_body(&headers, &body).unwrap_or_default();
    let code = normalise(&field(&b, "user_code").unwrap_or_default());
    let Some((dc, d)) = lookup(&app, &code) else {
        return html_response(
            400,
            pages::activate_code_page(Some("Invalid or expired code"), &code),
        );
    };
    match field(&b, "action").as_deref().unwrap_or("") {
        "login" => {
            let user = field(&b, "username").unwrap_or_default();
            let pw = field(&b, "password").unwrap_or_default();
            let conn = field(&b, "connection")
                .filter(|c| is_db_connection(c))
                .unwrap_or_else(|| DB_CONNECTION.into());
            let Some(u) = app.store.check_credentials(&conn, &user, &pw) else {
                return html_response(
                    401,
                    pages::activate_login_page(&code, Some("Wrong email or password.")),
                );
            };
            app.store.touch_login(&u.user_id);
            let (sid, _) = app
                .store
                .new_session(&u.user_id, app.cfg.session_lifetime_secs);
            let r = html_response(
                200,
                pages::activate_confirm_page(&code, &client_name(&app, &d), &d.scope),
            );
            with_cookie(r, session_cookie(&sid))
        }
        "confirm" => {
            let Some(uid) = session_user(&app, &headers) else {
                return html_response(
                    401,
                    pages::activate_login_page(&code, Some("Please log in first.")),
                );
            };
            if let Some(d) = app.store.lock().devices.get_mut(&dc) {
                d.status = DeviceStatus::Approved {
                    user_id: uid,
                    auth_time: now_s(),
                };
            }
            html_response(
                200,
                pages::message_page(
                    "Congratulations, you're all set!",
                    "Your device is now connected.",
                ),
            )
        }
        "deny" => {
            if let Some(d) = app.store.lock().devices.get_mut(&dc) {
                d.status = DeviceStatus::Denied;
            }
            html_response(
                200,
                pages::message_page("Device Denied", "You cancelled the device activation."),
            )
        }
        _ => html_response(
            400,
            pages::activate_code_page(Some("Unknown action"), &code),
        ),
    }
}
