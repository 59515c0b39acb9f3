//! `new auth0.WebAuth(options)`: the handle's options checked, their
//! defaults applied, and the handle built.

use super::{
    as_object, ops, optional_bool, optional_f64, optional_object, optional_str,
    require_nonempty_str, require_str, telemetry, Binding, Domain, Error, Http, IntoOptions, Jwks,
    Options, Result, TransactionConfig, TransportConfig, Value, WebAuth, MAX_CLIENT_ID_LEN,
    MAX_DOMAIN_LEN, MAX_LEEWAY_SECS,
};

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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed (`domain`, `clientID`,
    /// `leeway`, `transaction.path`, the transport options, …).
    pub fn new(options: &impl IntoOptions<ops::NewWebAuth>) -> Result<WebAuth> {
        WebAuth::with_binding(&options.to_options(), Binding::Rust)
    }

    /// [`WebAuth::new`] for a language binding, which names itself in the
    /// telemetry payload.
    #[doc(hidden)]
    pub fn with_binding(options: &Value, binding: Binding) -> Result<WebAuth> {
        let o = as_object(options, "options parameter is not valid")?;
        let checked = HandleOptions::read(o)?;
        WebAuth::build(o, checked, binding)
    }

    /// The handle of checked options: `o` becomes the base options (with
    /// the default `responseType`, without the DPoP key), and the
    /// transaction store, HTTP client and JWKS cache are set up.
    fn build(o: &Options, checked: HandleOptions<'_>, binding: Binding) -> Result<WebAuth> {
        let HandleOptions {
            domain,
            has_redirect_uri,
            leeway,
            send_telemetry,
            telemetry_info,
            dpop_key,
            overrides,
        } = checked;
        let mut base = o.clone();
        // A secret: the key lives in the HTTP client, not in the options.
        base.shift_remove("dpopKey");
        let default_response_type = base
            .get("responseType")
            .is_none_or(|v| !crate::options::is_truthy(v));
        if default_response_type {
            // The reference's default; the wire spec says v8's code never
            // set one, but the reference (our seed) and the issue win.
            let default = if has_redirect_uri { "code" } else { "token" };
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
            held_refresh_token: std::sync::Mutex::default(),
        })
    }
}

/// The constructor's options that steer the handle, read and checked in
/// auth0.js's order (the first bad option is the one named); the options
/// only checked here stay in the base options as they are.
struct HandleOptions<'a> {
    domain: Domain,
    has_redirect_uri: bool,
    leeway: u32,
    send_telemetry: Option<bool>,
    telemetry_info: Option<&'a Options>,
    dpop_key: Option<crate::DpopKey>,
    /// `overrides`: `(__tenant, __token_issuer)`.
    overrides: Option<(String, String)>,
}

impl<'a> HandleOptions<'a> {
    // The float is range-checked (a whole number within bounds) before the cast.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn read(o: &'a Options) -> Result<HandleOptions<'a>> {
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
            Some(l) if (0.0..=f64::from(MAX_LEEWAY_SECS)).contains(&l) => l as u32,
            Some(_) => {
                return Err(Error::invalid_argument(
                    "The leeway should be positive and lower than five minutes.",
                ))
            }
        };
        let domain = Domain::parse(domain_str)?;
        Ok(HandleOptions {
            domain,
            has_redirect_uri: redirect_uri.is_some(),
            leeway,
            send_telemetry,
            telemetry_info,
            dpop_key,
            overrides,
        })
    }
}
