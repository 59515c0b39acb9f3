//! # auth0-devtenant
//!
//! A local, Auth0-compatible tenant for tests and offline development: the
//! Authentication API and Management API subset auth0.js v8 uses, a hosted
//! login page, database/passwordless/social connections, RS256 keys with
//! rotation, SSO session cookies, the device flow, and `/__dev/` endpoints
//! (outbox, faults, request log, token signing). It listens on 127.0.0.1 only.
//!
//! ```no_run
//! let tenant = auth0_devtenant::DevTenant::start().unwrap();
//! println!("{} {}", tenant.domain(), tenant.client_id());
//! // dropped: the server stops and its thread is joined
//! ```

// Handlers return early with a ready `Response` as the error of a `Result`;
// boxing it would only add noise on this cold path.
#![allow(clippy::result_large_err)]

mod authorize;
mod config;
mod db;
mod dbconn;
mod dev;
mod device;
mod dpop;
mod keys;
mod management;
mod mfa;
mod organizations;
mod pages;
mod par;
mod passwordless;
mod settings;
mod social;
mod store;
mod token;
mod util;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use axum::routing::{any, get, post};
use axum::Router;

pub use config::{
    ClientConfig, Config, UserConfig, DB_CONNECTION, DEFAULT_CLIENT_ID, DEFAULT_PORT,
    SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_EMAIL, TEST_USER_ID,
    TEST_USER_PASSWORD,
};
pub use mfa::EnrollmentConfig;
pub use organizations::{OrgConfig, DEFAULT_ORG_ID, DEFAULT_ORG_NAME};

/// Shared state of one running tenant.
pub(crate) struct App {
    pub cfg: Config,
    /// `http://127.0.0.1:PORT`
    pub domain: String,
    /// `http://127.0.0.1:PORT/`
    pub issuer: String,
    pub keys: keys::Keys,
    pub store: store::Store,
    pub dev: dev::DevState,
    pub settings: settings::Settings,
    pub mfa: mfa::MfaState,
    pub orgs: organizations::Orgs,
    pub par: par::ParState,
    pub dpop: dpop::DpopState,
}

impl App {
    pub fn client(&self, id: &str) -> Option<&ClientConfig> {
        self.cfg.clients.iter().find(|c| c.client_id == id)
    }

    pub fn callback_allowed(&self, client: &ClientConfig, uri: &str) -> bool {
        client
            .callbacks
            .iter()
            .any(|p| util::url_allowed(p, uri, self.cfg.loopback_any_port))
    }

    pub fn logout_allowed(&self, client: Option<&ClientConfig>, uri: &str) -> bool {
        let check = |c: &ClientConfig| {
            c.logout_urls
                .iter()
                .any(|p| util::url_allowed(p, uri, self.cfg.loopback_any_port))
        };
        match client {
            Some(c) => check(c),
            None => self.cfg.clients.iter().any(check),
        }
    }

    pub fn mgmt_audience(&self) -> String {
        format!("{}/api/v2/", self.domain)
    }

    pub fn userinfo_url(&self) -> String {
        format!("{}/userinfo", self.domain)
    }

