//! The one HTTP client of a handle, and the one place HTTP answers become
//! results or errors.
//!
//! Requests look like auth0.js v8's (JSON bodies, `Content-Type:
//! application/json` on every request, `Auth0-Client` telemetry). Part A's
//! hygiene: redirects are never followed here (a 3xx from an API endpoint is
//! an error; the headless flows walk redirects themselves, within the
//! tenant's origin), bodies are read up to a cap, and a 2xx answer must
//! have the shape its endpoint promises (JSON, not a captive portal's HTML
//! page or an empty body). Transport errors never carry the request URL's
//! query or any body, so no secret reaches an error message.
//!
//! Every request has one wall-clock deadline covering connect, send and
//! reading the whole body (`timeout`; a server that drips bytes cannot hold
//! a call longer). A flow with a total bound of its own (the headless walks,
//! `renewAuth`) runs under [`within_deadline`], which no request inside it
//! outlives. API calls go through the handle's [`RetryPolicy`].

use crate::error::{Error, ErrorKind, Result};
use crate::options::{optional_f64, optional_str, Options};
use crate::transport::retry::RetryPolicy;
use serde_json::Value;
use std::cell::Cell;
use std::io::Read;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default bound on a whole request (connect, send, read the answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on an answer's body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Transport options of a handle (`connectTimeout`, `timeout` in
/// milliseconds; `caFile`, `caPem`, `proxy`, `maxResponseBytes`, `retry`).
#[derive(Clone)]
pub(crate) struct TransportConfig {
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    ca: Vec<reqwest::Certificate>,
    proxy: Option<reqwest::Proxy>,
    max_response_bytes: usize,
    telemetry: Option<String>,
}

fn millis(o: &Options, key: &str, default: Duration) -> Result<Duration> {
    let message = format!("{key} option is not valid (milliseconds, 1 to 3600000)");
    Ok(crate::options::millis_option(o, key, 1.0..=3_600_000.0, &message)?.unwrap_or(default))
}

impl TransportConfig {
    /// Reads and checks the transport options; a CA file that cannot be read
    /// or parsed is reported here, at construction, not at the first call.
    pub fn from_options(o: &Options, telemetry: Option<String>) -> Result<TransportConfig> {
        let connect_timeout = millis(o, "connectTimeout", DEFAULT_CONNECT_TIMEOUT)?;
        let timeout = millis(o, "timeout", DEFAULT_TIMEOUT)?;
        let mut ca = Vec::new();
        if let Some(path) = optional_str(o, "caFile", "caFile option is not valid")? {
            let pem = std::fs::read(path).map_err(|e| {
                Error::invalid_argument(format!(
                    "caFile option is not valid: cannot read {path}: {e}"
                ))
            })?;
            ca.extend(parse_pem(&pem, "caFile")?);
        }
        if let Some(pem) = optional_str(o, "caPem", "caPem option is not valid")? {
            ca.extend(parse_pem(pem.as_bytes(), "caPem")?);
        }
        let proxy = match optional_str(o, "proxy", "proxy option is not valid")? {
            Some(p) => Some(reqwest::Proxy::all(p).map_err(|_| {
                Error::invalid_argument(
                    "proxy option is not valid: expected a URL such as http://proxy:3128",
                )
            })?),
            None => None,
        };
        let max_message = "maxResponseBytes option is not valid (1024 to 1073741824)";
        let max_response_bytes = match optional_f64(o, "maxResponseBytes", max_message)? {
            None => DEFAULT_MAX_RESPONSE_BYTES,
            Some(n) if (1024.0..=1_073_741_824.0).contains(&n) => n as usize,
            Some(_) => return Err(Error::invalid_argument(max_message)),
        };
        let retry = RetryPolicy::from_options(o)?;
        Ok(TransportConfig {
            connect_timeout,
            timeout,
            retry,
            ca,
            proxy,
            max_response_bytes,
            telemetry,
        })
    }
}

fn parse_pem(pem: &[u8], option: &str) -> Result<Vec<reqwest::Certificate>> {
    let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
        Error::invalid_argument(format!(
            "{option} option is not valid: not a PEM certificate bundle"
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::invalid_argument(format!(
            "{option} option is not valid: no certificate found in the PEM text"
        )));
    }
    Ok(certs)
}

/// Does once, now, the process-wide work of the first HTTPS request, which
/// otherwise falls on the first request of the process: seeding aws-lc's
/// random generator (about 150 ms of CPU on the first use in a process, the
/// bulk of a first TLS handshake) and setting up the TLS provider. For a
/// thread that can afford it (the C task pool warms on a worker when it
/// starts).
pub fn warm_up() {
    let _ = aws_lc_rs::rand::fill(&mut [0u8; 1]);
    let _ = reqwest::blocking::Client::builder().build();
}

thread_local! {
    /// The deadline of the flow running on this thread, if any.
    static FLOW_DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` so that no request it makes on this thread (and no retry wait)
/// ends after `deadline`: the total bound of a flow made of several calls
/// (a headless walk, `renewAuth`, the token exchange and JWKS fetch inside
/// them). Nested bounds keep the earliest.
pub(crate) fn within_deadline<T>(deadline: Instant, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FLOW_DEADLINE.with(|d| d.set(self.0));
        }
    }
    let previous = FLOW_DEADLINE.with(|d| {
        let previous = d.get();
        d.set(Some(previous.map_or(deadline, |p| p.min(deadline))));
        previous
    });
    let _restore = Restore(previous);
    f()
}

/// `Instant::now() + bound`, or the flow's deadline when that is earlier.
fn deadline_after(bound: Duration) -> Instant {
    let own = Instant::now() + bound;
    FLOW_DEADLINE
        .with(Cell::get)
        .map_or(own, |flow| flow.min(own))
}

/// What a 2xx answer of an endpoint must hold.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Expect {
    /// A JSON object or array (204 No Content also passes, as `null`).
    Json,
    /// Text (a confirmation sentence), or JSON; never an HTML document.
    Text,
}

/// An answer, read up to the cap.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub content_type: String,
    /// `Location` of a redirect.
    pub location: Option<String>,
    /// `Retry-After` in seconds (429, 503).
    pub retry_after: Option<u64>,
    /// `X-RateLimit-Reset`: when the rate limit resets, in Unix seconds.
    pub rate_limit_reset: Option<u64>,
    pub body: Vec<u8>,
}

/// What a request carries.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    Empty,
    Json(&'a Value),
    /// An HTML form submission (`application/x-www-form-urlencoded`).
    Form(&'a [(String, String)]),
}

/// The handle's cookie jar (the SSO session of the headless flows), which
/// `logout` can empty — reqwest's own jar cannot be cleared.
#[derive(Default)]
pub(crate) struct SessionJar {
    jar: std::sync::RwLock<std::sync::Arc<reqwest::cookie::Jar>>,
}

impl SessionJar {
    pub fn clear(&self) {
        *self.jar.write().unwrap_or_else(|p| p.into_inner()) = Default::default();
    }
    fn current(&self) -> std::sync::Arc<reqwest::cookie::Jar> {
        self.jar.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl reqwest::cookie::CookieStore for SessionJar {
    fn set_cookies(
        &self,
        headers: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &reqwest::Url,
    ) {
        self.current().set_cookies(headers, url)
    }
    fn cookies(&self, url: &reqwest::Url) -> Option<reqwest::header::HeaderValue> {
        self.current().cookies(url)
    }
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
    pub fn is_text(&self) -> bool {
        self.content_type.starts_with("text/html") || self.content_type.starts_with("text/plain")
    }
}

/// The HTTP client of one handle. Built on first use, so creating a handle
/// for URL building alone costs no thread and no TLS setup.
pub(crate) struct Http {
    config: TransportConfig,
    jar: std::sync::Arc<SessionJar>,
    client: OnceLock<std::result::Result<reqwest::blocking::Client, Error>>,
    /// DPoP (off until a key is set): proofs and nonces of every request.
    pub(crate) dpop: crate::dpop::Dpop,
}

impl Http {
    pub fn new(config: TransportConfig) -> Http {
        Http {
            config,
            jar: Default::default(),
            client: OnceLock::new(),
            dpop: Default::default(),
        }
    }

    /// The bound on one request.
    pub fn timeout(&self) -> Duration {
        self.config.timeout
    }

    /// Builds the HTTP client now (loading the trusted roots), which
    /// otherwise happens at the first request; a failure is left for that
    /// request to report.
    pub fn warm_up(&self) {
        let _ = self.client();
    }

    /// Forgets every cookie (the tenant's SSO session) of this handle.
    pub fn clear_cookies(&self) {
        self.jar.clear()
    }

    fn client(&self) -> Result<&reqwest::blocking::Client> {
        self.client
            .get_or_init(|| {
                let mut b = reqwest::blocking::Client::builder()
                    .connect_timeout(self.config.connect_timeout)
                    .timeout(self.config.timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .cookie_provider(self.jar.clone())
                    .user_agent(concat!("auth0-native/", env!("CARGO_PKG_VERSION")));
                if !self.config.ca.is_empty() {
                    b = b.tls_certs_merge(self.config.ca.iter().cloned());
                }
                if let Some(p) = &self.config.proxy {
                    b = b.proxy(p.clone());
                }
                b.build().map_err(|e| {
                    // Typically a machine without usable root certificates:
                    // an environment problem, not a bug, so not Internal.
                    Error::new(
                        ErrorKind::Network,
                        format!("the HTTP client could not be set up: {}", source_chain(&e)),
                    )
                    .with_code("http_client_setup_failed")
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Sends one request; `bearer` goes in `Authorization`; `timeout`
    /// overrides the handle's bound for this request. The bound covers
    /// connecting, sending and reading the whole answer, and never goes
    /// past a [`within_deadline`] bound. Transport failures become
    /// `Network` / `Timeout` errors.
    pub fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        timeout: Option<Duration>,
    ) -> Result<Response> {
        let deadline = deadline_after(timeout.unwrap_or(self.config.timeout));
        self.send_until(method, url, bearer, body, deadline, 1)
    }

    /// [`Http::send`] of attempt `attempt`, logged as one `debug` line
    /// (method, URL without query, status or error, duration, attempt).
    fn send_until(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        deadline: Instant,
        attempt: u32,
    ) -> Result<Response> {
        let started = Instant::now();
        let shown = method.clone();
        let result = self.send_proved(method, url, bearer, body, deadline);
        let ms = started.elapsed().as_millis();
        let (url, target) = (crate::logging::url(url), crate::logging::HTTP);
        match &result {
            Ok(r) => {
                log::debug!(target: target, "{shown} {url} -> {} in {ms} ms (attempt {attempt})", r.status)
            }
            Err(e) => {
                log::debug!(target: target, "{shown} {url} failed in {ms} ms (attempt {attempt}): {}", crate::logging::error(e))
            }
        }
        result
    }

    /// With DPoP on, the one place proofs are added: a request that needs
    /// one gets it, and a `use_dpop_nonce` answer is retried exactly once
    /// with the nonce it carries (the server refused before acting).
    fn send_proved(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        deadline: Instant,
    ) -> Result<Response> {
        let proof = || self.dpop.proof(method.as_str(), url, bearer);
        match self.send_once(method.clone(), url, bearer, body, deadline, proof()?)? {
            (_, true) => Ok(self
                .send_once(method.clone(), url, bearer, body, deadline, proof()?)?
                .0),
            (resp, false) => Ok(resp),
        }
    }

    /// One request; `.1` says it was a DPoP nonce challenge.
    fn send_once(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        deadline: Instant,
        proof: Option<crate::dpop::Proof>,
    ) -> Result<(Response, bool)> {
        // A request under a cancelled task is never sent (C tasks).
        if crate::interactive::cancel::current_is_cancelled() {
            return Err(crate::interactive::cancel::cancelled());
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(timed_out)?;
        // A per-request timeout is reqwest's total bound: it covers the
        // body too, where the client-wide one is per read.
        let mut req = self.client()?.request(method, url).timeout(left);
        if let Some(t) = &self.config.telemetry {
            req = req.header("Auth0-Client", t);
        }
        let scheme = if proof.is_some() { "DPoP" } else { "Bearer" };
        if let Some(p) = &proof {
            req = req.header("DPoP", &p.header);
        }
        if let Some(token) = bearer {
            let value = reqwest::header::HeaderValue::from_str(&format!("{scheme} {token}"))
                .map_err(|_| {
                    Error::invalid_argument(
                        "the token contains characters that cannot be sent in an HTTP header",
                    )
                })?;
            req = req.header("Authorization", value);
        }
        req = match body {
            // v8 sets the JSON content type on every request, GETs included.
            Body::Empty => req.header("Content-Type", "application/json"),
            Body::Json(v) => req
                .header("Content-Type", "application/json")
                .body(v.to_string()),
            Body::Form(fields) => req
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(fields.iter())
                        .finish(),
                ),
        };
        let resp = req.send().map_err(transport_error)?;
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
        let location = header(reqwest::header::LOCATION);
        let retry_after = header(reqwest::header::RETRY_AFTER).and_then(|v| v.trim().parse().ok());
        let rate_limit_reset = resp
            .headers()
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let status = resp.status().as_u16();
        let nonce_answer = crate::dpop::NonceAnswer::of(resp.headers());
        let cap = self.config.max_response_bytes;
        let mut body = Vec::new();
        resp.take(cap as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| {
                if is_timeout(&e) || Instant::now() >= deadline {
                    Error::new(
                        ErrorKind::Timeout,
                        "the server's answer did not arrive in time",
                    )
                } else {
                    Error::new(
                        ErrorKind::Network,
                        format!("the answer could not be read: {}", source_chain(&e)),
                    )
                }
            })?;
        if body.len() > cap {
            return Err(Error::new(
                ErrorKind::Server,
                format!("the server's answer is larger than maxResponseBytes ({cap} bytes)"),
            )
            .with_code("response_too_large")
            .with_status_code(status));
        }
        let challenged = proof
            .as_ref()
            .is_some_and(|p| self.dpop.answered(url, p, nonce_answer, status, &body));
        let resp = Response {
            status,
            content_type,
            location,
            retry_after,
            rate_limit_reset,
            body,
        };
        Ok((resp, challenged))
    }

    /// Sends a request to an API endpoint and returns its JSON answer (an
    /// object or array, as the endpoint promises). Any non-2xx answer,
    /// redirects included, is an error, and so is a 2xx answer that is not
    /// JSON (`invalid_response`). Retried by the handle's policy: a 429 for
    /// any method, a 502/503/504 or a connection failure for GET, all
    /// within one deadline (`timeout`, or the flow's).
    pub fn api(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value> {
        self.api_expecting(method, url, bearer, body, Expect::Json)
    }

    /// [`Http::api`] for an endpoint that may answer text
    /// (`/dbconnections/change_password`): text comes back as a JSON
    /// string, as v8; an HTML document is still an `invalid_response`.
    pub fn api_text(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value> {
        self.api_expecting(method, url, bearer, body, Expect::Text)
    }

    fn api_expecting(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Option<&Value>,
        expect: Expect,
    ) -> Result<Value> {
        let body = body.map_or(Body::Empty, Body::Json);
        let deadline = deadline_after(self.config.timeout);
        let idempotent = method == reqwest::Method::GET || method == reqwest::Method::HEAD;
        let mut attempt = 0;
        self.config.retry.run_until(idempotent, deadline, || {
            attempt += 1;
            let resp = self.send_until(method.clone(), url, bearer, body, deadline, attempt)?;
            answer(&resp, expect)
        })
    }
}

/// The one place an API answer becomes a result: redirects and error
/// statuses are errors, and a 2xx answer must have the shape `expect`s.
/// A 2xx body is never copied into the error (a token answer holds
/// secrets).
pub(crate) fn answer(resp: &Response, expect: Expect) -> Result<Value> {
    if resp.is_redirect() {
        return Err(Error::new(
            ErrorKind::Server,
            format!(
                "the server answered with a redirect ({}), which is not followed for this endpoint",
                resp.status
            ),
        )
        .with_code("unexpected_redirect")
        .with_status_code(resp.status));
    }
    if !resp.is_success() {
        return Err(error_from_response(resp));
    }
    let invalid = |what: &str| {
        Error::new(
            ErrorKind::Server,
            format!("the server's answer is not what this endpoint returns: {what}"),
        )
        .with_code("invalid_response")
        .with_status_code(resp.status)
    };
    let html = resp.content_type.starts_with("text/html") && looks_like_html(&resp.body);
    if html {
        return Err(invalid(
            "an HTML page (a captive portal or a proxy's page?) where JSON was expected",
        ));
    }
    if expect == Expect::Text && resp.is_text() {
        return Ok(Value::String(
            String::from_utf8_lossy(&resp.body).into_owned(),
        ));
    }
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        if resp.status == 204 {
            return Ok(Value::Null);
        }
        return Err(invalid("an empty body where JSON was expected"));
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) => Ok(v),
        Ok(v @ Value::String(_)) if expect == Expect::Text => Ok(v),
        Ok(_) => Err(invalid(
            "a JSON value that is neither an object nor an array",
        )),
        Err(_) if resp.is_text() => Err(invalid("text where JSON was expected")),
        Err(_) => Err(invalid("not valid JSON")),
    }
}

/// A token endpoint's 2xx answer must carry an `access_token` (RFC 6749
/// §5.1); anything else (`{}`, an array) is an `invalid_response`, never a
/// login without tokens.
pub(crate) fn require_token_answer(answer: &Value) -> Result<()> {
    match answer.get("access_token") {
        Some(Value::String(t)) if !t.is_empty() => Ok(()),
        _ => Err(Error::new(
            ErrorKind::Server,
            "the token endpoint's answer has no access_token",
        )
        .with_code("invalid_response")),
    }
}

/// An HTML document rather than a sentence sent as `text/html` (v8's
/// change_password answer is such a sentence).
fn looks_like_html(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The error of a request whose deadline has passed.
fn timed_out() -> Error {
    Error::new(ErrorKind::Timeout, "the request timed out")
}

/// Whether reading the body failed on reqwest's deadline.
fn is_timeout(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(c) = cur {
        if c.downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout)
        {
            return true;
        }
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        cur = c.source();
    }
    false
}

fn transport_error(e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_builder() {
        // Nothing was sent: the request itself could not be built.
        Error::invalid_argument(format!(
            "the request could not be built: {}",
            source_chain(&e)
        ))
    } else if e.is_timeout() {
        Error::new(ErrorKind::Timeout, "the request timed out")
    } else if e.is_connect() {
        Error::new(
            ErrorKind::Network,
            format!("could not connect to the server: {}", source_chain(&e)),
        )
    } else {
        Error::new(
            ErrorKind::Network,
            format!("the request failed: {}", source_chain(&e)),
        )
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The code of a 429 that is a rate limit.
pub(crate) const RATE_LIMITED: &str = "rate_limited";

/// auth0.js v8's error normalisation (wire spec §1.5), with Part A's
/// change: the Management API's `message` is kept as the description.
pub(crate) fn error_from_response(resp: &Response) -> Error {
    let mut e = normalised_error(resp);
    if resp.status == 429 && matches!(e.code(), "too_many_requests" | "http_error") {
        // One code for a rate limit, whatever the endpoint calls it (the
        // body stays in `original`). A protocol answer sent as 429, such
        // as the device grant's `slow_down`, keeps its own code.
        e = e.with_code(RATE_LIMITED);
    }
    e.with_rate_limit(resp.retry_after, resp.rate_limit_reset)
}

fn normalised_error(resp: &Response) -> Error {
    let body: Option<Value> = serde_json::from_slice(&resp.body)
        .ok()
        .filter(Value::is_object);
    let reason = reqwest::StatusCode::from_u16(resp.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let Some(body) = body else {
        let mut e = Error::new(
            ErrorKind::Server,
            format!("HTTP {} {reason}", resp.status)
                .trim_end()
                .to_owned(),
        )
        .with_code("http_error")
        .with_status_code(resp.status);
        if !resp.body.is_empty() {
            e = e.with_original(Value::String(
                String::from_utf8_lossy(&resp.body)
                    .chars()
                    .take(2048)
                    .collect(),
            ));
        }
        return e;
    };
    let pick = |keys: &[&str]| -> Option<String> {
        // The first string value wins; an object (PasswordStrengthError's
        // `description`) gives way to a later string such as `message`.
        keys.iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_owned))
    };
    let code = pick(&["error", "code", "error_code", "status"])
        .or_else(|| {
            body.get("status")
                .filter(|v| v.is_number())
                .map(Value::to_string)
        })
        .unwrap_or_else(|| "http_error".to_owned());
    let description = pick(&[
        "errorDescription",
        "error_description",
        "description",
        "message",
        "error",
        "details",
        "err",
    ])
    .unwrap_or_else(|| {
        format!("HTTP {} {reason}", resp.status)
            .trim_end()
            .to_owned()
    });
    let mut body = body;
    if code == crate::error::MFA_REQUIRED {
        if let Some(Some(Value::String(token))) =
            body.as_object_mut().map(|o| o.shift_remove("mfa_token"))
        {
            // The token moves out of the body (`original` is not secret)
            // into the error's typed field.
            return Error::mfa_required(description, crate::secret::MfaToken::new(token))
                .with_status_code(resp.status)
                .with_original(body);
        }
    }
    Error::new(ErrorKind::Server, description)
        .with_code(code)
        .with_status_code(resp.status)
        .with_original(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "application/json".into(),
            location: None,
            retry_after: None,
            rate_limit_reset: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn oauth_errors_keep_code_and_description() {
        let e = error_from_response(&resp(
            403,
            r#"{"error":"invalid_grant","error_description":"Wrong email or password."}"#,
        ));
        assert_eq!(
            (e.code(), e.description(), e.status_code()),
            ("invalid_grant", "Wrong email or password.", Some(403))
        );
        assert_eq!(e.original().unwrap()["error"], "invalid_grant");
    }

    #[test]
    fn mfa_required_keeps_its_token_out_of_original() {
        let e = error_from_response(&resp(
            403,
            r#"{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.secret"}"#,
        ));
        assert_eq!(e.code(), "mfa_required");
        assert_eq!(e.kind(), ErrorKind::Authorization);
        assert_eq!(e.status_code(), Some(403));
        assert_eq!(e.mfa_token().unwrap().secret(), "Fe26.secret");
        assert!(!e.original().unwrap().to_string().contains("Fe26"));
        assert!(!format!("{e:?}").contains("Fe26"));
    }

    #[test]
    fn management_errors_keep_the_message() {
        let e = error_from_response(&resp(
            404,
            r#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#,
        ));
        assert_eq!(e.code(), "Not Found");
        assert_eq!(e.description(), "The user does not exist.");
    }

    #[test]
    fn password_policy_errors_use_the_message_over_the_rules_object() {
        let e = error_from_response(&resp(
            400,
            r#"{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":{"rules":[],"verified":false},"statusCode":400}"#,
        ));
        assert_eq!(
            (e.code(), e.description()),
            ("invalid_password", "Password is too weak")
        );
    }

    #[test]
    fn dbconnection_errors_use_code_and_description() {
        let e = error_from_response(&resp(
            400,
            r#"{"name":"BadRequestError","code":"user_exists","description":"The user already exists.","statusCode":400}"#,
        ));
        assert_eq!(
            (e.code(), e.description()),
            ("user_exists", "The user already exists.")
        );
    }

    #[test]
    fn non_json_errors_get_the_status_line() {
        let mut r = resp(502, "Bad gateway");
        r.content_type = "text/plain".into();
        let e = error_from_response(&r);
        assert_eq!(
            (e.code(), e.description(), e.status_code()),
            ("http_error", "HTTP 502 Bad Gateway", Some(502))
        );
    }

    fn typed(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            content_type: content_type.into(),
            ..resp(status, body)
        }
    }

    #[test]
    fn a_2xx_answer_must_be_json_where_json_is_promised() {
        let portal = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>";
        for r in [
            typed(200, "text/html; charset=utf-8", portal),
            typed(200, "application/json", ""),
            typed(200, "", "  "),
            typed(200, "text/plain", "OK"),
            typed(200, "application/json", "\"a string\""),
            typed(200, "application/json", "{not json"),
        ] {
            let e = answer(&r, Expect::Json).unwrap_err();
            assert_eq!(
                (e.kind(), e.code(), e.status_code()),
                (ErrorKind::Server, "invalid_response", Some(200)),
                "{:?}",
                String::from_utf8_lossy(&r.body)
            );
            assert!(e.original().is_none(), "a 2xx body is never copied");
        }
        assert_eq!(
            answer(&typed(200, "application/json", "{}"), Expect::Json).unwrap(),
            serde_json::json!({})
        );
        assert_eq!(
            answer(&typed(204, "", ""), Expect::Json).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn a_text_endpoint_takes_a_sentence_but_not_a_page() {
        let ok = typed(200, "text/html", "We've just sent you an email.");
        assert_eq!(
            answer(&ok, Expect::Text).unwrap(),
            "We've just sent you an email."
        );
        let page = typed(200, "text/html", "\n<html><body>portal</body></html>");
        assert_eq!(
            answer(&page, Expect::Text).unwrap_err().code(),
            "invalid_response"
        );
    }

    #[test]
    fn a_token_answer_needs_an_access_token() {
        for v in [
            serde_json::json!({}),
            serde_json::json!({"access_token": ""}),
            serde_json::json!({"access_token": 5}),
            serde_json::json!([]),
        ] {
            assert_eq!(
                require_token_answer(&v).unwrap_err().code(),
                "invalid_response"
            );
        }
        assert!(require_token_answer(&serde_json::json!({"access_token": "a"})).is_ok());
    }

    #[test]
    fn a_429_is_rate_limited_whatever_the_endpoint_calls_it() {
        let mut r = resp(
            429,
            r#"{"error":"too_many_requests","error_description":"Slow down"}"#,
        );
        r.retry_after = Some(86_400);
        let e = error_from_response(&r);
        assert_eq!(
            (e.code(), e.description(), e.retry_after()),
            ("rate_limited", "Slow down", Some(86_400))
        );
        assert_eq!(e.original().unwrap()["error"], "too_many_requests");
        let e = error_from_response(&resp(429, r#"{"error":"slow_down"}"#));
        assert_eq!(e.code(), "slow_down", "a protocol answer keeps its code");
    }

    #[test]
    fn a_flow_deadline_bounds_the_requests_inside_it() {
        let soon = Instant::now() + Duration::from_millis(50);
        let inside = within_deadline(soon, || deadline_after(Duration::from_secs(30)));
        assert_eq!(inside, soon);
        let nested = within_deadline(soon, || {
            within_deadline(soon + Duration::from_secs(9), || {
                deadline_after(Duration::from_secs(30))
            })
        });
        assert_eq!(nested, soon, "the earlier bound wins");
        assert!(deadline_after(Duration::from_secs(30)) > soon, "restored");
    }

    #[test]
    fn transport_options_are_checked_at_construction() {
        let o = serde_json::json!({"timeout": 0});
        assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
            .err()
            .unwrap()
            .description()
            .starts_with("timeout option is not valid"));
        let o = serde_json::json!({"caFile": "/nonexistent/ca.pem"});
        assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
            .err()
            .unwrap()
            .description()
            .starts_with("caFile option is not valid"));
        let o = serde_json::json!({"caPem": "not a pem"});
        assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
            .err()
            .unwrap()
            .description()
            .starts_with("caPem option is not valid"));
        let o = serde_json::json!({"maxResponseBytes": 10});
        assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
            .err()
            .unwrap()
            .description()
            .starts_with("maxResponseBytes option is not valid"));
    }
}
