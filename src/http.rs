//! The one HTTP client of a handle, and the one place HTTP answers become
//! results or errors.
//!
//! Requests look like auth0.js v8's (JSON bodies, `Content-Type:
//! application/json` on every request, `Auth0-Client` telemetry). Part A's
//! hygiene: redirects are never followed here (a 3xx from an API endpoint is
//! an error; the headless flows walk redirects themselves, within the
//! tenant's origin), nothing is retried automatically, and bodies are read
//! up to a cap. Transport errors never carry the request URL's query or any
//! body, so no secret reaches an error message.

use crate::error::{Error, ErrorKind, Result};
use crate::options::{optional_f64, optional_str, Options};
use serde_json::Value;
use std::io::Read;
use std::sync::OnceLock;
use std::time::Duration;

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default bound on a whole request (connect, send, read the answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on an answer's body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Transport options of a handle (`connectTimeout`, `timeout` in
/// milliseconds; `caFile`, `caPem`, `proxy`, `maxResponseBytes`).
#[derive(Clone)]
pub(crate) struct TransportConfig {
    connect_timeout: Duration,
    timeout: Duration,
    ca: Vec<reqwest::Certificate>,
    proxy: Option<reqwest::Proxy>,
    max_response_bytes: usize,
    telemetry: Option<String>,
}

fn millis(o: &Options, key: &str, default: Duration) -> Result<Duration> {
    let message = format!("{key} option is not valid (milliseconds, 1 to 3600000)");
    match optional_f64(o, key, &message)? {
        None => Ok(default),
        Some(ms) if (1.0..=3_600_000.0).contains(&ms) => Ok(Duration::from_millis(ms as u64)),
        Some(_) => Err(Error::invalid_argument(message)),
    }
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
        Ok(TransportConfig {
            connect_timeout,
            timeout,
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
}

impl Http {
    pub fn new(config: TransportConfig) -> Http {
        Http {
            config,
            jar: Default::default(),
            client: OnceLock::new(),
        }
    }

    /// The bound on one request.
    pub fn timeout(&self) -> Duration {
        self.config.timeout
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
    /// overrides the handle's bound for this request. Transport failures
    /// become `Network` / `Timeout` errors.
    pub fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body<'_>,
        timeout: Option<Duration>,
    ) -> Result<Response> {
        let mut req = self.client()?.request(method, url);
        if let Some(t) = &self.config.telemetry {
            req = req.header("Auth0-Client", t);
        }
        if let Some(token) = bearer {
            let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| {
                    Error::invalid_argument(
                        "the token contains characters that cannot be sent in an HTTP header",
                    )
                })?;
            req = req.header("Authorization", value);
        }
        if let Some(t) = timeout {
            req = req.timeout(t);
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
        let cap = self.config.max_response_bytes;
        let mut body = Vec::new();
        resp.take(cap as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| {
                if e.to_string().contains("timed out") {
                    Error::new(
                        ErrorKind::Timeout,
                        "the server's answer did not arrive in time",
                    )
                } else {
                    Error::new(
                        ErrorKind::Network,
                        format!("the answer could not be read: {e}"),
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
        Ok(Response {
            status,
            content_type,
            location,
            retry_after,
            rate_limit_reset,
            body,
        })
    }

    /// Sends a request to an API endpoint and returns its answer as JSON
    /// (`text/html` and `text/plain` answers as a JSON string, as v8). Any
    /// non-2xx answer, redirects included, is an error.
    pub fn api(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value> {
        let body = body.map_or(Body::Empty, Body::Json);
        let resp = self.send(method, url, bearer, body, None)?;
        if resp.is_redirect() {
            return Err(Error::new(
                ErrorKind::Server,
                format!("the server answered with a redirect ({}), which is not followed for this endpoint", resp.status),
            )
            .with_code("unexpected_redirect")
            .with_status_code(resp.status));
        }
        if !resp.is_success() {
            return Err(error_from_response(&resp));
        }
        if resp.is_text() {
            return Ok(Value::String(
                String::from_utf8_lossy(&resp.body).into_owned(),
            ));
        }
        if resp.body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&resp.body).map_err(|_| {
            Error::new(ErrorKind::Server, "the server's answer is not valid JSON")
                .with_code("invalid_response")
                .with_status_code(resp.status)
        })
    }
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

/// auth0.js v8's error normalisation (wire spec §1.5), with Part A's
/// change: the Management API's `message` is kept as the description.
pub(crate) fn error_from_response(resp: &Response) -> Error {
    let e = normalised_error(resp);
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
