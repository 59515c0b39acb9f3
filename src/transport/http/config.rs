//! A handle's transport options (`connectTimeout`, `timeout`, `caFile`,
//! `caPem`, `proxy`, `maxResponseBytes`, `retry`), read and checked once at
//! construction.

use crate::error::{Error, Result};
use crate::options::{optional_f64, optional_str, Options};
use crate::transport::retry::RetryPolicy;
use std::time::Duration;

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
    pub(super) connect_timeout: Duration,
    pub(super) timeout: Duration,
    pub(super) retry: RetryPolicy,
    pub(super) ca: Vec<reqwest::Certificate>,
    pub(super) proxy: Option<reqwest::Proxy>,
    pub(super) max_response_bytes: usize,
    pub(super) telemetry: Option<String>,
}

fn millis(o: &Options, key: &str, default: Duration) -> Result<Duration> {
    let message = format!("{key} option is not valid (milliseconds, 1 to 3600000)");
    Ok(crate::options::millis_option(o, key, 1.0..=3_600_000.0, &message)?.unwrap_or(default))
}

impl TransportConfig {
    /// Reads and checks the transport options; a CA file that cannot be read
    /// or parsed is reported here, at construction, not at the first call.
    // The float is range-checked (a whole number within bounds) before the cast.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
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
