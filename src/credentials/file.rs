//! The encrypted file backend, for machines without a keyring.
//!
//! Layout: `A0NCRED` (7 bytes), version `1` (1 byte), a nonce (12 bytes),
//! then the blob sealed with AES-256-GCM (ciphertext and 16-byte tag). The
//! associated data is the 20-byte header followed by the file's absolute
//! path, so a file copied or renamed to another path does not load, and
//! neither does one whose header was edited. Every write draws a fresh
//! random nonce (96 bits: collisions stay negligible for far more writes than
//! a credential sees). No plaintext ever reaches the disk: the blob is
//! sealed in memory, then written through [`private_file::write_atomic`].

use super::private_file::{self, MAX_FILE_LEN};
use super::{tampered, CredentialStore, SecretBytes, StoreLock};
use crate::error::{Error, Result};
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use std::fmt;
use std::path::{Path, PathBuf};

/// The length of an encryption key, in bytes (AES-256).
pub const KEY_LEN: usize = 32;

const MAGIC: &[u8; 7] = b"A0NCRED";
const VERSION: u8 = 1;
const HEADER_LEN: usize = MAGIC.len() + 1 + NONCE_LEN;
const TAG_LEN: usize = 16;

/// Where the file's encryption key comes from.
pub enum FileKey {
    /// A key the app supplies (exactly [`KEY_LEN`] bytes).
    Supplied(SecretBytes),
    /// A key kept in the OS keyring under this service and account,
    /// generated (from the OS random source) on the first save.
    #[cfg(feature = "keyring")]
    Keyring(super::KeyringStore),
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileKey::Supplied(_) => f.write_str("FileKey::Supplied(<redacted>)"),
            #[cfg(feature = "keyring")]
            FileKey::Keyring(k) => write!(f, "FileKey::Keyring({k:?})"),
        }
    }
}

/// A credential blob in one AES-256-GCM encrypted file, mode 0600.
///
/// The directory is created 0700 when missing, and refused when another
/// user owns it or may write to it; a symlink at the path is refused, and
/// so is a file of another user or one others can read. Its lock is an
/// `flock` on `<path>.lock`.
#[derive(Debug)]
pub struct EncryptedFileStore {
    path: PathBuf,
    key: FileKey,
}

impl EncryptedFileStore {
    /// A store at `path` sealed with `key`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `path` has no file name or a supplied key is not 32 bytes. Nothing
    /// is touched on disk yet: the directory and file are checked at the
    /// first load or save, as storage errors.
    pub fn new(path: impl Into<PathBuf>, key: FileKey) -> Result<EncryptedFileStore> {
        let path = path.into();
        if path.as_os_str().is_empty() || path.file_name().is_none() {
            return Err(Error::invalid_argument(
                "credentials file path option is not valid (a file name is required)",
            ));
        }
        // Irrefutable without the `keyring` feature.
        #[allow(irrefutable_let_patterns)]
        if let FileKey::Supplied(k) = &key {
            if k.len() != KEY_LEN {
                return Err(Error::invalid_argument(format!(
                    "credentials file key option is not valid (it must be {KEY_LEN} bytes)"
                )));
            }
        }
        Ok(EncryptedFileStore { path, key })
    }

    /// A store at `path` sealed with the app's 32-byte `key`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `key` is not 32 bytes; then as [`EncryptedFileStore::new`].
    pub fn with_key(path: impl Into<PathBuf>, key: &[u8]) -> Result<EncryptedFileStore> {
        EncryptedFileStore::new(path, FileKey::Supplied(SecretBytes::from(key)))
    }

