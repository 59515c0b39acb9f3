//! CPU-bound figures: `parseHash` / `validateIdToken` of an RS256 id_token
//! with the JWKS cached (Rust and through the C API), the raw RSA-2048
//! verification they contain, and `buildAuthorizeUrl` via Rust vs via C.
//!
//! `cargo bench --bench core` (a dev tenant starts in-process on 127.0.0.1
//! to sign the token and serve the JWKS once; no network on the measured
//! paths). `bench/run.sh` turns the estimates into the BENCHMARKS.md ratios.

mod common;

use auth0_devtenant::DevTenant;
// The C layer is a cdylib/staticlib crate with no rlib (see
// bindings/c/src/lib.rs), so Rust code that calls it compiles its sources in.
#[allow(dead_code, unused_imports)]
#[path = "../bindings/c/src/lib.rs"]
mod c_api;
use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use c_api::{
    auth0_status, auth0_string_free, auth0_webauth, auth0_webauth_authorize,
    auth0_webauth_build_authorize_url, auth0_webauth_free, auth0_webauth_new,
    auth0_webauth_parse_hash, auth0_webauth_validate_id_token,
};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A C handle, freed on drop.
struct CWeb(*mut auth0_webauth);

impl CWeb {
    fn new(options: &Value) -> CWeb {
        let o = CString::new(options.to_string()).unwrap();
        let mut h = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: valid C string, writable out-pointers.
        let st = unsafe { auth0_webauth_new(o.as_ptr(), &mut h, &mut err) };
        assert_eq!(st, auth0_status::AUTH0_OK);
        CWeb(h)
    }

    /// Calls `f(handle, options, &mut out)`, checks the status, frees the
    /// answer. Returns the answer when `keep`.
    fn call(
        &self,
        f: unsafe extern "C" fn(
            *const auth0_webauth,
            *const c_char,
            *mut *mut c_char,
        ) -> auth0_status,
        options: &CStr,
        keep: bool,
    ) -> Option<String> {
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: live handle, NUL-terminated options, writable out.
        let st = unsafe { f(self.0, options.as_ptr(), &mut out) };
        // SAFETY: `out` was set by the library.
        let text = keep.then(|| {
            unsafe { CStr::from_ptr(out) }
                .to_string_lossy()
                .into_owned()
        });
        if st != auth0_status::AUTH0_OK {
            // SAFETY: as above.
            panic!(
                "status {st:?}: {}",
                unsafe { CStr::from_ptr(out) }.to_string_lossy()
            );
        }
        // SAFETY: released once.
        unsafe { auth0_string_free(out) };
        text
    }
}

impl Drop for CWeb {
    fn drop(&mut self) {
        // SAFETY: made by auth0_webauth_new, freed once.
        unsafe { auth0_webauth_free(self.0) }
    }
}

fn id_token(c: &mut Criterion) {
    let tenant = DevTenant::start().expect("dev tenant");
    let token = common::mint_id_token(&tenant);
    let web = common::web(&tenant);
    let cweb = CWeb::new(&common::web_options(&tenant));
    let validate_opts = json!({"nonce": common::NONCE, "accessToken": common::ACCESS_TOKEN});
    // Warm both JWKS caches (the only network use; never on a measured path).
    web.validate_id_token(&token, &validate_opts).unwrap();
    let validate_c = CString::new(
        json!({"idToken": token, "nonce": common::NONCE, "accessToken": common::ACCESS_TOKEN})
            .to_string(),
    )
    .unwrap();
    cweb.call(auth0_webauth_validate_id_token, &validate_c, false);

    // The raw RSA-2048 PKCS#1 v1.5 SHA-256 verification inside every check,
    // with the same parsed aws-lc key type the JWKS cache keeps.
    let jwks = common::jwks(&tenant);
    let jwk = &jwks["keys"][0];
    let b64 = |k: &str| URL_SAFE_NO_PAD.decode(jwk[k].as_str().unwrap()).unwrap();
    let (n, e) = (b64("n"), b64("e"));
    let key = RsaPublicKeyComponents { n: &n, e: &e }
        .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
        .unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();

    let hash = common::callback(&token, "caller-state");
    let parse_opts = json!({"hash": hash, "state": "caller-state", "nonce": common::NONCE});
    let parse_c = CString::new(parse_opts.to_string()).unwrap();
    let authorize_opts = json!({"nonce": common::NONCE});
    let authorize_c = CString::new(authorize_opts.to_string()).unwrap();

    let mut g = c.benchmark_group("id_token");
    g.bench_function("aws_lc_rsa2048_verify", |b| {
        b.iter(|| {
            key.verify_sig(black_box(signed.as_bytes()), black_box(&sig))
                .unwrap()
        })
    });
    g.bench_function("validate_id_token_rust", |b| {
        b.iter(|| {
            web.validate_id_token(black_box(&token), &validate_opts)
                .unwrap()
        })
    });
    g.bench_function("validate_id_token_c", |b| {
        b.iter(|| cweb.call(auth0_webauth_validate_id_token, &validate_c, false))
    });
    // parseHash with the caller's state and nonce (auth0.js v8's
    // `parseHash({hash, state, nonce})`): the transaction lookup misses, all
    // other work is the same, so the token can be reused.
    g.bench_function("parse_hash_rust", |b| {
        b.iter(|| web.parse_hash(black_box(&parse_opts)).unwrap().unwrap())
    });
    g.bench_function("parse_hash_c", |b| {
        b.iter(|| cweb.call(auth0_webauth_parse_hash, &parse_c, false))
    });
    // parseHash consuming a transaction `authorize` recorded (state and
    // nonce from the store): the transaction is recorded outside the timed
    // region, one per call.
    g.bench_function("parse_hash_recorded_rust", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let state = web.authorize(&authorize_opts).unwrap().state;
                let opts = json!({"hash": common::callback(&token, &state)});
                let t = Instant::now();
                black_box(web.parse_hash(black_box(&opts)).unwrap().unwrap());
                total += t.elapsed();
            }
            total
        })
    });
    g.bench_function("parse_hash_recorded_c", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let answer = cweb
                    .call(auth0_webauth_authorize, &authorize_c, true)
                    .unwrap();
                let answer: Value = serde_json::from_str(&answer).unwrap();
                let hash = common::callback(&token, answer["state"].as_str().unwrap());
                let opts = CString::new(json!({ "hash": hash }).to_string()).unwrap();
                let t = Instant::now();
                cweb.call(auth0_webauth_parse_hash, black_box(&opts), false);
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();
}

fn authorize_url(c: &mut Criterion) {
    let base = json!({"domain": "me.auth0.com", "clientID": "abc",
                      "redirectUri": "com.example.app://callback", "scope": "openid profile"});
    let web = auth0_native::WebAuth::new(&base).unwrap();
    let cweb = CWeb::new(&base);
    let opts =
        json!({"state": "xyz", "connection": "twitter", "audience": "https://api.example.com/"});
    let opts_c = CString::new(opts.to_string()).unwrap();
    let mut g = c.benchmark_group("build_authorize_url");
    g.bench_function("rust", |b| {
        b.iter(|| web.client().build_authorize_url(black_box(&opts)).unwrap())
    });
    g.bench_function("c", |b| {
        b.iter(|| cweb.call(auth0_webauth_build_authorize_url, black_box(&opts_c), false))
    });
    g.finish();
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
    targets = id_token, authorize_url
}
criterion_main!(benches);
