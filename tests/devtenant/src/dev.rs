//! Dev-only endpoints under `/__dev/` (outbox, key rotation, faults, token
//! signing, request log) and the middleware that records requests, injects
//! faults and answers CORS.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::keys;
use crate::util::{iso8601, json_response, now_ms, now_s, oauth_error, parse_query};
use crate::App;

const MAX_BODY: usize = 1 << 20;

/// A fault for the next `count` requests whose path starts with `path`
/// (and whose method is `method`, when given).
///
/// - `status`: answer that status at once (an OAuth error body), with
///   `retry_after` / `rate_limit_reset` headers when given;
/// - `body`: answer `status` (default 200) with this body and
///   `content_type` (default `text/html`): a captive portal, an empty 200;
/// - `latency_ms`: wait before answering; `drop`: break the connection;
/// - `truncate`: break the connection halfway through the real answer;
/// - `oversize_bytes`: pad the real answer;
/// - `drip_ms`: send the real answer's headers at once, then its body one
///   byte every `drip_ms` (a slow-drip server).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fault {
    pub path: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub drop: bool,
    #[serde(default)]
    pub truncate: bool,
    #[serde(default)]
    pub oversize_bytes: Option<usize>,
    #[serde(default)]
    pub rate_limit_reset: Option<u64>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub drip_ms: Option<u64>,
}

fn one() -> u32 {
    1
}

