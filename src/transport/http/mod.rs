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

mod answer;
mod config;
mod driver;
#[cfg(test)]
mod tests;

pub(crate) use answer::{answer, error_from_response, require_token_answer, RATE_LIMITED};
pub(crate) use config::TransportConfig;

use crate::error::{Error, ErrorKind, Result};
use crate::transport::retry::RetryPolicy;
use serde_json::Value;
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Does once, now, the process-wide work of the first HTTPS request, which
/// otherwise falls on the first request of the process: seeding aws-lc's
/// random generator (about 150 ms of CPU on the first use in a process, the
/// bulk of a first TLS handshake) and setting up the TLS provider. For a
/// thread that can afford it (the C task pool warms on a worker when it
/// starts).
pub fn warm_up() {
    let _ = aws_lc_rs::rand::fill(&mut [0u8; 1]);
    let _ = reqwest::Client::builder().build();
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
        *self.jar.write().unwrap_or_else(|p| p.into_inner()) = std::sync::Arc::default();
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
        self.current().set_cookies(headers, url);
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

/// The HTTP client of one handle. Its drivers (see `driver`) are built on
/// first use, so creating a handle for URL building alone costs no TLS
/// setup.
pub(crate) struct Http {
    config: TransportConfig,
    jar: std::sync::Arc<SessionJar>,
    drivers: driver::Drivers,
    /// DPoP (off until a key is set): proofs and nonces of every request.
    pub(crate) dpop: crate::dpop::Dpop,
}

impl Http {
    pub fn new(config: TransportConfig) -> Http {
        Http {
            config,
            jar: std::sync::Arc::default(),
            drivers: driver::Drivers::default(),
            dpop: crate::dpop::Dpop::default(),
        }
    }

    /// The bound on one request.
    pub fn timeout(&self) -> Duration {
        self.config.timeout
    }

    /// The handle's retry policy, for the flows that send their own
    /// requests (the headless walks).
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.config.retry
    }

    /// Builds the HTTP client now (loading the trusted roots), which
    /// otherwise happens at the first request; a failure is left for that
    /// request to report.
    pub fn warm_up(&self) {
        let _ = self.drivers.checkout(|| self.build_client());
    }

    /// Forgets every cookie (the tenant's SSO session) of this handle.
    pub fn clear_cookies(&self) {
        self.jar.clear();
    }

    /// A client with the handle's options, for a new driver.
    fn build_client(&self) -> Result<reqwest::Client> {
        let mut b = reqwest::Client::builder()
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
            // Typically a machine without usable root certificates: an
            // environment problem, not a bug, so not Internal.
            Error::new(
                ErrorKind::Network,
                format!("the HTTP client could not be set up: {}", source_chain(&e)),
            )
            .with_code("http_client_setup_failed")
        })
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
    // By value, as `send` and reqwest take a method.
    #[allow(clippy::needless_pass_by_value)]
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
        let result = self.send_proved(&method, url, bearer, body, deadline);
        let ms = started.elapsed().as_millis();
        let (url, target) = (crate::logging::url(url), crate::logging::HTTP);
        match &result {
            Ok(r) => {
                log::debug!(target: target, "{shown} {url} -> {} in {ms} ms (attempt {attempt})", r.status);
            }
            Err(e) => {
                log::debug!(target: target, "{shown} {url} failed in {ms} ms (attempt {attempt}): {}", crate::logging::error(e));
            }
        }
        result
    }

    /// With DPoP on, the one place proofs are added: a request that needs
    /// one gets it, and a `use_dpop_nonce` answer is retried exactly once
    /// with the nonce it carries (the server refused before acting).
    fn send_proved(
        &self,
        method: &reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        deadline: Instant,
    ) -> Result<Response> {
        let proof = || self.dpop.proof(method.as_str(), url, bearer);
        match self.send_once(
            method.clone(),
            url,
            bearer,
            body,
            deadline,
            proof()?.as_ref(),
        )? {
            (_, true) => Ok(self
                .send_once(
                    method.clone(),
                    url,
                    bearer,
                    body,
                    deadline,
                    proof()?.as_ref(),
                )?
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
        proof: Option<&crate::dpop::Proof>,
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
        let driver = self.drivers.checkout(|| self.build_client())?;
        let mut req = driver.client().request(method, url).timeout(left);
        if let Some(t) = &self.config.telemetry {
            req = req.header("Auth0-Client", t);
        }
        let scheme = if proof.is_some() { "DPoP" } else { "Bearer" };
        if let Some(p) = proof {
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
        let cap = self.config.max_response_bytes;
        // Cancelling the thread's current token (a C task's) drops the
        // request where it is, so a task's worker is free at once.
        let token = crate::interactive::cancel::current();
        let (resp, nonce_answer) = driver.run(async {
            let call = exchange(req, cap, deadline);
            match &token {
                Some(t) => crate::interactive::cancel::or_cancelled(t, call).await?,
                None => call.await,
            }
        })?;
        drop(driver);
        let (status, body) = (resp.status, &resp.body);
        if body.len() > cap {
            return Err(Error::new(
                ErrorKind::Server,
                format!("the server's answer is larger than maxResponseBytes ({cap} bytes)"),
            )
            .with_code("response_too_large")
            .with_status_code(status));
        }
        let challenged =
            proof.is_some_and(|p| self.dpop.answered(url, p, nonce_answer, status, body));
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

    // By value, as `api` and reqwest take a method.
    #[allow(clippy::needless_pass_by_value)]
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

/// The error of a request whose deadline has passed.
fn timed_out() -> Error {
    Error::new(ErrorKind::Timeout, "the request timed out")
}

/// Sends `req` and reads its answer, the body up to `cap` bytes and one
/// read more (the caller tells an oversized one).
async fn exchange(
    req: reqwest::RequestBuilder,
    cap: usize,
    deadline: Instant,
) -> Result<(Response, crate::dpop::NonceAnswer)> {
    let resp = req.send().await.map_err(transport_error)?;
    let headers = resp.headers();
    let header = |name: reqwest::header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let head = Response {
        status: resp.status().as_u16(),
        content_type: header(reqwest::header::CONTENT_TYPE).unwrap_or_default(),
        location: header(reqwest::header::LOCATION),
        retry_after: header(reqwest::header::RETRY_AFTER).and_then(|v| v.trim().parse().ok()),
        rate_limit_reset: headers
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok()),
        body: Vec::new(),
    };
    let nonce_answer = crate::dpop::NonceAnswer::of(headers);
    let body = read_capped(resp, cap, deadline).await?;
    Ok((Response { body, ..head }, nonce_answer))
}

/// The body of `resp`, read until it ends or holds more than `cap` bytes
/// (the caller tells which).
async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
    deadline: Instant,
) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    while body.len() <= cap {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) if e.is_timeout() || Instant::now() >= deadline => {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    "the server's answer did not arrive in time",
                ))
            }
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Network,
                    format!("the answer could not be read: {}", source_chain(&e)),
                ))
            }
        }
    }
    Ok(body)
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
