//! `authorize` and `client.buildAuthorizeUrl`: the `/authorize` URL, and
//! the transaction recorded for it (taken back by `parseHash`).

use super::base_keys;
use super::{
    as_object, has_word, logging, merge, ops, optional_bool, optional_str, query, random,
    require_str, strip_undefined, to_snake_case, typed_str, Client, Error, IntoOptions, Options,
    Result, Serialize, Transaction, Value, WebAuth,
};

/// Parameters `/authorize` knows (wire spec §2.6). Others are still sent, as
/// v8 sends them; the list documents what Auth0 reads.
pub const AUTHORIZE_WHITELIST: &[&str] = &[
    "connection",
    "connection_scope",
    "auth0Client",
    "owp",
    "device",
    "realm",
    "protocol",
    "_csrf",
    "_intstate",
    "login_ticket",
    "client_id",
    "response_type",
    "response_mode",
    "redirect_uri",
    "audience",
    "scope",
    "state",
    "nonce",
    "display",
    "prompt",
    "max_age",
    "ui_locales",
    "claims_locales",
    "id_token_hint",
    "login_hint",
    "acr_values",
    "claims",
    "registration",
    "request",
    "request_uri",
    "code_challenge",
    "code_challenge_method",
    "organization",
    "invitation",
];

/// Options of this port that steer the library and never reach the wire.
const NATIVE_ONLY_OPTIONS: &[&str] = &["pkce", "par"];

/// The answer of [`WebAuth::authorize`]: the URL to open, and the state
/// (and nonce) recorded for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuthorizeUrl {
    /// The `/authorize` URL to open in a browser.
    pub url: String,
    /// The `state` recorded for it.
    pub state: String,
    /// The nonce recorded for it, when the flow uses one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

