//! The tenant's state: users, SSO sessions, authorization codes, refresh
//! tokens, passwordless codes, device codes, one-time tickets. In memory,
//! with users, sessions, refresh tokens and keys written through to SQLite
//! when `--db` is given (see `db.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::config::{Config, DB_CONNECTION};
use crate::db::Db;
use crate::util::{ct_eq, iso8601, now_ms, random_hex, sha256};

/// The parameters of one `/authorize` request, carried through the login pages.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct AuthTx {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: String,
    #[serde(default)]
    pub response_mode: Option<String>,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
    #[serde(default)]
    pub connection: Option<String>,
    /// `organization` (resolved to the org id once checked).
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub invitation: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub user_id: String,
    pub connection: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub username: Option<String>,
    pub email_verified: bool,
    /// `salt$hex(sha256(salt || password))`. A salted SHA-256 is deliberately
    /// weak and fast: this is a dev server, and throughput matters more than
    /// resistance to offline cracking here.
    pub password_hash: Option<String>,
    pub name: String,
    pub nickname: String,
    pub picture: String,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub last_login_ms: Option<u64>,
    pub logins_count: u64,
    pub user_metadata: Map<String, Value>,
    pub app_metadata: Map<String, Value>,
    /// Secondary accounts linked into this one (full records, restored on unlink).
    #[serde(default)]
    pub linked: Vec<User>,
}

