//! The lock a manager holds around a refresh.
//!
//! Two kinds: an OS file lock (`flock`, released by the kernel when the
//! process dies, so a killed holder never wedges the store), which excludes
//! other threads *and* other processes; and a process-local lock for stores
//! no other process can reach or when the app names no directory for lock
//! files. The file backend always uses the file lock, beside the store
//! (`<path>.lock`); the keyring and host backends use the file lock in the
//! directory the app names ([`LockScope::Directory`]) and otherwise the
//! process-local one — a keyring has no lock of its own to share.

use super::private_file;
use crate::error::Result;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// Where the lock of a keyring or host store lives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LockScope {
    /// A lock shared by the threads of this process only (one per store
    /// identity, so two handles on the same entry still exclude each other).
    #[default]
    Process,
    /// A lock file in this directory (created 0700 if missing), shared by
    /// every process that names the same directory for the same entry.
    Directory(PathBuf),
}

/// An exclusive lock on a store, released on drop.
#[must_use = "the lock is released when the guard is dropped"]
pub struct StoreLock(Held);

enum Held {
    // The open lock file: closing it releases the flock.
    File(#[allow(dead_code)] std::fs::File),
    Local(Arc<LocalLock>),
}

impl fmt::Debug for StoreLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Held::File(_) => f.write_str("StoreLock(file)"),
            Held::Local(_) => f.write_str("StoreLock(process)"),
        }
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        if let Held::Local(l) = &self.0 {
            let mut held = l.held.lock().unwrap_or_else(|p| p.into_inner());
            *held = false;
            l.freed.notify_one();
        }
    }
}

impl StoreLock {
    /// Takes the `flock` on `path` (created 0600, never through a symlink).
    /// A fresh open file description each time, so threads of one process
    /// exclude each other as other processes do.
    pub(crate) fn file(path: &Path) -> Result<StoreLock> {
        let file = private_file::open_lock_file(path)?;
        private_file::flock_exclusive(&file, path)?;
        Ok(StoreLock(Held::File(file)))
    }

    /// Takes the process-local lock named `identity`.
    pub(crate) fn local(identity: &str) -> StoreLock {
        static LOCKS: OnceLock<Mutex<HashMap<String, Arc<LocalLock>>>> = OnceLock::new();
        let lock = {
            let mut map = LOCKS
                .get_or_init(Default::default)
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            map.entry(identity.to_owned()).or_default().clone()
        };
        StoreLock::local_on(lock)
    }

    /// Takes a process-local lock owned by one store instance.
    pub(crate) fn local_on(lock: Arc<LocalLock>) -> StoreLock {
        {
            let mut held = lock.held.lock().unwrap_or_else(|p| p.into_inner());
            while *held {
                held = lock.freed.wait(held).unwrap_or_else(|p| p.into_inner());
            }
            *held = true;
        }
        StoreLock(Held::Local(lock))
    }

    /// The lock for `identity` in `scope`.
    pub(crate) fn in_scope(scope: &LockScope, identity: &str) -> Result<StoreLock> {
        match scope {
            LockScope::Process => Ok(StoreLock::local(identity)),
            LockScope::Directory(dir) => {
                private_file::create_private_dir(dir)?;
                private_file::check_dir(dir)?;
                StoreLock::file(&dir.join(lock_file_name(identity)))
            }
        }
    }
}

/// A lock that a guard owns (a mutex guard cannot outlive its borrow).
#[derive(Default)]
pub(crate) struct LocalLock {
    held: Mutex<bool>,
    freed: Condvar,
}

/// `credentials-<16 hex of SHA-256(identity)>.lock`: the identity (service
/// and account names) may hold characters a file name cannot.
fn lock_file_name(identity: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, identity.as_bytes());
    let hex = digest.as_ref()[..8]
        .iter()
        .fold(String::with_capacity(16), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        });
    format!("credentials-{hex}.lock")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    fn excludes(take: impl Fn() -> StoreLock + Sync) {
        let inside = AtomicBool::new(false);
        let overlaps = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..50 {
                        let _g = take();
                        if inside.swap(true, Ordering::SeqCst) {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        std::thread::yield_now();
                        inside.store(false, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(overlaps.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn process_lock_excludes_threads() {
        excludes(|| StoreLock::local("test-identity"));
    }

    #[test]
    fn file_lock_excludes_threads_of_one_process() {
        let dir = tempfile::tempdir().unwrap();
        let scope = LockScope::Directory(dir.path().join("locks"));
        excludes(|| StoreLock::in_scope(&scope, "svc/user").unwrap());
        let names: Vec<_> = std::fs::read_dir(dir.path().join("locks"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(!names[0].contains("svc"), "{names:?}");
    }
}
