//! The credentials manager: keeps a user logged in across restarts.

use super::options::{ClearOptions, CredentialsOptions, StorageOptions};
use super::renewal::{gate_for, revoke_failed};
use super::stored::{Credentials, Stored};
use super::{CredentialStore, SecretBytes};
use crate::error::{Error, ErrorKind, Result};
use crate::flows::authentication::AuthResult;
use crate::secret::AccessToken;
use crate::tokens::id_token::Expectations;
use crate::transaction::now_secs;
use crate::webauth::WebAuth;
use crate::IdTokenClaims;
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub(super) const LOG_TARGET: &str = crate::logging::CREDENTIALS;

/// Stores the credentials of a login and gives them back, renewed with the
/// refresh token when they expire — safely under refresh-token rotation.
///
/// Share one manager between threads with an `Arc` (it is `Send + Sync`).
/// Renewals are serialised per store: across the threads of this process
/// by an in-process gate, and across processes by the store's lock (an
/// `flock` beside an encrypted file). A caller that waited for another's
/// renewal reuses its result instead of presenting the rotated-out refresh
/// token, and the rotated refresh token is persisted (atomically) before
/// [`credentials`](CredentialsManager::credentials) returns.
///
/// **Killed mid-renewal.** The store is never torn (every backend replaces
/// its blob atomically). If the process dies after the tenant rotated the
/// refresh token but before the new one was saved, the store still holds
/// the old one; the next start presents it, and the tenant accepts it
/// again only within its *refresh token reuse interval* (Auth0 dashboard:
/// Application → Refresh Token Rotation → Reuse Interval). Past that
/// interval Auth0 treats it as a stolen token and revokes the whole family
/// (`renew_failed` with cause `invalid_grant`): the user must log in again.
/// A reuse interval of a few seconds or more makes a crash mid-renewal
/// harmless for a process that restarts within it.
///
/// ```
/// use auth0_native::{AuthResult, CredentialsManager, CredentialsOptions, WebAuth};
/// use auth0_native::credentials::MemoryStore;
/// use std::sync::Arc;
///
/// let web = Arc::new(WebAuth::new(&serde_json::json!({"domain": "me.auth0.com", "clientID": "abc"}))?);
/// let manager = CredentialsManager::new(web, Arc::new(MemoryStore::new()));
/// // After a login: store its result (no network; no id_token here).
/// manager.save(&AuthResult {
///     access_token: Some("eyJ.access".into()),
///     expires_in: Some(3600),
///     ..Default::default()
/// })?;
/// assert!(manager.has_valid_credentials(60)?);
/// // Valid for longer than minTtl: served from the store, no network.
/// let creds = manager.credentials(&CredentialsOptions { min_ttl: 60, ..Default::default() })?;
/// assert_eq!(creds.access_token.secret(), "eyJ.access");
/// manager.clear(&auth0_native::ClearOptions { revoke: false })?;
/// assert!(!manager.has_valid_credentials(0)?);
/// # Ok::<(), auth0_native::Error>(())
/// ```
pub struct CredentialsManager {
    pub(super) web: Arc<WebAuth>,
    pub(super) store: Arc<dyn CredentialStore>,
    /// One renewal at a time per store in this process (threads wait here
    /// rather than all queueing on the store's lock).
    pub(super) gate: Arc<Mutex<()>>,
    /// The last blob read and its decoded form: a load that gives the same
    /// bytes back is not decoded again.
    cache: Mutex<Option<Cached>>,
}

struct Cached {
    blob: SecretBytes,
    /// The store's generation when `blob` was last seen in it.
    generation: Option<u64>,
    stored: Stored,
}

impl std::fmt::Debug for CredentialsManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsManager")
            .field("domain", &self.web.domain().origin())
            .finish_non_exhaustive()
    }
}

impl CredentialsManager {
    /// A manager over `web` (the tenant and client) and `store`.
    pub fn new(web: Arc<WebAuth>, store: Arc<dyn CredentialStore>) -> CredentialsManager {
        CredentialsManager {
            gate: gate_for(&store),
            web,
            store,
            cache: Mutex::new(None),
        }
    }

    /// A manager over the store `storage` describes (memory, an encrypted
    /// file, the OS keyring).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option when one is missing or ill-typed (nothing is sent);
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be opened.
    pub fn with_storage(web: Arc<WebAuth>, storage: &StorageOptions) -> Result<CredentialsManager> {
        Ok(CredentialsManager::new(web, storage.open()?))
    }

