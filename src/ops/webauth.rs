//! `new auth0.WebAuth(options)` and the transport options of both handles.

use super::{typed_options, Json, NewWebAuth};
use crate::transport::retry::RetryPolicy;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

/// The transport options of a handle ([`WebAuthOptions::transport`],
/// [`ManagementOptions::transport`](super::ManagementOptions::transport)).
///
/// ```
/// use auth0_native::TransportOptions;
/// use std::time::Duration;
///
/// let transport = TransportOptions {
///     timeout: Some(Duration::from_secs(10)),
///     proxy: Some("http://proxy.internal:3128".into()),
///     ..Default::default()
/// };
/// # drop(transport);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransportOptions {
    /// Bound on connecting (default 10 s; 1 ms to 1 hour). `connectTimeout`.
    pub connect_timeout: Option<Duration>,
    /// Bound on a whole request (default 30 s; 1 ms to 1 hour). `timeout`.
    pub timeout: Option<Duration>,
    /// A PEM bundle of extra trusted roots, read at construction. `caFile`.
    pub ca_file: Option<PathBuf>,
    /// Extra trusted roots as PEM text. `caPem`.
    pub ca_pem: Option<String>,
    /// An HTTP(S) proxy URL. `proxy`.
    pub proxy: Option<String>,
    /// Cap on an answer's body (default 1 MiB; 1024 to 1 GiB). `maxResponseBytes`.
    pub max_response_bytes: Option<u64>,
    /// The retry policy (default [`RetryPolicy::default`]; `RetryPolicy::none()`
    /// turns retries off). `retry`.
    pub retry: Option<RetryPolicy>,
}

impl TransportOptions {
    pub(crate) fn add_to(&self, j: Json) -> Json {
        j.millis("connectTimeout", self.connect_timeout)
            .millis("timeout", self.timeout)
            .str(
                "caFile",
                self.ca_file
                    .as_ref()
                    .map(|p| p.to_string_lossy())
                    .as_deref(),
            )
            .str("caPem", self.ca_pem.as_deref())
            .str("proxy", self.proxy.as_deref())
            .u64("maxResponseBytes", self.max_response_bytes)
            .value("retry", self.retry.as_ref().map(retry_json))
    }
}

fn retry_json(p: &RetryPolicy) -> Value {
    let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    json!({
        "maxAttempts": p.max_attempts,
        "baseDelayMs": ms(p.base_delay),
        "maxDelayMs": ms(p.max_delay),
        "totalMs": ms(p.total),
    })
}

/// Where `authorize` keeps its transactions (state, nonce, PKCE verifier)
/// until `parseHash`. `transaction.store`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TransactionStorage {
    /// In the handle's memory (the default): a callback must come back to
    /// the same process.
    #[default]
    Memory,
    /// In a private file, so a callback can reach a new process (the OS
    /// hands it to a fresh instance of the app). `None`: the default file
    /// under `$XDG_STATE_HOME/auth0-native/`. `transaction.path`.
    File(Option<PathBuf>),
}

/// The `transaction` option of [`WebAuthOptions`].
///
/// ```
/// use auth0_native::ops::{TransactionOptions, TransactionStorage};
/// use std::time::Duration;
///
/// let t = TransactionOptions {
///     store: TransactionStorage::File(Some("/tmp/my-app-transactions.json".into())),
///     ttl: Some(Duration::from_secs(600)),
/// };
/// # drop(t);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransactionOptions {
    /// Memory or a file. `store`, `path`.
    pub store: TransactionStorage,
    /// How long a transaction stays valid (whole seconds, 1 s to one day;
    /// default 10 minutes). `ttl`.
    pub ttl: Option<Duration>,
}

impl TransactionOptions {
    fn json(&self) -> Value {
        let (store, path) = match &self.store {
            TransactionStorage::Memory => ("memory", None),
            TransactionStorage::File(p) => ("file", p.as_ref().map(|p| p.to_string_lossy())),
        };
        Json::new()
            .str("store", Some(store))
            .str("path", path.as_deref())
            .secs("ttl", self.ttl)
            .build()
    }
}

