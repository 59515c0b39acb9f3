//! `WebAuth`: the handle of the Authentication API side of auth0.js v8.
//!
//! It holds the validated base options of `new auth0.WebAuth(options)`, the
//! tenant's domain, the telemetry value and the transaction store. It is
//! immutable after construction except for the store, which locks
//! internally, so one handle may be shared by any number of threads.

use crate::casing::to_snake_case;
use crate::error::{Error, Result};
use crate::id_token::Verifier;
use crate::logging;
use crate::ops::{self, IntoOptions};
use crate::options::{
    as_object, merge, optional_bool, optional_f64, optional_object, optional_str,
    require_nonempty_str, require_str, Options,
};
use crate::random;
use crate::telemetry::{self, Binding};
use crate::tokens::jwks::Jwks;
use crate::transaction::{Transaction, TransactionConfig};
use crate::transport::domain::Domain;
use crate::transport::http::{Http, TransportConfig};
use crate::transport::query;
use serde::Serialize;
use serde_json::Value;

/// Keys `buildAuthorizeUrl` takes from the base options (wire spec §2).
const AUTHORIZE_URL_BASE_KEYS: &[&str] = &[
    "clientID",
    "responseType",
    "responseMode",
    "redirectUri",
    "scope",
    "audience",
    "organization",
];

/// Keys `authorize` takes from the base options (wire spec §4.1).
pub(crate) const AUTHORIZE_BASE_KEYS: &[&str] = &[
    "clientID",
    "responseType",
    "responseMode",
    "redirectUri",
    "scope",
    "audience",
    "_csrf",
    "state",
    "_intstate",
    "nonce",
    "organization",
];

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

/// The largest `leeway` (Part A: 0..300 seconds).
pub const MAX_LEEWAY_SECS: u32 = 300;

/// The longest `domain` accepted: a DNS name is at most 253 bytes, plus
/// room for a scheme and port of a loopback dev tenant.
pub(crate) const MAX_DOMAIN_LEN: usize = 270;

/// The longest `clientID` accepted (Auth0's are 32 characters).
pub(crate) const MAX_CLIENT_ID_LEN: usize = 128;

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

/// The Auth0 Authentication API client of one tenant and application —
/// `new auth0.WebAuth(options)`.
///
/// ```
/// use auth0_native::{AuthorizeOptions, WebAuth, WebAuthOptions};
///
/// let web = WebAuth::new(&WebAuthOptions {
///     domain: "me.auth0.com".into(),
///     client_id: "abc".into(),
///     redirect_uri: Some("com.example.app://callback".into()),
///     scope: Some("openid profile".into()),
///     ..Default::default()
/// })?;
/// let request = web.authorize(&AuthorizeOptions {
///     connection: Some("twitter".into()),
///     ..Default::default()
/// })?;
/// assert!(request.url.starts_with("https://me.auth0.com/authorize?client_id=abc&response_type=code"));
/// assert!(request.url.contains("&code_challenge_method=S256"));
/// # Ok::<(), auth0_native::Error>(())
/// ```
pub struct WebAuth {
    domain: Domain,
    base: Options,
    telemetry: Option<String>,
    leeway: u32,
    tenant: String,
    token_issuer: String,
    transactions: TransactionConfig,
    http: Http,
    jwks: Jwks,
    /// `responseType` was not given and took the reference's default.
    default_response_type: bool,
    /// The refresh token of the last login, for `renewAuth`'s fallback;
    /// `logout` forgets it.
    held_refresh_token: std::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for WebAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebAuth")
            .field("domain", &self.domain.origin())
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

impl WebAuth {
    /// Validates `options` as auth0.js's constructor does and applies its
    /// defaults (`responseType` is `code` when `redirectUri` is given, else
    /// `token`).
    ///
    /// Options besides auth0.js's: `leeway` (0..300 s), `transaction`
    /// (`{store: "memory"|"file", path, ttl}`; a file path is checked
    /// here), `pkce` (on by default: every code flow of `authorize` and
    /// `popup.authorize` sends an S256 challenge; `false` turns it off,
    /// which is unsafe for a native app — a public client — and only for
    /// a tenant that cannot do PKCE), and the transport: `connectTimeout` and
    /// `timeout` (milliseconds), `caFile` / `caPem` (extra trusted roots),
    /// `proxy`, `maxResponseBytes`. `par: true` makes `authorize` and
    /// `popup.authorize` push their parameters (RFC 9126, see their docs);
    /// `dpop: true` binds tokens to a new key pair (RFC 9449, [`crate::dpop`]),
    /// `dpopKey` to an exported one ([`crate::DpopKey::to_pkcs8`]).
    ///
    /// Options: [`WebAuthOptions`](crate::WebAuthOptions), or the same object as JSON.
    pub fn new(options: &impl IntoOptions<ops::NewWebAuth>) -> Result<WebAuth> {
        WebAuth::with_binding(&options.to_options(), Binding::Rust)
    }

