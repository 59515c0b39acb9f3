//! The credentials manager across processes sharing one encrypted file
//! store: 4 processes renewing the same credential never present a rotated
//! refresh token, and 50 processes killed (SIGKILL) at random points of a
//! renewal loop never leave a store that does not load or a session that
//! is lost. The children are this test binary itself, running the ignored
//! `child_renewal_loop` test; the dev tenant lives in the parent, so it
//! outlives them.

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::credentials::EncryptedFileStore;
use auth0_native::{CredentialsManager, CredentialsOptions, WebAuth};
use common::{Tenant, CONNECTION};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: [u8; 32] = [0x3c; 32];

fn web_for(domain: &str) -> Arc<WebAuth> {
    Arc::new(
        WebAuth::new(
            &json!({"domain": domain, "clientID": auth0_devtenant::DEFAULT_CLIENT_ID,
                             "scope": "openid offline_access"}),
        )
        .unwrap(),
    )
}

fn manager(domain: &str, path: &Path) -> CredentialsManager {
    let store = EncryptedFileStore::with_key(path, &KEY).unwrap();
    CredentialsManager::new(web_for(domain), Arc::new(store))
}

fn stat(t: &Tenant, key: &str) -> u64 {
    t.dev_get("stats")[key].as_u64().unwrap()
}

fn logged_in(t: &Tenant, path: &Path) -> CredentialsManager {
    let m = manager(&t.domain(), path);
    let r = web_for(&t.domain())
        .client()
        .login(&json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION}))
        .unwrap();
    m.save(&r).unwrap();
    m
}

/// Starts this binary as a child running `child_renewal_loop`.
fn spawn_child(domain: &str, path: &Path, calls: u64, pause_ms: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_renewal_loop",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CREDS_CHILD_DOMAIN", domain)
        .env("CREDS_CHILD_PATH", path)
        .env("CREDS_CHILD_CALLS", calls.to_string())
        .env("CREDS_CHILD_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child: `CREDS_CHILD_CALLS` `credentials()` calls (0 = until killed)
/// on the shared store, printing for every access token it got a digest
/// and the token's `iat` and `exp` (never the token).
#[test]
#[ignore = "run as a child process by the tests of this file"]
fn child_renewal_loop() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is set by the parent"));
    let m = manager(
        &var("CREDS_CHILD_DOMAIN"),
        Path::new(&var("CREDS_CHILD_PATH")),
    );
    let calls: u64 = var("CREDS_CHILD_CALLS").parse().unwrap();
    let pause = Duration::from_millis(var("CREDS_CHILD_PAUSE_MS").parse().unwrap());
    let mut last = String::new();
    let mut n = 0;
    while calls == 0 || n < calls {
        let c = m.credentials(&CredentialsOptions::default()).unwrap();
        let digest = hex(&Sha256::digest(c.access_token.secret().as_bytes())[..12]);
        if digest != last {
            let (iat, exp) = common::token_times(c.access_token.secret());
            println!("TOKEN {digest} {iat} {exp}");
            last = digest;
        }
        n += 1;
        std::thread::sleep(pause);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn four_processes_on_one_file_store_never_reuse_a_refresh_token() {
    let t = Tenant::start();
    t.dev_post(
        "settings",
        json!({"access_token_lifetime_secs": 1, "refresh_reuse_interval_secs": 0}),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.bin");
    let m = logged_in(&t, &path);
    let children: Vec<Child> = (0..4)
        .map(|_| spawn_child(&t.domain(), &path, 200, 10))
        .collect();
    let mut tokens: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "child failed: {}",
            String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some(rest) = line.strip_prefix("TOKEN ") {
                let f: Vec<&str> = rest.split(' ').collect();
                tokens.insert(
                    f[0].to_owned(),
                    (f[1].parse().unwrap(), f[2].parse().unwrap()),
                );
            }
        }
    }
    let rotations = stat(&t, "refresh_rotations");
    assert!(
        rotations >= 2,
        "the run spanned several expiries ({rotations})"
    );
    // Each renewal came after the token before it expired: one per expiry,
    // shared by the four processes.
    let mut renewed: Vec<(u64, u64)> = tokens.values().copied().collect();
    renewed.sort();
    for pair in renewed.windows(2) {
        assert!(
            pair[1].0 >= pair[0].1,
            "two renewals for one expiry: {renewed:?}"
        );
    }
    assert!(
        renewed.len() as u64 >= rotations,
        "every renewal was used: {renewed:?}"
    );
    assert_eq!(stat(&t, "refresh_reuse_detections"), 0);
    assert_eq!(stat(&t, "refresh_reuse_within_interval"), 0);
    assert!(m.credentials(&CredentialsOptions::default()).is_ok());
}

/// A pseudo-random delay in `0..bound_ms` (no RNG crate needed).
fn random_ms(bound_ms: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish() % bound_ms
}

#[test]
fn processes_killed_mid_renewal_never_lose_the_store_or_the_session() {
    let t = Tenant::start();
    // Every call renews (tokens are born expired); a rotated token is
    // accepted again for 5 s, as a tenant's reuse interval would.
    t.dev_post(
        "settings",
        json!({"access_token_lifetime_secs": 0, "refresh_reuse_interval_secs": 5}),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("creds.bin");
    let m = logged_in(&t, &path);
    let mut renewals_seen = 0;
    for round in 0..50 {
        let mut child = spawn_child(&t.domain(), &path, 0, 0);
        std::thread::sleep(Duration::from_millis(50 + random_ms(350)));
        child.kill().unwrap(); // SIGKILL
        let out = child.wait_with_output().unwrap();
        renewals_seen += String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("TOKEN "))
            .count();
        // The store loads, and the session can be renewed.
        let c = manager(&t.domain(), &path)
            .credentials(&CredentialsOptions::default())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(c.refresh_token.is_some());
    }
    eprintln!(
        "renewals seen by children: {renewals_seen}, stats: {}",
        t.dev_get("stats")
    );
    assert!(renewals_seen > 0, "the children got to renew");
    assert_eq!(stat(&t, "refresh_reuse_detections"), 0);
    assert!(m.has_valid_credentials(0).unwrap());
}
