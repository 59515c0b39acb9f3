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
    /// The nonce sent, checked against the id_token.
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
    /// checked against the id_token's `org_id` / `org_name`.
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
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
    fn put(&self, tx: Transaction) -> Result<()>;
    /// Removes and returns the entry for `state` if it exists and has not
    /// expired.
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

/// A store in one JSON file, shared between processes.
///
/// The file holds PKCE verifiers and decides which callbacks are accepted,
/// so nobody else may be able to plant or swap it: its directory must be
/// the user's own and writable by nobody else, every file is opened
/// without following a symlink and must be a regular file of the user's
/// with no group or other permission bits, and files are created with mode
/// 0600 by `open` itself (`O_CREAT|O_EXCL` for the temporary file), never
/// chmod-ed afterwards.
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store at `path`, checked on first use (see [`FileStore::open`]).
    pub fn new(path: impl Into<PathBuf>) -> FileStore {
        FileStore { path: path.into() }
    }

    /// A store at `path`, checked now: the directory is created (mode
    /// 0700) when missing and must then be a directory of the user's that
    /// others cannot write, and the lock file must be creatable. A path
    /// that cannot work (a directory, a path under a regular file, a place
    /// the user cannot write) is an [`ErrorKind::InvalidArgument`] error
    /// naming `transaction.path`.
    ///
    /// [`ErrorKind::InvalidArgument`]: crate::ErrorKind::InvalidArgument
    pub fn open(path: impl Into<PathBuf>) -> Result<FileStore> {
        let store = FileStore::new(path);
        let invalid = |e: Error| {
            Error::invalid_argument(format!(
                "transaction.path option is not valid: {}",
                e.description()
            ))
        };
        if store.path.as_os_str().is_empty() {
            return Err(Error::invalid_argument(
                "transaction.path option is not valid: the path is empty",
            ));
        }
        match std::fs::symlink_metadata(&store.path) {
            Ok(m) if m.is_dir() => {
                return Err(Error::invalid_argument(format!(
                    "transaction.path option is not valid: {} is a directory",
                    store.path.display()
                )))
            }
            _ => {}
        }
        store.prepare_dir().map_err(invalid)?;
        let lock_path = sibling(&store.path, "lock");
        open_checked(&lock_path, Create::IfMissing).map_err(invalid)?;
        Ok(store)
    }

    /// Where the store file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Creates the directory (0700) when missing and checks it.
    fn prepare_dir(&self) -> Result<()> {
        let dir = self.dir();
        create_private_dir(dir)?;
        check_private_dir(dir)
    }

    fn with_entries<T>(&self, f: impl FnOnce(&mut HashMap<String, Transaction>) -> T) -> Result<T> {
        self.prepare_dir()?;
        let lock_path = sibling(&self.path, "lock");
        let lock = open_checked(&lock_path, Create::IfMissing)?
            .ok_or_else(|| Error::internal("the lock file was not created"))?;
        let _guard = FileLock::exclusive(&lock, &lock_path)?;

        let mut entries: HashMap<String, Transaction> = match open_checked(&self.path, Create::No) {
            Ok(Some(mut file)) => {
                use std::io::Read;
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)
                    .map_err(|e| storage_error("read", &self.path, e))?;
                if bytes.is_empty() {
                    HashMap::new()
                } else {
                    // A corrupt file is reported, not emptied: silently
                    // dropping it would also drop whatever planted it.
                    serde_json::from_slice(&bytes).map_err(|e| {
                        Error::storage(format!(
                            "the transaction file {} is corrupt (line {}, column {}); remove it to start over",
                            self.path.display(),
                            e.line(),
                            e.column()
                        ))
                    })?
                }
            }
            Ok(None) => HashMap::new(),
            Err(e) => return Err(e),
        };
        let now = now_secs();
        entries.retain(|_, t| !t.expired(now));
        let out = f(&mut entries);

        let tmp = sibling(&self.path, "tmp");
        // A temporary file left by a crash is ours to remove: the lock is
        // held. Removing a symlink there removes the link, not its target.
        match std::fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(storage_error("remove", &tmp, e)),
        }
        {
            use std::io::Write;
            let mut file = open_checked(&tmp, Create::New)?
                .ok_or_else(|| Error::internal("the temporary file was not created"))?;
            let bytes = serde_json::to_vec(&entries).map_err(|e| Error::internal(e.to_string()))?;
            file.write_all(&bytes)
                .and_then(|_| file.sync_all())
                .map_err(|e| storage_error("write", &tmp, e))?;
        }
        std::fs::rename(&tmp, &self.path).map_err(|e| storage_error("replace", &self.path, e))?;
        Ok(out)
    }
}

impl TransactionStore for FileStore {
    fn put(&self, tx: Transaction) -> Result<()> {
        self.with_entries(|m| {
            m.insert(tx.state.clone(), tx);
        })
    }

    fn take(&self, state: &str) -> Result<Option<Transaction>> {
        self.with_entries(|m| m.remove(state))
    }
}

