//! Where a credentials manager keeps its credentials: one trait, four
//! backends.
//!
//! A [`CredentialStore`] holds one opaque blob (the serialized credentials
//! of one user of one client) and offers a lock that the manager holds
//! around a refresh, so that at most one refresh of a stored credential runs
//! at a time — across threads, and across processes when the store is
//! shared between them. The backends:
//!
//! - [`MemoryStore`]: in the process, gone at exit;
//! - [`EncryptedFileStore`]: AES-256-GCM in a private file, for machines
//!   without a keyring (kiosks, containers); the key comes from the app or
//!   from the OS keyring;
//! - [`KeyringStore`] (cargo feature `keyring`, on by default): the OS
//!   keyring (Secret Service, Keychain, Credential Manager);
//! - [`HostStore`]: the app's own callbacks (a game's save system).
//!
//! Every failure is an [`Error`] of kind [`ErrorKind::Storage`] with one of
//! the codes below; no message ever contains a stored byte or key material.
//!
//! Over a store, the [`CredentialsManager`] keeps a user logged in: it
//! saves a login's result, gives the credentials back, renews them with the
//! refresh token when they expire (one renewal at a time per store, across
//! threads and processes, rotation-safe) and revokes them on `clear`.
//!
//! [`ErrorKind::Storage`]: crate::ErrorKind::Storage

mod file;
mod host;
mod lock;
mod manager;
mod memory;
pub(crate) mod options;
#[cfg(feature = "keyring")]
mod os_keyring;
mod private_file;
mod renewal;
mod stored;

pub use file::{EncryptedFileStore, FileKey, KEY_LEN};
pub use host::{HostBackend, HostError, HostStore};
pub use lock::{LockScope, StoreLock};
pub use manager::CredentialsManager;
pub use memory::MemoryStore;
pub use options::{ClearOptions, CredentialsOptions, KeyringEntry, StorageKey, StorageOptions};
#[cfg(feature = "keyring")]
pub use os_keyring::KeyringStore;
pub use stored::{Credentials, STORED_VERSION};

use crate::error::{Error, Result};
use std::fmt;
use zeroize::Zeroize;

/// The code of a storage failure with no more specific code: I/O errors,
/// a host callback that failed.
pub const STORAGE_ERROR: &str = "storage_error";
/// The code of a stored blob that does not authenticate: a flipped bit, a
/// truncation, a file from another path or no credentials file at all.
/// Such a store never loads as tokens.
pub const STORAGE_TAMPERED: &str = "storage_tampered";
/// The code of a store refused for its permissions: a symlink at the path, a
/// file or directory owned by someone else, a directory others can write.
pub const STORAGE_PERMISSIONS: &str = "storage_permissions";
/// The code of a store that cannot be reached: no Secret Service on the
/// session bus, a locked keychain, a missing encryption key.
pub const STORAGE_UNAVAILABLE: &str = "storage_unavailable";

/// Bytes that must not leak: zeroed when dropped, redacted by `Debug`, read
/// only through [`SecretBytes::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Takes ownership of `bytes` (no copy is left behind).
    #[must_use]
    pub fn new(bytes: Vec<u8>) -> SecretBytes {
        SecretBytes(bytes)
    }

    /// The secret bytes.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The number of bytes held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no bytes are held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&[u8]> for SecretBytes {
    fn from(bytes: &[u8]) -> SecretBytes {
        SecretBytes(bytes.to_vec())
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<redacted, {} bytes>)", self.0.len())
    }
}

/// One stored credential blob, and the lock that serialises its refresh.
///
/// Implementations are shared by every thread of a handle. `save` replaces
/// the blob atomically: a reader (or a process killed mid-save) sees the old
/// blob or the new one, never a mix.
pub trait CredentialStore: Send + Sync {
    /// The stored blob, or `None` when nothing is stored.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the blob cannot
    /// be read.
    fn load(&self) -> Result<Option<SecretBytes>>;
    /// Stores `blob`, replacing what was there.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the blob cannot
    /// be written.
    fn save(&self, blob: &[u8]) -> Result<()>;
    /// Removes the stored blob; removing nothing is not an error.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the blob cannot
    /// be removed.
    fn delete(&self) -> Result<()>;
    /// Waits for and takes the store's exclusive lock, held until the guard
    /// drops. Not re-entrant: a thread that holds it must not take it again.
    /// `load`, `save` and `delete` do not take it themselves, so the holder
    /// may call them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the lock cannot
    /// be taken.
    fn lock(&self) -> Result<StoreLock>;
    /// A counter that changes whenever the blob does, for a store that can
    /// tell without a `load` (only this process can reach it); `None`
    /// (the default) when another process or the app may change the blob
    /// behind the store's back. Lets a manager skip decoding an unchanged
    /// blob.
    fn generation(&self) -> Option<u64> {
        None
    }
}

pub(crate) fn tampered(what: impl fmt::Display) -> Error {
    Error::storage(format!(
        "{what}: the stored credentials do not authenticate (tampered, truncated or not written by this store)"
    ))
    .with_code(STORAGE_TAMPERED)
}

pub(crate) fn permissions(message: impl Into<String>) -> Error {
    Error::storage(message).with_code(STORAGE_PERMISSIONS)
}

#[cfg_attr(not(feature = "keyring"), allow(dead_code))]
pub(crate) fn unavailable(message: impl Into<String>) -> Error {
    Error::storage(message).with_code(STORAGE_UNAVAILABLE)
}

pub(crate) fn io_error(what: &str, path: &std::path::Path, e: &std::io::Error) -> Error {
    Error::storage(format!(
        "could not {what} the credentials file {}: {e}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_bytes_debug_redacts() {
        let s = SecretBytes::new(b"refresh-token-value".to_vec());
        let d = format!("{s:?}");
        assert!(!d.contains("refresh"), "{d}");
        assert!(d.contains("19 bytes"), "{d}");
    }

    #[test]
    fn error_codes_keep_the_storage_kind() {
        for e in [tampered("x"), permissions("x"), unavailable("x")] {
            assert_eq!(e.kind(), crate::ErrorKind::Storage);
        }
        assert_eq!(tampered("x").code(), STORAGE_TAMPERED);
        assert_eq!(permissions("x").code(), STORAGE_PERMISSIONS);
        assert_eq!(unavailable("x").code(), STORAGE_UNAVAILABLE);
    }
}
