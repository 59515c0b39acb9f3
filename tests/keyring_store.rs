//! The keyring backend against a real Secret Service (gnome-keyring on a
//! private session bus). Run by `tests/keyring/run.sh`, which starts the
//! bus and the daemon and sets `AUTH0_TEST_SECRET_SERVICE=1`; the tests are
//! `#[ignore]`d otherwise, and fail — never skip — when run without a
//! reachable Secret Service.
#![cfg(feature = "keyring")]

use auth0_native::credentials::{
    CredentialStore, EncryptedFileStore, KeyringStore, LockScope, STORAGE_UNAVAILABLE,
};
use auth0_native::ErrorKind;

const WHY: &str = "needs a Secret Service: run tests/keyring/run.sh";

/// A service name of its own for each test and run, so runs never see each
/// other's entries.
fn service(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("auth0-native-test-{test}-{}-{nanos}", std::process::id())
}

fn require_secret_service() {
    assert_eq!(
        std::env::var("AUTH0_TEST_SECRET_SERVICE").as_deref(),
        Ok("1"),
        "these tests need a real Secret Service: run them with tests/keyring/run.sh"
    );
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "AUTH0_TEST_SECRET_SERVICE=1 but there is no session bus (DBUS_SESSION_BUS_ADDRESS)"
    );
}

fn keyring(service: &str) -> KeyringStore {
    require_secret_service();
    KeyringStore::new(service, "client-id").expect("the Secret Service is not reachable")
}

/// What `secret-tool` (libsecret, independent of our D-Bus client) finds
/// in the Secret Service for this entry.
fn secret_tool_lookup(service: &str) -> Option<Vec<u8>> {
    let out = std::process::Command::new("secret-tool")
        .args(["lookup", "service", service, "username", "client-id"])
        .output()
        .expect("secret-tool is missing (libsecret-tools)");
    out.status.success().then_some(out.stdout)
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_round_trips_binary_blobs() {
    let svc = service("round-trip");
    let s = keyring(&svc);
    assert!(s.load().expect(WHY).is_none());
    let blob: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
    s.save(&blob).expect(WHY);
    assert_eq!(s.load().unwrap().unwrap().expose(), &blob[..]);
    // Another handle on the same entry reads it too.
    let again = KeyringStore::new(&svc, "client-id").unwrap();
    assert_eq!(again.load().unwrap().unwrap().expose(), &blob[..]);
    s.delete().unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_entry_is_in_the_real_secret_service() {
    let svc = service("real");
    let s = keyring(&svc);
    s.save(br#"{"refreshToken":"rt-1"}"#).expect(WHY);
    assert_eq!(
        secret_tool_lookup(&svc).as_deref(),
        Some(&br#"{"refreshToken":"rt-1"}"#[..])
    );
    s.delete().unwrap();
    assert_eq!(secret_tool_lookup(&svc), None);
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_save_overwrites() {
    let svc = service("overwrite");
    let s = keyring(&svc);
    s.save(b"first").expect(WHY);
    s.save(b"second, longer").unwrap();
    assert_eq!(s.load().unwrap().unwrap().expose(), b"second, longer");
    s.save(b"3").unwrap();
    assert_eq!(s.load().unwrap().unwrap().expose(), b"3");
    s.delete().unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_delete_removes_and_is_idempotent() {
    let svc = service("delete");
    let s = keyring(&svc);
    s.save(b"x").expect(WHY);
    s.delete().unwrap();
    assert!(s.load().unwrap().is_none());
    s.delete().unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_entries_are_separate_per_service() {
    let (a, b) = (service("sep-a"), service("sep-b"));
    let sa = keyring(&a);
    let sb = keyring(&b);
    sa.save(b"a").expect(WHY);
    assert!(sb.load().unwrap().is_none());
    sb.save(b"b").unwrap();
    assert_eq!(sa.load().unwrap().unwrap().expose(), b"a");
    sa.delete().unwrap();
    assert_eq!(sb.load().unwrap().unwrap().expose(), b"b");
    sb.delete().unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn keyring_lock_in_a_directory_is_a_file_lock() {
    let svc = service("lock");
    let dir = tempfile::tempdir().unwrap();
    let s = keyring(&svc).with_lock_scope(LockScope::Directory(dir.path().join("locks")));
    let g = s.lock().unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path().join("locks")).unwrap().count(),
        1
    );
    drop(g);
    drop(s.lock().unwrap());
}

#[test]
#[ignore = "needs a Secret Service: run tests/keyring/run.sh"]
fn encrypted_file_keeps_its_key_in_the_keyring() {
    let svc = service("file-key");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    require_secret_service();
    let s = EncryptedFileStore::with_keyring_key(&path, &svc, "client-id").expect(WHY);
    s.save(b"rt-SECRET").expect(WHY);
    // The key was generated once and kept: 32 bytes in the keyring.
    let key = keyring(&svc)
        .load()
        .unwrap()
        .expect("no key in the keyring");
    assert_eq!(key.len(), 32);
    s.save(b"rt-SECRET-2").unwrap();
    assert_eq!(
        keyring(&svc).load().unwrap().unwrap(),
        key,
        "the key changed"
    );
    let again = EncryptedFileStore::with_keyring_key(&path, &svc, "client-id").unwrap();
    assert_eq!(again.load().unwrap().unwrap().expose(), b"rt-SECRET-2");
    // The same file with the key supplied directly loads too.
    let direct = EncryptedFileStore::with_key(&path, key.expose()).unwrap();
    assert_eq!(direct.load().unwrap().unwrap().expose(), b"rt-SECRET-2");

    // Without its key, the file does not load, and says why.
    keyring(&svc).delete().unwrap();
    let e = again.load().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage);
    assert_eq!(e.code(), STORAGE_UNAVAILABLE, "{e}");
}