    /// Stores the credentials of a login (replacing what was stored). The
    /// result needs an `accessToken` and `expiresIn`; an `idToken` whose
    /// payload is missing is verified first (signature, issuer, audience,
    /// expiry), so [`user`](CredentialsManager::user) only ever gives
    /// verified claims.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `result` has no access token or `expiresIn`;
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be written.
    pub fn save(&self, result: &AuthResult) -> Result<()> {
        let stored = self.stored_from_login(result)?;
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let _lock = self.store.lock()?;
        self.write(&stored)?;
        log::info!(target: LOG_TARGET, "credentials saved");
        Ok(())
    }

    /// The stored credentials, renewed first when the access token expires
    /// within `min_ttl` seconds or does not cover the `scope` or
    /// `audience` asked for. Errors: `no_credentials` (nothing stored),
    /// `no_refresh_token` (renewal needed but impossible), `renew_failed`
    /// (the tenant refused or could not be reached: see
    /// [`Error::cause`] and [`Error::retryable`]), storage errors.
    ///
    /// A renewal's result is returned even when the tenant's access-token
    /// lifetime is shorter than `min_ttl` (it is saved either way: the
    /// rotated refresh token must not be lost); check
    /// [`Credentials::expires_in`] if that matters.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Credentials`](crate::ErrorKind::Credentials) with code
    /// `no_credentials`, `no_refresh_token` or `renew_failed` (the server's
    /// code in [`Error::cause`](crate::Error::cause));
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read or written.
    pub fn credentials(&self, options: &CredentialsOptions) -> Result<Credentials> {
        let stored = self.load()?.ok_or_else(no_credentials)?;
        if satisfies(&stored, options, now_secs()) {
            return Ok(stored.credentials);
        }
        self.renew(&stored, options)
    }

    /// Whether [`credentials`](CredentialsManager::credentials) can give
    /// credentials without a login: an access token valid for more than
    /// `min_ttl_secs`, or a refresh token to renew with. Never the network.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read.
    pub fn has_valid_credentials(&self, min_ttl_secs: u64) -> Result<bool> {
        Ok(self.load()?.is_some_and(|s| {
            s.credentials.refresh_token.is_some()
                || s.credentials.expires_at > now_secs().saturating_add(min_ttl_secs)
        }))
    }

    /// The verified `id_token` claims of the stored credentials; `None` when
    /// nothing is stored or no `id_token` was. Never the network.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read.
    pub fn user(&self) -> Result<Option<IdTokenClaims>> {
        Ok(self.load()?.and_then(|s| s.credentials.id_token_payload))
    }

    /// Ends the session: with `revoke` (the default) the refresh token is
    /// revoked at the tenant first (`POST /oauth/revoke`, which revokes its
    /// whole family); if that fails the store is kept and the error is
    /// `revoke_failed`. Then the stored credentials are removed. Clearing
    /// an empty store succeeds.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Credentials`](crate::ErrorKind::Credentials) with code
    /// `revoke_failed` when the revocation fails (the store is then kept);
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be read or removed.
    pub fn clear(&self, options: &ClearOptions) -> Result<()> {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let _lock = self.store.lock()?;
        if options.revoke {
            if let Some(rt) = self.load()?.and_then(|s| s.credentials.refresh_token) {
                self.web.revoke(&rt).map_err(revoke_failed)?;
                log::info!(target: LOG_TARGET, "refresh token revoked");
            }
        }
        self.store.delete()?;
        *self.cache.lock().unwrap_or_else(|p| p.into_inner()) = None;
        log::info!(target: LOG_TARGET, "credentials cleared");
        Ok(())
    }

    /// Reads the store (decoding only a blob not seen before; not even
    /// loading one a store says is unchanged).
    pub(super) fn load(&self) -> Result<Option<Stored>> {
        let generation = self.store.generation();
        if let Some(g) = generation {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = cache.as_ref().filter(|c| c.generation == Some(g)) {
                return Ok(Some(c.stored.clone()));
            }
        }
        let blob = self.store.load()?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let Some(blob) = blob else {
            *cache = None;
            return Ok(None);
        };
        if let Some(c) = cache.as_mut() {
            if c.blob.expose() == blob.expose() {
                c.generation = generation;
                return Ok(Some(c.stored.clone()));
            }
        }
        let stored = Stored::from_blob(blob.expose())?;
        self.bind_dpop_key(&stored)?;
        *cache = Some(Cached {
            blob,
            generation,
            stored: stored.clone(),
        });
        Ok(Some(stored))
    }