impl WebAuth {
    /// `webAuth.authorize(options)` in redirect mode: records a transaction
    /// (state, the response type and redirect URI asked for, nonce when the
    /// response type has `id_token` or is a code flow whose scope has
    /// `openid`, appState, and a PKCE S256 verifier for every code flow
    /// unless `pkce: false`, and the `organization` asked for) and returns
    /// the `/authorize` URL for the app to open. The URL it is later sent
    /// back to goes to `parseHash`, which checks the `id_token`'s `org_id` /
    /// `org_name` against that organization. `organization` (an `org_…` id
    /// or a name) may also be a handle option; `invitation` comes with it
    /// from an invitation link ([`Client::parse_invitation_url`]).
    ///
    /// With `par: true` (this call's, else the handle's) the parameters are
    /// pushed to `/oauth/par` first and the URL carries only `client_id` and
    /// `request_uri`; the push's errors keep the server's code, and it is
    /// never retried.
    ///
    /// ```
    /// use auth0_native::{AuthorizeOptions, WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain: "me.auth0.com".into(),
    ///     client_id: "abc".into(),
    ///     redirect_uri: Some("com.example.app://callback".into()),
    ///     response_type: Some("code".into()),
    ///     ..Default::default()
    /// })?;
    /// let request = web.authorize(&AuthorizeOptions {
    ///     scope: Some("openid profile offline_access".into()),
    ///     ..Default::default()
    /// })?;
    /// // Open request.url in the system browser; its answer goes to parse_hash,
    /// // which finds this transaction by its state and sends the PKCE verifier.
    /// assert!(request.url.starts_with("https://me.auth0.com/authorize?client_id=abc"));
    /// assert!(request.url.contains("&code_challenge_method=S256"));
    /// assert!(request.url.contains(&format!("state={}", request.state)));
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// Options: [`AuthorizeOptions`](crate::AuthorizeOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the transaction
    /// cannot be recorded; with `par`,
    /// [`ErrorKind::Network`](crate::ErrorKind::Network) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when the tenant cannot
    /// be reached in time; [`ErrorKind::Server`](crate::ErrorKind::Server) with
    /// the server's `code`, status and body (`original`) for an error answer.
    pub fn authorize(&self, options: &impl IntoOptions<ops::Authorize>) -> Result<AuthorizeUrl> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let mut params = merge(&self.base, base_keys::AUTHORIZE, o);
        strip_undefined(&mut params);
        require_str(&params, "responseType", "responseType option is required")?;
        let pending = self.process_for(&mut params, o, Flow::Interactive)?;
        let url = self.authorize_url_for(&params, o)?;
        pending
            .record(self)
            .map(|(state, nonce)| AuthorizeUrl { url, state, nonce })
    }

    /// [`WebAuth::process_for`] for the headless flows, which keep v8's
    /// wire (PKCE and a code-flow nonce only when asked for).
    pub(crate) fn process(
        &self,
        params: &mut Options,
        options: &Options,
    ) -> Result<PendingTransaction> {
        self.process_for(params, options, Flow::Headless)
    }

    /// v8's `TransactionManager.process`: sets `state` (and `nonce`, and
    /// the PKCE challenge) in `params`, and returns the transaction to
    /// record once the request has been built. `options` are the caller's,
    /// for `pkce`. For [`Flow::Interactive`] (a browser is involved, so the
    /// callback may come from anyone who learnt the state) a code flow gets
    /// PKCE unless `pkce: false`, and a nonce when its scope has `openid`.
    pub(crate) fn process_for(
        &self,
        params: &mut Options,
        options: &Options,
        flow: Flow,
    ) -> Result<PendingTransaction> {
        let pkce = match optional_bool(options, "pkce", "pkce option is not valid")? {
            Some(p) => Some(p),
            None => self.base.get("pkce").and_then(Value::as_bool),
        };
        for k in NATIVE_ONLY_OPTIONS {
            params.shift_remove(*k);
        }
        let response_type =
            require_str(params, "responseType", "responseType is required")?.to_owned();
        let redirect_uri = optional_str(params, "redirectUri", "redirectUri option is required")?
            .map(str::to_owned);
        let max_age = max_age_option(params)?;
        let organization = typed_str(params, "organization", "organization option is not valid")?
            .map(str::to_owned);
        let state = match typed_str(params, "state", "state option is not valid")? {
            Some(s) => s.to_owned(),
            None => random::token()?,
        };
        let wants_code = has_word(&response_type, "code");
        let scope_has_openid = params
            .get("scope")
            .and_then(Value::as_str)
            .is_some_and(|s| has_word(s, "openid"));
        let wants_nonce = has_word(&response_type, "id_token")
            || (flow == Flow::Interactive && wants_code && scope_has_openid);
        let nonce = match typed_str(params, "nonce", "nonce option is not valid")? {
            Some(n) => Some(n.to_owned()),
            None if wants_nonce => Some(random::token()?),
            None => None,
        };
        params.insert("state".into(), Value::String(state.clone()));
        if let (true, Some(n)) = (wants_nonce, &nonce) {
            params.insert("nonce".into(), Value::String(n.clone()));
        }
        let pkce = pkce.unwrap_or(flow == Flow::Interactive);
        let mut code_verifier = None;
        if pkce && wants_code {
            let (verifier, challenge) = random::pkce_pair()?;
            params.insert("codeChallenge".into(), Value::String(challenge));
            params.insert("codeChallengeMethod".into(), Value::String("S256".into()));
            code_verifier = Some(verifier);
        }
        Ok(PendingTransaction(Transaction {
            state,
            nonce,
            app_state: params.get("appState").cloned(),
            code_verifier,
            redirect_uri,
            response_type: Some(response_type),
            max_age,
            organization,
            expires_at: self.transactions.expires_at(),
        }))
    }

    /// Takes the transaction recorded for `state` out of the store (single
    /// use); `None` when unknown or expired.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read.
    pub fn take_transaction(&self, state: &str) -> Result<Option<Transaction>> {
        let tx = self.transactions.store.take(state);
        let found = match &tx {
            Ok(Some(_)) => "consumed",
            Ok(None) => "not found (unknown, expired or used already)",
            Err(_) => "the store could not be read",
        };
        log::debug!(target: logging::TRANSACTION, "transaction for state {}: {found}", logging::prefix(state));
        tx
    }

    /// Puts back a transaction `parseHash` took, when its callback failed
    /// before the server could act on it (so the same callback may be
    /// retried).
    pub(crate) fn restore_transaction(&self, tx: Transaction) -> Result<()> {
        log::debug!(target: logging::TRANSACTION, "transaction for state {} put back (the callback failed before the server acted)", logging::prefix(&tx.state));
        self.transactions.store.put(tx)
    }

    pub(crate) fn build_authorize_url(&self, options: &Options) -> Result<String> {
        let mut params = merge(&self.base, base_keys::AUTHORIZE_URL, options);
        strip_undefined(&mut params);
        for k in NATIVE_ONLY_OPTIONS {
            params.shift_remove(*k);
        }
        typed_str(&params, "clientID", "clientID option is not valid")?;
        require_str(&params, "clientID", "clientID option is required")?;
        typed_str(&params, "state", "state option is not valid")?;
        typed_str(&params, "nonce", "nonce option is not valid")?;
        typed_str(&params, "organization", "organization option is not valid")?;
        typed_str(&params, "invitation", "invitation option is not valid")?;
        max_age_option(&params)?;
        let response_type =
            require_str(&params, "responseType", "responseType option is required")?;
        if has_word(response_type, "id_token") && !has_word(response_type, "code") {
            require_str(&params, "nonce", "nonce option is required")?;
        }
        optional_str(&params, "redirectUri", "redirectUri option is required")?;
        optional_str(&params, "scope", "scope option is required")?;
        optional_str(&params, "audience", "audience option is required")?;
        if let Some(t) = &self.telemetry {
            params.insert("auth0Client".into(), Value::String(t.clone()));
        }
        for key in ["connection_scope", "connectionScope"] {
            if let Some(Value::Array(items)) = params.get(key) {
                let joined: Vec<String> = items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect();
                params.insert(key.into(), Value::String(joined.join(",")));
            }
        }
        let params = to_snake_case(&params, &["auth0Client"]);
        Ok(format!(
            "{}?{}",
            self.domain.url("/authorize"),
            query::stringify(&params)
        ))
    }
}

