//! `popup.authorize`: the one-call interactive login of native apps
//! (RFC 8252) — a loopback listener, the system browser (or the app's
//! opener), a bounded and cancellable wait, then `parseHash`.

use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::interactive::cancel::CancelToken;
use crate::interactive::loopback::{Bound, Pages};
use crate::interactive::opener::Opener;
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, merge, optional_str, require_str, timeout_option, Options};
use crate::webauth::{base_keys, strip_undefined, Flow, WebAuth};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How long `popup_authorize` waits for the browser by default.
pub const DEFAULT_POPUP_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How an interactive operation reaches the user and how it can be ended
/// early: the [`Opener`] of the login URL and a [`CancelToken`].
///
/// ```
/// use auth0_native::{CancelToken, Interaction};
///
/// let cancel = CancelToken::new();
/// let interaction = Interaction::new()
///     .with_open_url(|url| {
///         println!("Open {url} to log in");
///         Ok(())
///     })
///     .with_cancel(cancel.clone());
/// // web.popup_authorize(&options, &interaction) blocks until the login
/// // ends; `cancel.cancel()` from another thread ends it at once.
/// # drop(interaction);
/// ```
#[derive(Debug, Default)]
pub struct Interaction {
    /// Opens the login URL (default: the system browser).
    pub opener: Opener,
    /// Ends the wait with a cancelled error when cancelled.
    pub cancel: CancelToken,
}

impl Interaction {
    /// The system browser, and a token nobody cancels.
    #[must_use]
    pub fn new() -> Interaction {
        Interaction::default()
    }

    /// Uses `open` instead of the system browser. It is called once, on
    /// the calling thread, after the listener is ready; `Err(reason)` ends
    /// the login with a `browser_open_failed` error.
    #[must_use]
    pub fn with_open_url(
        mut self,
        open: impl Fn(&str) -> std::result::Result<(), String> + Send + Sync + 'static,
    ) -> Interaction {
        self.opener = Opener::Callback(Box::new(open));
        self
    }

    /// Uses `opener` (the system browser, a command, or a callback).
    #[must_use]
    pub fn with_opener(mut self, opener: Opener) -> Interaction {
        self.opener = opener;
        self
    }

    /// Watches `cancel`.
    #[must_use]
    pub fn with_cancel(mut self, cancel: CancelToken) -> Interaction {
        self.cancel = cancel;
        self
    }
}

fn ports_option(o: &Options) -> Result<Vec<u16>> {
    let message = "ports option is not valid (an array of port numbers, 1 to 65535)";
    match o.get("ports") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_u64()
                    .and_then(|p| u16::try_from(p).ok())
                    .filter(|p| *p != 0)
                    .ok_or_else(|| Error::invalid_argument(message))
            })
            .collect(),
        Some(_) => Err(Error::invalid_argument(message)),
    }
}

