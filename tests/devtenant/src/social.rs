//! The fake social connection `twitter`: a consent page served by the tenant
//! that creates or logs in a `twitter|<n>` user.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::authorize::{login_and_complete, redirect_error};
use crate::store::{AuthTx, User};
use crate::util::{field, html_response, now_ms, parse_body, parse_query, random_token, redirect};
use crate::{pages, App};

/// Hand the transaction to the provider page.
pub fn start(app: &App, tx: &AuthTx) -> Response {
    let id = random_token(16);
    let mut g = app.store.lock();
    g.sweep(now_ms());
    g.social
        .insert(id.clone(), (tx.clone(), now_ms() + 10 * 60 * 1000));
    drop(g);
    redirect(&format!("/social/twitter?tx={id}"))
}

pub async fn page(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let id = q.get("tx").cloned().unwrap_or_default();
    let tx = app.store.lock().social.get(&id).map(|(t, _)| t.clone());
    match tx {
        Some(tx) => {
            let name = app
                .client(&tx.client_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            html_response(200, pages::social_page(&id, &name))
        }
        None => html_response(
            400,
            pages::error_page(
                "invalid_request",
                "Unknown or expired social login transaction.",
            ),
        ),
    }
}

pub async fn submit(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let b = parse_body(&headers, &body).unwrap_or_default();
    let id = field(&b, "tx").unwrap_or_default();
    let tx = app.store.lock().social.remove(&id).map(|(t, _)| t);
    let Some(tx) = tx else {
        return html_response(
            400,
            pages::error_page(
                "invalid_request",
                "Unknown or expired social login transaction.",
            ),
        );
    };
    if field(&b, "action").as_deref() != Some("allow") {
        return redirect_error(&tx, "access_denied", "User did not authorize the request");
    }
    let handle = field(&b, "screen_name").unwrap_or_else(|| "devtwitter".into());
    let user = find_or_create(&app, &handle);
    login_and_complete(&app, &tx, &user)
}

fn find_or_create(app: &App, handle: &str) -> User {
    let mut g = app.store.lock();
    let existing = g
        .users
        .values()
        .find(|u| u.connection == "twitter" && u.username.as_deref() == Some(handle))
        .or_else(|| {
            g.users.values().find_map(|u| {
                u.linked
                    .iter()
                    .find(|s| s.connection == "twitter" && s.username.as_deref() == Some(handle))
                    .map(|_| u)
            })
        })
        .cloned();
    if let Some(u) = existing {
        return u;
    }
    let n = g.next_counter();
    let mut u = User::new(format!("twitter|{n}"), "twitter");
    u.username = Some(handle.to_string());
    u.name = handle.to_string();
    u.nickname = handle.to_string();
    u.fill_profile();
    g.users.insert(u.user_id.clone(), u.clone());
    drop(g);
    app.store.persist_user(&u);
    u
}
