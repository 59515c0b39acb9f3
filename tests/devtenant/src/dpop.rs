//! DPoP (RFC 9449): proof checking at `/oauth/token` and at resource
//! endpoints (`/userinfo`), DPoP-bound tokens (`cnf.jkt`, `token_type:
//! "DPoP"`, refresh tokens bound to the key), the server nonce, and the dev
//! endpoint `/__dev/dpop/nonce`.
//!
//! A proof is an ES256 JWS with `typ: dpop+jwt` and the public `jwk` in its
//! header, claims `jti`, `htm`, `htu`, `iat`, and `nonce` / `ath` where
//! required. The key of the token request's proof is carried to the minting
//! code in a thread-local for the duration of the (synchronous) grant: the
//! proof belongs to the HTTP request, and every token the request issues is
//! bound to it, whichever grant runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::util::{b64url, json_response, now_ms, now_s, oauth_error, random_token, sha256};
use crate::App;

thread_local! {
    static BOUND_JKT: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub struct DpopState {
    nonce: Mutex<String>,
    /// `jkt:jti` of accepted proofs -> when the entry may be forgotten (ms).
    seen: Mutex<HashMap<String, u64>>,
}

impl Default for DpopState {
    fn default() -> Self {
        DpopState {
            nonce: Mutex::new(random_token(16)),
            seen: Mutex::new(HashMap::new()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl DpopState {
    fn nonce(&self) -> String {
        lock(&self.nonce).clone()
    }
}

/// Run `f` with `jkt` as the key tokens are bound to.
pub fn scoped<R>(jkt: Option<String>, f: impl FnOnce() -> R) -> R {
    /// Clears the binding even if `f` panics, so no later request on this
    /// worker thread inherits it.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            BOUND_JKT.with(|c| *c.borrow_mut() = None);
        }
    }
    BOUND_JKT.with(|c| *c.borrow_mut() = jkt);
    let _reset = Reset;
    f()
}

/// The thumbprint of the current token request's DPoP key, if it sent a proof.
pub fn current_jkt() -> Option<String> {
    BOUND_JKT.with(|c| c.borrow().clone())
}

/// Add `cnf.jkt` to access-token claims when the request is DPoP-bound.
pub fn add_cnf(claims: &mut Value) {
    if let Some(j) = current_jkt() {
        claims["cnf"] = json!({ "jkt": j });
    }
}

/// A refresh token bound to a key needs a proof with that key.
pub fn check_refresh_binding(bound: Option<&str>) -> Result<(), Response> {
    match bound {
        Some(j) if current_jkt().as_deref() != Some(j) => Err(oauth_error(
            400,
            "invalid_dpop_proof",
            "The refresh token is bound to a DPoP key: a DPoP proof signed with that key is required",
        )),
        _ => Ok(()),
    }
}

/// RFC 7638 thumbprint of a P-256 public JWK.
pub fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    b64url(&sha256(canonical.as_bytes()))
}

/// Why a proof was refused.
enum ProofError {
    Invalid(String),
    NeedNonce,
}

fn invalid(msg: &str) -> ProofError {
    ProofError::Invalid(msg.to_string())
}

fn decode_json(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// `scheme://host:port/path` of a URL, for comparing `htu` (query and
/// fragment are ignored, RFC 9449 §4.3).
fn htu_base(u: &str) -> Option<String> {
    let u = url::Url::parse(u).ok()?;
    Some(format!(
        "{}://{}:{}{}",
        u.scheme(),
        u.host_str()?,
        u.port_or_known_default()?,
        u.path()
    ))
}

/// Check one proof; its key's thumbprint.
fn check_proof(
    app: &App,
    proof: &str,
    method: &str,
    path: &str,
    access_token: Option<&str>,
) -> Result<String, ProofError> {
    let mut parts = proof.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("DPoP proof is not a compact JWS"));
    };
    let header = decode_json(h).ok_or_else(|| invalid("DPoP proof header is not JSON"))?;
    let claims = decode_json(p).ok_or_else(|| invalid("DPoP proof payload is not JSON"))?;
    if header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err(invalid("DPoP proof typ must be dpop+jwt"));
    }
    if header.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(invalid("Unsupported DPoP proof alg (ES256 only)"));
    }
    let Some(Value::Object(jwk)) = header.get("jwk") else {
        return Err(invalid("DPoP proof header has no jwk"));
    };
    if jwk.contains_key("d") {
        return Err(invalid("DPoP proof jwk must not contain a private key"));
    }
    let s_of = |k: &str| jwk.get(k).and_then(Value::as_str);
    let (Some("EC"), Some("P-256"), Some(x), Some(y)) =
        (s_of("kty"), s_of("crv"), s_of("x"), s_of("y"))
    else {
        return Err(invalid("DPoP proof jwk must be an EC P-256 public key"));
    };
    let (Ok(xb), Ok(yb)) = (URL_SAFE_NO_PAD.decode(x), URL_SAFE_NO_PAD.decode(y)) else {
        return Err(invalid("DPoP proof jwk coordinates are not base64url"));
    };
    if xb.len() != 32 || yb.len() != 32 {
        return Err(invalid("DPoP proof jwk coordinates must be 32 bytes"));
    }
    let mut point = vec![4u8];
    point.extend_from_slice(&xb);
    point.extend_from_slice(&yb);
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| invalid("DPoP proof signature is not base64url"))?;
    if UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
        .verify(format!("{h}.{p}").as_bytes(), &sig)
        .is_err()
    {
        return Err(invalid("DPoP proof signature is invalid"));
    }
    let c = |k: &str| claims.get(k).and_then(Value::as_str);
    let Some(jti) = c("jti").filter(|j| !j.is_empty()) else {
        return Err(invalid("DPoP proof has no jti"));
    };
    if c("htm") != Some(method) {
        return Err(invalid("DPoP proof htm does not match the request method"));
    }
    let expected = htu_base(&format!("{}{path}", app.domain));
    if c("htu").and_then(htu_base).is_none() || c("htu").and_then(htu_base) != expected {
        return Err(invalid("DPoP proof htu does not match the request URL"));
    }
    let Some(iat) = claims.get("iat").and_then(Value::as_i64) else {
        return Err(invalid("DPoP proof has no iat"));
    };
    let window = app.cfg.dpop_iat_window_secs as i64;
    if (iat - now_s() as i64).abs() > window {
        return Err(invalid("DPoP proof iat is outside the acceptable window"));
    }
    if let Some(at) = access_token {
        if c("ath") != Some(b64url(&sha256(at.as_bytes())).as_str()) {
            return Err(invalid("DPoP proof ath does not match the access token"));
        }
    }
    if app.settings.dpop_require_nonce() && c("nonce") != Some(app.dpop.nonce().as_str()) {
        return Err(ProofError::NeedNonce);
    }
    let jkt = thumbprint(x, y);
    let now = now_ms();
    let mut seen = lock(&app.dpop.seen);
    seen.retain(|_, until| *until > now);
    let key = format!("{jkt}:{jti}");
    if seen.contains_key(&key) {
        return Err(invalid("DPoP proof jti was already used"));
    }
    seen.insert(key, now + 2 * (window as u64 + 1) * 1000);
    Ok(jkt)
}

