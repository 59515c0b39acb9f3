//! The OS keyring backend, through the `keyring` crate: the Secret Service
//! (pure-Rust D-Bus, no libdbus) on Linux and the BSDs, the Keychain on
//! macOS, the Credential Manager on Windows.

use super::{unavailable, CredentialStore, LockScope, SecretBytes, StoreLock};
use crate::error::{Error, Result};
use keyring::Error as KeyringError;
use std::fmt;

/// A credential blob in one keyring entry (`service`, `account`).
///
/// A keyring has no lock other processes could share: the lock is the
/// process-local one unless [`KeyringStore::with_lock_scope`] names a
/// directory for a lock file.
pub struct KeyringStore {
    entry: keyring::Entry,
    service: String,
    account: String,
    scope: LockScope,
}

impl KeyringStore {
    /// The entry for `service` and `account` (e.g. `auth0-native:<domain>`
    /// and the client ID). Nothing is read until the first `load`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `service` or `account` is empty.
    pub fn new(service: &str, account: &str) -> Result<KeyringStore> {
        if service.is_empty() {
            return Err(Error::invalid_argument(
                "keyring service option is required",
            ));
        }
        if account.is_empty() {
            return Err(Error::invalid_argument(
                "keyring account option is required",
            ));
        }
        let entry = keyring::Entry::new(service, account)
            .map_err(|e| map_error("open the keyring entry", e))?;
        Ok(KeyringStore {
            entry,
            service: service.to_owned(),
            account: account.to_owned(),
            scope: LockScope::Process,
        })
    }

    /// Takes the refresh lock in `scope` instead of the process-local one.
    #[must_use]
    pub fn with_lock_scope(mut self, scope: LockScope) -> KeyringStore {
        self.scope = scope;
        self
    }

    fn identity(&self) -> String {
        format!("keyring:{}\u{0}{}", self.service, self.account)
    }
}

impl fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringStore")
            .field("service", &self.service)
            .field("account", &self.account)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Maps a keyring failure by its variant, never by its `Display` alone:
/// `BadEncoding` and `BadDataFormat` carry the stored bytes.
fn map_error(op: &str, e: KeyringError) -> Error {
    match e {
        KeyringError::NoStorageAccess(p) => unavailable(format!(
            "could not {op}: the keyring is not accessible ({p})"
        )),
        KeyringError::NoDefaultStore => unavailable(format!(
            "could not {op}: no keyring is available (on Linux, a Secret Service such as gnome-keyring on the session bus)"
        )),
        KeyringError::PlatformFailure(p) => {
            unavailable(format!("could not {op}: the keyring failed ({p})"))
        }
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            super::tampered(format_args!("the keyring entry ({op})"))
        }
        KeyringError::Ambiguous(_) => Error::storage(format!(
            "could not {op}: several keyring entries match this service and account"
        )),
        KeyringError::TooLong(attr, limit) => Error::storage(format!(
            "could not {op}: the keyring limits {attr} to {limit}"
        )),
        KeyringError::Invalid(attr, why) => {
            Error::storage(format!("could not {op}: keyring {attr} is not valid ({why})"))
        }
        other => Error::storage(format!("could not {op}: {other}")),
    }
}

impl CredentialStore for KeyringStore {
    fn load(&self) -> Result<Option<SecretBytes>> {
        match self.entry.get_secret() {
            Ok(bytes) => Ok(Some(SecretBytes::new(bytes))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map_error("read the keyring entry", e)),
        }
    }

    fn save(&self, blob: &[u8]) -> Result<()> {
        self.entry
            .set_secret(blob)
            .map_err(|e| map_error("write the keyring entry", e))
    }

    fn delete(&self) -> Result<()> {
        match self.entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(map_error("delete the keyring entry", e)),
        }
    }

    fn lock(&self) -> Result<StoreLock> {
        StoreLock::in_scope(&self.scope, &self.identity())
    }
}
