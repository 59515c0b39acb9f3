//! The options of the credentials manager, typed, with their JSON faces
//! (auth0.js-style camelCase names; `null` means "not given").

use super::{CredentialStore, EncryptedFileStore, MemoryStore, KEY_LEN};
use crate::error::{Error, Result};
use crate::options::Options;
use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use zeroize::Zeroize;

/// What [`CredentialsManager::credentials`](super::CredentialsManager::credentials)
/// asks for. JSON face: `{"minTtl": seconds, "scope": "...", "audience": "..."}`.
///
/// ```
/// use auth0_native::CredentialsOptions;
/// let o = CredentialsOptions::from_json(&serde_json::json!({"minTtl": 60, "scope": "openid read:items"}))?;
/// assert_eq!(o.min_ttl, 60);
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CredentialsOptions {
    /// Renew when the access token expires within this many seconds.
    pub min_ttl: u64,
    /// Scopes the access token must carry (space-separated); renewed with
    /// this scope when the stored one does not cover them all.
    pub scope: Option<String>,
    /// The API the access token must be for; renewed for it when the stored
    /// token is for another.
    pub audience: Option<String>,
}

impl CredentialsOptions {
    /// Reads the JSON face; an unknown key is an error naming it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is ill-typed.
    pub fn from_json(v: &Value) -> Result<CredentialsOptions> {
        let o = object(v, &["minTtl", "scope", "audience"])?;
        Ok(CredentialsOptions {
            min_ttl: seconds(o, "minTtl")?.unwrap_or(0),
            scope: string(o, "scope")?,
            audience: string(o, "audience")?,
        })
    }
}

/// How [`CredentialsManager::clear`](super::CredentialsManager::clear)
/// ends the session. JSON face: `{"revoke": bool}` (default `true`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClearOptions {
    /// Revoke the refresh token at the tenant (`POST /oauth/revoke`) before
    /// removing the stored credentials. When that fails the store is kept
    /// (`revoke_failed`), so the app can retry or clear without revoking.
    pub revoke: bool,
}

impl Default for ClearOptions {
    fn default() -> ClearOptions {
        ClearOptions { revoke: true }
    }
}

impl ClearOptions {
    /// Reads the JSON face; an unknown key is an error naming it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is ill-typed.
    pub fn from_json(v: &Value) -> Result<ClearOptions> {
        let o = object(v, &["revoke"])?;
        let revoke = match o.get("revoke") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(Error::invalid_argument("revoke option is not valid")),
        };
        Ok(ClearOptions { revoke })
    }
}

/// An encryption key given as text (base64url of [`KEY_LEN`] bytes): a
/// secret, so `Debug` redacts it and it is zeroed on drop.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct StorageKey(String);

impl StorageKey {
    /// Wraps `base64url` (taken, not copied).
    #[must_use]
    pub fn new(base64url: String) -> StorageKey {
        StorageKey(base64url)
    }

    /// The key as text. Every read goes through here.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.0
    }

    fn decode(&self) -> Result<super::SecretBytes> {
        use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
        use base64::Engine;
        let invalid = || {
            Error::invalid_argument(format!(
                "key option is not valid (base64url of {KEY_LEN} bytes)"
            ))
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(self.0.trim_end_matches('='))
            .or_else(|_| URL_SAFE.decode(&self.0))
            .map_err(|_| invalid())?;
        let bytes = super::SecretBytes::new(bytes);
        if bytes.len() != KEY_LEN {
            return Err(invalid());
        }
        Ok(bytes)
    }
}

impl std::fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorageKey([redacted])")
    }
}

impl Drop for StorageKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// A keyring entry: `{"service": "...", "account": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyringEntry {
    /// The keyring service name (e.g. `com.example.app`).
    pub service: String,
    /// The account name within the service (e.g. `default`).
    pub account: String,
}