/// The single `DPoP` header, `Err(())` when there are several.
fn proof_header(headers: &HeaderMap) -> Result<Option<String>, ()> {
    let mut all = headers.get_all("dpop").iter();
    let first = all.next();
    if all.next().is_some() {
        return Err(());
    }
    Ok(first.map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string()))
}

fn nonce_header(app: &App, r: &mut Response) {
    if let Ok(v) = HeaderValue::from_str(&app.dpop.nonce()) {
        r.headers_mut().insert("dpop-nonce", v);
    }
}

/// The DPoP proof of a token-endpoint request at `path`: `Ok(None)` without
/// one, the key's thumbprint when valid, the error answer otherwise.
pub fn token_proof(app: &App, headers: &HeaderMap, path: &str) -> Result<Option<String>, Response> {
    let proof = match proof_header(headers) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(None),
        Err(()) => {
            return Err(oauth_error(
                400,
                "invalid_dpop_proof",
                "More than one DPoP header",
            ))
        }
    };
    match check_proof(app, &proof, "POST", path, None) {
        Ok(j) => Ok(Some(j)),
        Err(ProofError::Invalid(msg)) => {
            let mut r = oauth_error(400, "invalid_dpop_proof", &msg);
            if app.settings.dpop_require_nonce() {
                nonce_header(app, &mut r);
            }
            Err(r)
        }
        Err(ProofError::NeedNonce) => {
            let mut r = oauth_error(
                400,
                "use_dpop_nonce",
                "Authorization server requires nonce in DPoP proof",
            );
            nonce_header(app, &mut r);
            Err(r)
        }
    }
}

