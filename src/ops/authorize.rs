//! The `/authorize` options of `authorize`, `buildAuthorizeUrl` and
//! `popup.authorize`.

use super::{typed_options, Authorize, BuildAuthorizeUrl, Json, PopupAuthorize};
use serde_json::Value;
use std::time::Duration;

/// The options of [`WebAuth::authorize`](crate::WebAuth::authorize),
/// [`Client::build_authorize_url`](crate::Client::build_authorize_url) and
/// `WebAuth::popup_authorize`: the `/authorize` parameters, each
/// overriding the handle's.
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
///     extra: vec![("ui_locales".into(), "fr".into())],
///     ..Default::default()
/// })?;
/// assert!(request.url.starts_with("https://me.auth0.com/authorize?client_id=abc&response_type=code"));
/// assert!(request.url.contains("&connection=twitter&ui_locales=fr&"));
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthorizeOptions {
    /// The API to ask an access token for. `audience`.
    pub audience: Option<String>,
    /// The scopes, space-separated (`offline_access` for a refresh
    /// token). `scope`.
    pub scope: Option<String>,
    /// Space-separated `code`, `token`, `id_token`. `responseType`.
    pub response_type: Option<String>,
    /// Another application's client id. `clientID`.
    pub client_id: Option<String>,
    /// Where the answer goes (for `popup.authorize`, a loopback
    /// `http://` URL). `redirectUri`.
    pub redirect_uri: Option<String>,
    /// `query`, `fragment` or `form_post`. `responseMode`.
    pub response_mode: Option<String>,
    /// Your own state (else a random one is made and recorded). `state`.
    pub state: Option<String>,
    /// Your own nonce (else a random one when the flow needs one). `nonce`.
    pub nonce: Option<String>,
    /// The connection to log in with (`twitter`, …). `connection`.
    pub connection: Option<String>,
    /// `none`, `login`, `consent`, `select_account`. `prompt`.
    pub prompt: Option<String>,
    /// The user's email or name, prefilled. `login_hint`.
    pub login_hint: Option<String>,
    /// The longest time since the user last authenticated (whole
    /// seconds); the `id_token`'s `auth_time` is checked against it. `maxAge`.
    pub max_age: Option<Duration>,
    /// The organization to log in to. `organization`.
    pub organization: Option<String>,
    /// An organization invitation ticket. `invitation`.
    pub invitation: Option<String>,
    /// Kept in the transaction and given back in the authResult. `appState`.
    pub app_state: Option<String>,
    /// PKCE for a code flow (on by default for `authorize` and
    /// `popup.authorize`; `false` is unsafe). `pkce`.
    pub pkce: Option<bool>,
    /// Push the parameters to `/oauth/par` first (RFC 9126; `authorize`
    /// and `popup.authorize` only, default the handle's). `par`.
    pub par: Option<bool>,
    /// `popup.authorize` only: how long to wait for the browser (default
    /// 5 minutes; 1 ms to one day). `timeout`.
    pub timeout: Option<Duration>,
    /// `popup.authorize` only: loopback ports to try in order (empty: the
    /// redirect URI's port, or an ephemeral one). `ports`.
    pub ports: Vec<u16>,
    /// `popup.authorize` only: the page the browser shows on success. `successHtml`.
    pub success_html: Option<String>,
    /// `popup.authorize` only: the page the browser shows on an error. `errorHtml`.
    pub error_html: Option<String>,
    /// Further `/authorize` parameters (`ui_locales`, `acr_values`, …),
    /// sent as given, last and in this order.
    pub extra: Vec<(String, String)>,
}

impl AuthorizeOptions {
    pub(crate) fn json(&self) -> Value {
        let ports = (!self.ports.is_empty()).then(|| Value::from(self.ports.clone()));
        Json::new()
            .str("audience", self.audience.as_deref())
            .str("scope", self.scope.as_deref())
            .str("responseType", self.response_type.as_deref())
            .str("clientID", self.client_id.as_deref())
            .str("redirectUri", self.redirect_uri.as_deref())
            .str("responseMode", self.response_mode.as_deref())
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .str("connection", self.connection.as_deref())
            .str("prompt", self.prompt.as_deref())
            .str("login_hint", self.login_hint.as_deref())
            .secs("maxAge", self.max_age)
            .str("organization", self.organization.as_deref())
            .str("invitation", self.invitation.as_deref())
            .str("appState", self.app_state.as_deref())
            .bool("pkce", self.pkce)
            .bool("par", self.par)
            .millis("timeout", self.timeout)
            .value("ports", ports)
            .str("successHtml", self.success_html.as_deref())
            .str("errorHtml", self.error_html.as_deref())
            .extra(&self.extra)
            .build()
    }
}

typed_options!(AuthorizeOptions => Authorize, BuildAuthorizeUrl, PopupAuthorize);
