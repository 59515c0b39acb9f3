//! The host backend: the app keeps the blob (a game's save system).
//!
//! [`HostBackend`] is the shape the C face (load/save/delete callbacks with
//! a user-data pointer, returning a status) and the Python face (an object
//! with `load`/`save`/`delete`) will be adapted to: bytes in, bytes out, a
//! failure carrying the app's own message.

use super::{CredentialStore, LockScope, SecretBytes, StoreLock};
use crate::error::{Error, Result};
use std::fmt;

/// A failure reported by the app's storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostError {
    message: String,
}

impl HostError {
    /// A failure described by `message` (shown to the app again in the
    /// `storage_error`: it must not contain the stored bytes).
    pub fn new(message: impl Into<String>) -> HostError {
        HostError {
            message: message.into(),
        }
    }

    /// What the host said went wrong (it must not contain a secret).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// What the app implements to keep the blob itself.
pub trait HostBackend: Send + Sync {
    /// The stored blob, or `None` when there is none.
    ///
    /// # Errors
    ///
    /// The host's own [`HostError`], which the store reports as a storage
    /// error.
    fn load(&self) -> std::result::Result<Option<Vec<u8>>, HostError>;
    /// Stores `blob` in place of the previous one, atomically as far as the
    /// app's storage allows.
    ///
    /// # Errors
    ///
    /// The host's own [`HostError`], which the store reports as a storage
    /// error.
    fn save(&self, blob: &[u8]) -> std::result::Result<(), HostError>;
    /// Removes the blob; removing nothing must succeed.
    ///
    /// # Errors
    ///
    /// The host's own [`HostError`], which the store reports as a storage
    /// error.
    fn delete(&self) -> std::result::Result<(), HostError>;
}

/// A store whose bytes the app keeps, through a [`HostBackend`].
pub struct HostStore {
    backend: Box<dyn HostBackend>,
    identity: String,
    scope: LockScope,
}

impl HostStore {
    /// A store on `backend`. `identity` names the stored credential for the
    /// lock (handles with the same identity and scope exclude each other);
    /// `scope` says whether other processes share that lock.
    #[must_use]
    pub fn new(backend: Box<dyn HostBackend>, identity: &str, scope: LockScope) -> HostStore {
        HostStore {
            backend,
            identity: format!("host:{identity}"),
            scope,
        }
    }
}

impl fmt::Debug for HostStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostStore")
            .field("identity", &self.identity)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

fn host_error(op: &str, e: &HostError) -> Error {
    Error::storage(format!("the host store's {op} failed: {}", e.message))
}

impl CredentialStore for HostStore {
    fn load(&self) -> Result<Option<SecretBytes>> {
        self.backend
            .load()
            .map(|b| b.map(SecretBytes::new))
            .map_err(|e| host_error("load", &e))
    }

    fn save(&self, blob: &[u8]) -> Result<()> {
        self.backend.save(blob).map_err(|e| host_error("save", &e))
    }

    fn delete(&self) -> Result<()> {
        self.backend.delete().map_err(|e| host_error("delete", &e))
    }

    fn lock(&self) -> Result<StoreLock> {
        StoreLock::in_scope(&self.scope, &self.identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Slot(Mutex<Option<Vec<u8>>>, bool);

    impl HostBackend for Slot {
        fn load(&self) -> std::result::Result<Option<Vec<u8>>, HostError> {
            Ok(self.0.lock().unwrap().clone())
        }
        fn save(&self, blob: &[u8]) -> std::result::Result<(), HostError> {
            if self.1 {
                return Err(HostError::new("disk full"));
            }
            *self.0.lock().unwrap() = Some(blob.to_vec());
            Ok(())
        }
        fn delete(&self) -> std::result::Result<(), HostError> {
            *self.0.lock().unwrap() = None;
            Ok(())
        }
    }

    #[test]
    fn host_store_round_trips_through_the_backend() {
        let s = HostStore::new(Box::<Slot>::default(), "game", LockScope::Process);
        assert!(s.load().unwrap().is_none());
        s.save(b"blob").unwrap();
        assert_eq!(s.load().unwrap().unwrap().expose(), b"blob");
        s.delete().unwrap();
        assert!(s.load().unwrap().is_none());
        drop(s.lock().unwrap());
    }

    #[test]
    fn a_host_failure_is_a_storage_error_with_the_hosts_words() {
        let s = HostStore::new(
            Box::new(Slot(Mutex::new(None), true)),
            "game",
            LockScope::Process,
        );
        let e = s.save(b"secret-blob").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Storage);
        assert_eq!(e.code(), "storage_error");
        assert!(e.description().contains("disk full"), "{e}");
        assert!(!e.description().contains("secret-blob"), "{e}");
    }
}