/// Add the current `DPoP-Nonce` to a token answer when nonces are on and
/// the request used DPoP.
pub fn with_nonce(app: &App, mut r: Response, used_dpop: bool) -> Response {
    if used_dpop && app.settings.dpop_require_nonce() {
        nonce_header(app, &mut r);
    }
    r
}

fn resource_error(app: &App, error: &str, description: &str, nonce: bool) -> Response {
    let mut r = crate::util::text_response(401, "Unauthorized");
    let v = format!("DPoP algs=\"ES256\", error=\"{error}\", error_description=\"{description}\"");
    if let Ok(v) = HeaderValue::from_str(&v) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    if nonce {
        nonce_header(app, &mut r);
    }
    r
}

/// Authenticate a resource request at `path`: `Authorization: Bearer` with
/// an unbound access token, or `Authorization: DPoP` with a bound one and a
/// proof (`ath`, `htm`, `htu`, nonce when on) signed by the bound key.
/// `Ok(Some(claims))` when accepted, `Ok(None)` for a plain bearer failure
/// (the caller's usual 401), `Err` for a DPoP-specific 401.
pub fn resource_auth(
    app: &App,
    method: &str,
    headers: &HeaderMap,
    path: &str,
) -> Result<Option<Map<String, Value>>, Response> {
    let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let Some((scheme, token)) = auth.trim().split_once(' ') else {
        return Ok(None);
    };
    let token = token.trim();
    let claims = crate::token::verify_token(app, token);
    let jkt = claims
        .as_ref()
        .and_then(|c| c.get("cnf"))
        .and_then(|c| c.get("jkt"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if scheme.eq_ignore_ascii_case("bearer") {
        if jkt.is_some() {
            // A stolen DPoP-bound token alone is not enough.
            return Err(resource_error(
                app,
                "invalid_token",
                "DPoP-bound access token presented as a Bearer token",
                false,
            ));
        }
        return Ok(claims);
    }
    if !scheme.eq_ignore_ascii_case("dpop") {
        return Ok(None);
    }
    let Some(claims) = claims else {
        return Err(resource_error(app, "invalid_token", "Invalid token", false));
    };
    let Some(bound) = jkt else {
        return Err(resource_error(
            app,
            "invalid_token",
            "The access token is not DPoP-bound",
            false,
        ));
    };
    let proof = match proof_header(headers) {
        Ok(Some(p)) => p,
        _ => {
            return Err(resource_error(
                app,
                "invalid_dpop_proof",
                "Exactly one DPoP proof header is required",
                false,
            ))
        }
    };
    match check_proof(app, &proof, method, path, Some(token)) {
        Ok(j) if j == bound => Ok(Some(claims)),
        Ok(_) => Err(resource_error(
            app,
            "invalid_dpop_proof",
            "DPoP proof key does not match the access token's cnf.jkt",
            false,
        )),
        Err(ProofError::Invalid(msg)) => Err(resource_error(
            app,
            "invalid_dpop_proof",
            &msg,
            app.settings.dpop_require_nonce(),
        )),
        Err(ProofError::NeedNonce) => Err(resource_error(
            app,
            "use_dpop_nonce",
            "Resource server requires nonce in DPoP proof",
            true,
        )),
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/__dev/dpop/nonce", get(get_nonce).post(rotate_nonce))
}

async fn get_nonce(State(app): State<Arc<App>>) -> Response {
    json_response(200, &json!({"nonce": app.dpop.nonce()}))
}

/// A new server nonce; proofs carrying the old one get `use_dpop_nonce`.
async fn rotate_nonce(State(app): State<Arc<App>>) -> Response {
    let n = random_token(16);
    *lock(&app.dpop.nonce) = n.clone();
    json_response(200, &json!({"nonce": n}))
}
