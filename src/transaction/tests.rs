#[cfg(unix)]
use super::file_store::euid;
use super::file_store::sibling;
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