    /// [`WebAuth::new`] for a language binding, which names itself in the
    /// telemetry payload.
    #[doc(hidden)]
    pub fn with_binding(options: &Value, binding: Binding) -> Result<WebAuth> {
        let o = as_object(options, "options parameter is not valid")?;
        let domain_str = require_nonempty_str(o, "domain", "domain option is required")?;
        let client_id = require_nonempty_str(o, "clientID", "clientID option is required")?;
        if domain_str.len() > MAX_DOMAIN_LEN {
            return Err(Error::invalid_argument(format!(
                "domain option is not valid (longer than {MAX_DOMAIN_LEN} bytes)"
            )));
        }
        if client_id.len() > MAX_CLIENT_ID_LEN {
            return Err(Error::invalid_argument(format!(
                "clientID option is not valid (longer than {MAX_CLIENT_ID_LEN} bytes)"
            )));
        }
        optional_str(o, "responseType", "responseType is not valid")?;
        optional_str(o, "responseMode", "responseMode is not valid")?;
        let redirect_uri = optional_str(o, "redirectUri", "redirectUri is not valid")?;
        optional_str(o, "scope", "scope is not valid")?;
        optional_str(o, "audience", "audience is not valid")?;
        optional_str(o, "popupOrigin", "popupOrigin is not valid")?;
        let leeway = optional_f64(o, "leeway", "leeway is not valid")?;
        if o.get("plugins").is_some_and(crate::options::is_truthy) && !o["plugins"].is_array() {
            return Err(Error::invalid_argument("plugins is not valid"));
        }
        optional_bool(
            o,
            "_disableDeprecationWarnings",
            "_disableDeprecationWarnings option is not valid",
        )?;
        let send_telemetry =
            optional_bool(o, "_sendTelemetry", "_sendTelemetry option is not valid")?;
        let telemetry_info =
            optional_object(o, "_telemetryInfo", "_telemetryInfo option is not valid")?;
        optional_f64(
            o,
            "_timesToRetryFailedRequests",
            "_timesToRetryFailedRequests option is not valid",
        )?;
        optional_bool(o, "pkce", "pkce option is not valid")?;
        optional_bool(o, "par", "par option is not valid")?;
        let dpop_key = crate::dpop::key_from_options(o)?;
        let overrides = optional_object(o, "overrides", "overrides option is not valid")?;
        let overrides = match overrides {
            Some(ov) => Some((
                require_str(ov, "__tenant", "__tenant option is required")?.to_owned(),
                require_str(ov, "__token_issuer", "__token_issuer option is required")?.to_owned(),
            )),
            None => None,
        };

        let leeway = match leeway {
            None => 0,
            Some(l) if (0.0..=MAX_LEEWAY_SECS as f64).contains(&l) => l as u32,
            Some(_) => {
                return Err(Error::invalid_argument(
                    "The leeway should be positive and lower than five minutes.",
                ))
            }
        };
        let domain = Domain::parse(domain_str)?;

        let mut base = o.clone();
        // A secret: the key lives in the HTTP client, not in the options.
        base.shift_remove("dpopKey");
        let default_response_type = base
            .get("responseType")
            .is_none_or(|v| !crate::options::is_truthy(v));
        if default_response_type {
            // The reference's default; the wire spec says v8's code never
            // set one, but the reference (our seed) and the issue win.
            let default = if redirect_uri.is_some() {
                "code"
            } else {
                "token"
            };
            base.insert("responseType".into(), Value::String(default.into()));
        }

        let telemetry = if send_telemetry == Some(false) {
            None
        } else {
            let info = match telemetry_info {
                Some(i) => Value::Object(i.clone()),
                None => telemetry::default_info(binding),
            };
            Some(telemetry::encode(&info))
        };
        let (tenant, token_issuer) = match overrides {
            Some((t, i)) => (t, i),
            None => (domain.tenant().to_owned(), domain.issuer()),
        };
        let key = format!(
            "{}|{}",
            domain.origin(),
            base["clientID"].as_str().unwrap_or("")
        );
        let transactions = TransactionConfig::from_options(o, &key)?;
        let http = Http::new(TransportConfig::from_options(o, telemetry.clone())?);
        http.dpop.set_key(dpop_key);
        let jwks = Jwks::new(
            domain.url("/.well-known/jwks.json"),
            crate::tokens::jwks::DEFAULT_TTL,
        );
        Ok(WebAuth {
            domain,
            base,
            telemetry,
            leeway,
            tenant,
            token_issuer,
            transactions,
            http,
            jwks,
            default_response_type,
            held_refresh_token: Default::default(),
        })
    }