/// The options of [`WebAuth::new`](crate::WebAuth::new) —
/// `new auth0.WebAuth(options)`.
///
/// ```
/// use auth0_native::{WebAuth, WebAuthOptions};
///
/// let web = WebAuth::new(&WebAuthOptions {
///     domain: "me.auth0.com".into(),
///     client_id: "abc".into(),
///     redirect_uri: Some("com.example.app://callback".into()),
///     scope: Some("openid profile".into()),
///     ..Default::default()
/// })?;
/// assert_eq!(web.client_id(), "abc");
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebAuthOptions {
    /// The tenant's domain (`me.auth0.com`). Required. `domain`.
    pub domain: String,
    /// The application's client id. Required. `clientID`.
    pub client_id: String,
    /// The default redirect URI. `redirectUri`.
    pub redirect_uri: Option<String>,
    /// The default scopes, space-separated. `scope`.
    pub scope: Option<String>,
    /// The default API audience. `audience`.
    pub audience: Option<String>,
    /// The default response type (`code` when `redirect_uri` is given,
    /// else `token`). `responseType`.
    pub response_type: Option<String>,
    /// `query`, `fragment` or `form_post`. `responseMode`.
    pub response_mode: Option<String>,
    /// The organization every login goes to (an `org_…` id or a name),
    /// checked in the `id_token`. `organization`.
    pub organization: Option<String>,
    /// Clock-skew allowance for token checks (whole seconds, at most 5
    /// minutes). `leeway`.
    pub leeway: Option<Duration>,
    /// `false` sends no `Auth0-Client` telemetry. `_sendTelemetry`.
    pub send_telemetry: Option<bool>,
    /// PKCE for every interactive code flow (on by default; `false` is
    /// unsafe for a public client). `pkce`.
    pub pkce: Option<bool>,
    /// Pushed authorization requests for `authorize` and
    /// `popup.authorize` (RFC 9126). `par`.
    pub par: Option<bool>,
    /// DPoP-bound tokens with a new key pair (RFC 9449). `dpop`.
    pub dpop: Option<bool>,
    /// DPoP with an exported key ([`DpopKey::to_pkcs8`](crate::DpopKey::to_pkcs8)). `dpopKey`.
    pub dpop_key: Option<crate::secret::DpopPrivateKey>,
    /// Where transactions are kept (default: memory). `transaction`.
    pub transaction: Option<TransactionOptions>,
    /// A custom domain's tenant name and token issuer, as
    /// `(tenant, token_issuer)`. `overrides: {__tenant, __token_issuer}`.
    pub overrides: Option<(String, String)>,
    /// The transport (timeouts, trusted roots, proxy, retries).
    pub transport: TransportOptions,
    /// Further options, as strings, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl WebAuthOptions {
    fn json(&self) -> Value {
        let j = Json::new()
            .str("domain", Some(&self.domain))
            .str("clientID", Some(&self.client_id))
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("scope", self.scope.as_deref())
            .str("audience", self.audience.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("responseMode", self.response_mode.as_deref())
            .str("organization", self.organization.as_deref())
            .secs("leeway", self.leeway)
            .bool("_sendTelemetry", self.send_telemetry)
            .bool("pkce", self.pkce)
            .bool("par", self.par)
            .bool("dpop", self.dpop)
            .str("dpopKey", self.dpop_key.as_ref().map(|k| k.secret()))
            .value(
                "transaction",
                self.transaction.as_ref().map(TransactionOptions::json),
            )
            .value(
                "overrides",
                self.overrides
                    .as_ref()
                    .map(|(t, i)| json!({"__tenant": t, "__token_issuer": i})),
            );
        self.transport.add_to(j).extra(&self.extra).build()
    }
}

typed_options!(WebAuthOptions => NewWebAuth);