pub fn hash_password(pw: &str) -> String {
    let salt = random_hex(16);
    let h = sha256(format!("{salt}{pw}").as_bytes());
    format!(
        "{salt}${}",
        h.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

pub fn check_password(stored: &str, pw: &str) -> bool {
    let Some((salt, hex)) = stored.split_once('$') else {
        return false;
    };
    let h = sha256(format!("{salt}{pw}").as_bytes());
    let got: String = h.iter().map(|b| format!("{b:02x}")).collect();
    ct_eq(&got, hex)
}

impl User {
    pub fn new(user_id: String, connection: &str) -> User {
        let now = now_ms();
        User {
            user_id,
            connection: connection.to_string(),
            email: None,
            phone_number: None,
            username: None,
            email_verified: false,
            password_hash: None,
            name: String::new(),
            nickname: String::new(),
            picture: String::new(),
            created_ms: now,
            updated_ms: now,
            last_login_ms: None,
            logins_count: 0,
            user_metadata: Map::new(),
            app_metadata: Map::new(),
            linked: Vec::new(),
        }
    }

    /// `auth0` for `auth0|123`.
    pub fn provider(&self) -> &str {
        self.user_id.split_once('|').map_or("auth0", |(p, _)| p)
    }

    /// `123` for `auth0|123`.
    pub fn id_part(&self) -> &str {
        self.user_id
            .split_once('|')
            .map_or(&self.user_id, |(_, i)| i)
    }

    pub fn is_social(&self) -> bool {
        !matches!(self.provider(), "auth0" | "email" | "sms")
    }

    /// The fill-in profile fields Auth0 derives from the email.
    pub fn fill_profile(&mut self) {
        let base = self
            .email
            .clone()
            .or_else(|| self.phone_number.clone())
            .unwrap_or_else(|| self.user_id.clone());
        if self.name.is_empty() {
            self.name = base.clone();
        }
        if self.nickname.is_empty() {
            self.nickname = base.split('@').next().unwrap_or(&base).to_string();
        }
        if self.picture.is_empty() {
            let h = sha256(base.trim().to_lowercase().as_bytes());
            let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
            self.picture = format!("https://s.gravatar.com/avatar/{hex}?s=480&r=pg&d=identicon");
        }
    }

    fn identity(&self, with_profile: bool) -> Value {
        let mut v = json!({
            "connection": self.connection,
            "user_id": self.id_part(),
            "provider": self.provider(),
            "isSocial": self.is_social(),
        });
        if with_profile {
            let mut p = Map::new();
            if let Some(e) = &self.email {
                p.insert("email".into(), json!(e));
                p.insert("email_verified".into(), json!(self.email_verified));
            }
            if let Some(ph) = &self.phone_number {
                p.insert("phone_number".into(), json!(ph));
            }
            p.insert("name".into(), json!(self.name));
            p.insert("nickname".into(), json!(self.nickname));
            v["profileData"] = Value::Object(p);
        }
        v
    }

    pub fn identities(&self) -> Value {
        let mut ids = vec![self.identity(false)];
        ids.extend(self.linked.iter().map(|u| u.identity(true)));
        Value::Array(ids)
    }

    /// The Management API's user object.
    pub fn to_management(&self) -> Value {
        let mut v = json!({
            "user_id": self.user_id,
            "created_at": iso8601(self.created_ms),
            "updated_at": iso8601(self.updated_ms),
            "name": self.name,
            "nickname": self.nickname,
            "picture": self.picture,
            "identities": self.identities(),
            "user_metadata": self.user_metadata,
            "app_metadata": self.app_metadata,
            "logins_count": self.logins_count,
        });
        if let Some(e) = &self.email {
            v["email"] = json!(e);
            v["email_verified"] = json!(self.email_verified);
        }
        if let Some(p) = &self.phone_number {
            v["phone_number"] = json!(p);
            v["phone_verified"] = json!(true);
        }
        if let Some(u) = &self.username {
            v["username"] = json!(u);
        }
        if let Some(l) = self.last_login_ms {
            v["last_login"] = json!(iso8601(l));
        }
        v
    }

    /// OIDC profile claims allowed by `scope`.
    pub fn claims(&self, scope: &str) -> Map<String, Value> {
        let words: HashSet<&str> = scope.split_whitespace().collect();
        let mut m = Map::new();
        if words.contains("profile") {
            m.insert("name".into(), json!(self.name));
            m.insert("nickname".into(), json!(self.nickname));
            m.insert("picture".into(), json!(self.picture));
            m.insert("updated_at".into(), json!(iso8601(self.updated_ms)));
        }
        if words.contains("email") {
            if let Some(e) = &self.email {
                m.insert("email".into(), json!(e));
                m.insert("email_verified".into(), json!(self.email_verified));
            }
        }
        if words.contains("phone") {
            if let Some(p) = &self.phone_number {
                m.insert("phone_number".into(), json!(p));
                m.insert("phone_number_verified".into(), json!(true));
            }
        }
        m
    }

    fn matches_login(&self, connection: &str, login: &str) -> bool {
        if self.connection != connection {
            return false;
        }
        let l = login.trim().to_lowercase();
        self.email.as_deref().is_some_and(|e| e.to_lowercase() == l)
            || self
                .username
                .as_deref()
                .is_some_and(|u| u.to_lowercase() == l)
            || self
                .phone_number
                .as_deref()
                .is_some_and(|p| p == login.trim())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    pub user_id: String,
    pub auth_time: u64,
    pub expires_ms: u64,
}

#[derive(Clone, Debug)]
pub struct AuthCode {
    pub tx: AuthTx,
    pub user_id: String,
    pub auth_time: u64,
    pub expires_ms: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshToken {
    pub family: String,
    pub client_id: String,
    pub user_id: String,
    pub scope: String,
    pub audience: Option<String>,
    pub rotated: bool,
    pub expires_ms: u64,
    /// When it was rotated out (for the reuse interval).
    #[serde(default)]
    pub rotated_ms: Option<u64>,
    #[serde(default)]
    pub organization: Option<String>,
    /// RFC 7638 thumbprint of the DPoP key this token is bound to.
    #[serde(default)]
    pub jkt: Option<String>,
}

#[derive(Clone, Debug)]
pub struct LoginTicket {
    pub client_id: String,
    pub user_id: String,
    pub expires_ms: u64,
}

#[derive(Clone, Debug)]
pub struct Otp {
    pub code: String,
    pub expires_ms: u64,
    pub attempts: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeviceStatus {
    Pending,
    Approved { user_id: String, auth_time: u64 },
    Denied,
}

#[derive(Clone, Debug)]
pub struct Device {
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub audience: Option<String>,
    pub expires_ms: u64,
    pub interval_ms: u64,
    pub last_poll_ms: Option<u64>,
    pub status: DeviceStatus,
}

#[derive(Default)]
pub struct Inner {
    pub users: BTreeMap<String, User>,
    pub sessions: HashMap<String, Session>,
    pub codes: HashMap<String, AuthCode>,
    pub refresh: HashMap<String, RefreshToken>,
    /// `jti`s of spent single-use tickets (`wresult`), with their expiry.
    pub spent: HashMap<String, u64>,
    pub login_tickets: HashMap<String, LoginTicket>,
    /// (connection, email|phone) -> code
    pub otps: HashMap<(String, String), Otp>,
    /// device_code -> device
    pub devices: HashMap<String, Device>,
    /// password reset ticket -> (user_id, expiry)
    pub resets: HashMap<String, (String, u64)>,
    /// social provider page transactions
    pub social: HashMap<String, (AuthTx, u64)>,
    pub counter: u64,
}

impl Inner {
    /// The primary user owning `connection` + `login`, including linked secondaries.
    pub fn find_login(&self, connection: &str, login: &str) -> Option<(&User, &User)> {
        for u in self.users.values() {
            if u.matches_login(connection, login) {
                return Some((u, u));
            }
            if let Some(s) = u.linked.iter().find(|s| s.matches_login(connection, login)) {
                return Some((u, s));
            }
        }
        None
    }

    pub fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Drop expired one-time entries (called opportunistically).
    pub fn sweep(&mut self, now: u64) {
        self.codes.retain(|_, c| c.expires_ms > now);
        self.spent.retain(|_, e| *e > now);
        self.login_tickets.retain(|_, t| t.expires_ms > now);
        self.social.retain(|_, (_, e)| *e > now);
        self.resets.retain(|_, (_, e)| *e > now);
        self.otps.retain(|_, o| o.expires_ms > now);
        self.devices.retain(|_, d| d.expires_ms + 3_600_000 > now);
    }
}

pub struct Store {
    inner: Mutex<Inner>,
    pub db: Option<Db>,
}

impl Store {
    pub fn new(cfg: &Config, db: Option<Db>) -> Result<Store, String> {
        let mut inner = Inner::default();
        for uc in &cfg.users {
            let id = if uc.user_id.is_empty() {
                format!("auth0|{}", random_hex(12))
            } else {
                uc.user_id.clone()
            };
            let mut u = User::new(id, &uc.connection);
            u.email = Some(uc.email.clone()).filter(|e| !e.is_empty());
            u.username = uc.username.clone();
            u.email_verified = uc.email_verified;
            if !uc.password.is_empty() {
                u.password_hash = Some(hash_password(&uc.password));
            }
            u.name = uc.name.clone().unwrap_or_default();
            u.nickname = uc.nickname.clone().unwrap_or_default();
            u.user_metadata = uc.user_metadata.clone();
            u.app_metadata = uc.app_metadata.clone();
            u.fill_profile();
            inner.users.insert(u.user_id.clone(), u);
        }
        if let Some(db) = &db {
            let persisted: Vec<User> = db.load("user")?;
            if persisted.is_empty() {
                for u in inner.users.values() {
                    db.put("user", &u.user_id, u);
                }
            } else {
                // The database wins over the seed: it holds signups, links, metadata.
                inner.users.clear();
                for u in persisted {
                    inner.users.insert(u.user_id.clone(), u);
                }
            }
            let now = now_ms();
            for (id, s) in db.load_keyed::<Session>("session")? {
                if s.expires_ms > now {
                    inner.sessions.insert(id, s);
                }
            }
            for (id, r) in db.load_keyed::<RefreshToken>("refresh")? {
                inner.refresh.insert(id, r);
            }
        }
        inner.counter = 1_000_000;
        Ok(Store {
            inner: Mutex::new(inner),
            db,
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn persist_user(&self, u: &User) {
        if let Some(db) = &self.db {
            db.put("user", &u.user_id, u);
        }
    }

    pub fn forget_user(&self, id: &str) {
        if let Some(db) = &self.db {
            db.delete("user", id);
        }
    }

    pub fn persist_session(&self, id: &str, s: Option<&Session>) {
        if let Some(db) = &self.db {
            match s {
                Some(s) => db.put("session", id, s),
                None => db.delete("session", id),
            }
        }
    }

    pub fn persist_refresh(&self, id: &str, r: Option<&RefreshToken>) {
        if let Some(db) = &self.db {
            match r {
                Some(r) => db.put("refresh", id, r),
                None => db.delete("refresh", id),
            }
        }
    }

    /// Start an SSO session for `user_id`; its id (the cookie value).
    pub fn new_session(&self, user_id: &str, lifetime_secs: u64) -> (String, Session) {
        let id = crate::util::random_token(24);
        let now = now_ms();
        let s = Session {
            user_id: user_id.to_string(),
            auth_time: now / 1000,
            expires_ms: now + lifetime_secs * 1000,
        };
        self.lock().sessions.insert(id.clone(), s.clone());
        self.persist_session(&id, Some(&s));
        (id, s)
    }

    /// The live session named by a cookie value.
    pub fn session(&self, id: &str) -> Option<Session> {
        let g = self.lock();
        let s = g.sessions.get(id)?;
        if s.expires_ms <= now_ms() || !g.users.contains_key(&s.user_id) {
            return None;
        }
        Some(s.clone())
    }

    pub fn end_session(&self, id: &str) {
        self.lock().sessions.remove(id);
        self.persist_session(id, None);
    }

    /// Record a successful login on the user.
    pub fn touch_login(&self, user_id: &str) {
        let mut g = self.lock();
        if let Some(u) = g.users.get_mut(user_id) {
            u.last_login_ms = Some(now_ms());
            u.logins_count += 1;
        }
    }

    /// Find or create the user of a passwordless connection (`email` or `sms`).
    pub fn passwordless_user(&self, connection: &str, to: &str) -> User {
        let mut g = self.lock();
        if let Some((p, _)) = g.find_login(connection, to) {
            return p.clone();
        }
        let mut u = User::new(format!("{connection}|{}", random_hex(12)), connection);
        if connection == "sms" {
            u.phone_number = Some(to.to_string());
        } else {
            u.email = Some(to.to_string());
            u.email_verified = true;
        }
        u.fill_profile();
        g.users.insert(u.user_id.clone(), u.clone());
        drop(g);
        self.persist_user(&u);
        u
    }

    /// Check a database user's credentials; the (primary) user on success.
    pub fn check_credentials(&self, connection: &str, login: &str, password: &str) -> Option<User> {
        let g = self.lock();
        let (primary, holder) = g.find_login(connection, login)?;
        let ok = holder
            .password_hash
            .as_deref()
            .is_some_and(|h| check_password(h, password));
        ok.then(|| primary.clone())
    }
}

/// Is `connection` a database connection of this tenant?
pub fn is_db_connection(c: &str) -> bool {
    c == DB_CONNECTION
}