pub struct DevState {
    outbox: Mutex<Vec<Value>>,
    faults: Mutex<Vec<Fault>>,
    requests: Mutex<VecDeque<Value>>,
    log_size: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl DevState {
    pub fn new(log_size: usize) -> DevState {
        DevState {
            outbox: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(VecDeque::new()),
            log_size,
        }
    }

    pub fn push_outbox(&self, mut msg: Value) {
        msg["at"] = json!(iso8601(now_ms()));
        lock(&self.outbox).push(msg);
    }

    /// The first fault matching `method` and `path`, spending one of its
    /// count.
    fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut f = lock(&self.faults);
        let i = f.iter().position(|x| {
            path.starts_with(&x.path)
                && x.count > 0
                && x.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        f[i].count -= 1;
        let hit = f[i].clone();
        if f[i].count == 0 {
            f.remove(i);
        }
        Some(hit)
    }

    fn log(&self, entry: Value) {
        if self.log_size == 0 {
            return;
        }
        let mut r = lock(&self.requests);
        if r.len() >= self.log_size {
            r.pop_front();
        }
        r.push_back(entry);
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/outbox", get(outbox).delete(clear_outbox))
        .route("/rotate-keys", post(rotate_keys))
        .route(
            "/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route("/sign", post(sign))
        .route("/requests", get(requests).delete(clear_requests))
}

pub async fn not_found() -> Response {
    json_response(
        404,
        &json!({"statusCode": 404, "error": "Not Found", "message": "Not Found"}),
    )
}

async fn outbox(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let to = q.get("to").map(|s| s.to_lowercase());
    let list: Vec<Value> = lock(&app.dev.outbox)
        .iter()
        .filter(|m| {
            to.as_ref()
                .is_none_or(|t| m["to"].as_str().is_some_and(|x| x.to_lowercase() == *t))
        })
        .cloned()
        .collect();
    json_response(200, &Value::Array(list))
}

async fn clear_outbox(State(app): State<Arc<App>>) -> Response {
    lock(&app.dev.outbox).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn rotate_keys(State(app): State<Arc<App>>) -> Response {
    match app.keys.rotate() {
        Ok(k) => {
            app.persist_keys();
            json_response(200, &json!({"kid": k.kid, "jwks": app.keys.jwks()}))
        }
        Err(e) => json_response(
            500,
            &json!({"error": "server_error", "error_description": e}),
        ),
    }
}

async fn list_faults(State(app): State<Arc<App>>) -> Response {
    json_response(200, &json!(*lock(&app.dev.faults)))
}

async fn add_faults(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let parsed: Result<Vec<Fault>, _> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(a)) => a.into_iter().map(serde_json::from_value).collect(),
        Ok(v) => serde_json::from_value(v).map(|f| vec![f]),
        Err(e) => Err(e),
    };
    match parsed {
        Ok(f) => {
            let mut g = lock(&app.dev.faults);
            g.extend(f);
            json_response(200, &json!(*g))
        }
        Err(e) => oauth_error(400, "invalid_request", &format!("Invalid fault: {e}")),
    }
}

async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    lock(&app.dev.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn requests(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
    let q = parse_query(q.as_deref());
    let p = q.get("path").cloned().unwrap_or_default();
    let list: Vec<Value> = lock(&app.dev.requests)
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|x| x.starts_with(&p)))
        .cloned()
        .collect();
    json_response(200, &Value::Array(list))
}

async fn clear_requests(State(app): State<Arc<App>>) -> Response {
    lock(&app.dev.requests).clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Sign arbitrary claims: defaults for iss/aud/sub/iat/exp, `null` removes a claim.
async fn sign(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Ok(Value::Object(b)) = serde_json::from_slice::<Value>(&body) else {
        return oauth_error(400, "invalid_request", "Body must be a JSON object");
    };
    let now = now_s();
    let key = app.keys.current();
    // `{"raw": "<header>.<payload>"}`: signs those bytes as they are, for
    // tokens no JSON encoder writes (duplicate members, padded segments).
    if let Some(raw) = b.get("raw").and_then(Value::as_str) {
        return match keys::sign_raw_input(&key, raw) {
            Some(token) => json_response(200, &json!({"token": token})),
            None => json_response(500, &json!({"error": "server_error"})),
        };
    }
    let mut claims = json!({
        "iss": app.issuer, "aud": app.cfg.clients.first().map(|c| c.client_id.clone()).unwrap_or_default(),
        "sub": crate::config::TEST_USER_ID, "iat": now, "exp": now + 3600,
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    merge(&mut claims, b.get("claims"));
    let mut header: Map<String, Value> = json!({"alg": "RS256", "typ": "JWT", "kid": key.kid})
        .as_object()
        .cloned()
        .unwrap_or_default();
    merge(&mut header, b.get("header"));
    let claims = Value::Object(claims);
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("RS256")
        .to_string();
    let key_choice = b.get("key").and_then(Value::as_str).unwrap_or("");
    let token = if key_choice == "none" || alg == "none" {
        keys::sign_none(header, &claims)
    } else if alg == "HS256" {
        let secret = b
            .get("secret")
            .and_then(Value::as_str)
            .unwrap_or("devtenant-hs256-secret");
        keys::sign_hs256(secret.as_bytes(), header, &claims)
    } else {
        match keys::sign_with(&key, header, &claims) {
            Some(t) => t,
            None => return json_response(500, &json!({"error": "server_error"})),
        }
    };
    json_response(200, &json!({"token": token}))
}

fn merge(into: &mut Map<String, Value>, from: Option<&Value>) {
    if let Some(Value::Object(m)) = from {
        for (k, v) in m {
            if v.is_null() {
                into.remove(k);
            } else {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

fn header_map(h: &HeaderMap) -> Value {
    let mut m = Map::new();
    for (k, v) in h {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        match m.get_mut(k.as_str()) {
            Some(Value::String(s)) => {
                s.push_str(", ");
                s.push_str(&v);
            }
            _ => {
                m.insert(k.as_str().to_string(), Value::String(v));
            }
        }
    }
    Value::Object(m)
}

fn fault_status(f: &Fault, status: u16) -> Response {
    let (error, desc) = match status {
        429 => ("too_many_requests", "Global limit has been reached"),
        s if s >= 500 => ("server_error", "Injected fault (dev tenant)"),
        _ => ("invalid_request", "Injected fault (dev tenant)"),
    };
    let mut r = oauth_error(status, error, desc);
    if let Some(ra) = f.retry_after {
        if let Ok(v) = HeaderValue::from_str(&ra.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    if let Some(reset) = f.rate_limit_reset {
        if let Ok(v) = HeaderValue::from_str(&reset.to_string()) {
            r.headers_mut().insert("x-ratelimit-reset", v);
        }
    }
    r
}

/// The `body` fault: an answer of the fault's own making.
fn fault_body(f: &Fault, body: &str) -> Response {
    let status = StatusCode::from_u16(f.status.unwrap_or(200)).unwrap_or(StatusCode::OK);
    let content_type = f
        .content_type
        .as_deref()
        .unwrap_or("text/html; charset=utf-8");
    let mut r = Response::new(Body::from(body.to_owned()));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

/// `full`, one byte every `every`.
fn drip_body(full: Bytes, every: Duration) -> Body {
    let stream = futures_util::stream::unfold(0usize, move |i| {
        let full = full.clone();
        async move {
            if i >= full.len() {
                return None;
            }
            tokio::time::sleep(every).await;
            Some((Ok::<Bytes, std::io::Error>(full.slice(i..i + 1)), i + 1))
        }
    });
    Body::from_stream(stream)
}

fn failing_body(prefix: Bytes) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(prefix),
        Err(std::io::Error::other(
            "dev tenant: connection dropped by fault",
        )),
    ];
    Body::from_stream(futures_util::stream::iter(chunks))
}

fn cors(resp: &mut Response, origin: Option<&HeaderValue>) {
    if let Some(o) = origin {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        h.append(header::VARY, HeaderValue::from_static("Origin"));
    }
}

pub async fn middleware(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    if req.method() == Method::OPTIONS && origin.is_some() {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PATCH, DELETE, OPTIONS"),
        );
        let asked = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            asked.unwrap_or(HeaderValue::from_static(
                "Content-Type, Authorization, Auth0-Client",
            )),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        cors(&mut r, origin.as_ref());
        return r;
    }
    let path = req.uri().path().to_string();
    let is_dev = path.starts_with("/__dev/");
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return oauth_error(413, "invalid_request", "Request body too large");
    };
    let fault = if is_dev {
        None
    } else {
        app.dev.log(json!({
            "method": parts.method.as_str(),
            "path": path,
            "query": parts.uri.query(),
            "headers": header_map(&parts.headers),
            "body": String::from_utf8_lossy(&bytes),
            "at": iso8601(now_ms()),
        }));
        app.dev.take_fault(parts.method.as_str(), &path)
    };
    if let Some(f) = &fault {
        if let Some(ms) = f.latency_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if f.drop {
            return Response::new(failing_body(Bytes::new()));
        }
        if let Some(body) = &f.body {
            let mut r = fault_body(f, body);
            cors(&mut r, origin.as_ref());
            return r;
        }
        if let Some(s) = f.status {
            let mut r = fault_status(f, s);
            cors(&mut r, origin.as_ref());
            return r;
        }
    }
    let mut resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Some(f) =
        fault.filter(|f| f.truncate || f.oversize_bytes.is_some() || f.drip_ms.is_some())
    {
        let (mut rp, body) = resp.into_parts();
        let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
        rp.headers.remove(header::CONTENT_LENGTH);
        resp = if let Some(ms) = f.drip_ms {
            Response::from_parts(rp, drip_body(full, Duration::from_millis(ms)))
        } else if f.truncate {
            let len = full.len().max(2);
            if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
                rp.headers.insert(header::CONTENT_LENGTH, v);
            }
            Response::from_parts(rp, failing_body(full.slice(..full.len() / 2)))
        } else {
            let mut padded = full.to_vec();
            padded.resize(full.len() + f.oversize_bytes.unwrap_or(0), b' ');
            Response::from_parts(rp, Body::from(padded))
        };
    }
    cors(&mut resp, origin.as_ref());
    resp
}
