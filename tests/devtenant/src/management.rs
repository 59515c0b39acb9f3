//! Management API v2 subset: `GET`/`PATCH /api/v2/users/{id}`,
//! `POST /api/v2/users/{id}/identities` (link) and
//! `DELETE /api/v2/users/{id}/identities/{provider}/{user_id}` (unlink),
//! authorised by a token this tenant issued, for the token's own user only.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::token::{aud_contains, verify_token};
use crate::util::{bearer, json_response, now_ms};
use crate::App;

fn err(status: u16, message: &str, code: Option<&str>) -> Response {
    let error = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Error",
    };
    let mut v = json!({"statusCode": status, "error": error, "message": message});
    if let Some(c) = code {
        v["errorCode"] = json!(c);
    }
    json_response(status, &v)
}

/// Who the token is for and what it may do.
struct Caller {
    sub: String,
    /// `None` = an id_token (allowed the current-user operations).
    scopes: Option<Vec<String>>,
}

impl Caller {
    fn may(&self, scope: &str) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == scope))
    }
}

fn authenticate(app: &App, headers: &HeaderMap) -> Result<Caller, Response> {
    let Some(tok) = bearer(headers) else {
        return Err(err(401, "Missing authentication", None));
    };
    let Some(c) = verify_token(app, &tok) else {
        return Err(err(401, "Invalid token", Some("invalid_token")));
    };
    let sub = c
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if aud_contains(&c, &app.mgmt_audience()) {
        let scopes = c.get("scope").and_then(Value::as_str).unwrap_or_default();
        return Ok(Caller {
            sub,
            scopes: Some(scopes.split_whitespace().map(String::from).collect()),
        });
    }
    let is_id_token = c
        .get("aud")
        .and_then(Value::as_str)
        .is_some_and(|a| app.client(a).is_some());
    if is_id_token {
        return Ok(Caller { sub, scopes: None });
    }
    Err(err(
        401,
        "Bad audience: the token's audience is not the Management API",
        Some("invalid_token"),
    ))
}

fn insufficient(scope: &str) -> Response {
    err(
        403,
        &format!("Insufficient scope, expected any of: {scope}"),
        Some("insufficient_scope"),
    )
}

fn decode_segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("/api/v2/users/")?;
    rest.split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        })
        .collect()
}

pub async fn users(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(segs) = decode_segments(uri.path()) else {
        return err(
            400,
            "Invalid user id: not valid UTF-8 after percent-decoding",
            Some("invalid_uri"),
        );
    };
    let caller = match authenticate(&app, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = segs[0].clone();
    let (needed, op) = match (&method, segs.len()) {
        (&Method::GET, 1) => ("read:current_user", Op::Get),
        (&Method::PATCH, 1) => ("update:current_user_metadata", Op::Patch),
        (&Method::POST, 2) if segs[1] == "identities" => {
            ("update:current_user_identities", Op::Link)
        }
        (&Method::DELETE, 4) if segs[1] == "identities" => (
            "update:current_user_identities",
            Op::Unlink(segs[2].clone(), segs[3].clone()),
        ),
        _ => return err(404, "Not Found", None),
    };
    if !caller.may(needed) {
        return insufficient(needed);
    }
    if caller.sub != id {
        return err(
            403,
            "You are not allowed to access another user with a current_user scope.",
            Some("insufficient_scope"),
        );
    }
    let exists = app.store.lock().users.contains_key(&id);
    if !exists {
        return err(404, "The user does not exist.", Some("inexistent_user"));
    }
    match op {
        Op::Get => {
            let u = app.store.lock().users.get(&id).map(|u| u.to_management());
            json_response(200, &u.unwrap_or(Value::Null))
        }
        Op::Patch => patch(&app, &id, &body),
        Op::Link => link(&app, &id, &body),
        Op::Unlink(p, uid) => unlink(&app, &id, &p, &uid),
    }
}

enum Op {
    Get,
    Patch,
    Link,
    Unlink(String, String),
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(err(
            400,
            "Payload validation error: 'Expected type object but found type string'.",
            Some("invalid_body"),
        )),
    }
}

fn patch(app: &App, id: &str, body: &[u8]) -> Response {
    let b = match parse_object(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(k) = b.keys().find(|k| k.as_str() != "user_metadata") {
        return err(
            400,
            &format!("Payload validation error: 'Additional properties not allowed: {k}'."),
            Some("invalid_body"),
        );
    }
    let meta = match b.get("user_metadata") {
        Some(Value::Object(m)) => m.clone(),
        None => Map::new(),
        Some(_) => return err(400, "Payload validation error: 'Expected type object but found type string' on property user_metadata.", Some("invalid_body")),
    };
    let mut g = app.store.lock();
    let Some(u) = g.users.get_mut(id) else {
        return err(404, "The user does not exist.", Some("inexistent_user"));
    };
    for (k, v) in meta {
        if v.is_null() {
            u.user_metadata.remove(&k);
        } else {
            u.user_metadata.insert(k, v);
        }
    }
    u.updated_ms = now_ms();
    let u = u.clone();
    drop(g);
    app.store.persist_user(&u);
    json_response(200, &u.to_management())
}

fn link(app: &App, id: &str, body: &[u8]) -> Response {
    let b = match parse_object(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(tok) = b.get("link_with").and_then(Value::as_str) else {
        return err(
            400,
            "Payload validation error: 'Missing required property: link_with'.",
            Some("invalid_body"),
        );
    };
    let Some(c) = verify_token(app, tok) else {
        return err(
            400,
            "JWT contains an invalid signature or is expired.",
            Some("invalid_body"),
        );
    };
    let sec_id = c
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if sec_id == id {
        return err(
            400,
            "Main identity and the new one are the same.",
            Some("invalid_body"),
        );
    }
    let mut g = app.store.lock();
    let Some(mut secondary) = g.users.remove(&sec_id) else {
        return err(
            400,
            "The linked user does not exist.",
            Some("inexistent_user"),
        );
    };
    let nested = std::mem::take(&mut secondary.linked);
    let Some(primary) = g.users.get_mut(id) else {
        g.users.insert(sec_id, secondary);
        return err(404, "The user does not exist.", Some("inexistent_user"));
    };
    primary.linked.push(secondary);
    primary.linked.extend(nested);
    primary.updated_ms = now_ms();
    let p = primary.clone();
    // Sessions of the secondary now belong to the primary.
    for s in g.sessions.values_mut().filter(|s| s.user_id == sec_id) {
        s.user_id = p.user_id.clone();
    }
    drop(g);
    app.store.forget_user(&sec_id);
    app.store.persist_user(&p);
    json_response(201, &p.identities())
}

fn unlink(app: &App, id: &str, provider: &str, uid: &str) -> Response {
    let mut g = app.store.lock();
    let Some(primary) = g.users.get_mut(id) else {
        return err(404, "The user does not exist.", Some("inexistent_user"));
    };
    let Some(pos) = primary
        .linked
        .iter()
        .position(|s| s.provider() == provider && s.id_part() == uid)
    else {
        return err(
            400,
            "The identity to unlink is not linked to this user.",
            Some("invalid_uri"),
        );
    };
    let restored = primary.linked.remove(pos);
    primary.updated_ms = now_ms();
    let p = primary.clone();
    g.users.insert(restored.user_id.clone(), restored.clone());
    drop(g);
    app.store.persist_user(&p);
    app.store.persist_user(&restored);
    json_response(200, &p.identities())
}
