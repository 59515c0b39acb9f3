//! Tenant configuration: clients, seeded users, lifetimes. `Config::default()`
//! is the no-argument setup; a JSON file given with `--config` overrides any
//! subset of its fields (see the README for the schema).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The default public native client's id (32 alphanumerics, fixed).
pub const DEFAULT_CLIENT_ID: &str = "devtenantNativeClient00000000001";
/// The seeded database user.
pub const TEST_USER_ID: &str = "auth0|6f0000000000000000000001";
pub const TEST_USER_EMAIL: &str = "dev@example.com";
pub const TEST_USER_PASSWORD: &str = "DevTenant-Passw0rd";
/// A second seeded database user (for "another user" tests).
pub const SECOND_USER_ID: &str = "auth0|6f0000000000000000000002";
pub const SECOND_USER_EMAIL: &str = "other@example.com";
pub const SECOND_USER_PASSWORD: &str = "Other-Passw0rd";
/// The database connection.
pub const DB_CONNECTION: &str = "Username-Password-Authentication";
/// Default port of the binary when neither `--port` nor `--json` is given.
pub const DEFAULT_PORT: u16 = 3850;

/// Every grant the default client may use.
pub const ALL_GRANTS: &[&str] = &[
    "authorization_code",
    "implicit",
    "refresh_token",
    "http://auth0.com/oauth/grant-type/password-realm",
    "http://auth0.com/oauth/grant-type/passwordless/otp",
    "urn:ietf:params:oauth:grant-type:device_code",
    "http://auth0.com/oauth/grant-type/mfa-otp",
    "http://auth0.com/oauth/grant-type/mfa-oob",
    "http://auth0.com/oauth/grant-type/mfa-recovery-code",
];

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// 0 = an ephemeral port.
    pub port: u16,
    /// SQLite file for users, sessions, refresh tokens and signing keys.
    pub db: Option<PathBuf>,
    pub clients: Vec<ClientConfig>,
    pub users: Vec<UserConfig>,
    /// Loopback `http://127.0.0.1/...` and `http://localhost/...` callback and
    /// logout URLs without a port match any port (RFC 8252 §7.3). `false` = exact.
    pub loopback_any_port: bool,
    pub code_lifetime_secs: u64,
    pub device_code_lifetime_secs: u64,
    pub device_interval_secs: u64,
    pub access_token_lifetime_secs: u64,
    pub id_token_lifetime_secs: u64,
    pub refresh_token_lifetime_secs: u64,
    pub otp_lifetime_secs: u64,
    pub session_lifetime_secs: u64,
    /// How long a rotated-out signing key stays in the JWKS.
    pub key_grace_secs: u64,
    /// How many recent requests `/__dev/requests` keeps.
    pub request_log_size: usize,
    /// Tokio worker threads of the server.
    pub worker_threads: usize,
    /// How long a rotated refresh token may still be exchanged without
    /// tripping reuse detection (Auth0's "reuse interval"; 0 = none).
    pub refresh_reuse_interval_secs: u64,
    /// MFA: `"enrolled"` (only users with an active authenticator) or `"all"`.
    pub mfa_policy: String,
    /// MFA is also demanded on the refresh_token grant for enrolled users.
    pub mfa_on_refresh: bool,
    pub mfa_token_lifetime_secs: u64,
    /// Minimum seconds between two mfa-oob polls (else `slow_down`).
    pub mfa_oob_interval_secs: u64,
    pub mfa_enrollments: Vec<crate::mfa::EnrollmentConfig>,
    pub organizations: Vec<crate::organizations::OrgConfig>,
    pub invitation_lifetime_secs: u64,
    pub par_lifetime_secs: u64,
    /// DPoP proofs must carry the server's nonce (`use_dpop_nonce` otherwise).
    pub dpop_require_nonce: bool,
    /// Accepted distance of a DPoP proof's `iat` from the server's clock.
    pub dpop_iat_window_secs: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientConfig {
    pub client_id: String,
    pub name: String,
    /// `None` = a public client (token endpoint auth method `none`).
    pub client_secret: Option<String>,
    pub callbacks: Vec<String>,
    pub logout_urls: Vec<String>,
    pub grant_types: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct UserConfig {
    /// Full id, e.g. `auth0|abc`; generated when empty.
    pub user_id: String,
    pub connection: String,
    pub email: String,
    pub password: String,
    pub username: Option<String>,
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub email_verified: bool,
    pub user_metadata: Map<String, Value>,
    pub app_metadata: Map<String, Value>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            client_id: DEFAULT_CLIENT_ID.to_string(),
            name: "Dev Native App".to_string(),
            client_secret: None,
            callbacks: vec![
                "http://127.0.0.1/callback".into(),
                "http://localhost/callback".into(),
                "com.auth0native.example://callback".into(),
                "https://app.example.com/callback".into(),
            ],
            logout_urls: vec![
                "http://127.0.0.1/".into(),
                "http://localhost/".into(),
                "https://app.example.com/".into(),
                "com.auth0native.example://logout".into(),
                "com.auth0native.example://callback".into(),
            ],
            grant_types: ALL_GRANTS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Default for UserConfig {
    fn default() -> Self {
        UserConfig {
            user_id: String::new(),
            connection: DB_CONNECTION.to_string(),
            email: String::new(),
            password: String::new(),
            username: None,
            name: None,
            nickname: None,
            email_verified: true,
            user_metadata: Map::new(),
            app_metadata: Map::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            db: None,
            clients: vec![ClientConfig::default()],
            users: vec![
                UserConfig {
                    user_id: TEST_USER_ID.into(),
                    email: TEST_USER_EMAIL.into(),
                    password: TEST_USER_PASSWORD.into(),
                    name: Some("Dev User".into()),
                    nickname: Some("dev".into()),
                    ..UserConfig::default()
                },
                UserConfig {
                    user_id: SECOND_USER_ID.into(),
                    email: SECOND_USER_EMAIL.into(),
                    password: SECOND_USER_PASSWORD.into(),
                    name: Some("Other User".into()),
                    nickname: Some("other".into()),
                    ..UserConfig::default()
                },
            ],
            loopback_any_port: true,
            code_lifetime_secs: 60,
            device_code_lifetime_secs: 900,
            device_interval_secs: 5,
            access_token_lifetime_secs: 86_400,
            id_token_lifetime_secs: 36_000,
            refresh_token_lifetime_secs: 30 * 86_400,
            otp_lifetime_secs: 300,
            session_lifetime_secs: 3 * 86_400,
            key_grace_secs: 600,
            request_log_size: 500,
            worker_threads: 2,
            refresh_reuse_interval_secs: 0,
            mfa_policy: "enrolled".to_string(),
            mfa_on_refresh: false,
            mfa_token_lifetime_secs: 600,
            mfa_oob_interval_secs: 5,
            mfa_enrollments: Vec::new(),
            organizations: vec![crate::organizations::OrgConfig::default_org()],
            invitation_lifetime_secs: 7 * 86_400,
            par_lifetime_secs: 60,
            dpop_require_nonce: false,
            dpop_iat_window_secs: 60,
        }
    }
}

impl Config {
    /// Parse a `--config` JSON file's text: any subset of the fields.
    pub fn from_json(text: &str) -> Result<Config, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid config: {e}"))
    }
}