    /// The tenant's domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The application's client id.
    pub fn client_id(&self) -> &str {
        self.base["clientID"].as_str().unwrap_or_default()
    }

    /// The effective base options (after defaults).
    pub fn base_options(&self) -> &Options {
        &self.base
    }

    /// Clock-skew allowance for token checks, in seconds.
    pub fn leeway(&self) -> u32 {
        self.leeway
    }

    /// v8's `tenant` (the first label of the domain, or `overrides.__tenant`).
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The issuer id_tokens must carry (`origin + "/"`, or
    /// `overrides.__token_issuer`).
    pub fn token_issuer(&self) -> &str {
        &self.token_issuer
    }

    /// The encoded `Auth0-Client` value, unless `_sendTelemetry` is false.
    pub fn telemetry(&self) -> Option<&str> {
        self.telemetry.as_deref()
    }

    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    /// Builds the handle's HTTP client now (TLS setup, the system's root
    /// certificates), which otherwise falls on its first request. For a
    /// thread that can afford the wait (the C task pool runs it on a
    /// worker when a handle is created).
    pub fn warm_up(&self) {
        self.http.warm_up()
    }

    pub(crate) fn response_type_is_default(&self) -> bool {
        self.default_response_type
    }

    pub(crate) fn held_refresh_token(&self) -> Option<String> {
        self.held_refresh_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Remembers the refresh token of a login (the newest one wins, which
    /// is what rotation needs).
    pub(crate) fn hold_refresh_token(&self, token: Option<&str>) {
        if let Some(t) = token {
            *self
                .held_refresh_token
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(t.to_owned());
        }
    }

    pub(crate) fn verifier(&self) -> Verifier<'_> {
        Verifier {
            issuer: &self.token_issuer,
            client_id: self.client_id(),
            leeway: self.leeway as u64,
            jwks: &self.jwks,
            http: &self.http,
        }
    }

    /// `webAuth.client`: the Authentication API calls that record no
    /// transaction.
    pub fn client(&self) -> Client<'_> {
        Client { web: self }
    }

    /// `webAuth.authorize(options)` in redirect mode: records a transaction
    /// (state, the response type and redirect URI asked for, nonce when the
    /// response type has `id_token` or is a code flow whose scope has
    /// `openid`, appState, and a PKCE S256 verifier for every code flow
    /// unless `pkce: false`, and the `organization` asked for) and returns
    /// the `/authorize` URL for the app to open. The URL it is later sent
    /// back to goes to `parseHash`, which checks the id_token's `org_id` /
    /// `org_name` against that organization. `organization` (an `org_…` id
    /// or a name) may also be a handle option; `invitation` comes with it
    /// from an invitation link ([`Client::parse_invitation_url`]).
    ///
    /// With `par: true` (this call's, else the handle's) the parameters are
    /// pushed to `/oauth/par` first and the URL carries only `client_id` and
    /// `request_uri`; the push's errors keep the server's code, and it is
    /// never retried.
    ///
    /// Options: [`AuthorizeOptions`](crate::AuthorizeOptions), or the same object as JSON.
    pub fn authorize(&self, options: &impl IntoOptions<ops::Authorize>) -> Result<AuthorizeUrl> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        let mut params = merge(&self.base, AUTHORIZE_BASE_KEYS, o);
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

    /// `webAuth.logout(options)`: the `/v2/logout` URL (`returnTo`,
    /// `client_id`, `federated`). `federated: true` adds a bare `federated`
    /// as the reference shows it; `federated: false` adds nothing.
    ///
    /// It also ends the handle's own session: the cookie jar of the
    /// headless flows and the refresh token `renewAuth` would fall back to
    /// are forgotten. With `headless: true` it also requests the URL with
    /// the handle's cookies, ending the tenant's SSO session without a
    /// browser.
    ///
    /// Options: [`LogoutOptions`](crate::LogoutOptions), or the same object as JSON.
    pub fn logout(&self, options: &impl IntoOptions<ops::Logout>) -> Result<String> {
        let options: &Value = &options.to_options();
        let o = as_object(options, "options parameter is not valid")?;
        typed_str(o, "returnTo", "returnTo option is not valid")?;
        typed_str(o, "clientID", "clientID option is not valid")?;
        match o.get("federated") {
            None | Some(Value::Null | Value::Bool(_) | Value::String(_)) => {}
            Some(_) => return Err(Error::invalid_argument("federated option is not valid")),
        }
        let headless =
            optional_bool(o, "headless", "headless option is not valid")?.unwrap_or(false);
        let mut params = merge(&self.base, &["clientID"], o);
        strip_undefined(&mut params);
        params.shift_remove("headless");
        if let Some(t) = &self.telemetry {
            params.insert("auth0Client".into(), Value::String(t.clone()));
        }
        let params = to_snake_case(&params, &["auth0Client", "returnTo"]);
        let mut pairs = Vec::with_capacity(params.len());
        for (k, v) in &params {
            match (k.as_str(), v) {
                ("federated", Value::Bool(true)) => pairs.push("federated".to_owned()),
                ("federated", Value::Bool(false)) => {}
                _ => query::push_pairs(&mut pairs, k, v),
            }
        }
        let mut url = self.domain.url("/v2/logout");
        if !pairs.is_empty() {
            url.push('?');
            url.push_str(&pairs.join("&"));
        }
        if headless {
            // Ends the tenant's session with the handle's cookies; the
            // redirect to returnTo is the browser's business, not followed.
            let resp = self.http.send(
                reqwest::Method::GET,
                &url,
                None,
                crate::transport::http::Body::Empty,
                None,
            )?;
            if !resp.is_success() && !resp.is_redirect() {
                return Err(crate::transport::http::error_from_response(&resp));
            }
        }
        self.http.clear_cookies();
        *self
            .held_refresh_token
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        Ok(url)
    }

    /// Takes the transaction recorded for `state` out of the store (single
    /// use); `None` when unknown or expired.
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
        let mut params = merge(&self.base, AUTHORIZE_URL_BASE_KEYS, options);
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
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
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

/// `webAuth.client`: calls that record no transaction.
pub struct Client<'a> {
    web: &'a WebAuth,
}

impl Client<'_> {
    pub(crate) fn web(&self) -> &WebAuth {
        self.web
    }