/// Where a manager built by [`CredentialsManager::with_storage`](super::CredentialsManager::with_storage)
/// keeps its credentials. JSON face, tagged by `"type"`:
///
/// - `{"type":"memory"}`
/// - `{"type":"file","path":"/var/lib/app/creds.bin","key":"<base64url of 32 bytes>"}`
/// - `{"type":"file","path":"...","keyring":{"service":"...","account":"..."}}` (the key
///   kept in the OS keyring, created on the first save)
/// - `{"type":"keyring","service":"com.example.app","account":"default","lockDir":"..."}`
///   (`lockDir` optional: a directory for the lock file that processes
///   sharing the entry use; without it the lock is this process's)
///
/// The host store (the app's callbacks) is not JSON: build a
/// [`HostStore`](super::HostStore) and call
/// [`CredentialsManager::new`](super::CredentialsManager::new).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum StorageOptions {
    /// In this process's memory, gone at exit.
    Memory,
    /// An AES-256-GCM encrypted file (`<path>.lock` beside it).
    File {
        /// The file's path (its directory is created 0700).
        path: PathBuf,
        /// The app's key; exactly one of `key` and `keyring`.
        #[serde(default)]
        key: Option<StorageKey>,
        /// The keyring entry holding the key; exactly one of `key` and
        /// `keyring`.
        #[serde(default)]
        keyring: Option<KeyringEntry>,
    },
    /// The OS keyring.
    Keyring {
        /// The keyring service name.
        service: String,
        /// The account name.
        account: String,
        /// A directory for the lock file shared by processes.
        #[serde(default, rename = "lockDir")]
        lock_dir: Option<PathBuf>,
    },
}

impl StorageOptions {
    /// Reads the JSON face, with errors naming the option.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// the option that is missing or ill-typed.
    pub fn from_json(v: &Value) -> Result<StorageOptions> {
        let o = v
            .as_object()
            .ok_or_else(|| Error::invalid_argument("storage option is not valid"))?;
        let kind = match o.get("type") {
            Some(Value::String(s)) => s.as_str(),
            None | Some(Value::Null) => {
                return Err(Error::invalid_argument("type option is required"))
            }
            Some(_) => return Err(Error::invalid_argument("type option is not valid")),
        };
        match kind {
            "memory" => {
                object(v, &["type"])?;
                Ok(StorageOptions::Memory)
            }
            "file" => {
                let o = object(v, &["type", "path", "key", "keyring"])?;
                let path = string(o, "path")?
                    .ok_or_else(|| Error::invalid_argument("path option is required"))?;
                let key = string(o, "key")?.map(StorageKey::new);
                let keyring = match o.get("keyring") {
                    None | Some(Value::Null) => None,
                    Some(k) => {
                        let k = object(k, &["service", "account"])
                            .map_err(|_| Error::invalid_argument("keyring option is not valid"))?;
                        Some(KeyringEntry {
                            service: string(k, "service")?.ok_or_else(|| {
                                Error::invalid_argument("keyring.service option is required")
                            })?,
                            account: string(k, "account")?.ok_or_else(|| {
                                Error::invalid_argument("keyring.account option is required")
                            })?,
                        })
                    }
                };
                Ok(StorageOptions::File {
                    path: PathBuf::from(path),
                    key,
                    keyring,
                })
            }
            "keyring" => {
                let o = object(v, &["type", "service", "account", "lockDir"])?;
                Ok(StorageOptions::Keyring {
                    service: string(o, "service")?
                        .ok_or_else(|| Error::invalid_argument("service option is required"))?,
                    account: string(o, "account")?
                        .ok_or_else(|| Error::invalid_argument("account option is required"))?,
                    lock_dir: string(o, "lockDir")?.map(PathBuf::from),
                })
            }
            _ => Err(Error::invalid_argument(
                "type option is not valid (memory, file or keyring)",
            )),
        }
    }