impl WebAuth {
    /// `webAuth.popup.authorize(options)` for native apps: the interactive
    /// login in one blocking call.
    ///
    /// 1. Binds the loopback listener for `redirectUri` (from `options` or
    ///    the handle; a loopback `http://` URL, default
    ///    `http://127.0.0.1/callback`). Port 0 or none means an ephemeral
    ///    port, or the first free one of `ports` (pre-registered callback
    ///    ports, tried in order).
    /// 2. Records a transaction (state, response type, nonce, PKCE S256
    ///    verifier — on unless `pkce: false`, which is unsafe) and builds
    ///    the `/authorize` URL with the bound port. `responseType` defaults to `code`; implicit `token` /
    ///    `id_token` answers are posted back to the listener by a tiny page.
    ///    With `par: true` (this call's, else the handle's) the parameters
    ///    are pushed to `/oauth/par` (RFC 9126) and the URL carries only
    ///    `client_id` and `request_uri`.
    /// 3. Opens the URL with `interaction.opener`, then waits at most
    ///    `timeout` ms (default 5 minutes) for the callback carrying the
    ///    transaction's state; stray requests are answered and ignored.
    /// 4. Runs `parseHash` on it (state, nonce, `id_token` checks; the code
    ///    exchanged with the verifier) and answers the browser with the
    ///    success page (`successHtml`) or the error page (`errorHtml`).
    ///
    /// Errors: [`ErrorKind::Timeout`] (code `timeout`) when the browser
    /// never comes back, [`ErrorKind::Cancelled`] (code `cancelled`) when
    /// `interaction.cancel` fires, [`ErrorKind::Authorization`] for an
    /// `error=` answer (`access_denied`, ...), `browser_open_failed` when
    /// the opener fails, and `parseHash`'s errors.
    ///
    /// Options: [`AuthorizeOptions`](crate::AuthorizeOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// the loopback listener cannot bind;
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when no callback
    /// arrives in time; [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled)
    /// when the interaction's cancel token fires;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) for an
    /// `error=` callback; [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer;
    /// [`ErrorKind::InvalidToken`](crate::ErrorKind::InvalidToken) when the
    /// answer's `id_token` does not validate;
    /// [`ErrorKind::Authorization`](crate::ErrorKind::Authorization) with code
    /// `mfa_required` and [`Error::mfa_token`](crate::Error::mfa_token) when
    /// the user must pass a second factor.
    pub fn popup_authorize(
        &self,
        options: &impl IntoOptions<ops::PopupAuthorize>,
        interaction: &Interaction,
    ) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let timeout = timeout_option(o, DEFAULT_POPUP_TIMEOUT)?;
        let deadline = Instant::now() + timeout;
        let ports = ports_option(o)?;
        let pages = Pages {
            success_html: optional_str(o, "successHtml", "successHtml option is not valid")?
                .map(str::to_owned),
            error_html: optional_str(o, "errorHtml", "errorHtml option is not valid")?
                .map(str::to_owned),
        };
        let mut o = o.clone();
        for k in [
            "timeout",
            "ports",
            "successHtml",
            "errorHtml",
            "popupOptions",
        ] {
            o.shift_remove(k);
        }
        if interaction.cancel.is_cancelled() {
            return Err(crate::interactive::cancel::cancelled());
        }

        let redirect = match o.get("redirectUri") {
            Some(v) if !v.is_null() => Some(require_str(
                &o,
                "redirectUri",
                "redirectUri option is not valid",
            )?),
            _ => self
                .base_options()
                .get("redirectUri")
                .and_then(Value::as_str),
        };
        let bound = Bound::bind(redirect, &ports)?;
        o.insert("redirectUri".into(), json!(bound.redirect_uri()));
        let mut base = self.base_options().clone();
        if self.response_type_is_default() {
            base.insert("responseType".into(), json!("code"));
        }
        let mut params = merge(&base, base_keys::AUTHORIZE, &o);
        strip_undefined(&mut params);
        require_str(&params, "responseType", "responseType option is required")?;
        let pending = self.process_for(&mut params, &o, Flow::Interactive)?;
        let url = self.authorize_url_for(&params, &o)?;
        let (state, _) = pending.record(self)?;

        let serving = bound.serve(state.clone(), pages);
        let callback = interaction
            .opener
            .open(&url)
            .and_then(|()| serving.wait(deadline, &interaction.cancel));
        drop(serving);
        let callback = match callback {
            Ok(c) => c,
            Err(e) => {
                // The transaction will never be used: do not leave it behind.
                let _ = self.take_transaction(&state);
                return Err(e);
            }
        };
        match self.parse_answer(
            &callback.params,
            &crate::flows::authentication::Expected::default(),
        ) {
            Ok(Some(result)) => {
                callback.respond_success();
                Ok(result)
            }
            Ok(None) => {
                let _ = self.take_transaction(&state);
                callback.respond_error("The answer carried neither a token nor a code.");
                Err(Error::new(
                    ErrorKind::InvalidToken,
                    "the callback carried neither a token nor a code",
                ))
            }
            Err(e) => {
                let _ = self.take_transaction(&state);
                callback.respond_error(e.description());
                Err(e)
            }
        }
    }
}
