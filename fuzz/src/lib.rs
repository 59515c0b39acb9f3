//! What the fuzz targets share: handles that never reach the network,
//! a JWKS server of the fuzzer's own on 127.0.0.1, tokens signed by its
//! key, and the sanitising of fuzzed options that would touch the file
//! system.
//!
//! Nothing here talks to anything but 127.0.0.1: the handles' domain is
//! either a port that was bound and closed again (every request is
//! refused at connect) or the JWKS server below. Proxy variables are
//! cleared so reqwest cannot route elsewhere.

use auth0_native::{Management, WebAuth};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair, RsaKeyPair, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;

/// The client id of every handle.
pub const CLIENT_ID: &str = "fuzzclient0123456789abcdefghijkl";
/// The `kid` of the fuzzer's key in its JWKS.
pub const KID: &str = "fuzz-key-1";

/// Clears what could send a request anywhere but 127.0.0.1, points the
/// default transaction files at a directory of this process, and ignores
/// SIGPIPE (libFuzzer's `main` is not Rust's, which would have).
pub fn environment() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // SAFETY: setting a signal's disposition to "ignore" at start-up.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            std::env::remove_var(v);
        }
        std::env::set_var("NO_PROXY", "*");
        std::env::set_var("XDG_STATE_HOME", scratch_dir());
    });
}

/// [`environment`], plus the RSA key and the local servers made up
/// front, in libFuzzer's initialisation: made lazily, the first input paid
/// for them inside its time limit (on a starved machine the 2048-bit key
/// generation alone passed `-timeout=10`, a false "timeout" finding).
pub fn prepare() {
    environment();
    key();
    jwks_domain();
    closed_domain();
}

/// A directory of this process for files the options may create.
pub fn scratch_dir() -> std::path::PathBuf {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("auth0-native-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    })
    .clone()
}

/// `http://127.0.0.1:PORT` where nothing listens: a port bound, then
/// closed.
pub fn closed_domain() -> &'static str {
    static D: OnceLock<String> = OnceLock::new();
    D.get_or_init(|| {
        environment();
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = l.local_addr().expect("local addr").port();
        drop(l);
        format!("http://127.0.0.1:{port}")
    })
}

/// The fuzzer's RSA key (made once per process).
pub fn key() -> &'static RsaKeyPair {
    static K: OnceLock<RsaKeyPair> = OnceLock::new();
    K.get_or_init(|| RsaKeyPair::generate(KeySize::Rsa2048).expect("an RSA key"))
}

fn jwks_document() -> String {
    let public = key().public_key();
    let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
    json!({"keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
        "n": b64(public.modulus().big_endian_without_leading_zero()),
        "e": b64(public.exponent().big_endian_without_leading_zero()),
    }]})
    .to_string()
}

/// `http://127.0.0.1:PORT` of a server that answers every request with
/// the fuzzer's JWKS (so a code exchange there gets an answer that is no
/// token answer).
pub fn jwks_domain() -> &'static str {
    static D: OnceLock<String> = OnceLock::new();
    D.get_or_init(|| {
        environment();
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = l.local_addr().expect("local addr").port();
        let body = jwks_document();
        std::thread::spawn(move || {
            for stream in l.incoming().flatten() {
                answer(stream, &body);
            }
        });
        format!("http://127.0.0.1:{port}")
    })
}

fn answer(mut s: TcpStream, body: &str) {
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let _ = write!(
        s,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The options of every handle: one of the two local domains, no
/// retries, short timeouts.
pub fn handle_options(domain: &str) -> Value {
    json!({"domain": domain, "clientID": CLIENT_ID, "retry": false,
           "timeout": 2000, "connectTimeout": 1000,
           "redirectUri": "http://127.0.0.1:7777/callback"})
}

/// A WebAuth handle whose every request is refused at connect.
pub fn offline_web() -> &'static WebAuth {
    static W: OnceLock<WebAuth> = OnceLock::new();
    W.get_or_init(|| WebAuth::new(&handle_options(closed_domain())).expect("handle"))
}

/// A WebAuth handle whose JWKS is the fuzzer's key.
pub fn jwks_web() -> &'static WebAuth {
    static W: OnceLock<WebAuth> = OnceLock::new();
    W.get_or_init(|| WebAuth::new(&handle_options(jwks_domain())).expect("handle"))
}

/// A Management handle whose every request is refused at connect.
pub fn offline_management() -> &'static Management {
    static M: OnceLock<Management> = OnceLock::new();
    M.get_or_init(|| {
        Management::new(&json!({"domain": closed_domain(), "token": "fuzz-token",
                                "retry": false, "timeout": 2000}))
        .expect("handle")
    })
}

/// `header.payload.signature` with the fuzzer's RS256 signature over
/// the first two segments as given.
pub fn sign(head_b64: &str, payload_b64: &str) -> String {
    let signed = format!("{head_b64}.{payload_b64}");
    let k = key();
    let mut sig = vec![0u8; k.public_modulus_len()];
    k.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signed.as_bytes(),
        &mut sig,
    )
    .expect("sign");
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// Makes fuzzed constructor options safe to run: `caFile` (which is
/// read) never names a real file, and a file transaction store lives in
/// this process's scratch directory. Everything else stays as fuzzed.
pub fn sanitize(v: &mut Value) {
    environment();
    let Some(o) = v.as_object_mut() else { return };
    if let Some(Value::String(p)) = o.get_mut("caFile") {
        // Reading /dev/zero or a FIFO would never end.
        *p = scratch_dir()
            .join("no-such-ca.pem")
            .to_string_lossy()
            .into_owned();
    }
    if let Some(Value::Object(t)) = o.get_mut("transaction") {
        if let Some(Value::String(p)) = t.get_mut("path") {
            *p = scratch_dir()
                .join("transactions.json")
                .to_string_lossy()
                .into_owned();
        }
    }
}

/// Makes fuzzed per-call options safe to run: a retry policy, if any,
/// may not wait (every request is refused at connect, and a GET would be
/// retried for as long as the policy allows).
pub fn sanitize_call(v: &mut Value) {
    let Some(o) = v.as_object_mut() else { return };
    if let Some(Value::Object(r)) = o.get_mut("retry") {
        r.insert("totalMs".into(), json!(1));
        r.insert("maxDelayMs".into(), json!(1));
    }
}

/// Checks what every error must be: a message, and a kind other than
/// `Internal` (what a contained panic becomes). The message may echo the
/// input (a parameter's name), so its words are not judged.
pub fn check_error(e: &auth0_native::Error) {
    assert!(!e.to_string().is_empty());
    assert_ne!(e.kind(), auth0_native::ErrorKind::Internal, "{e}");
}
