//! Renewing stored credentials with their refresh token, rotation-safe.
//!
//! Order of a renewal: the in-process gate of the store (threads of this
//! process wait here), then the store's lock (processes wait there), then
//! the store is read again: if another thread or process renewed while
//! this one waited, its result is used and no request is sent. Otherwise
//! the refresh token read *now* (never the one read before waiting) is
//! presented, and the answer is saved before the locks are released. A
//! refresh answer without a refresh token (a tenant without rotation)
//! keeps the old one; one without an `id_token` keeps the old `id_token`.

use super::manager::{covers, expires_at, no_credentials, no_refresh_token, satisfies, LOG_TARGET};
use super::options::CredentialsOptions;
use super::stored::{Credentials, Stored};
use super::{CredentialStore, CredentialsManager};
use crate::error::{Error, ErrorKind};
use crate::transaction::now_secs;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

impl CredentialsManager {
    /// Renews `seen` (what the caller read before deciding to renew).
    pub(super) fn renew(
        &self,
        seen: &Stored,
        options: &CredentialsOptions,
    ) -> crate::Result<Credentials> {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let _lock = self.store.lock()?;
        let current = self.load()?.ok_or_else(no_credentials)?;
        let now = now_secs();
        let renewed_meanwhile = current.credentials.access_token != seen.credentials.access_token;
        if satisfies(&current, options, now)
            || (renewed_meanwhile
                && current.credentials.expires_at > now
                && covers(&current, options))
        {
            log::debug!(target: LOG_TARGET, "renewal not needed: using credentials renewed while waiting");
            return Ok(current.credentials);
        }
        let refresh_token = current
            .credentials
            .refresh_token
            .clone()
            .ok_or_else(no_refresh_token)?;
        let scope = options.scope.as_deref().filter(|s| !s.is_empty());
        let audience = options.audience.as_deref().filter(|a| !a.is_empty());
        log::debug!(
            target: LOG_TARGET,
            "renewal start (scope asked: {}, audience asked: {})",
            scope.is_some(),
            audience.is_some()
        );
        let result = self
            .web
            .refresh(&refresh_token, scope, audience)
            .map_err(renewal_error)?;
        let now = now_secs();
        let old = current.credentials;
        let (id_token, id_token_payload) = match result.id_token {
            Some(id) => (Some(id), result.id_token_payload),
            None => (old.id_token, old.id_token_payload),
        };
        let renewed = Stored {
            credentials: Credentials {
                // token_request refuses an answer without one.
                access_token: result
                    .access_token
                    .ok_or_else(|| Error::internal("a token answer without an access token"))?,
                token_type: result.token_type.unwrap_or(old.token_type),
                id_token,
                refresh_token: result.refresh_token.or(old.refresh_token),
                expires_at: expires_at(now, result.expires_in.unwrap_or(0)),
                scope: result
                    .scope
                    .or_else(|| scope.map(str::to_owned))
                    .or(old.scope),
                id_token_payload,
            },
            audience: audience.map(str::to_owned).or(current.audience),
            dpop_key: current.dpop_key,
        };
        self.write(&renewed)?;
        log::info!(target: LOG_TARGET, "renewal done: credentials renewed and saved");
        Ok(renewed.credentials)
    }
}

/// The one place a failed renewal becomes the manager's error:
/// `renew_failed`, carrying the server's status, answer and code (in
/// `cause`), and whether a retry may help.
pub(crate) fn renewal_error(e: Error) -> Error {
    log::info!(target: LOG_TARGET, "renewal failed: {}", crate::logging::error(&e));
    wrap(e, "renew_failed", "The credentials could not be renewed")
}

/// `revoke_failed`, carrying the server's answer, as [`renewal_error`].
pub(crate) fn revoke_failed(e: Error) -> Error {
    wrap(e, "revoke_failed", "The refresh token could not be revoked")
}

fn wrap(e: Error, code: &str, what: &str) -> Error {
    if e.kind() == ErrorKind::InvalidArgument {
        return e;
    }
    let mut out = Error::new(
        ErrorKind::Credentials,
        format!("{what}: {}", e.description()),
    )
    .with_code(code)
    .with_cause(e.code())
    .with_retryable(e.retryable())
    .with_rate_limit(e.retry_after(), e.rate_limit_reset());
    if let Some(s) = e.status_code() {
        out = out.with_status_code(s);
    }
    if let Some(o) = e.original() {
        out = out.with_original(o.clone());
    }
    out
}

/// The renewal gate of `store`, shared by every manager over the same
/// store instance. Keyed by the store's address: a live gate keeps the
/// store it was made for alive (its managers hold both), so an address is
/// never mistaken for another store's.
pub(super) fn gate_for(store: &Arc<dyn CredentialStore>) -> Arc<Mutex<()>> {
    static GATES: OnceLock<Mutex<HashMap<usize, Weak<Mutex<()>>>>> = OnceLock::new();
    let key = Arc::as_ptr(store).cast::<()>() as usize;
    let mut gates = GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(gate) = gates.get(&key).and_then(Weak::upgrade) {
        return gate;
    }
    gates.retain(|_, g| g.strong_count() > 0);
    let gate = Arc::new(Mutex::new(()));
    gates.insert(key, Arc::downgrade(&gate));
    gate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::MemoryStore;

    #[test]
    fn managers_of_one_store_share_a_gate() {
        let a: Arc<dyn CredentialStore> = Arc::new(MemoryStore::new());
        let b: Arc<dyn CredentialStore> = Arc::new(MemoryStore::new());
        let ga = gate_for(&a);
        assert!(Arc::ptr_eq(&ga, &gate_for(&a)));
        assert!(!Arc::ptr_eq(&ga, &gate_for(&b)));
    }

    #[test]
    fn renewal_errors_keep_the_servers_answer() {
        let server = Error::new(ErrorKind::Server, "Unknown or invalid refresh token.")
            .with_code("invalid_grant")
            .with_status_code(403)
            .with_original(serde_json::json!({"error": "invalid_grant"}));
        let e = renewal_error(server);
        assert_eq!(e.kind(), ErrorKind::Credentials);
        assert_eq!(e.code(), "renew_failed");
        assert_eq!(e.cause(), Some("invalid_grant"));
        assert_eq!(e.status_code(), Some(403));
        assert_eq!(e.original().unwrap()["error"], "invalid_grant");
        assert!(!e.retryable());
        let e = renewal_error(Error::new(ErrorKind::Network, "refused"));
        assert!(e.retryable());
        assert_eq!(e.to_json()["cause"], "network_error");
    }
}