    /// Opens the store these options describe.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`](crate::ErrorKind::Storage) when the store cannot
    /// be opened (a directory that is not the user's own, a symlink);
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for a
    /// key of the wrong length.
    pub fn open(&self) -> Result<Arc<dyn CredentialStore>> {
        match self {
            StorageOptions::Memory => Ok(Arc::new(MemoryStore::new())),
            StorageOptions::File { path, key, keyring } => match (key, keyring) {
                (Some(k), None) => Ok(Arc::new(EncryptedFileStore::with_key(
                    path.clone(),
                    k.decode()?.expose(),
                )?)),
                #[cfg(feature = "keyring")]
                (None, Some(entry)) => Ok(Arc::new(EncryptedFileStore::with_keyring_key(
                    path.clone(),
                    &entry.service,
                    &entry.account,
                )?)),
                #[cfg(not(feature = "keyring"))]
                (None, Some(_)) => Err(Error::invalid_argument(
                    "keyring option is not supported (built without the keyring feature)",
                )),
                _ => Err(Error::invalid_argument(
                    "file storage needs exactly one of the key and keyring options",
                )),
            },
            #[cfg(feature = "keyring")]
            StorageOptions::Keyring {
                service,
                account,
                lock_dir,
            } => {
                let store = super::KeyringStore::new(service, account)?;
                let scope = lock_dir
                    .clone()
                    .map_or(super::LockScope::Process, super::LockScope::Directory);
                Ok(Arc::new(store.with_lock_scope(scope)))
            }
            #[cfg(not(feature = "keyring"))]
            StorageOptions::Keyring { .. } => Err(Error::invalid_argument(
                "keyring storage is not supported (built without the keyring feature)",
            )),
        }
    }
}

/// `v` as an object whose keys are all in `allowed`.
pub(crate) fn object<'a>(v: &'a Value, allowed: &[&str]) -> Result<&'a Options> {
    let o = v
        .as_object()
        .ok_or_else(|| Error::invalid_argument("options parameter is not valid"))?;
    if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::invalid_argument(format!(
            "{k} option is not supported"
        )));
    }
    Ok(o)
}

/// A string option: absent, `null` or `""` is `None`.
pub(crate) fn string(o: &Options, key: &str) -> Result<Option<String>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::invalid_argument(format!(
            "{key} option is not valid"
        ))),
    }
}

/// Whole non-negative seconds.
fn seconds(o: &Options, key: &str) -> Result<Option<u64>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
            Error::invalid_argument(format!("{key} option is not valid (whole seconds)"))
        }),
        Some(_) => Err(Error::invalid_argument(format!(
            "{key} option is not valid (whole seconds)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_keys_are_named() {
        let e = CredentialsOptions::from_json(&json!({"minTTL": 5})).unwrap_err();
        assert_eq!(e.description(), "minTTL option is not supported");
        let e = ClearOptions::from_json(&json!({"revoke": "yes"})).unwrap_err();
        assert_eq!(e.description(), "revoke option is not valid");
        let e = CredentialsOptions::from_json(&json!({"minTtl": -1})).unwrap_err();
        assert!(e.description().starts_with("minTtl option is not valid"));
    }

    #[test]
    fn storage_options_read_their_json() {
        assert_eq!(
            StorageOptions::from_json(&json!({"type": "memory"})).unwrap(),
            StorageOptions::Memory
        );
        let f =
            StorageOptions::from_json(&json!({"type": "file", "path": "/x/c.bin", "key": "AAAA"}))
                .unwrap();
        assert!(!format!("{f:?}").contains("AAAA"));
        let e = StorageOptions::from_json(&json!({"type": "file"})).unwrap_err();
        assert_eq!(e.description(), "path option is required");
        let e = StorageOptions::from_json(&json!({"type": "disk"})).unwrap_err();
        assert!(e.description().starts_with("type option is not valid"));
        let e = f.open().err().unwrap();
        assert!(
            e.description().starts_with("key option is not valid"),
            "{e}"
        );
        let serde: StorageOptions =
            serde_json::from_value(json!({"type": "keyring", "service": "s", "account": "a"}))
                .unwrap();
        assert!(matches!(serde, StorageOptions::Keyring { .. }));
    }
}