    pub fn persist_keys(&self) {
        if let Some(db) = &self.store.db {
            let items: Vec<(String, serde_json::Value)> = self
                .keys
                .all()
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    (
                        format!("{i:04}"),
                        serde_json::json!({"pkcs8": keys::encode_pkcs8(k), "created_ms": k.created_ms, "retired_ms": k.retired_ms}),
                    )
                })
                .collect();
            db.replace_all("key", &items);
        }
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(token::openid_configuration),
        )
        .route("/.well-known/jwks.json", get(token::jwks))
        .route("/oauth/token", post(token::token))
        .route("/oauth/revoke", post(token::revoke))
        .route("/userinfo", get(token::userinfo).post(token::userinfo))
        .route("/authorize", get(authorize::authorize))
        .route(
            "/usernamepassword/login",
            post(authorize::usernamepassword_login),
        )
        .route("/login/callback", post(authorize::login_callback))
        .route("/co/authenticate", post(authorize::co_authenticate))
        .route("/v2/logout", get(authorize::logout))
        .route("/social/twitter", get(social::page).post(social::submit))
        .route("/dbconnections/signup", post(dbconn::signup))
        .route(
            "/dbconnections/change_password",
            post(dbconn::change_password),
        )
        .route(
            "/lo/reset",
            get(dbconn::reset_page).post(dbconn::reset_submit),
        )
        .route("/passwordless/start", post(passwordless::start))
        .route("/passwordless/verify", post(passwordless::verify))
        .route(
            "/passwordless/verify_redirect",
            get(passwordless::verify_redirect),
        )
        .route("/oauth/device/code", post(device::code))
        .route("/activate", get(device::page).post(device::submit))
        .route("/api/v2/users/{*rest}", any(management::users))
        .merge(settings::routes())
        .merge(mfa::routes())
        .merge(organizations::routes())
        .merge(par::routes())
        .merge(dpop::routes())
        .nest("/__dev", dev::routes())
        .fallback(dev::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            dev::middleware,
        ))
        .with_state(app)
}

fn build_app(config: Config, port: u16) -> std::io::Result<Arc<App>> {
    let io = |e: String| std::io::Error::other(e);
    let db = match &config.db {
        Some(p) => Some(db::Db::open(p).map_err(io)?),
        None => None,
    };
    let mut loaded = Vec::new();
    if let Some(db) = &db {
        for v in db.load::<serde_json::Value>("key").map_err(io)? {
            let pk = v["pkcs8"].as_str().and_then(keys::decode_pkcs8);
            let created = v["created_ms"].as_u64().unwrap_or(0);
            let retired = v["retired_ms"].as_u64();
            if let Some(pk) = pk {
                loaded.push(keys::SigningKey::from_pkcs8(&pk, created, retired).map_err(io)?);
            }
        }
    }
    let fresh_keys = loaded.is_empty();
    let keys = keys::Keys::new(loaded, config.key_grace_secs).map_err(io)?;
    let store = store::Store::new(&config, db).map_err(io)?;
    let mfa = mfa::MfaState::new(&config, &store).map_err(io)?;
    let orgs = organizations::Orgs::new(&config, &store).map_err(io)?;
    let domain = format!("http://127.0.0.1:{port}");
    let app = Arc::new(App {
        issuer: format!("{domain}/"),
        domain,
        keys,
        store,
        dev: dev::DevState::new(config.request_log_size),
        settings: settings::Settings::new(&config),
        mfa,
        orgs,
        par: par::ParState::default(),
        dpop: dpop::DpopState::default(),
        cfg: config,
    });
    if fresh_keys {
        app.persist_keys();
    }
    Ok(app)
}

/// A running dev tenant. Dropping it stops the server and joins its thread.
pub struct DevTenant {
    port: u16,
    client_id: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl DevTenant {
    /// Start on an ephemeral port, in memory, with the default configuration.
    pub fn start() -> std::io::Result<DevTenant> {
        DevTenant::start_with(Config::default())
    }

    /// Start with `config` (port 0 = ephemeral). The server runs on its own
    /// thread with its own tokio runtime.
    pub fn start_with(config: Config) -> std::io::Result<DevTenant> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let client_id = config
            .clients
            .first()
            .map(|c| c.client_id.clone())
            .unwrap_or_default();
        let workers = config.worker_threads.max(1);
        let app = build_app(config, port)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("devtenant")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("devtenant-{port}"))
            .spawn(move || {
                rt.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let server = axum::serve(listener, router(app));
                    tokio::select! {
                        _ = server => {}
                        _ = rx => {}
                    }
                });
                rt.shutdown_timeout(std::time::Duration::from_millis(200));
            })?;
        Ok(DevTenant {
            port,
            client_id,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (the issuer without its trailing `/`).
    pub fn domain(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The default public native client's id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Block until the server stops (it does not stop by itself).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for DevTenant {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