/// A transaction `process` prepared, recorded once its request is built so
/// that a request that fails validation leaves nothing behind.
pub(crate) struct PendingTransaction(Transaction);

impl PendingTransaction {
    /// Stores the transaction; returns its state and nonce.
    pub fn record(self, web: &WebAuth) -> Result<(String, Option<String>)> {
        let (state, nonce) = (self.0.state.clone(), self.0.nonce.clone());
        web.transactions.store.put(self.0)?;
        log::debug!(target: logging::TRANSACTION, "transaction recorded for state {}", logging::prefix(&state));
        Ok((state, nonce))
    }
}

impl Client<'_> {
    /// `client.buildAuthorizeUrl(options)`: the `/authorize` URL auth0.js v8
    /// builds for the same options — no state or nonce is generated or
    /// stored (pass your own `state`). Local, no network: `par` (pushed
    /// requests) is for `authorize` and `popup.authorize` only.
    ///
    /// Options: [`AuthorizeOptions`](crate::AuthorizeOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent), and when
    /// `par` is asked for.
    pub fn build_authorize_url(
        &self,
        options: &impl IntoOptions<ops::BuildAuthorizeUrl>,
    ) -> Result<String> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        crate::flows::par::refuse_par(o)?;
        self.web.build_authorize_url(o)
    }
}

/// Which kind of flow [`WebAuth::process_for`] prepares a transaction for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// `authorize` and `popup.authorize`: a browser carries the answer.
    Interactive,
    /// The headless flows, which walk to the callback themselves.
    Headless,
}

/// `maxAge` (or `max_age`): whole seconds, as a number or a string of
/// digits; anything else names the option.
fn max_age_option(o: &Options) -> Result<Option<u64>> {
    for key in ["maxAge", "max_age"] {
        let message = format!("{key} option is not valid");
        match o.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) => {
                return n
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| Error::invalid_argument(message))
            }
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                return s
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::invalid_argument(message))
            }
            Some(_) => return Err(Error::invalid_argument(message)),
        }
    }
    Ok(None)
}
