//! SQLite persistence for `--db FILE`: a small key/value table per kind
//! (`user`, `session`, `refresh`, `key`), values as JSON, written through.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db, String> {
        let conn =
            Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS kv (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));",
        )
        .map_err(|e| format!("cannot initialise {}: {e}", path.display()))?;
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Insert or replace. Write errors are reported on stderr, never fatal.
    pub fn put<T: Serialize>(&self, kind: &str, id: &str, value: &T) {
        let Ok(json) = serde_json::to_string(value) else {
            return;
        };
        if let Err(e) = self.conn().execute(
            "INSERT OR REPLACE INTO kv (kind, id, json) VALUES (?1, ?2, ?3)",
            params![kind, id, json],
        ) {
            eprintln!("auth0-devtenant: database write failed: {e}");
        }
    }

    pub fn delete(&self, kind: &str, id: &str) {
        if let Err(e) = self.conn().execute(
            "DELETE FROM kv WHERE kind = ?1 AND id = ?2",
            params![kind, id],
        ) {
            eprintln!("auth0-devtenant: database write failed: {e}");
        }
    }

    pub fn load_keyed<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<(String, T)>, String> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id, json FROM kv WHERE kind = ?1 ORDER BY rowid")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map(params![kind], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(|e| e.to_string())?;
            if let Ok(v) = serde_json::from_str(&json) {
                out.push((id, v));
            }
        }
        Ok(out)
    }

    pub fn load<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<T>, String> {
        Ok(self.load_keyed(kind)?.into_iter().map(|(_, v)| v).collect())
    }

    /// Replace every row of `kind`.
    pub fn replace_all<T: Serialize>(&self, kind: &str, items: &[(String, T)]) {
        if let Err(e) = self
            .conn()
            .execute("DELETE FROM kv WHERE kind = ?1", params![kind])
        {
            eprintln!("auth0-devtenant: database write failed: {e}");
        }
        for (id, v) in items {
            self.put(kind, id, v);
        }
    }
}
