//! The device authorization flow (RFC 8628) for TVs, consoles and kiosks:
//! `device.start` (`POST /oauth/device/code`, with a QR code of the
//! activation URL), `device.poll` (the `device_code` grant at `/oauth/token`,
//! bounded and cancellable) and the one-call `device.login`.

use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::interactive::cancel::cancelled;
use crate::interactive::cancel::CancelToken;
use crate::logging::{self, DEVICE};
use crate::ops::{self, IntoOptions};
use crate::options::timeout_option;
use crate::options::{as_object, merge, require_str};
use crate::tokens::results::DeviceCode;
use crate::webauth::{strip_undefined, WebAuth};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

pub use crate::flows::grant_types::DEVICE_CODE_GRANT;
/// RFC 8628 §3.2: the interval when the server gives none.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// RFC 8628 §3.5: `slow_down` adds five seconds to the interval.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The shortest interval honoured, whatever the caller says.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// A QR code of `text`: Unicode half blocks for terminals (light modules
/// drawn, so it scans on dark backgrounds; print it on a dark background
/// or invert it), and an SVG document for UIs.
#[cfg(feature = "qr")]
pub(crate) fn qr_code(text: &str) -> Result<Value> {
    use qrcode::render::{svg, unicode};
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| Error::internal(format!("the QR code could not be made: {e}")))?;
    let terminal = code
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(json!({"text": terminal, "svg": svg}))
}

fn seconds(v: Option<&Value>) -> Option<f64> {
    v.and_then(|v| {
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    })
}

impl WebAuth {
    /// `device.start(options)`: `POST /oauth/device/code` with the
    /// handle's `clientID` and the `scope` and `audience` of `options` (or
    /// the handle). Answers the server's codes — `device_code`,
    /// `user_code`, `verification_uri`, `verification_uri_complete`,
    /// `expires_in`, `interval` — with a QR code of
    /// `verification_uri_complete` (of `verification_uri` when the server
    /// sent no complete one; the `qr` feature). Show `user_code` and the QR
    /// code to the user; hand [`DeviceCode::poll_options`] to
    /// [`WebAuth::device_poll`]. Keep `device_code` to yourself: it is the
    /// device's credential until the login ends (`Debug` redacts it).
    ///
    /// Options: [`DeviceStartOptions`](crate::DeviceStartOptions), or the same object as JSON.
    ///
    /// ```no_run
    /// use auth0_native::{CancelToken, DeviceStartOptions, WebAuth, WebAuthOptions};
    /// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
    /// let code = web.device_start(&DeviceStartOptions::default())?;
    /// println!("Go to {} and enter {}", code.verification_uri, code.user_code);
    /// let result = web.device_poll(&code.poll_options(), &CancelToken::new())?;
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error
    /// answer, or code `invalid_response` for a success answer without the
    /// codes.
    pub fn device_start(&self, options: &impl IntoOptions<ops::DeviceStart>) -> Result<DeviceCode> {
        DeviceCode::try_from(&self.device_start_json(&options.to_options())?)
    }

    /// [`WebAuth::device_start`]'s answer as the JSON face gives it: the
    /// server's object plus `qr: {text, svg}`.
    pub(crate) fn device_start_json(&self, options: &Value) -> Result<Value> {
        let o = as_object(options, "options parameter is not valid")?;
        let mut params = merge(self.base_options(), &["clientID", "scope", "audience"], o);
        strip_undefined(&mut params);
        let mut body = Map::new();
        body.insert("client_id".into(), json!(self.client_id()));
        for (key, wire) in [("scope", "scope"), ("audience", "audience")] {
            if let Some(v) = params.get(key) {
                let s = v
                    .as_str()
                    .ok_or_else(|| Error::invalid_argument(format!("{key} option is not valid")))?;
                body.insert(wire.into(), json!(s));
            }
        }
        let mut answer = self.http().api(
            Method::POST,
            &self.domain().url("/oauth/device/code"),
            None,
            Some(&Value::Object(body)),
        )?;
        let invalid = |what: &str| {
            Error::new(
                ErrorKind::Server,
                format!("the device code answer has no valid {what}"),
            )
            .with_code("invalid_response")
        };
        let obj = answer.as_object_mut().ok_or_else(|| invalid("body"))?;
        for key in ["device_code", "user_code", "verification_uri"] {
            if !obj.get(key).is_some_and(Value::is_string) {
                return Err(invalid(key));
            }
        }
        #[cfg(feature = "qr")]
        {
            let target = obj
                .get("verification_uri_complete")
                .and_then(Value::as_str)
                .or_else(|| obj.get("verification_uri").and_then(Value::as_str))
                .unwrap_or_default()
                .to_owned();
            obj.insert("qr".into(), qr_code(&target)?);
        }
        Ok(answer)
    }

