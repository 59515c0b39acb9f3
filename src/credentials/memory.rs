//! The memory backend: the blob lives in the store, gone at exit.

use super::lock::LocalLock;
use super::{CredentialStore, SecretBytes, StoreLock};
use crate::error::Result;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A store in this process's memory. Its lock is its own (no other process
/// can see the blob, so none needs to be excluded).
#[derive(Default)]
pub struct MemoryStore {
    blob: Mutex<Option<SecretBytes>>,
    lock: Arc<LocalLock>,
    generation: AtomicU64,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStore")
    }
}

impl CredentialStore for MemoryStore {
    fn load(&self) -> Result<Option<SecretBytes>> {
        Ok(self.blob.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn save(&self, blob: &[u8]) -> Result<()> {
        let mut held = self.blob.lock().unwrap_or_else(|p| p.into_inner());
        *held = Some(SecretBytes::from(blob));
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn delete(&self) -> Result<()> {
        let mut held = self.blob.lock().unwrap_or_else(|p| p.into_inner());
        *held = None;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn lock(&self) -> Result<StoreLock> {
        Ok(StoreLock::local_on(self.lock.clone()))
    }

    fn generation(&self) -> Option<u64> {
        Some(self.generation.load(Ordering::SeqCst))
    }
}
