//! `credentials()` served from storage, per call, for each backend: memory,
//! the encrypted file, and the OS keyring (only with
//! `AUTH0_TEST_SECRET_SERVICE` set, inside the private Secret Service
//! session of tests/keyring/run.sh — see BENCHMARKS.md for the command).
//!
//! `cargo bench -p auth0-native --bench credentials`. The credentials are a
//! real login's (a dev tenant on 127.0.0.1 issues them), and the tenant is
//! stopped before anything is timed: a call that went to the network would
//! fail, so every figure is without network.

mod common;

use auth0_devtenant::DevTenant;
use auth0_native::credentials::{CredentialStore, EncryptedFileStore, MemoryStore};
use auth0_native::{AuthResult, CredentialsManager, CredentialsOptions, WebAuth};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// A logged-in handle and its login's result; the tenant is stopped.
fn login() -> (Arc<WebAuth>, AuthResult) {
    let tenant = DevTenant::start().unwrap();
    let mut o = common::web_options(&tenant);
    o["scope"] = json!("openid profile email offline_access");
    let web = Arc::new(WebAuth::new(&o).unwrap());
    let r = web
        .client()
        .login(&json!({"username": auth0_devtenant::TEST_USER_EMAIL,
                       "password": auth0_devtenant::TEST_USER_PASSWORD,
                       "realm": common::CONNECTION}))
        .unwrap();
    drop(tenant);
    (web, r)
}

fn bench_store(
    c: &mut Criterion,
    name: &str,
    web: &Arc<WebAuth>,
    r: &AuthResult,
    store: Arc<dyn CredentialStore>,
) {
    let m = CredentialsManager::new(web.clone(), store);
    m.save(r).unwrap();
    let options = CredentialsOptions {
        min_ttl: 60,
        ..Default::default()
    };
    m.credentials(&options).unwrap();
    c.benchmark_group("credentials").bench_function(name, |b| {
        b.iter(|| m.credentials(black_box(&options)).unwrap())
    });
}

fn credentials(c: &mut Criterion) {
    let (web, r) = login();
    bench_store(c, "memory", &web, &r, Arc::new(MemoryStore::new()));
    let dir = tempfile::tempdir().unwrap();
    let file = EncryptedFileStore::with_key(dir.path().join("creds.bin"), &[9; 32]).unwrap();
    bench_store(c, "file", &web, &r, Arc::new(file));
    #[cfg(feature = "keyring")]
    if std::env::var_os("AUTH0_TEST_SECRET_SERVICE").is_some() {
        let k = auth0_native::credentials::KeyringStore::new("auth0-native-bench", "credentials")
            .unwrap();
        bench_store(c, "keyring", &web, &r, Arc::new(k));
    } else {
        println!("keyring: skipped (AUTH0_TEST_SECRET_SERVICE is not set)");
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = credentials
}
criterion_main!(benches);
