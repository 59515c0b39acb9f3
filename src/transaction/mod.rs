//! The transaction store: auth0.js's `localStorage` entries, natively.
//!
//! `authorize` records what the answer must match (state, response type,
//! redirect URI, nonce, the PKCE verifier, appState); `parseHash` takes the
//! entry out again — read and delete in one step, before any check, so an
//! entry is single use even when validation then fails. The one exception:
//! a failure before the server could act on the code (no connection, a
//! 503, the JWKS unreachable) puts the entry back, so the app can retry the
//! same callback. Entries expire (default 30 minutes).
//!
//! Two stores: in memory (default, per handle) and a file (an app that the
//! OS starts *again* with the callback URL of a custom scheme needs the
//! transaction its first run recorded). The file is mode 0600 in a
//! directory of the user's that nobody else can write, never reached
//! through a symlink, and every read-modify-write holds an exclusive
//! `flock`, so several processes may share it.

mod config;
mod file_store;
#[cfg(test)]
mod tests;

pub(crate) use config::TransactionConfig;
pub use file_store::FileStore;

use crate::error::{Error, Result};
use crate::options::{optional_f64, optional_object, optional_str, Options};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default lifetime of a transaction (Part A: 30 minutes, as auth0.js v9).
pub const DEFAULT_TTL: Duration = Duration::from_secs(30 * 60);

/// The most entries a memory store keeps; the ones closest to expiry are
/// dropped first. Bounds memory when an app calls `authorize` in a loop.
const MEMORY_CAP: usize = 1024;

/// What `parseHash` needs to check the answer to one `/authorize` request.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// The `state` sent to `/authorize`: the key of the entry.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The nonce sent, checked against the `id_token`.
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The caller's `appState`, handed back in the authResult.
    pub app_state: Option<Value>,
    /// The PKCE verifier, a secret: never printed (see the `Debug` impl).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The `redirect_uri` sent; the callback must come to it.
    pub redirect_uri: Option<String>,
    /// The `response_type` sent to `/authorize`: the callback must carry
    /// exactly what it asked for (a code flow only a `code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<String>,
    /// `max_age` sent to `/authorize`, checked against `auth_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
    /// The `organization` sent to `/authorize` (an `org_…` id or a name),
    /// checked against the `id_token`'s `org_id` / `org_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Seconds since the Unix epoch after which the entry is void.
    pub expires_at: u64,
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("app_state", &self.app_state)
            .field(
                "code_verifier",
                &self.code_verifier.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri)
            .field("response_type", &self.response_type)
            .field("max_age", &self.max_age)
            .field("organization", &self.organization)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Transaction {
    fn expired(&self, now: u64) -> bool {
        now >= self.expires_at
    }
}

/// Where transactions are kept. Implementations are shared by all threads
/// using a handle.
pub trait TransactionStore: Send + Sync {
    /// Records `tx` under its state (replacing an entry with the same state).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be written.
    fn put(&self, tx: Transaction) -> Result<()>;
    /// Removes and returns the entry for `state` if it exists and has not
    /// expired.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read or written.
    fn take(&self, state: &str) -> Result<Option<Transaction>>;
}

/// The default store: a map in the handle's memory.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Transaction>>,
}

impl TransactionStore for MemoryStore {
    fn put(&self, tx: Transaction) -> Result<()> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let now = now_secs();
        map.retain(|_, t| !t.expired(now));
        if map.len() >= MEMORY_CAP {
            if let Some(oldest) = map
                .values()
                .min_by_key(|t| t.expires_at)
                .map(|t| t.state.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(tx.state.clone(), tx);
        Ok(())
    }

    fn take(&self, state: &str) -> Result<Option<Transaction>> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map.remove(state).filter(|t| !t.expired(now_secs())))
    }
}
