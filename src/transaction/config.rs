//! The `transaction` option of a handle: which store, and for how long an
//! entry lives.

use super::{
    now_secs, optional_f64, optional_object, optional_str, Duration, Error, FileStore, MemoryStore,
    Options, PathBuf, Result, TransactionStore, DEFAULT_TTL,
};

/// The store and lifetime chosen by the `transaction` option.
pub(crate) struct TransactionConfig {
    pub store: Box<dyn TransactionStore>,
    pub ttl: Duration,
}

impl TransactionConfig {
    /// Reads `transaction: {store: "memory"|"file", path, ttl}`; `key` is
    /// `origin|clientID`, which names the default file.
    // The float is range-checked (a whole number within bounds) before the cast.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
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
    let name = digest.as_ref()[..8]
        .iter()
        .fold(String::with_capacity(16), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        });
    Ok(base
        .join("auth0-native")
        .join(format!("transactions-{name}.json")))
}