/// `path` with `.suffix` appended (not replacing its extension, so a store
/// named `x.lock` never shares a file with its own lock).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

fn storage_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::storage(format!(
        "could not {what} the transaction file {}: {e}",
        path.display()
    ))
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| storage_error("create the directory of", dir, e))
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The directory must be a directory of the user's that neither group nor
/// others can write (a directory the user merely shares could have the
/// store swapped under it). Its mode is checked, never changed.
fn check_private_dir(dir: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(dir).map_err(|e| storage_error("inspect the directory of", dir, e))?;
    if !meta.is_dir() {
        return Err(Error::storage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(Error::storage(format!(
                "the directory {} of the transaction file belongs to another user",
                dir.display()
            )));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(Error::storage(format!(
                "the directory {} of the transaction file can be written by others (mode {:o}); use a private directory",
                dir.display(),
                meta.mode() & 0o777
            )));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Create {
    /// Open an existing file only (`Ok(None)` when there is none).
    No,
    /// Create it (mode 0600) when missing.
    IfMissing,
    /// Create it (mode 0600); it must not exist.
    New,
}

/// Opens `path` read-write without following a symlink, creating it with
/// mode 0600 as `create` says, and checks that it is a regular file of the
/// user's that only the user can read or write.
fn open_checked(path: &Path, create: Create) -> Result<Option<std::fs::File>> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true);
    match create {
        Create::No => {}
        Create::IfMissing => {
            o.create(true);
        }
        Create::New => {
            o.create_new(true);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = match o.open(path) {
        Ok(f) => f,
        Err(e) if create == Create::No && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(None)
        }
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Error::storage(format!(
                "the transaction file {} is a symlink, which is refused",
                path.display()
            )))
        }
        Err(e) => return Err(storage_error("open", path, e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| storage_error("inspect", path, e))?;
    if !meta.is_file() {
        return Err(Error::storage(format!(
            "the transaction file {} is not a regular file",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(Error::storage(format!(
                "the transaction file {} belongs to another user",
                path.display()
            )));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(Error::storage(format!(
                "the transaction file {} can be read or written by others (mode {:o})",
                path.display(),
                meta.mode() & 0o777
            )));
        }
    }
    Ok(Some(file))
}

/// An exclusive advisory lock held until drop.
struct FileLock<'a>(#[allow(dead_code)] &'a std::fs::File);

impl<'a> FileLock<'a> {
    fn exclusive(file: &'a std::fs::File, path: &Path) -> Result<FileLock<'a>> {
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock on a file descriptor we own for the guard's life.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if rc != 0 {
                return Err(storage_error("lock", path, std::io::Error::last_os_error()));
            }
        }
        #[cfg(not(unix))]
        let _ = path;
        Ok(FileLock(file))
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: see `exclusive`.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

/// The store and lifetime chosen by the `transaction` option.
pub(crate) struct TransactionConfig {
    pub store: Box<dyn TransactionStore>,
    pub ttl: Duration,
}

impl TransactionConfig {
    /// Reads `transaction: {store: "memory"|"file", path, ttl}`; `key` is
    /// `origin|clientID`, which names the default file.
    pub fn from_options(options: &Options, key: &str) -> Result<TransactionConfig> {
        let t = optional_object(options, "transaction", "transaction option is not valid")?;
        let empty = Options::new();
        let t = t.unwrap_or(&empty);
        let ttl = match optional_f64(t, "ttl", "transaction.ttl option is not valid")? {
            None => DEFAULT_TTL,
            Some(s) if (1.0..=86_400.0).contains(&s) => Duration::from_secs(s as u64),
            Some(_) => {
                return Err(Error::invalid_argument(
                    "transaction.ttl option is not valid (seconds, 1 to 86400)",
                ))
            }
        };
        let path = optional_str(t, "path", "transaction.path option is not valid")?;
        let store_kind = optional_str(
            t,
            "store",
            "transaction.store option is not valid ([memory, file])",
        )?;
        let store: Box<dyn TransactionStore> = match (store_kind, path) {
            (None | Some("memory"), None) => Box::<MemoryStore>::default(),
            (None | Some("file"), Some(p)) => Box::new(FileStore::open(p)?),
            (Some("file"), None) => Box::new(FileStore::open(default_file(key)?)?),
            (Some("memory"), Some(_)) => {
                return Err(Error::invalid_argument(
                    "transaction.path option is only used with transaction.store \"file\"",
                ))
            }
            (Some(_), _) => {
                return Err(Error::invalid_argument(
                    "transaction.store option is not valid ([memory, file])",
                ))
            }
        };
        Ok(TransactionConfig { store, ttl })
    }

    pub fn expires_at(&self) -> u64 {
        now_secs() + self.ttl.as_secs()
    }
}

/// `$XDG_STATE_HOME/auth0-native/transactions-<hash>.json` (or
/// `~/.local/state/...`), one file per tenant and client.
fn default_file(key: &str) -> Result<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .ok_or_else(|| {
            Error::invalid_argument(
                "transaction.path option is required: no HOME or XDG_STATE_HOME to put the file in",
            )
        })?;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.as_bytes());
    let name: String = digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(base
        .join("auth0-native")
        .join(format!("transactions-{name}.json")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(state: &str, expires_at: u64) -> Transaction {
        Transaction {
            state: state.into(),
            nonce: Some("n".into()),
            app_state: None,
            code_verifier: Some("secret-verifier".into()),
            redirect_uri: None,
            response_type: Some("code".into()),
            max_age: None,
            organization: None,
            expires_at,
        }
    }

    #[test]
    fn memory_entries_are_single_use() {
        let s = MemoryStore::default();
        s.put(tx("a", now_secs() + 60)).unwrap();
        assert_eq!(s.take("a").unwrap().unwrap().nonce.as_deref(), Some("n"));
        assert!(s.take("a").unwrap().is_none());
    }

    #[test]
    fn memory_entries_expire() {
        let s = MemoryStore::default();
        s.put(tx("old", now_secs() - 1)).unwrap();
        assert!(s.take("old").unwrap().is_none());
    }

    #[test]
    fn memory_store_is_bounded() {
        let s = MemoryStore::default();
        let now = now_secs();
        for i in 0..(MEMORY_CAP as u64 + 10) {
            s.put(tx(&format!("s{i}"), now + 100 + i)).unwrap();
        }
        assert!(
            s.take("s0").unwrap().is_none(),
            "the oldest entry is evicted"
        );
        assert!(s.take(&format!("s{}", MEMORY_CAP + 9)).unwrap().is_some());
    }

    #[test]
    fn debug_redacts_the_verifier() {
        let d = format!("{:?}", tx("a", 1));
        assert!(!d.contains("secret-verifier"), "{d}");
        assert!(d.contains("<redacted>"));
    }

    #[test]
    fn file_store_persists_across_instances_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/tx.json");
        FileStore::new(&path).put(tx("a", now_secs() + 60)).unwrap();
        let again = FileStore::new(&path);
        assert_eq!(again.take("a").unwrap().unwrap().state, "a");
        assert!(again.take("a").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(dmode, 0o700);
        }
    }

    #[test]
    fn a_store_named_like_its_lock_file_still_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tx.lock");
        let s = FileStore::new(&path);
        s.put(tx("a", now_secs() + 60)).unwrap();
        s.put(tx("b", now_secs() + 60)).unwrap();
        assert!(s.take("a").unwrap().is_some());
        assert!(s.take("b").unwrap().is_some());
    }

    #[test]
    fn file_store_survives_concurrent_writers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tx.json");
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let s = FileStore::new(path);
                    for i in 0..10 {
                        s.put(tx(&format!("t{t}-{i}"), now_secs() + 60)).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = FileStore::new(&path);
        for t in 0..8 {
            for i in 0..10 {
                assert!(
                    s.take(&format!("t{t}-{i}")).unwrap().is_some(),
                    "lost t{t}-{i}"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_store_file_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let path = dir.path().join("tx.json");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        let e = FileStore::new(&path)
            .put(tx("a", now_secs() + 60))
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Storage);
        assert!(e.description().contains("symlink"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let path = dir.path().join("tx.json");
        std::os::unix::fs::symlink(&victim, sibling(&path, "tmp")).unwrap();
        FileStore::new(&path).put(tx("a", now_secs() + 60)).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(FileStore::new(&path).take("a").unwrap().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_store_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tx.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = FileStore::new(&path).take("a").unwrap_err();
        assert!(e.description().contains("by others"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_store_file_of_another_user_is_refused() {
        use std::os::unix::fs::{chown, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tx.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        // Only root can give a file away; a user's own check is the mode one.
        if chown(&path, Some(euid().wrapping_add(1)), None).is_ok() {
            let e = FileStore::new(&path).take("a").unwrap_err();
            assert!(e.description().contains("another user"), "{e}");
        } else {
            assert_ne!(euid(), 0);
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_shared_directory_is_refused_not_rechmodded() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o775)).unwrap();
        let e = FileStore::new(shared.join("tx.json"))
            .put(tx("a", now_secs() + 60))
            .unwrap_err();
        assert!(e.description().contains("written by others"), "{e}");
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o775);
    }

    #[test]
    fn a_corrupt_store_file_is_a_storage_error_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tx.json");
        let s = FileStore::new(&path);
        s.put(tx("a", now_secs() + 60)).unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        let e = s.take("a").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Storage);
        assert!(e.description().contains("corrupt"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
    }

    #[test]
    fn transaction_option_is_validated() {
        let bad = serde_json::json!({"transaction": {"store": "redis"}});
        let e = TransactionConfig::from_options(bad.as_object().unwrap(), "k")
            .err()
            .unwrap();
        assert!(e.description().contains("transaction.store"), "{e}");
        let bad = serde_json::json!({"transaction": {"ttl": 0.5}});
        let e = TransactionConfig::from_options(bad.as_object().unwrap(), "k")
            .err()
            .unwrap();
        assert!(e.description().contains("transaction.ttl"), "{e}");
    }
}