    /// A store at `path` whose key is kept in the OS keyring (created on
    /// the first save) under `service` and `account`.
    ///
    /// # Errors
    ///
    /// As [`EncryptedFileStore::new`]; the keyring itself is only reached at
    /// the first load or save.
    #[cfg(feature = "keyring")]
    pub fn with_keyring_key(
        path: impl Into<PathBuf>,
        service: &str,
        account: &str,
    ) -> Result<EncryptedFileStore> {
        let keyring = super::KeyringStore::new(service, account)?;
        EncryptedFileStore::new(path, FileKey::Keyring(keyring))
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates (0700) and checks the directory, and returns the absolute
    /// path the file's contents are bound to.
    fn prepare(&self) -> Result<PathBuf> {
        let dir = private_file::parent(&self.path);
        private_file::create_private_dir(dir)?;
        let dir = std::fs::canonicalize(dir)
            .map_err(|e| super::io_error("resolve the directory of", dir, &e))?;
        private_file::check_dir(&dir)?;
        // `new` checked that there is a file name.
        Ok(dir.join(self.path.file_name().unwrap_or_default()))
    }

    // Without the keyring the key cannot fail to load; the signature is the
    // keyring build's.
    #[cfg_attr(not(feature = "keyring"), allow(clippy::unnecessary_wraps))]
    fn existing_key(&self) -> Result<SecretBytes> {
        match &self.key {
            FileKey::Supplied(k) => Ok(k.clone()),
            #[cfg(feature = "keyring")]
            FileKey::Keyring(store) => match store.load()? {
                Some(k) if k.len() == KEY_LEN => Ok(k),
                Some(_) => Err(super::unavailable(format!(
                    "the keyring entry holding the key of {} is not a {KEY_LEN}-byte key",
                    self.path.display()
                ))),
                None => Err(super::unavailable(format!(
                    "the key of {} is not in the keyring",
                    self.path.display()
                ))),
            },
        }
    }

    /// The key, created in the keyring if it is not there yet. Creation
    /// holds `<path>.key.lock` (not the store's lock, which a caller of
    /// `save` may hold), so two processes never create two keys.
    #[cfg_attr(not(feature = "keyring"), allow(clippy::unnecessary_wraps))]
    fn key_for_writing(&self) -> Result<SecretBytes> {
        match &self.key {
            FileKey::Supplied(k) => Ok(k.clone()),
            #[cfg(feature = "keyring")]
            FileKey::Keyring(store) => {
                let _guard = StoreLock::file(&sibling(&self.path, "key.lock"))?;
                match store.load()? {
                    Some(k) if k.len() == KEY_LEN => Ok(k),
                    _ => {
                        let k = SecretBytes::new(crate::random::bytes(KEY_LEN)?);
                        store.save(k.expose())?;
                        Ok(k)
                    }
                }
            }
        }
    }
}

fn sealing_key(key: &SecretBytes) -> Result<LessSafeKey> {
    let unbound = UnboundKey::new(&AES_256_GCM, key.expose())
        .map_err(|_| Error::internal("the credentials key could not be set up"))?;
    Ok(LessSafeKey::new(unbound))
}

fn associated_data(header: &[u8], path: &Path) -> Vec<u8> {
    let mut aad = header.to_vec();
    aad.extend_from_slice(path.as_os_str().as_encoded_bytes());
    aad
}

/// Seals `blob` for the file at `path`.
fn seal(key: &SecretBytes, path: &Path, blob: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    aws_lc_rs::rand::fill(&mut nonce)
        .map_err(|_| Error::internal("the OS random source failed"))?;
    let mut out = Vec::with_capacity(HEADER_LEN + blob.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    let aad = associated_data(&out, path);
    let mut body = blob.to_vec();
    sealing_key(key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&aad),
            &mut body,
        )
        .map_err(|_| Error::internal("the credentials could not be encrypted"))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens the contents of the file at `path`; anything that does not
/// authenticate is `storage_tampered`.
fn open(key: &SecretBytes, path: &Path, mut file: Vec<u8>) -> Result<SecretBytes> {
    let what = path.display();
    if file.len() < HEADER_LEN + TAG_LEN
        || file.len() as u64 > MAX_FILE_LEN
        || &file[..MAGIC.len()] != MAGIC
    {
        return Err(tampered(what));
    }
    if file[MAGIC.len()] != VERSION {
        // Either a newer library wrote it or a bit flipped: both must not
        // load, and the newer-library case deserves its own words.
        return Err(tampered(format_args!(
            "{what} (format version {}, this library reads {VERSION})",
            file[MAGIC.len()]
        )));
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&file[MAGIC.len() + 1..HEADER_LEN]);
    let aad = associated_data(&file[..HEADER_LEN], path);
    let mut body = file.split_off(HEADER_LEN);
    let len = sealing_key(key)?
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&aad),
            &mut body,
        )
        .map_err(|_| tampered(&what))?
        .len();
    body.truncate(len);
    Ok(SecretBytes::new(body))
}

impl CredentialStore for EncryptedFileStore {
    fn load(&self) -> Result<Option<SecretBytes>> {
        let path = self.prepare()?;
        let Some(file) = private_file::read(&path)? else {
            return Ok(None);
        };
        let key = self.existing_key()?;
        open(&key, &path, file).map(Some)
    }

    fn save(&self, blob: &[u8]) -> Result<()> {
        let path = self.prepare()?;
        let key = self.key_for_writing()?;
        let sealed = seal(&key, &path, blob)?;
        private_file::write_atomic(&path, &sealed)
    }

    fn delete(&self) -> Result<()> {
        let path = self.prepare()?;
        private_file::remove(&path)
    }

    fn lock(&self) -> Result<StoreLock> {
        let path = self.prepare()?;
        StoreLock::file(&sibling(&path, "lock"))
    }
}

/// `path` with `.suffix` appended (not replacing its extension).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; KEY_LEN] = [7; KEY_LEN];

    #[test]
    fn sealed_file_has_the_documented_layout() {
        let key = SecretBytes::from(&KEY[..]);
        let sealed = seal(&key, Path::new("/x/creds"), b"abc").unwrap();
        assert_eq!(&sealed[..7], b"A0NCRED");
        assert_eq!(sealed[7], 1);
        assert_eq!(sealed.len(), HEADER_LEN + 3 + TAG_LEN);
        let opened = open(&key, Path::new("/x/creds"), sealed).unwrap();
        assert_eq!(opened.expose(), b"abc");
    }

    #[test]
    fn each_write_draws_a_fresh_nonce() {
        let key = SecretBytes::from(&KEY[..]);
        let a = seal(&key, Path::new("/x/creds"), b"abc").unwrap();
        let b = seal(&key, Path::new("/x/creds"), b"abc").unwrap();
        assert_ne!(a[8..HEADER_LEN], b[8..HEADER_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn another_path_or_key_does_not_open() {
        let key = SecretBytes::from(&KEY[..]);
        let sealed = seal(&key, Path::new("/x/creds"), b"abc").unwrap();
        let e = open(&key, Path::new("/x/creds2"), sealed.clone()).unwrap_err();
        assert_eq!(e.code(), super::super::STORAGE_TAMPERED);
        let other = SecretBytes::from(&[8u8; KEY_LEN][..]);
        assert!(open(&other, Path::new("/x/creds"), sealed).is_err());
    }

    #[test]
    fn a_key_of_the_wrong_length_is_refused() {
        let e = EncryptedFileStore::with_key("/tmp/x", &[0; 16]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert!(e.description().contains("32 bytes"), "{e}");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let s = EncryptedFileStore::with_key("/tmp/x", &[0x41; KEY_LEN]).unwrap();
        let d = format!("{s:?}");
        assert!(d.contains("redacted") && !d.contains("65"), "{d}");
    }
}
