//! Pushed authorization requests (RFC 9126) for `authorize` and
//! `popup.authorize` with `par: true` (per call, or as a handle option).
//!
//! The parameters the `/authorize` URL would carry — `client_id` and the
//! telemetry included, exactly the same set — are POSTed as a form to
//! `/oauth/par`, and the URL opened carries only `client_id` and the
//! `request_uri` answered. Nothing else changes: the transaction (state,
//! nonce, PKCE verifier) is recorded as without PAR, once the push
//! succeeded, and the callback goes through `parseHash` as usual. The push
//! is sent once, never retried (the server may have stored it), and its
//! errors keep the server's code; a 2xx answer without a `request_uri`
//! string and a positive `expires_in` is an `invalid_response`.
//! `buildAuthorizeUrl` stays local and refuses `par`.

use crate::error::{Error, ErrorKind, Result};
use crate::options::{optional_bool, Options};
use crate::transport::http::{answer, Body, Expect};
use crate::transport::query::encode_component;
use crate::webauth::WebAuth;
use serde_json::Value;

/// Whether the call (else the handle) asks for PAR.
fn wanted(call: &Options, base: &Options) -> Result<bool> {
    let message = "par option is not valid";
    Ok(match optional_bool(call, "par", message)? {
        Some(p) => p,
        None => optional_bool(base, "par", message)?.unwrap_or(false),
    })
}

/// `buildAuthorizeUrl` builds URLs without the network: `par: true` there
/// would be silently dropped, so it is an error.
pub(crate) fn refuse_par(call: &Options) -> Result<()> {
    if optional_bool(call, "par", "par option is not valid")? == Some(true) {
        return Err(Error::invalid_argument(
            "par option is not valid for buildAuthorizeUrl (a pushed request needs the network: use authorize)",
        ));
    }
    Ok(())
}

impl WebAuth {
    /// The URL `authorize` / `popup.authorize` open for `params`: the
    /// `/authorize` URL, or with PAR (`options` or the handle's `par`) the
    /// short URL naming the pushed request.
    pub(crate) fn authorize_url_for(&self, params: &Options, options: &Options) -> Result<String> {
        let url = self.build_authorize_url(params)?;
        if !wanted(options, self.base_options())? {
            return Ok(url);
        }
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        // The client the push authenticates (a call may name another).
        let client_id = fields
            .iter()
            .find(|(k, _)| k == "client_id")
            .map_or(self.client_id(), |(_, v)| v.as_str());
        let resp = self.http().send(
            reqwest::Method::POST,
            &self.domain().url("/oauth/par"),
            None,
            Body::Form(&fields),
            None,
        )?;
        let pushed = answer(&resp, Expect::Json)?;
        let invalid = |what: &str| {
            Error::new(
                ErrorKind::Server,
                format!("the pushed authorization request's answer has no valid {what}"),
            )
            .with_code("invalid_response")
            .with_status_code(resp.status)
        };
        let request_uri = pushed
            .get("request_uri")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| invalid("request_uri"))?;
        if !pushed
            .get("expires_in")
            .and_then(Value::as_f64)
            .is_some_and(|e| e > 0.0)
        {
            return Err(invalid("expires_in"));
        }
        Ok(format!(
            "{}?client_id={}&request_uri={}",
            self.domain().url("/authorize"),
            encode_component(client_id),
            encode_component(request_uri)
        ))
    }
}
