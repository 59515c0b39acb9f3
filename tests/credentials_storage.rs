//! The credentials storage backends: memory, the encrypted file (tamper,
//! permission, symlink and atomicity cases) and the cross-process lock.
//! The keyring backend is tested against a real Secret Service in
//! tests/keyring_store.rs.

use auth0_native::credentials::{
    CredentialStore, EncryptedFileStore, MemoryStore, STORAGE_PERMISSIONS, STORAGE_TAMPERED,
};
use auth0_native::ErrorKind;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const KEY: [u8; 32] = [0x5a; 32];
const BLOB: &[u8] = br#"{"refreshToken":"rt-SECRET-0123456789","accessToken":"at-SECRET"}"#;

fn store(path: &Path) -> EncryptedFileStore {
    EncryptedFileStore::with_key(path, &KEY).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Writes `bytes` as a 0600 file, as an attacker with our uid (or a
/// corrupting disk) could.
fn write_private(path: &Path, bytes: &[u8]) {
    let _ = std::fs::remove_file(path);
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn assert_tampered(s: &EncryptedFileStore, what: &str) {
    match s.load() {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Storage, "{what}: {e}");
            assert_eq!(e.code(), STORAGE_TAMPERED, "{what}: {e}");
            assert!(!e.description().contains("SECRET"), "{what}: {e}");
        }
        Ok(v) => panic!(
            "{what}: loaded {:?} instead of a storage error",
            v.map(|b| b.len())
        ),
    }
}

fn assert_permissions(r: auth0_native::Result<impl std::fmt::Debug>, what: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Storage, "{what}: {e}");
            assert_eq!(e.code(), STORAGE_PERMISSIONS, "{what}: {e}");
        }
        Ok(v) => panic!("{what}: succeeded ({v:?}) instead of a permissions error"),
    }
}

#[test]
fn memory_store_round_trips() {
    let s = MemoryStore::new();
    assert!(s.load().unwrap().is_none());
    s.save(BLOB).unwrap();
    assert_eq!(s.load().unwrap().unwrap().expose(), BLOB);
    s.save(b"second").unwrap();
    assert_eq!(s.load().unwrap().unwrap().expose(), b"second");
    s.delete().unwrap();
    assert!(s.load().unwrap().is_none());
    s.delete().unwrap();
}

#[test]
fn file_store_round_trips_overwrites_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let s = store(&path);
    assert!(s.load().unwrap().is_none());
    s.save(BLOB).unwrap();
    assert_eq!(store(&path).load().unwrap().unwrap().expose(), BLOB);
    s.save(b"").unwrap();
    assert_eq!(s.load().unwrap().unwrap().expose(), b"");
    s.delete().unwrap();
    assert!(!path.exists());
    assert!(s.load().unwrap().is_none());
    s.delete().unwrap();
}

#[test]
fn file_is_0600_in_a_0700_directory_and_holds_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/auth0/creds");
    store(&path).save(BLOB).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let raw = std::fs::read(&path).unwrap();
    // No 6-byte window of the blob appears on disk, let alone the tokens.
    for w in BLOB.windows(6) {
        assert!(
            !raw.windows(6).any(|r| r == w),
            "plaintext {:?} found in the file",
            String::from_utf8_lossy(w)
        );
    }
    // Only the file remains: no temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("creds")]);
}

#[test]
fn a_flipped_bit_anywhere_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let s = store(&path);
    s.save(b"rt-SECRET").unwrap();
    let good = std::fs::read(&path).unwrap();
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[i] ^= 1 << bit;
            write_private(&path, &bad);
            assert_tampered(&s, &format!("bit {bit} of byte {i}"));
        }
    }
    write_private(&path, &good);
    assert_eq!(s.load().unwrap().unwrap().expose(), b"rt-SECRET");
}

#[test]
fn every_truncation_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let s = store(&path);
    s.save(b"rt-SECRET").unwrap();
    let good = std::fs::read(&path).unwrap();
    for len in 0..good.len() {
        write_private(&path, &good[..len]);
        assert_tampered(&s, &format!("truncated to {len} bytes"));
    }
    // And an appended byte.
    let mut longer = good.clone();
    longer.push(0);
    write_private(&path, &longer);
    assert_tampered(&s, "one byte appended");
}

#[test]
fn foreign_files_are_storage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let s = store(&path);

    write_private(&path, b"");
    assert_tampered(&s, "an empty file");
    let mut random = [0u8; 96];
    for (i, b) in random.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151).wrapping_add(17);
    }
    write_private(&path, &random);
    assert_tampered(&s, "random bytes");
    write_private(&path, br#"{"refreshToken":"rt-SECRET"}"#);
    assert_tampered(&s, "plaintext JSON");
    write_private(&path, &[0u8; 2 << 20]);
    assert_tampered(&s, "a 2 MiB file");

    // A genuine file of another path (same key) does not load here...
    let other = dir.path().join("other");
    store(&other).save(b"rt-SECRET").unwrap();
    write_private(&path, &std::fs::read(&other).unwrap());
    assert_tampered(&s, "a file copied from another path");
    // ...nor a file of this path sealed with another key.
    EncryptedFileStore::with_key(&path, &[1; 32])
        .unwrap()
        .save(b"rt-SECRET")
        .unwrap();
    assert_tampered(&s, "a file sealed with another key");
}