    /// `client.buildAuthorizeUrl(options)`: the `/authorize` URL auth0.js v8
    /// builds for the same options — no state or nonce is generated or
    /// stored (pass your own `state`). Local, no network: `par` (pushed
    /// requests) is for `authorize` and `popup.authorize` only.
    ///
    /// Options: [`AuthorizeOptions`](crate::AuthorizeOptions), or the same object as JSON.
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

/// A string option checked by type: absent, `null` or `""` is `None`, a
/// string is itself, anything else (a number, `false`, an array) is
/// `message` — never written into a URL as `key[0]=…`.
pub(crate) fn typed_str<'a>(o: &'a Options, key: &str, message: &str) -> Result<Option<&'a str>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_argument(message)),
    }
}

/// `maxAge` (or `max_age`): whole seconds, as a number or a string of
/// digits; anything else names the option.
fn max_age_option(o: &Options) -> Result<Option<u64>> {
    for key in ["maxAge", "max_age"] {
        let message = format!("{key} option is not valid");
        match o.get(key) {
            None | Some(Value::Null) => continue,
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

/// `null` stands for JavaScript's `undefined` in options: the key is absent.
pub(crate) fn strip_undefined(params: &mut Options) {
    params.retain(|_, v| !v.is_null());
}

pub(crate) fn has_word(space_separated: &str, word: &str) -> bool {
    space_separated.split_whitespace().any(|w| w == word)
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WebAuth>();
};