    /// Replaces the stored credentials (atomically: the backends' `save`).
    pub(super) fn write(&self, stored: &Stored) -> Result<()> {
        let blob = stored.to_blob()?;
        self.store.save(blob.expose())?;
        // The generation is read again at the next load (a save by another
        // manager of the same store changes it afterwards).
        *self.cache.lock().unwrap_or_else(|p| p.into_inner()) = Some(Cached {
            blob,
            generation: None,
            stored: stored.clone(),
        });
        Ok(())
    }

    fn stored_from_login(&self, result: &AuthResult) -> Result<Stored> {
        let access_token = result
            .access_token
            .clone()
            .filter(|t| !t.secret().is_empty())
            .ok_or_else(|| Error::invalid_argument("accessToken is required"))?;
        let expires_in = result
            .expires_in
            .ok_or_else(|| Error::invalid_argument("expiresIn is required"))?;
        let now = now_secs();
        let id_token_payload = match (&result.id_token, &result.id_token_payload) {
            (_, Some(p)) => Some(p.clone()),
            (Some(id), None) => Some(self.verify_id_token(id.secret(), &access_token, now)?),
            (None, None) => None,
        };
        let base = |k: &str| {
            self.web
                .base_options()
                .get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(Stored {
            credentials: Credentials {
                access_token,
                token_type: result.token_type.clone().unwrap_or_else(|| "Bearer".into()),
                id_token: result.id_token.clone(),
                refresh_token: result.refresh_token.clone(),
                expires_at: expires_at(now, expires_in),
                scope: result.scope.clone().or_else(|| base("scope")),
                id_token_payload,
            },
            audience: base("audience"),
            dpop_key: self.web.dpop_key().map(|k| k.to_pkcs8()).transpose()?,
        })
    }

    /// Binds the handle to the DPoP key `stored`'s tokens are bound to (a
    /// handle made after a restart has another key, or none), so that the
    /// access token can be used and the refresh token renewed.
    pub(super) fn bind_dpop_key(&self, stored: &Stored) -> Result<()> {
        let Some(pkcs8) = &stored.dpop_key else {
            return Ok(());
        };
        let key = crate::DpopKey::from_pkcs8(pkcs8)
            .map_err(|_| Error::storage("the stored DPoP key is not readable"))?;
        let bound = self
            .web
            .dpop_key()
            .is_some_and(|k| k.thumbprint() == key.thumbprint());
        if !bound {
            self.web.set_dpop_key(Some(key));
        }
        Ok(())
    }

    fn verify_id_token(
        &self,
        id_token: &str,
        access_token: &AccessToken,
        now: u64,
    ) -> Result<IdTokenClaims> {
        let expect = Expectations {
            nonce: None,
            max_age: None,
            access_token: Some(access_token.secret()),
            require_at_hash: false,
            // The organization was checked when the login was parsed; a
            // refresh keeps the session's organization.
            organization: None,
        };
        self.web.verifier().verify(id_token, &expect, now)
    }
}

/// `now + expires_in`, a negative lifetime counting as expired.
pub(super) fn expires_at(now: u64, expires_in: i64) -> u64 {
    now.saturating_add(expires_in.max(0).unsigned_abs())
}

/// The stored credentials can be given out as they are.
pub(super) fn satisfies(s: &Stored, o: &CredentialsOptions, now: u64) -> bool {
    s.credentials.expires_at > now.saturating_add(o.min_ttl) && covers(s, o)
}

/// The stored access token carries the scope and audience asked for.
pub(super) fn covers(s: &Stored, o: &CredentialsOptions) -> bool {
    let scope_ok = o
        .scope
        .as_deref()
        .filter(|w| !w.is_empty())
        .is_none_or(|w| s.credentials.covers_scope(w));
    let audience_ok = o
        .audience
        .as_deref()
        .filter(|a| !a.is_empty())
        .is_none_or(|a| s.audience.as_deref() == Some(a));
    scope_ok && audience_ok
}

/// `no_credentials`: nothing is stored (log in, then `save`).
pub(super) fn no_credentials() -> Error {
    Error::new(
        ErrorKind::Credentials,
        "No credentials were found in the store.",
    )
    .with_code("no_credentials")
}

/// `no_refresh_token`: the access token must be renewed but no refresh
/// token is stored (log in with the `offline_access` scope).
pub(super) fn no_refresh_token() -> Error {
    Error::new(
        ErrorKind::Credentials,
        "The stored credentials need renewing and have no refresh token (ask for the offline_access scope).",
    )
    .with_code("no_refresh_token")
}