    /// `device.poll(options)`: polls `/oauth/token` with the `device_code`
    /// grant until the user has approved or refused, or the code expired.
    ///
    /// `options` are the [`DeviceCode::poll_options`] of what
    /// [`WebAuth::device_start`] answered (as JSON: at least `device_code`;
    /// `interval` and `expires_in` in seconds are honoured when present),
    /// plus an optional `timeout` bounding the whole wait. Polls every `interval` seconds (default 5, at least 1),
    /// five more after each `slow_down`, and on `authorization_pending`
    /// keeps going; it sleeps between polls (never a busy loop) and wakes
    /// at once when `cancel` fires. Nothing is retried: an answer that
    /// issued tokens is never asked for twice.
    ///
    /// Returns the authResult (the `id_token` verified when `openid` was in
    /// the scope). Errors: [`ErrorKind::Authorization`] with code
    /// `access_denied` (the user refused) or `expired_token` (the code
    /// expired, as the server said or as `expires_in` says);
    /// [`ErrorKind::Timeout`] (`timeout`); [`ErrorKind::Cancelled`]
    /// (`cancelled`); otherwise the token endpoint's error.
    ///
    /// Options: [`DevicePollOptions`](crate::DevicePollOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with the
    /// server's code (`expired_token`, `access_denied`) when the device is
    /// refused; [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the code
    /// expires; [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) when the
    /// cancel token fires; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Server`](crate::ErrorKind::Server) as for any call;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn device_poll(
        &self,
        options: &impl IntoOptions<ops::DevicePoll>,
        cancel: &CancelToken,
    ) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let device_code = require_str(o, "device_code", "device_code option is required")?;
        let interval_message = "interval option is not valid (seconds)";
        let timeout = match o.get("timeout") {
            Some(v) if !v.is_null() => Some(timeout_option(o, Duration::ZERO)?),
            _ => None,
        };
        let mut interval = match seconds(o.get("interval")) {
            Some(s) if s.is_finite() && s >= 0.0 => Duration::from_secs_f64(s.min(3600.0)),
            Some(_) => return Err(Error::invalid_argument(interval_message)),
            None if o.get("interval").is_some_and(|v| !v.is_null()) => {
                return Err(Error::invalid_argument(interval_message))
            }
            None => DEFAULT_INTERVAL,
        }
        .max(MIN_INTERVAL);
        let start = Instant::now();
        let expires_at = seconds(o.get("expires_in"))
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| start + Duration::from_secs_f64(s.min(86_400.0)));
        let timeout_at = timeout.map(|t| start + t);
        let body = json!({
            "grant_type": DEVICE_CODE_GRANT,
            "client_id": self.client_id(),
            "device_code": device_code,
        });
        loop {
            let now = Instant::now();
            let wake = [Some(now + interval), expires_at, timeout_at]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(now);
            if cancel.wait_timeout(wake.saturating_duration_since(now)) {
                return Err(cancelled());
            }
            let now = Instant::now();
            if timeout_at.is_some_and(|t| now >= t) {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    "the device was not activated within the timeout",
                ));
            }
            if expires_at.is_some_and(|t| now >= t) {
                return Err(Error::new(
                    ErrorKind::Authorization,
                    "The device code expired before the user activated it.",
                )
                .with_code("expired_token"));
            }
            // The poll's own bound caps the request in flight too.
            let poll = || self.token_request(&body, None, None);
            let answer = match timeout_at {
                Some(t) => crate::transport::http::within_deadline(t, poll).map_err(|e| {
                    if e.kind() == ErrorKind::Timeout {
                        Error::new(
                            ErrorKind::Timeout,
                            "the device was not activated within the timeout",
                        )
                    } else {
                        e
                    }
                }),
                None => poll(),
            };
            match answer {
                Ok(result) => {
                    log::info!(target: DEVICE, "the device was activated");
                    return Ok(result);
                }
                Err(e) if e.code() == "authorization_pending" => {
                    log::debug!(target: DEVICE, "authorization pending; next poll in {} s", interval.as_secs());
                }
                Err(e) if e.code() == "slow_down" => {
                    interval += SLOW_DOWN_STEP;
                    log::info!(target: DEVICE, "the server asked to slow down; polling every {} s", interval.as_secs());
                }
                Err(e) if e.code() == "access_denied" || e.code() == "expired_token" => {
                    log::info!(target: DEVICE, "polling ended: {}", logging::error(&e));
                    return Err(as_authorization(&e));
                }
                Err(e) => {
                    log::info!(target: DEVICE, "polling ended: {}", logging::error(&e));
                    return Err(e);
                }
            }
            if cancel.is_cancelled() {
                return Err(cancelled());
            }
        }
    }

    /// `device.login(options, onCode)`: [`device_start`] with `options`,
    /// then `on_code` with its answer (show the `user_code`, the
    /// `verification_uri` and the QR code), then [`device_poll`] with
    /// `options`' `timeout`. Returns the authResult.
    ///
    /// [`device_start`]: WebAuth::device_start
    /// [`device_poll`]: WebAuth::device_poll
    ///
    /// Options: [`DeviceStartOptions`](crate::DeviceStartOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// As [`WebAuth::device_start`] and [`WebAuth::device_poll`].
    pub fn device_login(
        &self,
        options: &impl IntoOptions<ops::DeviceLogin>,
        cancel: &CancelToken,
        on_code: impl FnOnce(&DeviceCode),
    ) -> Result<AuthResult> {
        self.device_login_json(&options.to_options(), cancel, |started| {
            on_code(&DeviceCode::try_from(started)?);
            Ok(())
        })
    }

    /// [`WebAuth::device_login`] handing `on_code` the JSON face's start
    /// answer; an error of `on_code` ends the login before any poll.
    pub(crate) fn device_login_json(
        &self,
        options: &Value,
        cancel: &CancelToken,
        on_code: impl FnOnce(&Value) -> Result<()>,
    ) -> Result<AuthResult> {
        let o = as_object(options, "options parameter is not valid")?;
        let timeout = o.get("timeout").cloned();
        let mut start_options = o.clone();
        start_options.shift_remove("timeout");
        if cancel.is_cancelled() {
            return Err(cancelled());
        }
        let mut started = self.device_start_json(&Value::Object(start_options))?;
        on_code(&started)?;
        if let (Some(t), Some(obj)) = (timeout, started.as_object_mut()) {
            obj.insert("timeout".into(), t);
        }
        self.device_poll(&started, cancel)
    }
}

/// The device grant's final refusals are authorization errors, as an
/// `error=` callback is.
fn as_authorization(e: &Error) -> Error {
    let mut out = Error::new(ErrorKind::Authorization, e.description()).with_code(e.code());
    if let Some(s) = e.status_code() {
        out = out.with_status_code(s);
    }
    if let Some(o) = e.original() {
        out = out.with_original(o.clone());
    }
    out
}

#[cfg(all(test, feature = "qr"))]
mod tests {
    use super::*;

    #[test]
    fn qr_codes_come_as_half_blocks_and_svg() {
        let qr = qr_code("http://127.0.0.1:3850/activate?user_code=BCDF-GHJK").unwrap();
        let text = qr["text"].as_str().unwrap();
        assert!(text.contains('▀') || text.contains('▄'));
        assert!(text.lines().count() > 10);
        let svg = qr["svg"].as_str().unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