#[test]
fn a_symlink_at_the_path_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    write_private(&target, b"precious");
    let path = dir.path().join("creds");
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let s = store(&path);
    assert_permissions(s.save(BLOB), "save through a symlink");
    assert_permissions(
        s.load().map(|b| b.map(|b| b.len())),
        "load through a symlink",
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");
    assert!(std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_symlink());

    // A dangling link is refused too (a create through it would make the
    // attacker's chosen file).
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    assert_permissions(
        store(&dangling).save(BLOB),
        "save through a dangling symlink",
    );
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn a_symlinked_lock_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    write_private(&target, b"precious");
    let path = dir.path().join("creds");
    std::os::unix::fs::symlink(&target, dir.path().join("creds.lock")).unwrap();
    assert_permissions(store(&path).lock(), "lock through a symlink");
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");
}

#[test]
fn a_directory_others_can_write_is_refused() {
    for m in [0o770, 0o707, 0o777, 0o1777] {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("shared");
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("creds");
        store(&path).save(BLOB).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(m)).unwrap();
        let s = store(&path);
        assert_permissions(s.save(BLOB), &format!("save in a {m:o} directory"));
        assert_permissions(
            s.load().map(|b| b.map(|b| b.len())),
            &format!("load in a {m:o} directory"),
        );
        assert_permissions(s.lock(), &format!("lock in a {m:o} directory"));
    }
}

#[test]
fn a_file_others_can_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let s = store(&path);
    s.save(BLOB).unwrap();
    for m in [0o640, 0o604, 0o644, 0o666] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m)).unwrap();
        assert_permissions(
            s.load().map(|b| b.map(|b| b.len())),
            &format!("a {m:o} file"),
        );
    }
}

#[test]
fn a_file_or_directory_of_another_user_is_refused() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // As root, hand a file and a directory to `nobody`.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds");
        store(&path).save(BLOB).unwrap();
        std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
        assert_permissions(
            store(&path).load().map(|b| b.map(|b| b.len())),
            "a file of nobody",
        );
        let sub = dir.path().join("theirs");
        std::fs::create_dir(&sub).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::chown(&sub, Some(65534), None).unwrap();
        assert_permissions(
            store(&sub.join("creds")).save(BLOB),
            "a directory of nobody",
        );
    } else {
        // Not root: /etc/hostname is root's file in root's directory.
        let s = store(Path::new("/etc/hostname"));
        assert_permissions(s.load().map(|b| b.map(|b| b.len())), "a file of root");
    }
}

#[test]
fn save_replaces_the_file_atomically_for_concurrent_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let short = b"rt-short".to_vec();
    let long = vec![b'x'; 4000];
    store(&path).save(&short).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|sc| {
        let reader = sc.spawn(|| {
            let s = store(&path);
            let mut reads = 0u32;
            while !done.load(std::sync::atomic::Ordering::SeqCst) || reads == 0 {
                let got = s.load().expect("a reader saw a torn or missing file");
                let got = got.expect("the file vanished during a save");
                assert!(got.expose() == short || got.expose() == long, "torn read");
                reads += 1;
            }
            reads
        });
        let s = store(&path);
        for i in 0..500 {
            s.save(if i % 2 == 0 { &long } else { &short }).unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(reader.join().unwrap() > 0);
    });
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "temporary files left behind");
}

/// The environment variable that turns [`lock_child`] into a lock holder.
const CHILD_ENV: &str = "AUTH0_TEST_LOCK_CHILD";

/// Takes the store's lock `rounds` times, recording each holding interval
/// (nanoseconds since the epoch) as a line `start end` in `log`.
fn hold_lock_and_record(store_path: &Path, log: &Path, rounds: usize) {
    use std::io::Write;
    let s = store(store_path);
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    };
    for _ in 0..rounds {
        let guard = s.lock().unwrap();
        let start = now();
        // Work a refresh would do under the lock: read, write back.
        let before = s.load().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        s.save(before.as_ref().map(|b| b.expose()).unwrap_or(b"x"))
            .unwrap();
        let end = now();
        drop(guard);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
            .unwrap();
        writeln!(f, "{start} {end}").unwrap();
    }
}

/// Not a test of its own: the child process of
/// [`the_lock_excludes_other_processes_and_threads`], which runs this test
/// binary again with `CHILD_ENV` set to `<store path>|<log path>`.
#[test]
fn lock_child() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let (store_path, log) = spec.split_once('|').unwrap();
        hold_lock_and_record(Path::new(store_path), Path::new(log), 20);
    }
}

#[test]
fn the_lock_excludes_other_processes_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds");
    let log = dir.path().join("intervals");
    store(&path).save(BLOB).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--exact", "lock_child", "--test-threads=1", "--quiet"])
                .env(CHILD_ENV, format!("{}|{}", path.display(), log.display()))
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| hold_lock_and_record(&path, &log, 20));
        }
    });
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a lock child failed");
    }
    let mut intervals: Vec<(u128, u128)> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert_eq!(intervals.len(), 5 * 20, "every holder recorded its rounds");
    intervals.sort();
    for w in intervals.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "two holders overlapped: {:?} and {:?}",
            w[0],
            w[1]
        );
    }
    assert_eq!(store(&path).load().unwrap().unwrap().expose(), BLOB);
}
