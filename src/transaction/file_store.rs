//! [`FileStore`]: the transaction store in one private JSON file, shared
//! between processes under an exclusive `flock`.

use super::{now_secs, Error, HashMap, Path, PathBuf, Result, Transaction, TransactionStore};

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
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// `transaction.path` when the path is empty, a directory, or in a
    /// directory that cannot be created or is not the user's own.
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
    #[must_use]
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
                    .map_err(|e| storage_error("read", &self.path, &e))?;
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
            Err(e) => return Err(storage_error("remove", &tmp, &e)),
        }
        {
            use std::io::Write;
            let mut file = open_checked(&tmp, Create::New)?
                .ok_or_else(|| Error::internal("the temporary file was not created"))?;
            let bytes = serde_json::to_vec(&entries).map_err(|e| Error::internal(e.to_string()))?;
            file.write_all(&bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| storage_error("write", &tmp, &e))?;
        }
        std::fs::rename(&tmp, &self.path).map_err(|e| storage_error("replace", &self.path, &e))?;
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
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

fn storage_error(what: &str, path: &Path, e: &std::io::Error) -> Error {
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
        .map_err(|e| storage_error("create the directory of", dir, &e))
}

#[cfg(unix)]
pub(super) fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The directory must be a directory of the user's that neither group nor
/// others can write (a directory the user merely shares could have the
/// store swapped under it). Its mode is checked, never changed.
fn check_private_dir(dir: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(dir).map_err(|e| storage_error("inspect the directory of", dir, &e))?;
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
        Err(e) => return Err(storage_error("open", path, &e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| storage_error("inspect", path, &e))?;
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
                return Err(storage_error(
                    "lock",
                    path,
                    &std::io::Error::last_os_error(),
                ));
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
