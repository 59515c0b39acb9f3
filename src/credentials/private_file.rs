//! Private files: created 0600 without following symlinks, replaced
//! atomically, refused when someone else could have written them.
//!
//! The same concerns as the transaction file's (`src/transaction.rs`), made
//! stricter here because these files hold refresh tokens; the two should
//! share this module once the transaction store is reworked.

use super::{io_error, permissions};
use crate::error::Result;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Reads of a credentials file stop here: a bigger file is not ours.
pub(crate) const MAX_FILE_LEN: u64 = 1 << 20;

/// Creates `dir` (and its parents) with mode 0700 if it is missing.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| io_error("create the directory of", dir, &e))
}

/// Refuses a directory that another user could write into (and so replace
/// our files in): not owned by us or root, or group/world-writable.
pub(crate) fn check_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta =
            std::fs::metadata(dir).map_err(|e| io_error("inspect the directory of", dir, &e))?;
        if !meta.is_dir() {
            return Err(permissions(format!("{} is not a directory", dir.display())));
        }
        let uid = euid();
        if meta.uid() != uid && meta.uid() != 0 {
            return Err(permissions(format!(
                "the directory {} belongs to another user",
                dir.display()
            )));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(permissions(format!(
                "the directory {} is writable by other users (mode {:o}); use a private directory",
                dir.display(),
                meta.mode() & 0o7777
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Refuses a symlink at `path` (checked before replacing it, so a link
/// planted there is reported, and its target is never written).
pub(crate) fn refuse_symlink(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(permissions(format!(
            "{} is a symbolic link; the credentials file must be a regular file",
            path.display()
        ))),
        Ok(m) if !m.is_file() => Err(permissions(format!(
            "{} is not a regular file",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("inspect", path, &e)),
    }
}

fn options(create_new: bool) -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    if create_new {
        o.write(true).create_new(true);
    } else {
        o.read(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    o
}

/// The contents of the private file at `path`, `None` when it does not
/// exist. Refuses a symlink, a non-regular file, a file of another user or
/// one that others can read or write.
pub(crate) fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    let mut file = match options(false).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if is_symlink_refusal(&e) => {
            return Err(refuse_symlink(path)
                .err()
                .unwrap_or_else(|| io_error("open", path, &e)))
        }
        Err(e) => return Err(io_error("open", path, &e)),
    };
    let meta = file.metadata().map_err(|e| io_error("inspect", path, &e))?;
    if !meta.is_file() {
        return Err(permissions(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(permissions(format!(
                "{} belongs to another user",
                path.display()
            )));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(permissions(format!(
                "{} is readable or writable by other users (mode {:o}); it must be 0600",
                path.display(),
                meta.mode() & 0o7777
            )));
        }
    }
    let mut bytes = Vec::new();
    (&mut file)
        .take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error("read", path, &e))?;
    Ok(Some(bytes))
}

fn is_symlink_refusal(e: &std::io::Error) -> bool {
    // O_NOFOLLOW on a symlink fails with ELOOP (Linux, macOS) or EMLINK
    // (FreeBSD).
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EMLINK))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Replaces the file at `path` with `bytes`: a fresh temporary file in the
/// same directory (`O_CREAT|O_EXCL|O_NOFOLLOW`, 0600), fsync, rename over
/// `path`, fsync of the directory. A crash at any point leaves the old file
/// or the new one (and at worst a stray temporary file).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    refuse_symlink(path)?;
    let tmp = temp_sibling(path)?;
    let written = (|| {
        let mut file = options(true)
            .open(&tmp)
            .map_err(|e| io_error("create", &tmp, &e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error("write", &tmp, &e))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(|e| io_error("replace", path, &e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(path)
}

/// Removes the file at `path` (a missing file is fine) durably.
pub(crate) fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => sync_dir(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("delete", path, &e)),
    }
}

/// `path.tmp-<random>`: unique per write, so concurrent writers (or one
/// left behind by a crash) never collide.
fn temp_sibling(path: &Path) -> Result<PathBuf> {
    let mut s = path.as_os_str().to_owned();
    s.push(".tmp-");
    s.push(crate::random::token()?);
    Ok(PathBuf::from(s))
}

fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = parent(path);
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error("sync the directory of", dir, &e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Opens (creating 0600, never through a symlink) a lock file.
pub(crate) fn open_lock_file(path: &Path) -> Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    o.open(path).map_err(|e| {
        if is_symlink_refusal(&e) {
            permissions(format!(
                "the lock file {} is a symbolic link",
                path.display()
            ))
        } else {
            io_error("open the lock file of", path, &e)
        }
    })
}

/// Waits for an exclusive `flock` on `file`; closing the file releases it.
pub(crate) fn flock_exclusive(file: &File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        loop {
            // SAFETY: flock on a descriptor `file` owns for this call.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(io_error("lock", path, &e));
            }
        }
    }
    #[cfg(not(unix))]
    {
        // std's File::lock (Rust 1.89) is LockFileEx on Windows.
        file.lock().map_err(|e| io_error("lock", path, &e))?;
    }
    Ok(())
}
