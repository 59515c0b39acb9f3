//! Pushed Authorization Requests (RFC 9126): `POST /oauth/par` stores the
//! authorize parameters and answers a `request_uri`; `/authorize?client_id=
//! …&request_uri=…` then runs with exactly the pushed parameters (single
//! use, expiring).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::json;

use crate::authorize::tx_from;
use crate::util::{
    ct_eq, field, html_response, json_response, now_ms, oauth_error, parse_body, random_token,
    words,
};
use crate::{pages, App};

pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

struct Pushed {
    client_id: String,
    params: HashMap<String, String>,
    expires_ms: u64,
}

#[derive(Default)]
pub struct ParState {
    requests: Mutex<HashMap<String, Pushed>>,
}

impl ParState {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Pushed>> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/oauth/par", post(push))
}

fn bad(description: &str) -> Response {
    oauth_error(400, "invalid_request", description)
}

async fn push(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(b) = parse_body(&headers, &body) else {
        return bad("Invalid request body");
    };
    let client_failed = || oauth_error(401, "invalid_client", "Client authentication failed");
    let Some(client) = field(&b, "client_id").and_then(|id| app.client(&id)) else {
        return client_failed();
    };
    if let Some(secret) = &client.client_secret {
        if !field(&b, "client_secret").is_some_and(|s| ct_eq(&s, secret)) {
            return client_failed();
        }
    }
    if b.contains_key("request_uri") {
        return bad("request_uri must not be sent to the pushed authorization request endpoint");
    }
    if b.contains_key("request") {
        return oauth_error(
            400,
            "request_not_supported",
            "Request objects are not supported",
        );
    }
    let tx = tx_from(|k| field(&b, k));
    if tx.redirect_uri.is_empty() {
        return bad("Missing required parameter: redirect_uri");
    }
    if !app.callback_allowed(client, &tx.redirect_uri) {
        return bad(&format!(
            "Callback URL mismatch. {} is not in the list of allowed callback URLs",
            tx.redirect_uri
        ));
    }
    if tx.response_type.is_empty() {
        return bad("Missing required parameter: response_type");
    }
    let rt = words(&tx.response_type);
    if rt
        .iter()
        .any(|w| !matches!(*w, "code" | "token" | "id_token"))
    {
        return oauth_error(
            400,
            "unsupported_response_type",
            &format!("Unsupported response type: {}", tx.response_type),
        );
    }
    if let Some(m) = &tx.code_challenge_method {
        if tx.code_challenge.is_none() || !matches!(m.as_str(), "S256" | "plain") {
            return bad("Invalid code_challenge_method");
        }
    }
    let params: HashMap<String, String> = b
        .keys()
        .filter(|k| k.as_str() != "client_secret")
        .filter_map(|k| field(&b, k).map(|v| (k.clone(), v)))
        .collect();
    let id = random_token(24);
    let now = now_ms();
    let lifetime = app.cfg.par_lifetime_secs;
    let mut g = app.par.lock();
    g.retain(|_, p| p.expires_ms > now);
    g.insert(
        id.clone(),
        Pushed {
            client_id: client.client_id.clone(),
            params,
            expires_ms: now + lifetime * 1000,
        },
    );
    json_response(
        201,
        &json!({"request_uri": format!("{REQUEST_URI_PREFIX}{id}"), "expires_in": lifetime}),
    )
}

fn error_page(description: &str) -> Response {
    html_response(400, pages::error_page("invalid_request_uri", description))
}

/// The parameters `/authorize` runs with: the query itself, or, when it has
/// a `request_uri`, the pushed parameters it names (spent now). The query's
/// `client_id` must be the pushing client's; its other parameters are ignored.
pub fn expand(app: &App, q: HashMap<String, String>) -> Result<HashMap<String, String>, Response> {
    let Some(uri) = q.get("request_uri") else {
        return Ok(q);
    };
    let pushed = uri
        .strip_prefix(REQUEST_URI_PREFIX)
        .and_then(|id| app.par.lock().remove(id));
    let Some(p) = pushed.filter(|p| p.expires_ms > now_ms()) else {
        return Err(error_page(
            "The request_uri is invalid, expired or already used",
        ));
    };
    if q.get("client_id") != Some(&p.client_id) {
        return Err(html_response(
            400,
            pages::error_page(
                "invalid_request",
                "client_id does not match the pushed authorization request",
            ),
        ));
    }
    Ok(p.params)
}
